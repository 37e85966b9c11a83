import argparse
import sys

from . import __version__, toc


def main(argv=None):
    p = argparse.ArgumentParser(prog="mdtoc",
                                description="Print a table of contents for a Markdown file.")
    p.add_argument("file", nargs="?", help="Markdown file (default: stdin)")
    p.add_argument("--max-level", type=int, default=3)
    p.add_argument("--version", action="version", version=__version__)
    args = p.parse_args(argv)
    if args.file is None and sys.stdin.isatty():
        p.print_help()
        return 0
    text = open(args.file, encoding="utf-8").read() if args.file else sys.stdin.read()
    print(toc(text, args.max_level))
    return 0


if __name__ == "__main__":
    sys.exit(main())
