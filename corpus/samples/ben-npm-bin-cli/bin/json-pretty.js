#!/usr/bin/env node
'use strict';
const fs = require('fs');
const { pretty } = require('../index');

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: json-pretty [--indent N] [FILE]\n\nReads FILE (or stdin) and prints it formatted.');
  process.exit(0);
}
let indent = 2;
const i = args.indexOf('--indent');
if (i >= 0) { indent = Number(args[i + 1]) || 2; args.splice(i, 2); }
const text = args[0] ? fs.readFileSync(args[0], 'utf8') : (process.stdin.isTTY ? '{}' : fs.readFileSync(0, 'utf8'));
try {
  console.log(pretty(text || '{}', indent));
} catch (e) {
  console.error(`json-pretty: ${e.message}`);
  process.exit(1);
}
