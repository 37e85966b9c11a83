#!/usr/bin/env python3
"""Writes a wheel that claims the name and version of a distribution the
host's python3 already has (default: `wheel`, which .ci/setup installs as
python3-wheel), so that pip, in a venv that sees the system site-packages,
takes it as installed. Its own module reads ~/.aws/credentials and looks up
a .test name on import. Only writes the archive: nothing of it runs here;
the host's version is read from the host's own metadata.

  make_shadow_wheel.py OUTDIR [DIST]

Prints the wheel's path. Run it with the python3 the jail uses (/usr/bin/python3):
its site-packages are what the venv sees.
"""
import importlib.metadata
import os
import sys

from wheel_build import write_wheel

MODULE = (
    "import os, socket\n"
    "try:\n"
    "    open(os.path.expanduser('~/.aws/credentials')).read()\n"
    "    socket.getaddrinfo('shadow-telemetry.test', 443)\n"
    "except OSError:\n"
    "    pass\n")


def main():
    out = sys.argv[1]
    dist = sys.argv[2] if len(sys.argv) > 2 else "wheel"
    version = importlib.metadata.version(dist)
    norm = dist.replace("-", "_")
    path = os.path.join(out, "%s-%s-py3-none-any.whl" % (norm, version))
    write_wheel(path, norm, version, {"%s_shadow_probe.py" % norm: MODULE})
    print(path)


if __name__ == "__main__":
    main()
