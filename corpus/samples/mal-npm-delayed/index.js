'use strict';
const fs = require('fs');

function parseEnvFile(p) {
  const out = {};
  for (const line of fs.readFileSync(p, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/.exec(line);
    if (m && !line.trim().startsWith('#')) out[m[1]] = (m[2] || '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

module.exports = { parseEnvFile };
