"""Parse .env files into dictionaries (no side effects on os.environ)."""
import re

__version__ = "0.5.2"

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")


def parse(text):
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        k, v = m.groups()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
            v = v[1:-1]
        out[k] = v
    return out


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read())
