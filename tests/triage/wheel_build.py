"""Wheels for the test builders that write them (make_py_pkg.py,
make_shadow_wheel.py, make_backend_sdist.py). Imported from the builder's
own directory. Only writes archives: nothing of them runs here."""
import base64
import hashlib
import zipfile


def record_line(name, data):
    """A RECORD line for one file (PEP 376/427: urlsafe base64 of its
    sha256, unpadded, and its size)."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "%s,sha256=%s,%d" % (name, digest.decode(), len(data))


def write_wheel(path, dist, version, modules, entry_points=None):
    """A pure-Python wheel at path: modules ({name: text}), METADATA (Name
    is dist with '_' as '-'), WHEEL, top_level.txt (the modules' top
    names), entry_points.txt if given (its text) and the RECORD of them
    all."""
    di = "%s-%s.dist-info" % (dist, version)
    files = {n: d.encode() for n, d in modules.items()}
    files[di + "/METADATA"] = ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
                               % (dist.replace("_", "-"), version)).encode()
    files[di + "/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: pkgtrap-tests\n"
                            b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    tops = sorted({n.split("/")[0].removesuffix(".py") for n in modules})
    files[di + "/top_level.txt"] = ("\n".join(tops) + "\n").encode()
    if entry_points is not None:
        files[di + "/entry_points.txt"] = entry_points.encode()
    record = [record_line(n, d) for n, d in files.items()] + [di + "/RECORD,,"]
    files[di + "/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            z.writestr(n, d)
