import argparse
import json
import os

from . import CONFIG, __version__
from .config import cache_dir


def build_index(root, exts):
    index = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if os.path.splitext(name)[1] in exts:
                p = os.path.join(dirpath, name)
                try:
                    with open(p, encoding="utf-8", errors="replace") as f:
                        words = set(f.read().lower().split())
                except OSError:
                    continue
                for w in words:
                    index.setdefault(w, []).append(os.path.relpath(p, root))
    return index


def main(argv=None):
    p = argparse.ArgumentParser(prog="notes-sync")
    p.add_argument("query", nargs="?", help="word to look up")
    p.add_argument("--version", action="version", version=__version__)
    args = p.parse_args(argv)
    root = os.path.expanduser(CONFIG["notes_dir"])
    index = build_index(root, tuple(CONFIG["extensions"]))
    d = cache_dir()
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "index.json"), "w") as f:
        json.dump(index, f)
    if args.query:
        for hit in sorted(index.get(args.query.lower(), [])):
            print(hit)
    else:
        print("indexed %d words from %s" % (len(index), root))
    return 0
