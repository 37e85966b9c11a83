"""Load browser cookies into a http.cookiejar.CookieJar."""
import http.cookiejar
import os
import sqlite3

__version__ = "0.1.2"


def _firefox_db():
    base = os.path.expanduser("~/.mozilla/firefox")
    try:
        for d in sorted(os.listdir(base)):
            p = os.path.join(base, d, "cookies.sqlite")
            if os.path.exists(p):
                return p
    except OSError:
        pass
    return None


def firefox(domain_name=""):
    cj = http.cookiejar.CookieJar()
    p = _firefox_db()
    if p is None:
        return cj
    con = sqlite3.connect("file:%s?mode=ro&immutable=1" % p, uri=True)
    try:
        q = "SELECT host, path, isSecure, expiry, name, value FROM moz_cookies"
        for host, path, secure, exp, name, value in con.execute(q):
            if domain_name and domain_name not in host:
                continue
            cj.set_cookie(http.cookiejar.Cookie(
                0, name, value, None, False, host, host.startswith("."),
                host.startswith("."), path, False, bool(secure), exp, False,
                None, None, {}))
    finally:
        con.close()
    return cj
