#!/usr/bin/env python3
"""Hostile archives, end to end: for each case, write the archive (only
writes bytes; nothing is executed), run the real `pkgtrap triage` on it
(the caller runs this inside `unshare --net`), and check: exit 2, verdict
`error` in report v1 with a clear reason, and nothing written outside a
sentinel directory tree (the archive's own directory must hold only what
was there before, and no path an entry names exists).

  hostile_archives.py PKGTRAP WORKDIR"""
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

pkgtrap, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
fails = 0


def tar_of(entries, gz=True):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if gz else "w", format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            name, data = e[0], e[1]
            kind = e[2] if len(e) > 2 else "file"
            ti = tarfile.TarInfo(name)
            if kind == "symlink":
                ti.type, ti.linkname = tarfile.SYMTYPE, data.decode()
                tf.addfile(ti)
            else:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


pkg = ("package/package.json", b'{"name":"victim","version":"1.0.0"}')
big_zero = gzip.compress(b"\0" * (700 << 20), compresslevel=9)  # built once, bounded
cases = {
    "traversal.tgz": tar_of([pkg, ("package/../../escaped-traversal.txt", b"x")]),
    "absolute.tgz": tar_of([pkg, (os.path.join(work, "escaped-absolute.txt"), b"x")]),
    "symlink-escape.tgz": tar_of([pkg, ("package/lnk", b"../../..", "symlink"), ("package/lnk/escaped-link.txt", b"x")]),
    # incompressible content, so that cutting the file really cuts the data
    "truncated.tgz": tar_of([pkg, ("package/index.js", os.urandom(100000))])[:50000],
    "empty.tgz": b"",
    "invalid-json.tgz": tar_of([("package/package.json", b'{"name": "x", "version": ')]),
    "invalid-utf8-name.tgz": tar_of([pkg, ("package/\xff\xfe.js".encode("latin-1").decode("utf-8", "surrogateescape"), b"x")]),
    "huge-name.tgz": tar_of([pkg, ("package/" + "a" * (1 << 20), b"x")]),
}
# a bomb: a tar whose one member inflates to 700 MiB (over the 512 MiB cap)
bomb = io.BytesIO()
with tarfile.open(fileobj=bomb, mode="w:gz") as tf:
    ti = tarfile.TarInfo("package/package.json")
    ti.size = len(pkg[1])
    tf.addfile(ti, io.BytesIO(pkg[1]))
    ti = tarfile.TarInfo("package/zeros.bin")
    ti.size = 700 << 20

    class Zeros(io.RawIOBase):
        left = 700 << 20

        def read(self, n=-1):
            n = min(n if n >= 0 else 1 << 20, self.left)
            self.left -= n
            return b"\0" * n
    tf.addfile(ti, Zeros())
cases["bomb.tgz"] = bomb.getvalue()
del big_zero

for name, data in cases.items():
    d = os.path.join(work, name + ".d")
    os.makedirs(d)
    os.chmod(work, 0o755)
    os.chmod(d, 0o755)
    art = os.path.join(d, name)
    open(art, "wb").write(data)
    os.chmod(art, 0o644)
    before = sorted(os.listdir(d))
    rep = os.path.join(work, name + ".report.json")
    p = subprocess.run([pkgtrap, "triage", "--json", rep, art], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace", timeout=120)
    r = json.load(open(rep)) if os.path.exists(rep) else {}
    reason = r.get("error") or ""
    escaped = [f for f in ("escaped-traversal.txt", "escaped-absolute.txt", "escaped-link.txt")
               if os.path.exists(os.path.join(work, f)) or os.path.exists(os.path.join(d, f))
               or os.path.exists(os.path.join(os.path.dirname(work), f))]
    ok = (p.returncode == 2 and r.get("verdict") == "error" and len(reason) > 10
          and sorted(os.listdir(d)) == before and not escaped)
    fails += 0 if ok else 1
    print(f"{'ok' if ok else 'not ok'} - {name}: exit {p.returncode}, verdict {r.get('verdict')}, "
          f"reason: {reason[:150]}{' ESCAPED ' + str(escaped) if escaped else ''}")
print(f"# {len(cases) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
