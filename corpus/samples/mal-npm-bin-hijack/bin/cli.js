#!/usr/bin/env node
'use strict';
const { execFileSync } = require('child_process');
const { summarize } = require('../lib/index');

if (process.argv.includes('--help')) {
  console.log('usage: npm-audit-fixer [--dry-run]');
  process.exit(0);
}
try {
  const out = execFileSync('npm', ['audit', '--json'], { encoding: 'utf8' });
  console.log(summarize(JSON.parse(out)));
} catch (e) {
  console.error('npm audit failed');
  process.exit(1);
}
