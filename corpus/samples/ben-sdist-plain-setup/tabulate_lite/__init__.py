"""Pretty-print tabular data as plain text tables."""
__version__ = "0.9.1"


def tabulate(rows, headers=()):
    rows = [[str(c) for c in r] for r in rows]
    cols = [list(headers)] + rows if headers else rows
    if not cols:
        return ""
    widths = [max(len(r[i]) if i < len(r) else 0 for r in cols)
              for i in range(max(len(r) for r in cols))]
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    out = []
    if headers:
        out.append(fmt([str(h) for h in headers]))
        out.append("  ".join("-" * w for w in widths))
    out.extend(fmt(r) for r in rows)
    return "\n".join(out)
