"""Turn arbitrary text into URL slugs."""
import re
import unicodedata

__version__ = "1.1.0"


def slugify(text, sep="-", max_length=0):
    t = unicodedata.normalize("NFKD", str(text))
    t = t.encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", sep, t).strip(sep)
    if max_length:
        t = t[:max_length].rstrip(sep)
    return t
