"""Minimal subset of six used by old plugins."""
import sys

PY2 = False
PY3 = sys.version_info[0] == 3
string_types = (str,)
integer_types = (int,)
text_type = str
binary_type = bytes


def iteritems(d, **kw):
    return iter(d.items(**kw))


def ensure_str(s, encoding="utf-8", errors="strict"):
    if isinstance(s, bytes):
        return s.decode(encoding, errors)
    return s
