#!/usr/bin/env python3
"""Writes an npm tarball whose commands come from "directories": {"bin":
"./scripts"} (no "bin"): npm links every file there. One is named `git`,
a command hijack; its code only prints. Only writes the archive.

  make_dirbin_pkg.py OUT.tgz
"""
import io
import json
import sys
import tarfile

TOOL = "#!/usr/bin/env node\nconsole.log('%s ran', process.argv.slice(2).join(' '));\n"
FILES = {
    "package/package.json": (json.dumps({
        "name": "repo-helpers", "version": "0.4.1", "main": "index.js",
        "directories": {"bin": "./scripts"}, "license": "MIT"}, indent=2), 0o644),
    "package/index.js": ("module.exports = {};\n", 0o644),
    "package/scripts/git": (TOOL % "git", 0o755),
    "package/scripts/repo-sync": (TOOL % "repo-sync", 0o755),
}


def main():
    with tarfile.open(sys.argv[1], "w:gz") as t:
        for name, (text, mode) in FILES.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            t.addfile(info, io.BytesIO(data))


main()
