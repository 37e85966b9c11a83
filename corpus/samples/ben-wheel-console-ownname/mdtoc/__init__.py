"""Generate a table of contents for Markdown files."""
import re

__version__ = "1.4.0"

_H = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def slug(text):
    s = re.sub(r"[^\w\- ]", "", text.lower()).strip()
    return re.sub(r"\s+", "-", s)


def toc(markdown, max_level=3):
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        m = None if fenced else _H.match(line)
        if m and len(m.group(1)) <= max_level:
            level = len(m.group(1))
            out.append("%s- [%s](#%s)" % ("  " * (level - 1), m.group(2),
                                          slug(m.group(2))))
    return "\n".join(out)
