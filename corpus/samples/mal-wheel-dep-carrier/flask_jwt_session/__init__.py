"""Stateless, JWT-backed sessions for Flask."""
from jwtsession_core import sign

__version__ = "0.5.0"


class JWTSessionInterface:
    """Drop-in replacement for Flask's SecureCookieSessionInterface."""

    cookie_name = "session"

    def __init__(self, secret, ttl=3600):
        self.secret = secret
        self.ttl = ttl

    def dumps(self, data):
        return sign(dict(data), self.secret, self.ttl)


def init_app(app, secret=None, ttl=3600):
    app.session_interface = JWTSessionInterface(
        secret or app.config.get("SECRET_KEY", ""), ttl)
    return app
