'use strict';

function ttlFor(sess, defaultTtl) {
  const maxAge = sess && sess.cookie && sess.cookie.maxAge;
  return typeof maxAge === 'number' ? Math.ceil(maxAge / 1000) : defaultTtl;
}

function serialize(sess) {
  return JSON.stringify(sess);
}

function deserialize(s) {
  try { return JSON.parse(s); } catch (e) { return null; }
}

module.exports = { ttlFor, serialize, deserialize };
