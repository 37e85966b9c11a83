// The tools that host an npm package's code, for the `exercise` phase
// (npm.json; the Python twin is python-site/_pt_hosts.py): a Jest test
// environment's setup(), a Jest reporter's onRunComplete(), a webpack
// plugin's apply(compiler) and the hooks it taps, an ESLint rule's
// create(context), a Babel plugin's visitor, a Rollup or Vite plugin's
// build and dev-server hooks, a PostCSS plugin's Once(root), a TypeScript
// language service plugin's create(info). A payload placed there
// runs only inside the tool (in a CI job's test run, a production
// build), which triage's offline jail does not have: such a package
// declares its tool a peer dependency, so its require fails, and nothing
// of it runs.
//
// So, for the exercise only: install() makes a require of a missing tool
// give a stand-in (an installed tool always wins): any name read from it
// is a class that can be extended, made, called and read further; the
// Jest environment's base class has Jest's own shape (this.global, async
// setup/teardown). host() then does what the tool would do with the
// package's own exports, twice: as on a developer's machine, then as in a
// GitHub Actions job (CI, GITHUB_ACTIONS, ...: a payload that waits for
// CI, where the tokens are, acts there). Each call is bounded (CALL_MS),
// the whole too (BUDGET_MS); names called are printed, nothing else.
'use strict';

const Module = require('module');
const path = require('path');

const CALL_MS = 3000;
const BUDGET_MS = 15000;
const HOSTS = new Set([
  'jest', 'jest-environment-node', 'jest-environment-jsdom', '@jest/environment',
  '@jest/reporters', '@jest/types', 'webpack', 'eslint', '@babel/core',
  '@babel/helper-plugin-utils', '@babel/types', 'rollup', 'vite', 'postcss',
  'prettier', 'esbuild']);
const CI_ENV = {
  CI: 'true', GITHUB_ACTIONS: 'true', RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64',
  GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main'};

// Names of packages that are plugins of a build tool: their main export
// is a plugin factory, a class with apply(compiler) is a webpack plugin.
const PLUGIN_NAME = /(^|[-/])(babel-plugin|babel-preset|rollup-plugin|vite-plugin|unplugin|postcss|eslint-plugin|webpack|esbuild-plugin|jest-)/;

const root = (req) => {
  const p = String(req).split('/');
  return req.startsWith('@') ? p.slice(0, 2).join('/') : p[0];
};

// Anything a package does with a tool's object: read (another stand-in),
// call, make with new, extend.
function stub(label) {
  const target = function () {};
  return new Proxy(target, {
    get(t, k) {
      if (k === 'prototype') return t.prototype;
      if (typeof k === 'symbol') return t[k];
      if (k === 'then') return undefined; // not a promise
      if (!(k in t)) t[k] = stub(label + '.' + String(k));
      return t[k];
    },
    apply() { return stub(label + '()'); },
    construct(t, args, nt) { return Reflect.construct(t, args, nt); },
  });
}

// jest-environment-node's TestEnvironment, as a subclass's super() needs.
class TestEnvironment {
  constructor(config, context) {
    this.global = { process, console, setTimeout, clearTimeout, Buffer };
    this.config = config;
    this.context = context;
    this.moduleMocker = stub('moduleMocker');
    this.fakeTimers = stub('fakeTimers');
    this.fakeTimersModern = stub('fakeTimersModern');
  }
  async setup() {}
  async teardown() {}
  getVmContext() { return null; }
  exportConditions() { return ['node', 'node-addons']; }
  async handleTestEvent() {}
}

function shape(name) {
  if (/^jest-environment-|^@jest\/environment$/.test(name)) {
    const m = TestEnvironment;
    m.TestEnvironment = TestEnvironment;
    m.default = TestEnvironment;
    return m;
  }
  return stub(name);
}

function install() {
  const made = new Map();
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      return load.apply(this, arguments);
    } catch (e) {
      const r = root(String(request));
      if (!e || e.code !== 'MODULE_NOT_FOUND' || !HOSTS.has(r)) throw e;
      if (!made.has(request)) made.set(request, shape(r));
      return made.get(request);
    }
  };
}

const isClass = (f) => typeof f === 'function' &&
  /^class[\s{]/.test(Function.prototype.toString.call(f));
// A method the class (or one of its own ancestors, not a stand-in) has.
function hasOwnMethod(C, name) {
  for (let p = C && C.prototype; p && p !== Object.prototype &&
    p !== TestEnvironment.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, name) &&
      typeof p[name] === 'function') return true;
  }
  return false;
}

// A path of Babel's traversal, a file of the build, an ESLint context:
// what the tool hands a plugin, enough for it to go on.
function file(cwd) {
  return path.join(cwd, 'src', 'checkout', 'PaymentForm.jsx');
}

async function host(mod, name, once) {
  const cwd = process.cwd();
  const seen = new Set();
  const cands = [];
  for (const v of [mod, mod && mod.default]) {
    if (v && !seen.has(v)) { seen.add(v); cands.push(v); }
  }
  for (const o of [mod, mod && mod.default]) {
    if (!o || (typeof o !== 'object' && typeof o !== 'function')) continue;
    for (const k of Object.keys(o).slice(0, 50)) {
      let v;
      try { v = o[k]; } catch (e) { continue; }
      if (typeof v === 'function' && !seen.has(v)) { seen.add(v); cands.push(v); }
    }
  }
  const pluginName = PLUGIN_NAME.test(name);
  for (const C of cands.filter((c) => typeof c === 'function')) {
    // Jest: a test environment (its base Jest's, or the package named so),
    // made for a test file and set up; a reporter, told a run began and
    // ended.
    const jestEnv = C.prototype instanceof TestEnvironment ||
      hasOwnMethod(C, 'getVmContext') || hasOwnMethod(C, 'handleTestEvent') ||
      (/jest-environment|jest-env/.test(name) && hasOwnMethod(C, 'setup'));
    if (jestEnv) {
      const env = await once('new TestEnvironment', () => new C(
        { globalConfig: { rootDir: cwd }, projectConfig: { rootDir: cwd, testEnvironmentOptions: {} } },
        { console, docblockPragmas: {}, testPath: path.join(cwd, 'src', 'app.test.js') }));
      if (env) {
        await once('TestEnvironment.setup', () => env.setup());
        await once('TestEnvironment.teardown', () => env.teardown());
      }
    }
    if (hasOwnMethod(C, 'onRunComplete') || hasOwnMethod(C, 'onTestResult')) {
      const rep = await once('new Reporter', () => new C({ rootDir: cwd }, {}));
      const results = { numFailedTests: 0, numPassedTests: 1, numTotalTests: 1, testResults: [] };
      for (const m of ['onRunStart', 'onTestStart', 'onTestResult', 'onRunComplete']) {
        if (rep && typeof rep[m] === 'function') {
          await once('Reporter.' + m, () => rep[m](m === 'onRunComplete' ? new Set() : {}, results));
        }
      }
    }
    // webpack: a plugin applied to a compiler, whose hooks it taps; each
    // tapped function then called as a build calls it.
    if (hasOwnMethod(C, 'apply') && isClass(C) &&
      (pluginName || /Plugin$/.test(C.name))) {
      const taps = [];
      const hook = () => ({
        tap: (n, f) => taps.push(typeof n === 'function' ? n : f),
        tapAsync: (n, f) => taps.push(f), tapPromise: (n, f) => taps.push(f),
      });
      const hooks = new Proxy({}, { get: (t, k) => (t[k] = t[k] || hook()) });
      const compiler = { hooks, options: { mode: 'production', context: cwd,
        output: { path: path.join(cwd, 'dist') } }, context: cwd, webpack: stub('webpack') };
      const plugin = await once('new Plugin', () => new C({}));
      if (plugin) await once('Plugin.apply(compiler)', () => plugin.apply(compiler));
      const compilation = { hooks, assets: {}, options: compiler.options, compiler };
      for (const f of taps.slice(0, 20)) {
        if (typeof f === 'function') await once('compiler hook', () => f(compilation, () => {}));
      }
    }
  }
  // ESLint: each rule's create(context), and the visitor it gives.
  const rules = mod && (mod.rules || (mod.default && mod.default.rules));
  if (rules && typeof rules === 'object') {
    const context = { id: 'rule', options: [], settings: {}, cwd, filename: file(cwd),
      getFilename: () => file(cwd), getCwd: () => cwd, report() {},
      getSourceCode: () => stub('sourceCode'), sourceCode: stub('sourceCode') };
    for (const [rn, rule] of Object.entries(rules).slice(0, 20)) {
      const create = rule && (typeof rule === 'function' ? rule : rule.create);
      if (typeof create !== 'function') continue;
      const v = await once('rule ' + rn + '.create', () => create(context));
      for (const k of ['Program', 'Program:exit']) {
        if (v && typeof v[k] === 'function') await once('rule ' + rn + ' ' + k, () => v[k]({ type: 'Program', body: [] }));
      }
    }
  }
  // A plugin factory: Babel (api, options) -> {visitor}, Rollup/Vite
  // () -> {buildStart, transform, ...}, PostCSS () -> {Once, ...}.
  const factory = typeof mod === 'function' ? mod : mod && typeof mod.default === 'function' ? mod.default : null;
  if (factory && !isClass(factory) && (pluginName || factory.postcss === true)) {
    const api = { version: '7.26.0', assertVersion() {}, types: stub('t'), template: stub('template'),
      cache: { using() {}, never() {}, forever() {}, invalidate() {} }, env: () => 'production',
      caller: (f) => f({ name: 'babel-loader', supportsStaticESM: true }) };
    const p = await once('plugin factory', () => (/babel/.test(name) ? factory(api, {}, cwd) : factory({})));
    if (p && typeof p === 'object') {
      const state = { filename: file(cwd), cwd, opts: {}, file: { opts: { filename: file(cwd) } } };
      const nodePath = stub('path');
      if (p.visitor && typeof p.visitor === 'object') {
        for (const [k, v] of Object.entries(p.visitor).slice(0, 30)) {
          for (const f of [v, v && v.enter, v && v.exit]) {
            if (typeof f === 'function') await once('visitor ' + k, () => f.call(state, nodePath, state));
          }
        }
      }
      const id = file(cwd);
      // Vite's dev server, as configureServer gets it: a connect app, an
      // HTTP server that then says it listens (a hook may wait for that).
      const EventEmitter = require('events');
      const httpServer = new EventEmitter();
      httpServer.address = () => ({ address: '0.0.0.0', family: 'IPv4', port: 5173 });
      const server = { middlewares: { use() {}, stack: [] }, httpServer, watcher: new EventEmitter(),
        config: { root: cwd, mode: 'development', command: 'serve', server: {}, logger: stub('logger') },
        ws: stub('ws'), moduleGraph: stub('moduleGraph'), resolvedUrls: null };
      const args = { config: [{ root: cwd }, { command: 'serve', mode: 'development' }],
        configResolved: [{ root: cwd, mode: 'production', command: 'build' }],
        configureServer: [server],
        buildStart: [{}], transform: ['export default 1;\n', id], load: [id],
        renderChunk: ['export default 1;\n', {}], generateBundle: [{}, {}], writeBundle: [{}, {}],
        closeBundle: [], buildEnd: [], pre: [{ opts: { filename: id } }], post: [{ opts: { filename: id } }],
        Once: [stub('root'), stub('helpers')], OnceExit: [stub('root'), stub('helpers')] };
      for (const [k, a] of Object.entries(args)) {
        const f = p[k] && typeof p[k] === 'object' && typeof p[k].handler === 'function' ? p[k].handler : p[k];
        if (typeof f === 'function') await once('plugin.' + k, () => f.apply(stub('pluginContext'), a));
      }
      if (typeof p.configureServer === 'function') {
        await once('server listening', () => httpServer.emit('listening'));
      }
    }
  }
}

// A TypeScript language service plugin (tsserver loads it by name from
// tsconfig.json): init({typescript}) gives {create(info)}, called for each
// project the editor opens.
async function tsPlugin(mod, name, once) {
  if (typeof mod !== 'function' || isClass(mod) ||
    !(mod.name === 'init' || /(^|[-/])(typescript-plugin|ts-plugin|tsserver-plugin)|-ts-plugin$/.test(name))) return;
  const cwd = process.cwd();
  const p = await once('init({typescript})', () => mod({ typescript: stub('typescript') }));
  if (!p || typeof p.create !== 'function') return;
  const logger = { info() {}, msg() {}, loggingEnabled: () => false, hasLevel: () => false };
  const info = { config: {}, languageService: {}, languageServiceHost: {}, serverHost: stub('serverHost'),
    project: { projectService: { logger }, getCurrentDirectory: () => cwd,
      getProjectName: () => path.join(cwd, 'tsconfig.json'), getCompilerOptions: () => ({}) } };
  await once('plugin.create(info)', () => p.create(info));
}

// host(), as a developer's build would run it, then as a CI job's.
async function run(mod, name) {
  const start = Date.now();
  const called = [];
  async function once(label, fn) {
    if (Date.now() - start > BUDGET_MS) return undefined;
    let timer;
    try {
      let r = fn();
      if (r && typeof r.then === 'function') {
        r = await Promise.race([r, new Promise((res) => { timer = setTimeout(res, CALL_MS); })]);
      }
      called.push(label);
      return r;
    } catch (e) {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
  await host(mod, name, once);
  await tsPlugin(mod, name, once);
  const before = {};
  for (const k of [...Object.keys(CI_ENV), 'GITHUB_WORKSPACE']) before[k] = process.env[k];
  Object.assign(process.env, CI_ENV, { GITHUB_WORKSPACE: process.cwd() });
  try {
    const ci = (l, f) => once(l + ' [ci]', f);
    await host(mod, name, ci);
    await tsPlugin(mod, name, ci);
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
  if (called.length) console.log('hosted: ' + called.slice(0, 40).join(', '));
}

module.exports = { install, run };
