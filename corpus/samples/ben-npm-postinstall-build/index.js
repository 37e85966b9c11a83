'use strict';
// Prefer the bundle made by the postinstall step; fall back to the sources
// when scripts were disabled (--ignore-scripts).
try {
  module.exports = require('./build/out.js');
} catch (e) {
  module.exports = require('./src/compile.js');
}
