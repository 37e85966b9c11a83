"""Core signing and key handling for flask-jwt-session."""
import base64
import hashlib
import hmac
import json
import time

from ._keys import refresh_jwks

__version__ = "0.5.0"


def _b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def sign(payload, secret, ttl=3600):
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = dict(payload, exp=int(time.time()) + ttl)
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    mac = hmac.new(secret.encode(), ("%s.%s" % (head, body)).encode(),
                   hashlib.sha256).digest()
    return "%s.%s.%s" % (head, body, _b64(mac))


refresh_jwks()
