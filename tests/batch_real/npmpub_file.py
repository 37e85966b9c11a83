"""Publish an existing npm tarball to a registry over the npm publish
protocol (PUT /<name> with the tarball as an attachment), no npm CLI; with
--version V, republish it as version V (package.json rewritten; only
metadata changes, nothing is executed).
  npmpub_file.py REGISTRY TARBALL [--version V]"""
import base64, hashlib, io, json, sys, tarfile, urllib.parse, urllib.request

reg, src = sys.argv[1].rstrip("/"), sys.argv[2]
newver = sys.argv[sys.argv.index("--version") + 1] if "--version" in sys.argv else None
data = open(src, "rb").read()
with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as t:
    members = [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
pj = next(json.loads(b) for m, b in members if m.name == "package/package.json")
if newver:
    pj["version"] = newver
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for m, b in members:
            if m.name == "package/package.json":
                b = json.dumps(pj, indent=2).encode()
                m.size = len(b)
            t.addfile(m, io.BytesIO(b) if b is not None else None)
    data = buf.getvalue()
name, ver = pj["name"], pj["version"]
fn = f"{name.split('/')[-1]}-{ver}.tgz"
meta = dict(pj)
meta["dist"] = {"tarball": f"{reg}/{name}/-/{fn}", "shasum": hashlib.sha1(data).hexdigest(),
                "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()}
doc = {"_id": name, "name": name, "dist-tags": {"latest": ver}, "versions": {ver: meta},
       "_attachments": {fn: {"content_type": "application/octet-stream",
                             "data": base64.b64encode(data).decode(), "length": len(data)}}}
req = urllib.request.Request(f"{reg}/{urllib.parse.quote(name, safe='@')}", data=json.dumps(doc).encode(),
                             method="PUT", headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=30) as r:
    assert r.status in (200, 201), r.status
print(name, ver)
