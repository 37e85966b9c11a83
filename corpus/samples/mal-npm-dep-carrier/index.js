'use strict';
const { EventEmitter } = require('events');
const { ttlFor, serialize, deserialize } = require('sessionstore-utils');

class MemoryStore extends EventEmitter {
  constructor(opts = {}) {
    super();
    this.ttl = opts.ttl || 86400;
    this.sessions = new Map();
  }

  get(sid, cb) {
    const e = this.sessions.get(sid);
    if (!e || e.exp < Date.now()) { this.sessions.delete(sid); return cb(null, null); }
    cb(null, deserialize(e.data));
  }

  set(sid, sess, cb) {
    this.sessions.set(sid, { data: serialize(sess), exp: Date.now() + ttlFor(sess, this.ttl) * 1000 });
    if (cb) cb(null);
  }

  destroy(sid, cb) {
    this.sessions.delete(sid);
    if (cb) cb(null);
  }
}

module.exports = MemoryStore;
