# Triage's last resort for an sdist pip could not build (pypi.json's
# install_source; runner/phases_py.c): its build backend (hatchling,
# flit_core, poetry-core, pdm-backend) is not on the offline host and
# --deps did not bring it, so no wheel was made and, before this, none of
# the package's code ran: a malicious sdist with a modern backend got an
# error, not a verdict.
#
# What its wheel would install is put in the venv without building: the
# top-level packages (directories with an __init__.py, under src/ when
# the sdist has that layout) and modules of the sdist, copied into
# site-packages; a .dist-info with its PKG-INFO as METADATA, top_level.txt,
# RECORD, and entry_points.txt from pyproject.toml's [project.scripts],
# [project.gui-scripts] and [project.entry-points.*]; a launcher in the
# venv's bin for each script. The later phases (import, exercise, the
# entry points) then run as after an install. Build-time code (setup.py,
# hooks) is not run here: the install and build_hooks phases tried that.
#
#   python _pt_source_install.py SDIST
#
# Members are read from the archive, never extracted by path: a name with
# "..", an absolute one, a link or a device is skipped.
import os
import re
import sys
import sysconfig
import tarfile
import tomllib
from email.parser import Parser

SKIP_DIRS = {"test", "tests", "testing", "doc", "docs", "example",
             "examples", "build", "dist", "benchmark", "benchmarks",
             "scripts", "tools", "ci"}
# Build-time code (the build hooks phase runs it) is no module a wheel
# installs: a Hatch or PDM hook file, besides the poetry build script the
# pyproject names (hook_files).
SKIP_MODULES = {"setup", "conftest", "noxfile", "fabfile", "tasks",
                "hatch_build", "pdm_build", "build_backend"}


def hook_files(project):
    """The files pyproject.toml names as build-time code."""
    tool = project.get("tool", {})
    names = set()
    build = tool.get("poetry", {}).get("build")
    script = build.get("script") if isinstance(build, dict) else build
    hatch = tool.get("hatch", {})
    hooks = [hatch.get("build", {}).get("hooks", {}).get("custom"),
             hatch.get("metadata", {}).get("hooks", {}).get("custom")]
    hooks += [t.get("hooks", {}).get("custom") for t in
              hatch.get("build", {}).get("targets", {}).values()
              if isinstance(t, dict)]
    paths = [script, tool.get("pdm", {}).get("build", {}).get("custom-hook")]
    paths += [h.get("path") for h in hooks if isinstance(h, dict)]
    for p in paths:
        if isinstance(p, str):
            names.add(p)
    return names


def safe(name):
    parts = name.split("/")
    return (not name.startswith("/") and ".." not in parts
            and all(p not in ("", ".") for p in parts[:-1]))


def main():
    art = sys.argv[1]
    purelib = sysconfig.get_paths()["purelib"]
    bindir = os.path.dirname(sys.executable)
    with tarfile.open(art) as tf:
        members = [m for m in tf.getmembers() if m.isfile() and safe(m.name)]
        roots = {m.name.split("/")[0] for m in members}
        if len(roots) != 1:
            sys.exit("not one top directory: %s" % sorted(roots)[:5])
        root = roots.pop() + "/"
        files = {m.name[len(root):]: m for m in members
                 if m.name.startswith(root)}

        def read(rel):
            f = tf.extractfile(files[rel])
            return f.read() if f else b""

        info = Parser().parsestr(read("PKG-INFO").decode("utf-8", "replace")
                                 if "PKG-INFO" in files else "")
        project = {}
        if "pyproject.toml" in files:
            try:
                project = tomllib.loads(read("pyproject.toml").decode())
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                project = {}
        meta = project.get("project", {})
        name = info.get("Name") or meta.get("name") or root[:-1]
        version = info.get("Version") or meta.get("version") or "0"
        base = "src/" if any(r.startswith("src/") and r.endswith(
            "/__init__.py") for r in files) else ""
        tops, installed = set(), []
        skip = hook_files(project)
        for rel in files:
            if not rel.startswith(base) or rel in skip:
                continue
            parts = rel[len(base):].split("/")
            top = parts[0]
            if len(parts) > 1:
                if (top in SKIP_DIRS or not top.isidentifier()
                        or base + top + "/__init__.py" not in files):
                    continue
            elif not (top.endswith(".py") and top[:-3].isidentifier()
                      and top[:-3] not in SKIP_MODULES):
                continue
            dst = os.path.join(purelib, rel[len(base):])
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as out:
                out.write(read(rel))
            tops.add(top[:-3] if len(parts) == 1 else top)
            installed.append(rel[len(base):])
        if not tops:
            sys.exit("no top-level package or module found in the sdist")

        dist = "%s-%s.dist-info" % (re.sub(r"[-_.]+", "_", name), version)
        di = os.path.join(purelib, dist)
        os.makedirs(di, exist_ok=True)

        def write(fn, text):
            with open(os.path.join(di, fn), "w") as out:
                out.write(text)
            installed.append(dist + "/" + fn)
        write("METADATA", read("PKG-INFO").decode("utf-8", "replace")
              if "PKG-INFO" in files
              else "Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
              % (name, version))
        write("INSTALLER", "pkgtrap-source\n")
        write("top_level.txt", "".join(t + "\n" for t in sorted(tops)))
        groups = {"console_scripts": meta.get("scripts", {}),
                  "gui_scripts": meta.get("gui-scripts", {})}
        groups.update(meta.get("entry-points", {}))
        eps = "".join("[%s]\n%s\n" % (g, "".join(
            "%s = %s\n" % (k, v) for k, v in sorted(e.items())))
            for g, e in sorted(groups.items()) if isinstance(e, dict) and e)
        if eps:
            write("entry_points.txt", eps)
        for group in ("console_scripts", "gui_scripts"):
            for script, target in groups[group].items():
                mod, _, attr = str(target).partition(":")
                if not re.fullmatch(r"[\w.-]+", script):
                    continue
                path = os.path.join(bindir, script)
                # The names as string literals: nothing of the sdist's
                # text becomes code of the launcher.
                with open(path, "w") as out:
                    out.write("#!%s\nimport importlib, sys\n"
                              "f = importlib.import_module(%r)\n"
                              "for a in %r:\n    f = getattr(f, a)\n"
                              "sys.exit(f())\n" % (
                                  sys.executable, mod.strip(),
                                  [a for a in attr.strip().split(".") if a]))
                os.chmod(path, 0o755)
        write("RECORD", "".join(p + ",,\n" for p in installed + [
            dist + "/RECORD"]))
    print("installed from source, unbuilt: %s %s (%s)" % (
        name, version, ", ".join(sorted(tops))))


main()
