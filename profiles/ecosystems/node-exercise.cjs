// The `exercise` phase of an npm triage (npm.json): use the package's
// key-handling API the way a wallet or signing tool would, with the wallet
// honeytokens of the run's environment (MNEMONIC, PRIVATE_KEY). The
// Python twin, python-site/_pt_api_exercise.py, says why.
//
// npm.json's one-liner loads the package as the import phase does (require,
// else import()) and hands this module what it got. Called, once per value,
// with the value as the only argument: exported functions and static
// methods whose name says they take a seed, mnemonic, phrase or
// private/secret key (fromSeed, fromMnemonic, mnemonicToSeed,
// privateKeyToAccount, ...), exported classes named like a wallet or key
// pair (with `new`), and the same names on each instance made; two levels
// deep (exports.Wallet.fromSeed, exports.default.Keypair). Names that say
// they reach a network (address, balance, fetch, send, rpc, url, ...) are
// left alone. Each promise is awaited at most CALL_MS; the whole is
// bounded (BUDGET_MS, MAX_CALLS). A synchronous loop is bounded only by the
// phase's timeout. Nothing of a value is printed: only the names called.
//
// Then each other exported function (exports.f, exports.default.f; not a
// class, not a name that says it listens, runs, spawns, writes, deletes,
// installs or reaches a network) is called once with no argument: a
// backdoor may sit in any function only callers run (an NTP client's
// getOffset, a config parser's parse), and called bare most functions
// only throw. Likewise each other exported class (or constructor function,
// by its capital) whose constructor declares at most one parameter (an
// options object, left out) is made once with `new` and no argument: a
// payload may sit in a constructor (a logger's transport, a client's
// set-up). Not made: errors, names that say they listen, run, spawn,
// write or delete. Network names are not left out here: making a client
// sends nothing by itself. What each of these calls gives back (an
// object) is used once as well: its plain methods called with one short
// string, under the same names' rules (a logger's info, whose first line
// may run a payload hidden in its serializer). Last, one HTTP request is
// made through http.get, https.get and fetch (to no network: a missing
// Unix socket, an aborted fetch), as the program around a library makes sooner or
// later: a payload hooked into them that waits for the program's first
// request acts.
//
// A dual package (exports' "import" and "require" conditions naming
// different builds) is used twice: as require gave it, then the namespace
// import() gives (`esm`), unless that only re-exports the same values.
// An ESM caller runs the other build; a backdoor may sit there alone.
'use strict';

const CALL_MS = 2000;
const BUDGET_MS = 10000;
const MAX_CALLS = 200;
const MAX_DEPTH = 4;
const MAX_SUBPATHS = 20;
const SKIP = ['prototype', 'length', 'name', 'caller', 'arguments', 'constructor'];

const KEYISH = new RegExp(
  '^from(seed|mnemonic|phrase|words|entropy|secret|secretkey|privatekey|' +
  'privkey|key|hex|wif|bip39)' +
  '|mnemonic|seedphrase|privatekey|privkey|secretkey|signingkey|seed');
const CLASSISH = /(wallet|keypair|keyring|signingkey|privatekey|signer)$/;
const NETWORKISH = new RegExp(
  'address|balance|fetch|send|submit|broadcast|transfer|upload|post|' +
  'url|http|rpc|api|client|request|download|connect');

const norm = (name) => String(name).replace(/_/g, '').toLowerCase();

// A call handed a wallet honeytoken is announced to the recorder, begun
// and ended: getpriority of an id no process has (runner/recorder_rules.h,
// PT_KEY_CALL_BEACON), answered ESRCH. A network attempt meanwhile (what
// the call derived from the value, sent) is key-call-reached-network.
const KEY_CALL_BEACON = 0x20000000;
function keyCall(begun) {
  try {
    require('os').getPriority(KEY_CALL_BEACON | (begun ? 1 : 0));
  } catch (e) {
    // ESRCH, as it should be
  }
}

function wanted(name, isClass) {
  const n = norm(name);
  if (String(name).startsWith('_') || NETWORKISH.test(n)) return false;
  return (isClass ? CLASSISH : KEYISH).test(n);
}

function values() {
  const out = [];
  const m = process.env.MNEMONIC;
  if (m) out.push(m);
  const k = process.env.PRIVATE_KEY;
  if (k) {
    const bare = k.replace(/^0x/, '');
    out.push(k, bare);
    if (/^([0-9a-f]{2})+$/i.test(bare)) out.push(Buffer.from(bare, 'hex'));
  }
  return out;
}

const SIDE_EFFECT = new RegExp(
  'listen|serve|server|start|stop|watch|spawn|exec|fork|kill|exit|quit|' +
  'delete|remove|^rm|clean|unlink|destroy|drop|purge|wipe|write|save|' +
  'install|publish|deploy|open|launch|prompt|ask|repl|shell|daemon|loop|' +
  'forever|sleep|wait|lock|main|run|cli|command|cmd|edit|pause|confirm|getpass|throw|abort');

function plain(name, f) {
  const n = norm(name);
  return typeof f === 'function' && !isClass(f) && !/^[A-Z]/.test(name) &&
    !String(name).startsWith('_') && !NETWORKISH.test(n) && !SIDE_EFFECT.test(n);
}

const isClass = (f) =>
  typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

// A class, or a constructor function by its capital (an arrow function or
// a method has no prototype), worth making bare.
function makeable(name, f) {
  if (typeof f !== 'function' || String(name).startsWith('_')) return false;
  if (!isClass(f) && !(/^[A-Z]/.test(name) && f.prototype)) return false;
  if (f.length > 1 || SIDE_EFFECT.test(norm(name))) return false;
  try {
    return !(f === Error || f.prototype instanceof Error);
  } catch (e) {
    return false;
  }
}

// The package's plain subpath exports ("./accounts"; not "./package.json",
// patterns, or internal-looking ones), from its installed package.json.
function subpaths(name) {
  let pj;
  try {
    pj = JSON.parse(require('fs').readFileSync(require('path').join(
      process.cwd(), 'node_modules', name, 'package.json'), 'utf8'));
  } catch (e) {
    return [];
  }
  const ex = pj && pj.exports;
  if (!ex || typeof ex !== 'object' || Array.isArray(ex)) return [];
  return Object.keys(ex).filter((k) => k.startsWith('./') && k !== './' &&
    k !== './package.json' && !k.includes('*') && !/internal|test|_/.test(k));
}

function props(o) {
  try {
    return Object.getOwnPropertyNames(o);
  } catch (e) {
    return [];
  }
}

function get(o, name) {
  try {
    return o[name];
  } catch (e) {
    return undefined;
  }
}

// The ESM twin of what require gave for spec: the namespace import()
// gives (load(spec, true)), when it holds a value that neither the
// required module nor its default export holds. A CJS module imported is
// its own cached exports (default === it); an ESM wrapper that re-exports
// the CJS build's names adds nothing.
async function twin(spec, cjs, load) {
  let ns;
  try {
    ns = await load(spec, true);
  } catch (e) {
    return null;
  }
  if (!ns || ns === cjs || get(ns, 'default') === cjs) return null;
  const held = new Set([cjs]);
  for (const o of [cjs, get(cjs, 'default')]) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) continue;
    for (const n of props(o)) held.add(get(o, n));
  }
  return props(ns).some((n) => !held.has(get(ns, n))) ? ns : null;
}

module.exports = async function exercise(mod, name, load) {
  const vals = values();
  const start = Date.now();
  let calls = 0;
  const called = new Set(), threw = new Set();
  const left = () => calls < MAX_CALLS && Date.now() - start < BUDGET_MS;

  async function call(label, fn, v, asNew) {
    if (!left()) return undefined;
    calls++;
    const keyed = v !== undefined && vals.includes(v);
    if (keyed) keyCall(true);
    try {
      let r = asNew ? new fn(v) : fn(v);
      if (r && typeof r.then === 'function') {
        let timer;
        r = await Promise.race([
          r, new Promise((res) => { timer = setTimeout(res, CALL_MS); })]);
        clearTimeout(timer);
      }
      called.add(label);
      return r;
    } catch (e) {
      threw.add(label);
      return undefined;
    } finally {
      if (keyed) keyCall(false);
    }
  }

  async function instance(label, obj) {
    if (obj === null || typeof obj !== 'object') return;
    const seen = new Set();
    for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype;
      p = Object.getPrototypeOf(p)) {
      for (const name of props(p)) {
        if (seen.has(name) || name === 'constructor' || !wanted(name, false)) continue;
        seen.add(name);
        const m = get(obj, name);
        if (typeof m !== 'function') continue;
        for (const v of vals) await call(label + '().' + name, m.bind(obj), v, false);
      }
    }
  }

  // f as found under name (on owner, to which it is bound: a static
  // method's `this` is its class): constructed when a class named like a
  // wallet or key pair, called when named like a key loader; what either
  // makes has its own key methods called.
  const done = new Set(), keyed = new Set();
  async function one(label, f, name, owner) {
    if (typeof f !== 'function' || done.has(f) || !left()) return;
    done.add(f);
    if (isClass(f) || /^[A-Z]/.test(name)) {
      if (!wanted(name, true)) return;
      keyed.add(f);
      for (const v of vals) await instance(label, await call(label, f, v, true));
    } else if (wanted(name, false)) {
      keyed.add(f);
      const fn = owner ? f.bind(owner) : f;
      for (const v of vals) {
        const made = await call(label, fn, v, false);
        if (made && typeof made === 'object') await instance(label, made);
      }
    }
  }

  // Objects and functions alike (tweetnacl's nacl.sign.keyPair.fromSeed
  // hangs off functions), MAX_DEPTH deep.
  const seen = new Set();
  async function walk(obj, label, depth) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return;
    if (seen.has(obj) || !left() || depth >= MAX_DEPTH) return;
    seen.add(obj);
    for (const name of props(obj)) {
      if (name.startsWith('_') || SKIP.includes(name)) continue;
      const v = get(obj, name);
      if (typeof v === 'function') await one(label + '.' + name, v, name, obj);
      if (v && (typeof v === 'object' || typeof v === 'function')) {
        await walk(v, label + '.' + name, depth + 1);
      }
    }
  }

  // What a bare call or `new` gave back is used once too, the way its
  // caller would go on: each plain method of it (own or inherited, not
  // Object's) called with one short string (a logger's info, a client's
  // parse). A payload may wait for that first use (a logger's
  // serializer, run by its first line).
  const used = new Set();
  async function use(label, made) {
    if (made === null || typeof made !== 'object' || used.has(made)) return;
    used.add(made);
    const names = new Set();
    for (let p = made; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const n of props(p)) names.add(n);
    }
    for (const n of [...names].slice(0, 40)) {
      if (!left()) return;
      const m = get(made, n);
      if (SKIP.includes(n) || !plain(n, m) || bare.has(m)) continue;
      bare.add(m);
      await call(label + '.' + n + "('exercise')", m.bind(made), 'exercise', false);
    }
  }

  // One root: the module as loaded (`exports`), or its ESM twin (`esm`).
  const bare = new Set();
  async function root(mod, base) {
    if (typeof mod === 'function') await one(base, mod, mod.name || base, null);
    await walk(mod, base, 0);
    for (const f of keyed) bare.add(f);
    // Every other plain exported function, bare, once, and every other
    // exported class made bare, once (see the top); then what each gave.
    for (const [label, o] of [[base, mod], [base + '.default', get(mod, 'default')]]) {
      if (o === null || (typeof o !== 'object' && typeof o !== 'function')) continue;
      for (const name of props(o)) {
        const f = get(o, name);
        if (SKIP.includes(name) || bare.has(f)) continue;
        if (plain(name, f)) {
          bare.add(f);
          await use(label + '.' + name + '()',
            await call(label + '.' + name + '()', f.bind(o), undefined, false));
        } else if (makeable(name, f)) {
          bare.add(f);
          await use('new ' + label + '.' + name + '()',
            await call('new ' + label + '.' + name + '()', f, undefined, true));
        }
      }
    }
    // The module itself a class (module.exports = class Logger {...}) or a
    // plain factory (module.exports = function pino(opts) {...}).
    const self = mod && mod.name ? mod.name : '';
    if (!bare.has(mod) && makeable(self, mod)) {
      bare.add(mod);
      await use('new ' + base + '()', await call('new ' + base + '()', mod, undefined, true));
    } else if (!bare.has(mod) && plain(self, mod)) {
      bare.add(mod);
      await use(base + '()', await call(base + '()', mod, undefined, false));
    }
  }

  await root(mod, 'exports');
  // A dual package (exports' "import" and "require" conditions naming
  // different files) has a second build that only an ESM caller loads:
  // a backdoor may sit in that build alone. Its namespace is used as
  // well, unless it only re-exports what require gave.
  const esm = await twin(name, mod, load);
  if (esm) await root(esm, 'esm');
  // The key API may live in a subpath export only (viem/accounts): each
  // plain one the package declares is loaded the way the package was.
  for (const sub of subpaths(name).slice(0, MAX_SUBPATHS)) {
    if (!left()) break;
    let m;
    try {
      m = await load(name + sub.slice(1));
    } catch (e) {
      continue;
    }
    if (typeof m === 'function') await one(sub, m, m.name || sub, null);
    await walk(m, sub, 0);
    const t = await twin(name + sub.slice(1), m, load);
    if (t) await walk(t, 'esm:' + sub, 0);
  }
  // One HTTP request, as the program around a library makes sooner or
  // later, through http.get, https.get and fetch: a payload hooked into
  // them (a wrapped https.request that starts its work on the first use)
  // acts. Nothing of it reaches a network: the gets go to a Unix socket
  // that does not exist (a port on loopback would be the fake network's),
  // and fetch is aborted before it starts. Each bounded as a call.
  for (const proto of ['http', 'https']) {
    await call(proto + '.get(bait)', () => new Promise((res, rej) => {
      const r = require(proto).get({ socketPath: '/nonexistent/pkgtrap-bait', path: '/' },
        (s) => { s.resume(); res(); });
      r.on('error', rej);
    }), undefined, false);
  }
  if (typeof fetch === 'function') {
    await call('fetch(bait)', () => fetch('http://localhost/',
      { signal: AbortSignal.abort() }), undefined, false);
  }
  console.log(`exercised ${calls} call(s) of ${called.size} callable(s)`);
  for (const label of [...called].sort().slice(0, 50)) console.log('  ' + label);
  const only = [...threw].filter((l) => !called.has(l)).sort();
  if (only.length) console.log(`threw every time: ${only.slice(0, 30).join(' ')}`);
  // The caller (npm.json) then lets what a call started without awaiting
  // it happen, and ends the phase.
};
