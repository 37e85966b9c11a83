#!/usr/bin/env node
'use strict';
const script = process.argv[2];
if (!script || script === '--help') {
  console.log('usage: nodemon-cli <script.js>');
  process.exit(0);
}
require('../index')(script);
