"""Publish a minimal npm package version to a registry over the npm publish
protocol (PUT /<name> with the tarball as an attachment), no npm CLI:
  npmpub.py REGISTRY NAME VERSION OUTDIR   -> prints the tarball path
The tarball holds package/package.json only (no scripts: nothing runs)."""
import base64, hashlib, io, json, os, sys, tarfile, urllib.request, urllib.parse

reg, name, ver, out = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4]
pj = json.dumps({"name": name, "version": ver, "description": "pkgtrap test"}).encode()
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz") as t:
    ti = tarfile.TarInfo("package/package.json"); ti.size = len(pj); ti.mtime = 0
    t.addfile(ti, io.BytesIO(pj))
data = buf.getvalue()
base = name.split("/")[-1]
fn = f"{base}-{ver}.tgz"
os.makedirs(out, exist_ok=True)
path = os.path.join(out, fn); open(path, "wb").write(data)
doc = {"_id": name, "name": name, "description": "pkgtrap test",
       "dist-tags": {"latest": ver},
       "versions": {ver: {"name": name, "version": ver, "description": "pkgtrap test",
                          "dist": {"tarball": f"{reg}/{name}/-/{fn}",
                                   "shasum": hashlib.sha1(data).hexdigest(),
                                   "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()}}},
       "_attachments": {fn: {"content_type": "application/octet-stream",
                             "data": base64.b64encode(data).decode(), "length": len(data)}}}
req = urllib.request.Request(f"{reg}/{urllib.parse.quote(name, safe='@')}", data=json.dumps(doc).encode(),
                             method="PUT", headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=30) as r:
    assert r.status in (200, 201), r.status
print(path)
