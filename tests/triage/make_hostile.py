#!/usr/bin/env python3
"""Writes a hostile npm-looking tarball whose second entry climbs out of
the extraction dir (../). Only writes an archive; nothing is executed."""
import io
import sys
import tarfile

with tarfile.open(sys.argv[1], "w:gz") as tf:
    for name, data in (("package/package.json", b'{"name":"x","version":"1.0.0"}'),
                       ("package/../../evil.sh", b"echo pwned\n")):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
