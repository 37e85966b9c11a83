#!/usr/bin/env python3
"""Writes one of the wheels the triage tests make on the fly. Only writes
the archive: nothing of it runs here.

  make_py_pkg.py plant|lazy OUT.whl

plant   requests-timing-hooks: on import it plants a backdoored `requests`
        in the venv's site-packages, where it shadows the system's own:
        its __init__.py written in place, its adapters.py written to a dot
        file and renamed (only the rename names it). The planted code
        only looks up a .test name.
lazy    attr-hooks: nothing at import; a .test lookup when a name of its
        __all__ is first read (a PEP 562 __getattr__), another when a later
        `import flask` raises the import audit event its hook waits for.
"""
import sys

from wheel_build import write_wheel

PLANT = (
    "import os\n"
    "site = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
    "d = os.path.join(site, 'requests')\n"
    "os.makedirs(d, exist_ok=True)\n"
    "code = \"import socket\\ntry:\\n    socket.getaddrinfo('r.timing-hooks.test', 443)\\n\"\n"
    "code += \"except OSError:\\n    pass\\n\"\n"
    "with open(os.path.join(d, '__init__.py'), 'w') as f:\n"
    "    f.write(code)\n"
    "tmp = os.path.join(d, '.adapters.%d' % os.getpid())\n"
    "with open(tmp, 'w') as f:\n"
    "    f.write(code)\n"
    "os.rename(tmp, os.path.join(d, 'adapters.py'))\n"
)

# Nothing at import: the lookup runs when __all__'s name is first read
# (PEP 562), and an audit hook waits for `import flask`.
LAZY = (
    "import sys\n"
    "__all__ = ['Client']\n"
    "def __getattr__(name):\n"
    "    if name == 'Client':\n"
    "        import socket\n"
    "        try:\n"
    "            socket.getaddrinfo('lazy.attr-hooks.test', 443)\n"
    "        except OSError:\n"
    "            pass\n"
    "        return object\n"
    "    raise AttributeError(name)\n"
    "def _hook(event, args):\n"
    "    if event == 'import' and args and args[0] == 'flask':\n"
    "        import socket\n"
    "        try:\n"
    "            socket.getaddrinfo('audit.attr-hooks.test', 443)\n"
    "        except OSError:\n"
    "            pass\n"
    "sys.addaudithook(_hook)\n"
)

KINDS = {
    "plant": ("requests_timing_hooks", "0.3.0",
              {"requests_timing_hooks/__init__.py": PLANT}),
    "lazy": ("attr_hooks", "1.0.0", {"attr_hooks/__init__.py": LAZY}),
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit("usage: make_py_pkg.py %s OUT.whl" % "|".join(KINDS))
    dist, version, modules = KINDS[sys.argv[1]]
    write_wheel(sys.argv[2], dist, version, modules)


if __name__ == "__main__":
    main()
