#!/usr/bin/env python3
"""Writes an sdist whose pyproject.toml requires a build backend the host
does not have (pt-probe-backend, a thin wrapper of setuptools.build_meta)
and, in OUTDIR/deps, that backend's wheel. pip installs without build
isolation, so the sdist only builds if triage's `build requirements` phase
put the backend into the venv from --deps first. The package's module reads
~/.aws/credentials on import, which shows that it was installed and ran.
Only writes archives: nothing of them runs here.

  make_backend_sdist.py OUTDIR

Prints the sdist's path.
"""
import io
import os
import sys
import tarfile

from wheel_build import write_wheel

BACKEND = (
    "from setuptools import build_meta as _b\n"
    "get_requires_for_build_wheel = _b.get_requires_for_build_wheel\n"
    "get_requires_for_build_sdist = _b.get_requires_for_build_sdist\n"
    "prepare_metadata_for_build_wheel = _b.prepare_metadata_for_build_wheel\n"
    "build_wheel = _b.build_wheel\n"
    "build_sdist = _b.build_sdist\n")

MODULE = (
    "import os\n"
    "try:\n"
    "    open(os.path.expanduser('~/.aws/credentials')).read()\n"
    "except OSError:\n"
    "    pass\n")


def write_backend_wheel(deps):
    write_wheel(os.path.join(deps, "pt_probe_backend-1.0-py3-none-any.whl"),
                "pt_probe_backend", "1.0", {"pt_probe_backend.py": BACKEND})


def main():
    out = sys.argv[1]
    deps = os.path.join(out, "deps")
    os.makedirs(deps, exist_ok=True)
    write_backend_wheel(deps)
    root = "needs_backend-0.1/"
    files = {
        "pyproject.toml": b'[build-system]\nrequires = ["pt-probe-backend>=1.0"]\n'
                          b'build-backend = "pt_probe_backend"\n',
        "setup.py": b"from setuptools import setup\n"
                    b"setup(name='needs-backend', version='0.1', py_modules=['needs_backend'])\n",
        "needs_backend.py": MODULE.encode(),
        "PKG-INFO": b"Metadata-Version: 2.1\nName: needs-backend\nVersion: 0.1\n",
    }
    path = os.path.join(out, "needs_backend-0.1.tar.gz")
    with tarfile.open(path, "w:gz") as tf:
        for n, d in files.items():
            ti = tarfile.TarInfo(root + n)
            ti.size = len(d)
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(d))
    print(path)


if __name__ == "__main__":
    main()
