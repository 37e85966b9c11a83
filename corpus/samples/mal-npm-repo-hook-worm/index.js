'use strict';
const TYPES = ['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert'];

function lint(message) {
  const m = /^(\w+)(\([\w.-]+\))?!?: .+/.exec(String(message).split('\n')[0]);
  if (!m) return { valid: false, reason: 'header must be `type(scope): subject`' };
  if (!TYPES.includes(m[1])) return { valid: false, reason: 'unknown type ' + m[1] };
  return { valid: true };
}

module.exports = { lint, TYPES };
