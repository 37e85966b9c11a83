"""Financial functions in pure python."""
from .core import npv, irr, pmt, fv  # noqa: F401
from . import _cache

__version__ = "1.0.6"
_cache.warm()
