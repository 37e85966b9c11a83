// Run by node_timers_test.sh in the jail with node-timers.cjs preloaded:
// every kind of long timer fires after ~2 s, short ones keep their delay,
// and an ordinary getpriority still works (does not stop).
'use strict';
const os = require('os');
const util = require('util');
const t0 = Date.now();
const at = (what) => () => console.log(`${what} ${Date.now() - t0}`);
setTimeout(at('global-setTimeout'), 300000);
require('timers').setTimeout(at('timers-setTimeout'), 120000);
util.promisify(setTimeout)(90000).then(at('promisify'));
require('timers/promises').setTimeout(600000).then(at('promises-setTimeout'));
require('timers/promises').scheduler.wait(45000).then(at('scheduler-wait'));
import('node:timers/promises').then((m) => m.setTimeout(240000)).then(at('esm-setTimeout'));
const iv = setInterval(() => { at('setInterval')(); clearInterval(iv); }, 60000);
setTimeout(at('short-300ms'), 300);
console.log(`own-priority ${os.getPriority(process.pid)}`);
