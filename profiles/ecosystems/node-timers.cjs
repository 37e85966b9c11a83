// Node timers longer than MAX_MS fire after MAX_MS: a payload that waits
// out a sandbox with setTimeout acts within the phase's budget.
//
// Loaded into every node process of an npm triage (NODE_OPTIONS=--require,
// see npm.json's "env" and "mounts"). The recorder already answers long
// sleep syscalls at once (npm.json's max_sleep_ms), but Node's timers are
// no sleep: libuv waits in epoll_wait against its own monotonic clock,
// which the vDSO reads without a syscall, so answering epoll_wait early
// only makes the loop wait again. The timers are shortened here instead.
//
// Each shortening is announced to the recorder, which shows it as a
// sleep-shortened event (the rule long-sleep): getpriority(PRIO_PROCESS,
// 0x40000000 | ms), a process id no kernel hands out (PID_MAX_LIMIT is
// 2^22), which the recorder stops on (runner/recorder_rules.c) and the
// kernel would answer with ESRCH.
'use strict';
function install() {
  const MAX_MS = 2000; // npm.json's max_sleep_ms
  const TIMEOUT_MAX = 2 ** 31 - 1; // Node's own ceiling (then it uses 1 ms)
  const os = require('os');
  const timers = require('timers');
  const util = require('util');
  let promises = {}; // timers/promises: Node >= 15
  try { promises = require('timers/promises'); } catch (e) { /* older Node */ }

  function shorter(ms) {
    const n = Number(ms);
    if (!(n > MAX_MS && n <= TIMEOUT_MAX)) return ms;
    try {
      os.getPriority(0x40000000 | Math.min(Math.floor(n), 0x3fffffff));
    } catch (e) { /* ESRCH, as it should be */ }
    return MAX_MS;
  }

  const setTimeoutP = promises.setTimeout;
  const setIntervalP = promises.setInterval;
  const setTimeout0 = timers.setTimeout;
  const setInterval0 = timers.setInterval;
  const wait0 = promises.scheduler && promises.scheduler.wait;

  // The shortened one-shot timers not yet fired: the exercise waits for
  // them before its process ends, also for an unref'd one (a payload's
  // timer that would not keep a program alive).
  const pending = new Set();
  globalThis[Symbol.for('pkgtrap.shortened')] = pending;
  function setTimeout(cb, ms, ...args) {
    const to = shorter(ms);
    if (to === ms || typeof cb !== 'function') return setTimeout0(cb, to, ...args);
    const t = setTimeout0((...a) => { pending.delete(t); return cb(...a); }, to, ...args);
    pending.add(t);
    return t;
  }
  function setInterval(cb, ms, ...args) {
    return setInterval0(cb, shorter(ms), ...args);
  }
  const setTimeoutPromise = (ms, ...rest) => setTimeoutP(shorter(ms), ...rest);
  const setIntervalPromise = (ms, ...rest) => setIntervalP(shorter(ms), ...rest);
  // util.promisify(setTimeout) is timers/promises' setTimeout.
  const custom = setTimeout0[util.promisify.custom];
  if (custom) {
    Object.defineProperty(setTimeout, util.promisify.custom, {
      value: (ms, ...rest) => custom(shorter(ms), ...rest),
      enumerable: false, writable: true, configurable: true,
    });
  }
  // The originals' names, for stack traces and whoever reads .name.
  Object.defineProperty(setTimeout, 'name', { value: 'setTimeout' });
  Object.defineProperty(setInterval, 'name', { value: 'setInterval' });

  timers.setTimeout = globalThis.setTimeout = setTimeout;
  timers.setInterval = globalThis.setInterval = setInterval;
  if (setTimeoutP) promises.setTimeout = setTimeoutPromise;
  if (setIntervalP) promises.setInterval = setIntervalPromise;
  if (wait0) {
    promises.scheduler.wait = (ms, options) =>
      wait0.call(promises.scheduler, shorter(ms), options);
  }
  // ES modules see builtins' exports as they were when first imported.
  const mod = require('module');
  if (mod.syncBuiltinESMExports) mod.syncBuiltinESMExports();
}
try {
  install();
} catch (e) {
  // Never keep a node process from starting: its timers then run as asked.
}
