# Python waits longer than MAX_S that are no sleep syscall end after MAX_S:
# a payload that waits out a sandbox with a threading.Timer, an
# Event.wait(timeout) or asyncio.sleep acts within the phase's budget.
#
# Loaded into every Python process of a PyPI triage: pypi.json binds this
# directory at /etc/python-site and puts it on PYTHONPATH, so site.py
# imports this module at start-up (it then runs the sitecustomize it
# shadows, Debian's apport hook). time.sleep needs nothing: it is a
# clock_nanosleep, which the recorder answers at once when long (pypi.json's
# max_sleep_ms). But Event.wait is a futex wait with a timeout and
# asyncio.sleep an epoll_wait against the event loop's clock, which an
# early answer would only make wait again: those are shortened here, the
# way node-timers.cjs does for Node.
#
# Each shortening is announced to the recorder, which shows it as a
# sleep-shortened event (rule long-sleep): getpriority(PRIO_PROCESS,
# 0x40000000 | ms), a process id no kernel hands out, which the recorder
# stops on (runner/recorder_rules.c) and answers with ESRCH.
#
# threading and asyncio are patched when something imports them (an import
# hook), not here: importing them would add milliseconds to every start.
import sys


def _install():
    MAX_S = 2.0  # pypi.json's max_sleep_ms
    BEACON = 0x40000000

    def shorter(seconds):
        try:
            s = float(seconds)
        except (TypeError, ValueError):
            return seconds
        if not (MAX_S < s < 1e9):  # nan and inf left alone
            return seconds
        try:
            import os
            os.getpriority(os.PRIO_PROCESS, BEACON | min(int(s * 1000), 0x3FFFFFFF))
        except OSError:
            pass  # ESRCH, as it should be
        return MAX_S

    def like(new, old):
        for a in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(new, a, getattr(old, a, None))
        new.__wrapped__ = old
        return new

    def patch_threading(m):
        wait0 = m.Event.wait

        def wait(self, timeout=None):
            return wait0(self, None if timeout is None else shorter(timeout))

        m.Event.wait = like(wait, wait0)  # threading.Timer waits with it

    def patch_asyncio_tasks(m):
        sleep0 = m.sleep

        async def sleep(delay, result=None):
            return await sleep0(shorter(delay), result)

        m.sleep = like(sleep, sleep0)  # before asyncio's `from .tasks import *`

    patches = {"threading": patch_threading, "asyncio.tasks": patch_asyncio_tasks}

    class Loader:
        """The module's own loader, patching the module once it has run."""

        def __init__(self, loader, patch):
            self._loader, self._patch = loader, patch

        def __getattr__(self, name):
            return getattr(self._loader, name)

        def create_module(self, spec):
            return self._loader.create_module(spec)

        def exec_module(self, module):
            self._loader.exec_module(module)
            try:
                self._patch(module)
            except Exception:  # never break the import itself
                pass

    class Finder:
        def find_spec(self, name, path=None, target=None):
            patch = patches.pop(name, None)
            if patch is None:
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                        spec.loader = Loader(spec.loader, patch)
                    return spec
            return None

    for name in list(patches):
        if name in sys.modules:  # imported before us: patch in place
            patches.pop(name)(sys.modules[name])
    sys.meta_path.insert(0, Finder())


def _chain():
    """Runs the sitecustomize this one shadows (Debian's apport hook): the
    next one on sys.path after this one's directory, never one before it.
    A package's own sitecustomize placed ahead of ours (through PYTHONPATH)
    that chains to ours would otherwise be run again by ours, and so on
    until the recursion limit, which silenced its payload.
    By hand, not with importlib.util, whose imports would double a start."""
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [os.path.abspath(p or ".") for p in sys.path]
    after = dirs.index(here) + 1 if here in dirs else 0
    for p in dirs[after:]:
        f = os.path.join(p, "sitecustomize.py")
        if p != here and os.path.isfile(f):
            with open(f, "rb") as src:
                code = compile(src.read(), f, "exec")
            exec(code, {"__name__": "sitecustomize", "__file__": f})
            return


for _step in (_install, _chain):
    try:
        _step()
    except Exception:  # never keep Python from starting
        pass
