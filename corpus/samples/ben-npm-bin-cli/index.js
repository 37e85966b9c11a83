'use strict';

function pretty(text, indent = 2) {
  return JSON.stringify(JSON.parse(text), null, indent);
}

module.exports = { pretty };
