#!/usr/bin/env python3
"""Encode a plaintext stage (corpus/payload-src/...) into the blob a sample
carries: zlib, xor with KEY, base64, wrapped at 76 columns.

This only transforms bytes; it never imports or runs the stage.

    python3 corpus/tools/encode_blob.py KEY < stage.py
"""
import base64
import sys
import zlib


def main():
    key = sys.argv[1].encode()
    raw = zlib.compress(sys.stdin.buffer.read(), 9)
    x = bytes(b ^ key[i % len(key)] for i, b in enumerate(raw))
    s = base64.b64encode(x).decode()
    for i in range(0, len(s), 76):
        print('    "%s"' % s[i:i + 76])


if __name__ == "__main__":
    main()
