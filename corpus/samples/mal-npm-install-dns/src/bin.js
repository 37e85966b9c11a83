#!/usr/bin/env node
'use strict';
require('./index')(process.argv.slice(2), { shell: true });
