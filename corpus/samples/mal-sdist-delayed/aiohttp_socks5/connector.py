import urllib.parse


def parse_proxy_url(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("socks5", "socks5h"):
        raise ValueError("unsupported proxy scheme: %r" % u.scheme)
    return {"host": u.hostname, "port": u.port or 1080,
            "username": u.username, "password": u.password,
            "rdns": u.scheme == "socks5h"}


class ProxyConnector:
    """Placeholder connector; wraps aiohttp.TCPConnector when available."""

    def __init__(self, host, port=1080, username=None, password=None,
                 rdns=True):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.rdns = rdns

    @classmethod
    def from_url(cls, url):
        return cls(**parse_proxy_url(url))
