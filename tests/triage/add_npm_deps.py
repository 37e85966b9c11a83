#!/usr/bin/env python3
"""Copies an npm tarball, adding dependencies to its package.json, as a
payload does to look like an ordinary library. Only rewrites the archive:
nothing of the package is run.

  add_npm_deps.py IN.tgz OUT.tgz [peer:]NAME=SPEC...

peer: puts the name in peerDependencies (npm >= 7 installs those too).
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
                for d in deps:
                    name, spec = d.split("=", 1)
                    key = "dependencies"
                    if name.startswith("peer:"):
                        key, name = "peerDependencies", name[5:]
                    pj.setdefault(key, {})[name] = spec
                data = json.dumps(pj, indent=2).encode()
                m.size = len(data)
            tout.addfile(m, io.BytesIO(data) if data is not None else None)


main()
