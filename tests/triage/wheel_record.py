"""A wheel's RECORD line for one file (PEP 376/427: urlsafe base64 of its
sha256, unpadded, and its size), shared by the test builders that write
wheels. Imported from the builder's own directory."""
import base64
import hashlib


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "%s,sha256=%s,%d" % (name, digest.decode(), len(data))
