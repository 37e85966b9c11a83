'use strict';
const { isPlainObject } = require('./is-plain-object');

function merge(target, ...sources) {
  for (const src of sources) {
    if (!isPlainObject(src)) continue;
    for (const key of Object.keys(src)) {
      if (key === '__proto__' || key === 'constructor') continue;
      const a = target[key];
      const b = src[key];
      if (Array.isArray(a) && Array.isArray(b)) target[key] = a.concat(b);
      else if (isPlainObject(a) && isPlainObject(b)) target[key] = merge({ ...a }, b);
      else target[key] = b;
    }
  }
  return target;
}

module.exports = (...objs) => merge({}, ...objs);
module.exports.merge = merge;
