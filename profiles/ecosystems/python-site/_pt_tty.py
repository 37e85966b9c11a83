# A terminal for the first import (pypi.json's import harness calls
# attach() before it imports anything), as in a developer's shell:
# stdout and stderr become pseudo-terminals, whose output a forked relay
# copies to the harness's own stdout and stderr (line ends as written);
# stdin is left as it is, so that a prompt does not wait for a user. A
# payload that acts only when a person is watching (isatty(): not in CI,
# not in a sandbox's pipes) acts here. The relay is a fork, not a new
# program: the phase's execs stay the package's own.
import atexit
import os
import select
import signal
import sys
import time


def _relay(masters):
    """masters: {master fd: the fd its output goes to}."""
    while masters:
        ready, _, _ = select.select(list(masters), [], [])
        for m in ready:
            try:
                data = os.read(m, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                data = b""
            if not data:
                del masters[m]
                continue
            data = data.replace(b"\r\n", b"\n")
            while data:
                try:
                    data = data[os.write(masters[m], data):]
                except OSError:
                    os._exit(0)
    os._exit(0)


def attach():
    try:
        ptys = [os.openpty(), os.openpty()]
    except OSError:
        return  # no terminal to be had: pipes, as before
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        for _, slave in ptys:
            os.close(slave)
        _relay({ptys[0][0]: 1, ptys[1][0]: 2})
    for fd, (master, slave) in zip((1, 2), ptys):
        os.close(master)
        os.dup2(slave, fd)
        os.close(slave)

    def done():
        # Last of the exit handlers (registered first): the package's own
        # have printed. A process the package left running may hold a
        # terminal still: its output after a second is not waited for.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
        try:
            for _ in range(100):
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
                time.sleep(0.01)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass  # the package's own code reaped it
    atexit.register(done)
