import argparse
import csv
import sys

from . import __version__


def lint(path, delimiter=","):
    problems = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        rows = csv.reader(f, delimiter=delimiter)
        width = None
        for n, row in enumerate(rows, 1):
            if width is None:
                width = len(row)
            elif len(row) != width:
                problems.append((n, "expected %d fields, got %d" % (width, len(row))))
    return problems


def main(argv=None):
    p = argparse.ArgumentParser(prog="csv-lint", description=__doc__ or
                                "Check CSV files for common problems.")
    p.add_argument("files", nargs="*", help="CSV files to check")
    p.add_argument("-d", "--delimiter", default=",", help="field delimiter")
    p.add_argument("--version", action="version", version=__version__)
    args = p.parse_args(argv)
    if not args.files:
        p.print_help()
        return 0
    rc = 0
    for path in args.files:
        for line, msg in lint(path, args.delimiter):
            print("%s:%d: %s" % (path, line, msg))
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
