'use strict';
const { spawn } = require('child_process');

function crossEnv(args, options = {}) {
  const env = { ...process.env };
  const rest = [];
  for (const a of args) {
    const m = /^(\w+)=(.*)$/.exec(a);
    if (m && rest.length === 0) env[m[1]] = m[2];
    else rest.push(a);
  }
  if (rest.length === 0) return null;
  const proc = spawn(rest[0], rest.slice(1), { stdio: 'inherit', shell: options.shell, env });
  proc.on('exit', (code) => process.exit(code === null ? 1 : code));
  return proc;
}

module.exports = crossEnv;
