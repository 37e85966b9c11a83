#!/usr/bin/env python3
"""Writes an npm package and, in OUTDIR/deps, its dependencies at several
versions, so that only the version each range allows works: the package
requires `hashlike` ^1.2.0 (and, aliased as `hl1`, npm:hashlike@~1.3.0),
and `mid`, which requires hashlike ^2.0.0. deps holds hashlike 1.1.0 (in
a file named hashlike-1.3.2.tgz: the version is the package.json's),
1.3.2, 1.4.0-beta.1, 2.4.0 and 2.5.0-rc.1; each exports its version and
the package and mid throw unless they get 1.3.2 and 2.4.0, so the import
only succeeds when each dependent got the highest version its range
allows (prereleases left out), the second nested below mid. hashlike
2.4.0 has a postinstall (it prints), which runs where npm nested it. The
package also wants oldthing ^5.0.0, which deps only has at 1.0.0. mid
has two optional dependencies: mid-native (in deps, with a postinstall
that prints) and mid-darwin-arm64 (absent: npm skips it).
Only writes archives: nothing of them runs here.

  make_npm_depver.py OUTDIR

Prints the package's path.
"""
import io
import json
import os
import sys
import tarfile


def pkg(path, meta, index):
    files = {"package/package.json": json.dumps(
                 dict({"main": "index.js", "license": "MIT"}, **meta),
                 indent=2),
             "package/index.js": index}
    with tarfile.open(path, "w:gz") as t:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            t.addfile(info, io.BytesIO(data))


def hashlike(version, scripts=None):
    meta = {"name": "hashlike", "version": version}
    if scripts:
        meta["scripts"] = scripts
    return meta, "module.exports = { version: %s };\n" % json.dumps(version)


def main():
    out = sys.argv[1]
    deps = os.path.join(out, "deps")
    os.makedirs(deps, exist_ok=True)
    for f in os.listdir(deps):
        os.unlink(os.path.join(deps, f))
    for fname, (meta, index) in {
            "hashlike-1.3.2.tgz": hashlike("1.1.0"),
            "hashlike-b.tgz": hashlike("1.3.2"),
            "hashlike-1.4.0-beta.1.tgz": hashlike("1.4.0-beta.1"),
            "hashlike-2.4.0.tgz": hashlike("2.4.0", {
                "postinstall": "node -e \"console.log('hashlike 2')\""}),
            "hashlike-2.5.0-rc.1.tgz": hashlike("2.5.0-rc.1"),
    }.items():
        pkg(os.path.join(deps, fname), meta, index)
    pkg(os.path.join(deps, "mid-1.0.0.tgz"),
        {"name": "mid", "version": "1.0.0",
         "dependencies": {"hashlike": "^2.0.0"},
         "optionalDependencies": {"mid-native": "^1.0.0",
                                  "mid-darwin-arm64": "^1.0.0"}},
        "const v = require('hashlike').version;\n"
        "if (v !== '2.4.0') throw new Error('mid got hashlike ' + v);\n"
        "module.exports = { v };\n")
    pkg(os.path.join(deps, "mid-native-1.0.0.tgz"),
        {"name": "mid-native", "version": "1.0.0", "scripts": {
            "postinstall": "node -e \"console.log('mid-native')\""}},
        "module.exports = null;\n")
    pkg(os.path.join(deps, "oldthing-1.0.0.tgz"),
        {"name": "oldthing", "version": "1.0.0"}, "module.exports = 1;\n")
    art = os.path.join(out, "depver-consumer-1.0.0.tgz")
    pkg(art, {"name": "depver-consumer", "version": "1.0.0",
              "dependencies": {"hashlike": "^1.2.0", "mid": "^1.0.0",
                               "hl1": "npm:hashlike@~1.3.0",
                               "oldthing": "^5.0.0"}},
        "for (const n of ['hashlike', 'hl1']) {\n"
        "  const v = require(n).version;\n"
        "  if (v !== '1.3.2') throw new Error(n + ' is hashlike ' + v);\n"
        "}\n"
        "module.exports = { mid: require('mid') };\n")
    print(art)


main()
