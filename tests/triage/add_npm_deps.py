#!/usr/bin/env python3
"""Copies an npm tarball, adding dependencies to its package.json, as a
payload does to look like an ordinary library. Only rewrites the archive:
nothing of the package is run.

  add_npm_deps.py IN.tgz OUT.tgz NAME=RANGE...
"""
import io
import json
import sys
import tarfile


def main():
    src, dst, deps = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read() if m.isfile() else None
            if m.name == "package/package.json":
                pj = json.loads(data)
                pj.setdefault("dependencies", {}).update(
                    dict(d.split("=", 1) for d in deps))
                data = json.dumps(pj, indent=2).encode()
                m.size = len(data)
            tout.addfile(m, io.BytesIO(data) if data is not None else None)


main()
