# The `exercise` phase of a PyPI triage (pypi.json): use the package's
# key-handling API the way a wallet or signing tool would, with the
# wallet honeytokens of the run's environment (MNEMONIC, PRIVATE_KEY).
#
# Why: a backdoored library (the xrpl.js and solana-web3.js releases of
# 2024-25 are the models) does nothing at install or import; it sends the
# seed or key a program hands to Wallet.from_seed or Keypair(secret). Those
# values are honeytokens here, so a call that leaks one is
# honeytoken-exfiltration, whatever the channel.
#
# What is called, once per value, with the value as the only argument:
# functions, class methods and static methods whose name says they take a
# seed, mnemonic, phrase or private/secret key (from_seed, fromMnemonic,
# mnemonic_to_seed, privateKeyToAccount, ...), classes named like a wallet
# or key pair, and the same names on each instance made. Names that say
# they reach a network (address, balance, fetch, send, rpc, url, ...) are
# left alone: a legitimate get_balance(address) would put the value it was
# given in a request. Each such call is announced to the recorder
# (key_call): a network attempt while one runs, what it derived from the
# value sent (a private key from the seed, in a header), is
# key-call-reached-network. Only objects the package's own modules define
# are called. Each call is bounded (CALL_S), and so is the whole (BUDGET_S,
# MAX_CALLS); coroutines are run. Nothing of a value is printed: only the
# names called.
#
# Then each other plain function the package's modules define (not a
# class, not a name that says it listens, runs, spawns, writes, deletes,
# installs or reaches a network) is called once: with no argument when
# it needs none, with an empty string for each one it needs (at most
# three). A backdoor may
# sit in any function only callers run (node-exercise.cjs does the same).
# Each class of the package's own whose constructor needs no argument is
# made once too (not exceptions, abstract classes, nor a name that says it
# serves, runs, spawns, writes or deletes): a logging handler or a config
# object may start its payload when made. What such a call or class gives
# back is used once too: each plain method of the package's own called
# once, bare or with ''. Then the package's framework hooks run as their
# framework would run them (_pt_hosts.py: a Django
# AppConfig's ready(), a Flask extension's init_app(app), a Sphinx
# extension's setup(app) and the handlers it connects, a Jupyter server
# extension's load function), with stand-ins for the frameworks triage's
# jail does not have. Then one HTTP request is made, through urllib and
# requests, as the program around a library makes sooner or later
# (bait()): a payload hooked into them acts. Last, the interpreter's exit
# handlers run, bounded (EXIT_S): a payload may wait in an atexit hook for
# the program's end.
import asyncio
import atexit
import importlib.metadata
import inspect
import os
import pkgutil
import re
import signal
import sys
import threading
import time

import _pt_hosts

CALL_S = 2.0
EXIT_S = 3.0
BUDGET_S = 10.0
MAX_CALLS = 200

KEYISH = re.compile(
    r"^from(seed|mnemonic|phrase|words|entropy|secret|secretkey|privatekey|"
    r"privkey|key|hex|wif|bip39)"
    r"|mnemonic|seedphrase|privatekey|privkey|secretkey|signingkey|seed"
)
CLASSISH = re.compile(r"(wallet|keypair|keyring|signingkey|privatekey|signer)$")
NETWORKISH = re.compile(
    r"address|balance|fetch|send|submit|broadcast|transfer|upload|post|"
    r"url|http|rpc|api|client|request|download|connect"
)


SIDE_EFFECT = re.compile(
    r"listen|serve|server|start|stop|watch|spawn|exec|fork|kill|exit|quit|"
    r"delete|remove|^rm|clean|unlink|destroy|drop|purge|wipe|write|save|"
    r"install|publish|deploy|open|launch|prompt|ask|repl|shell|daemon|loop|"
    r"forever|sleep|wait|lock|main|run|cli|command|cmd|edit|pause|confirm|getpass|throw|abort"
)


def norm(name):
    return name.replace("_", "").lower()


def wanted(name, is_class):
    n = norm(name)
    if name.startswith("_") or NETWORKISH.search(n):
        return False
    return bool(CLASSISH.search(n) if is_class else KEYISH.search(n))


def values():
    out = []
    m = os.environ.get("MNEMONIC")
    if m:
        out.append(m)
    k = os.environ.get("PRIVATE_KEY")
    if k:
        bare = k[2:] if k.startswith("0x") else k
        out += [k, bare]
        try:
            out.append(bytes.fromhex(bare))
        except ValueError:
            pass
    return out


class Budget(Exception):
    pass


KEY_CALL_BEACON = 0x20000000  # runner/recorder_rules.h


def key_call(begun):
    """getpriority of an id no process has, which the recorder stops on:
    the key call begins (or ends) here. It answers ESRCH."""
    try:
        os.getpriority(os.PRIO_PROCESS, KEY_CALL_BEACON | int(begun))
    except OSError:
        pass


def on_alarm(signum, frame):
    raise Budget()


class Exerciser:
    def __init__(self, tops):
        self.tops = tops
        self.vals = values()
        self.calls = 0
        self.called = []
        self.threw = set()
        self.start = time.monotonic()

    def left(self):
        return (self.calls < MAX_CALLS
                and time.monotonic() - self.start < BUDGET_S)

    def own(self, obj):
        mod = getattr(obj, "__module__", None) or ""
        return mod.split(".")[0] in self.tops

    def call(self, label, fn, v):
        """fn(v), bounded; the result, or None when it raised. A call handed
        a wallet honeytoken is announced to the recorder, begun and ended
        (key_call): a network attempt meanwhile is the key API reaching
        out with the secret in hand."""
        if not self.left():
            return None
        self.calls += 1
        keyed = any(v is x for x in self.vals)
        if keyed:
            key_call(True)
        signal.setitimer(signal.ITIMER_REAL, CALL_S)
        try:
            r = fn(v)
            if inspect.isawaitable(r):
                async def bounded(aw=r):
                    return await asyncio.wait_for(aw, CALL_S)
                r = asyncio.run(bounded())
            self.called.append(label)
            return r
        except BaseException:  # Budget, SystemExit and the like included
            self.threw.add(label)
            return None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if keyed:
                key_call(False)

    def instance(self, label, obj):
        for name in dir(type(obj)):
            if not self.left() or not wanted(name, False):
                continue
            try:
                m = getattr(obj, name)
            except BaseException:
                continue
            if callable(m):
                for v in self.vals:
                    self.call(label + "()." + name, m, v)

    def exercise(self, label, obj):
        if inspect.isclass(obj):
            if wanted(obj.__name__, True):
                for v in self.vals:
                    made = self.call(label, obj, v)
                    if made is not None:
                        self.instance(label, made)
            for name, attr in list(vars(obj).items()):
                if not self.left() or not wanted(name, False):
                    continue
                if isinstance(attr, (classmethod, staticmethod)):
                    fn = getattr(obj, name, None)
                    for v in self.vals:
                        made = self.call(label + "." + name, fn, v)
                        if made is not None and not isinstance(
                                made, (str, bytes, int, bool, list, dict)):
                            self.instance(label + "." + name, made)
        elif callable(obj) and wanted(getattr(obj, "__name__", ""), False):
            for v in self.vals:
                self.call(label, obj, v)

    def keyed(self, fn):
        """Called with the wallet values already (exercise)?"""
        return wanted(getattr(fn, "__name__", ""), False)


def required(fn):
    """How many arguments fn needs (None: not known, or not plain)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    n = 0
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is p.empty:
            if p.kind == p.KEYWORD_ONLY:
                return None
            n += 1
    return n


def plain_function(ex, name, obj):
    """Any other plain function, unless its name says it reaches a network
    or has a side effect."""
    return (inspect.isfunction(obj)
            and not NETWORKISH.search(norm(name))
            and not SIDE_EFFECT.search(norm(name))
            and not ex.keyed(obj))


def plain_class(ex, name, obj):
    """Any other class but exceptions and abstract ones. Unlike a function,
    a class whose name says it reaches a network is made too: making a
    client or a handler sends nothing by itself, and nothing of the run's
    values is handed to it."""
    return (inspect.isclass(obj)
            and not issubclass(obj, BaseException)
            and not inspect.isabstract(obj)
            and not SIDE_EFFECT.search(norm(name))
            and not wanted(name, True))


def call_plain(ex, label, fn, one_arg):
    """fn once: bare when it needs no argument, with '' for each argument
    it needs (at most three: a client's login(user, password), whose
    defaults may hold what triggers it) when one_arg says so. What it gave
    back, or None."""
    n = required(fn)
    if n == 0:
        return ex.call(label + "()", lambda _v, f=fn: f(), None)
    if n is not None and 1 <= n <= 3 and one_arg:
        return ex.call(label + "(%s)" % ", ".join(["''"] * n),
                       lambda _v, f=fn, k=n: f(*[""] * k), None)
    return None


def use(ex, label, made, done):
    """What a bare call or class gave back, used once the way its caller
    would go on: each plain method of the package's own (same names'
    rules as the functions) called once, bare or with ''. A payload may
    wait for that first use (a logger's first record, a client's first
    parse)."""
    if made is None or inspect.isclass(made) or not ex.own(type(made)):
        return
    for name in dir(type(made))[:80]:
        if not ex.left():
            return
        if name.startswith("_"):
            continue
        try:
            m = getattr(made, name)
        except BaseException:
            continue
        fn = getattr(m, "__func__", None)
        if (fn is None or id(fn) in done
                or not plain_function(ex, name, fn) or not ex.own(fn)):
            continue
        done.add(id(fn))
        call_plain(ex, label + "." + name, m, True)


def hook_objects(tops):
    """The objects the package's entry points name outside its commands
    (setuptools hooks, plugins): their host calls them, with the arguments
    it has, in their own phases (entry_point_load, the setuptools build).
    A bare call here could spend what a payload does once (a stamp of a
    day's run written, then the real call skipped)."""
    out = set()
    try:
        eps = [ep for d in importlib.metadata.distributions()
               for ep in d.entry_points]
    except Exception:
        return out
    for ep in eps:
        try:
            if (ep.group in ("console_scripts", "gui_scripts")
                    or ep.module.split(".")[0] not in tops or not ep.attr):
                continue
        except Exception:
            continue
        obj = sys.modules.get(ep.module)
        for part in ep.attr.split(".") if obj is not None else ():
            obj = getattr(obj, part, None)
        if obj is not None:
            out.add(id(obj))
    return out


def bare_calls(ex, mods, pick, one_arg, skip=()):
    """Each object of the package's own that pick(ex, name, obj) accepts,
    called once (call_plain), and what it gave back used (use); none in
    skip (ids)."""
    done = set(skip)
    for mod in mods:
        for name, obj in list(vars(mod).items()):
            if not ex.left():
                return
            if (name.startswith("_") or id(obj) in done
                    or not pick(ex, name, obj) or not ex.own(obj)):
                continue
            done.add(id(obj))
            label = mod.__name__ + "." + name
            use(ex, label + "()", call_plain(ex, label, obj, one_arg), done)


BAIT_URL = "http://127.0.0.1:0/"


def bait(ex):
    """One outgoing HTTP request, as the program around a library makes
    sooner or later, through urllib and requests (when importable), each
    bounded as a call: a payload hooked into them (a wrapped urlopen that
    starts a backdoor on its first use) acts. To loopback's port 0, which
    the kernel refuses at once: its connect event is all it leaves
    (network rules leave loopback alone; the fake network serves no port
    0)."""
    def by_urllib(_v):
        import urllib.request
        urllib.request.urlopen(BAIT_URL, timeout=1).close()

    def by_requests(_v):
        import requests
        requests.get(BAIT_URL, timeout=1)
    ex.call("urllib.request.urlopen(bait)", by_urllib, None)
    ex.call("requests.get(bait)", by_requests, None)


def modules(tops):
    mods = []
    for t in tops:
        try:
            __import__(t)
            mod = sys.modules[t]
        except BaseException:
            continue
        mods.append(mod)
        path = getattr(mod, "__path__", None) or []
        for i in list(pkgutil.walk_packages(path, t + "."))[:50]:
            if any(p.startswith(("_", "test")) for p in i.name.split(".")[1:]):
                continue
            try:
                __import__(i.name)
                mods.append(sys.modules[i.name])
            except BaseException:
                pass
    return mods


def main():
    tops = set(sys.argv[1:])
    signal.signal(signal.SIGALRM, on_alarm)
    ex = Exerciser(tops)
    # The report goes to a copy of stdout: a function called may close or
    # replace sys.stdout (click's stream helpers).
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    report = os.dup(1)
    seen = set()
    _pt_hosts.install()
    mods = modules(tops)
    for mod in mods:
        for name, obj in list(vars(mod).items()):
            if name.startswith("_") or id(obj) in seen or not ex.own(obj):
                continue
            seen.add(id(obj))
            if not ex.left():
                break
            ex.exercise(mod.__name__ + "." + name, obj)
    hooks = hook_objects(tops)
    bare_calls(ex, mods, plain_function, True, hooks)
    bare_calls(ex, mods, plain_class, False, hooks)
    _pt_hosts.host(ex, mods, required)
    bait(ex)
    lines = ["exercised %d call(s) of %d callable(s)" % (
        ex.calls, len(set(ex.called)))]
    lines += ["  " + label for label in sorted(set(ex.called))[:50]]
    only = sorted(ex.threw - set(ex.called))
    if only:
        lines.append("threw every time: " + " ".join(only[:30]))
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    os.write(report, ("\n".join(lines) + "\n").encode())
    # A call that sent in the background (a daemon thread) gets a moment;
    # the interpreter's exit would cut it off.
    end = time.monotonic() + 1.5
    for t in threading.enumerate():
        if t is not threading.current_thread():
            t.join(max(0.0, end - time.monotonic()))
    # Exit handlers a call registered run as at a program's end; a timer
    # ends the process after EXIT_S whatever they do (an alarm would only
    # interrupt the first), and nothing else left behind holds the phase.
    stop = threading.Timer(EXIT_S, os._exit, (0,))
    stop.daemon = True
    stop.start()
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    os._exit(0)


main()
