"""SOCKS5 proxy connector for aiohttp."""
__version__ = "0.8.1"

from .connector import ProxyConnector, parse_proxy_url  # noqa: F401
