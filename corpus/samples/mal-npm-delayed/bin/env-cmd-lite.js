#!/usr/bin/env node
'use strict';
const { spawnSync } = require('child_process');
const { parseEnvFile } = require('../index');

const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '--help') {
  console.log('usage: env-cmd-lite [-f .env] <command> [args...]');
  process.exit(0);
}
let file = '.env';
if (args[0] === '-f') { file = args[1]; args.splice(0, 2); }
let env = {};
try { env = parseEnvFile(file); } catch (e) { /* no file */ }
const r = spawnSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
process.exit(r.status === null ? 1 : r.status);
