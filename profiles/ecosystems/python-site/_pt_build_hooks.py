# Triage's `build hooks` phase for an sdist whose pyproject.toml names a
# build backend (pypi.json's build_hooks; runner/phases_py.c). Two parts:
#
# 1. The PEP 517 hooks pip calls only with build isolation, which the
#    offline install skips (get_requires_for_build_sdist / _wheel /
#    _editable), and build_sdist (`python -m build` calls it, pip never),
#    on the backend the sdist names, with its backend-path.
# 2. When that backend is not on the offline host (hatchling, pdm-backend,
#    poetry-core seldom are, and --deps may not bring them), the build
#    never happens, and neither does the code a backend runs from the
#    project itself. So the backend's own conventions are played here,
#    with stand-ins for what that code imports of the backend
#    (_pt_hosts.py's finder):
#    - Hatchling: the custom build hook ([tool.hatch.build.hooks.custom]
#      and the wheel and sdist targets' own, path default hatch_build.py):
#      its BuildHookInterface subclass made as Hatchling makes it, then
#      initialize(version, build_data) and finalize(...) called; the
#      custom metadata hook ([tool.hatch.metadata.hooks.custom]): its
#      MetadataHookInterface subclass's update(metadata);
#    - pdm-backend: pdm_build.py at the root (or [tool.pdm.build]
#      custom-hook), whose pdm_build_* functions get a build context;
#    - poetry-core: the build script ([tool.poetry.build] script, or the
#      old `build = "build.py"`), run as poetry-core runs it, then its
#      build(setup_kwargs) when it has one.
#    A payload there (a stealer in a Hatch build hook) runs at every build
#    from source: `pip install` of the sdist, `python -m build`.
#
#   python _pt_build_hooks.py SDIST
#
# The sdist is unpacked into a fresh temporary directory with tarfile's
# data filter (no member leaves it). Each hook call is bounded (CALL_S).
import importlib
import importlib.util
import inspect
import os
import runpy
import signal
import sys
import tarfile
import tempfile
import tomllib

CALL_S = 10.0
# Where a backend's absence means its conventions are played instead.
BACKENDS = {"hatchling": "hatch", "pdm": "pdm", "poetry": "poetry"}


def unpack(art):
    work = tempfile.mkdtemp(prefix="pip-req-build-")
    with tarfile.open(art) as tf:
        if hasattr(tarfile, "data_filter"):
            tf.extractall(work, filter="data")
        else:
            tf.extractall(work)
    top = [os.path.join(work, n) for n in os.listdir(work)]
    return top[0] if len(top) == 1 and os.path.isdir(top[0]) else work


def bounded(label, fn, *args):
    """fn(*args) within CALL_S; what it raises is the hook's business, but
    said. Returns what it returned, or None."""
    def stop(signum, frame):
        raise TimeoutError("%s: over %.0f s" % (label, CALL_S))
    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, CALL_S)
    try:
        out = fn(*args)
        print("called", label)
        return out
    except BaseException as e:
        print(label, "failed:", repr(e)[:200])
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def pep517(backend):
    bad = 0
    for hook in ("get_requires_for_build_sdist",
                 "get_requires_for_build_wheel",
                 "get_requires_for_build_editable", "build_sdist"):
        fn = getattr(backend, hook, None)
        if fn is None:
            continue
        try:
            print(hook, fn(tempfile.mkdtemp(), {}) if hook == "build_sdist"
                  else fn({}))
        except BaseException as e:
            print(hook, "failed:", repr(e)[:200])
            bad = 1
    return bad


def load_file(path, name):
    """The project's hook file as a module of its own (as the backends
    load it: by path, not from sys.path)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def own_subclasses(mod, base_name):
    return [c for c in vars(mod).values()
            if inspect.isclass(c) and c.__module__ == mod.__name__
            and any(b.__name__ == base_name for b in inspect.getmro(c)[1:])]


class _App:
    """Hatchling's app as a hook sees it: its display methods."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None

    verbosity = 0


class BuildHookInterface:
    """hatchling.builders.hooks.plugin.interface.BuildHookInterface: made
    with what Hatchling passes, with its properties."""
    PLUGIN_NAME = "custom"

    def __init__(self, root, config, build_config, metadata, directory,
                 target_name, app=None):
        self.root, self.config = root, config
        self.build_config, self.metadata = build_config, metadata
        self.directory, self.target_name = directory, target_name
        self.app = app or _App()

    def clean(self, versions):
        pass

    def initialize(self, version, build_data):
        pass

    def finalize(self, version, build_data, artifact_path):
        pass

    def dependencies(self):
        return []


class MetadataHookInterface:
    """hatchling.metadata.plugin.interface.MetadataHookInterface."""
    PLUGIN_NAME = "custom"

    def __init__(self, root, config):
        self.root, self.config = root, config

    def update(self, metadata):
        pass

    def get_known_classifiers(self):
        return []


class _Metadata:
    """The project's metadata as a Hatchling hook reads it
    (self.metadata.version, .name, .core, .config)."""

    def __init__(self, project):
        meta = project.get("project", {})
        self.name = meta.get("name", "")
        self.version = meta.get("version", "0")
        self.config = project
        self.core = self
        self.dependencies = meta.get("dependencies", [])


class _Stub:
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return None


def build_data():
    return {"artifacts": [], "force_include": {}, "force_include_editable":
            {}, "build_hooks": ("custom",), "infer_tag": False,
            "pure_python": True, "dependencies": [], "extra_metadata": {},
            "shared_data": {}, "shared_scripts": {}, "tag": ""}


def hatch(src, project):
    hatch_cfg = project.get("tool", {}).get("hatch", {})
    build = hatch_cfg.get("build", {})
    hooks = [("wheel", build.get("hooks", {}).get("custom"))]
    for target in ("wheel", "sdist"):
        t = build.get("targets", {}).get(target, {})
        hooks.append((target, t.get("hooks", {}).get("custom")))
    meta_hook = hatch_cfg.get("metadata", {}).get("hooks", {}).get("custom")
    loaded = {}  # path -> module: each file loaded once
    out = tempfile.mkdtemp(prefix="dist-")

    def load(cfg):
        path = os.path.join(src, cfg.get("path") or "hatch_build.py")
        if path not in loaded and os.path.isfile(path):
            loaded[path] = bounded("load " + os.path.basename(path),
                                   load_file, path,
                                   "hatch_build_%d" % len(loaded))
        return loaded.get(path)

    called = set()
    for target, cfg in hooks:
        mod = load(cfg) if isinstance(cfg, dict) else None
        for cls in own_subclasses(mod, "BuildHookInterface") if mod else ():
            if cls in called:
                continue
            called.add(cls)
            hook = bounded("%s(...)" % cls.__name__, cls, src, cfg, {},
                           _Metadata(project), out, target)
            if hook is None:
                continue
            data = build_data()
            bounded("%s.initialize" % cls.__name__, hook.initialize,
                    "standard", data)
            bounded("%s.finalize" % cls.__name__, hook.finalize, "standard",
                    data, os.path.join(out, "pkg-0-py3-none-any.whl"))
    mod = load(meta_hook) if isinstance(meta_hook, dict) else None
    for cls in own_subclasses(mod, "MetadataHookInterface") if mod else ():
        hook = bounded("%s(...)" % cls.__name__, cls, src, meta_hook)
        if hook is not None:
            bounded("%s.update" % cls.__name__, hook.update,
                    dict(project.get("project", {})))


class PdmContext:
    """pdm.backend.hooks.Context, as a hook function reads it."""

    def __init__(self, src, project):
        self.root = src
        self.target = "wheel"
        self.build_dir = tempfile.mkdtemp(prefix="pdm-build-")
        self.dist_dir = tempfile.mkdtemp(prefix="dist-")
        self.kwargs = {}
        self.config_settings = {}
        self.config = _Stub()
        self.config.data = project
        self.builder = _Stub()

    def ensure_build_dir(self):
        return self.build_dir

    def expand_paths(self, path):
        return [path]


def pdm(src, project):
    custom = project.get("tool", {}).get("pdm", {}).get("build", {}).get(
        "custom-hook")
    path = os.path.join(src, custom or "pdm_build.py")
    if not os.path.isfile(path):
        return
    mod = bounded("load " + os.path.basename(path), load_file, path,
                  "pdm_build")
    if mod is None:
        return
    ctx = PdmContext(src, project)
    enabled = getattr(mod, "pdm_build_hook_enabled", None)
    if callable(enabled) and bounded("pdm_build_hook_enabled", enabled,
                                     ctx) is False:
        return
    for name, args in (("pdm_build_initialize", (ctx,)),
                       ("pdm_build_update_setup_kwargs", (ctx, {})),
                       ("pdm_build_update_files", (ctx, {})),
                       ("pdm_build_finalize",
                        (ctx, os.path.join(ctx.dist_dir, "pkg.whl")))):
        fn = getattr(mod, name, None)
        if callable(fn):
            bounded(name, fn, *args)


def poetry(src, project):
    build = project.get("tool", {}).get("poetry", {}).get("build")
    script = build.get("script") if isinstance(build, dict) else build
    if not isinstance(script, str):
        return
    path = os.path.join(src, script)
    if not os.path.isfile(path):
        return
    # poetry-core runs the script as a program; the older generated
    # setup.py imported it and called build(setup_kwargs).
    ns = bounded("run " + script, runpy.run_path, path, None, "__main__")
    fn = (ns or {}).get("build")
    if callable(fn):
        bounded("build(setup_kwargs)", fn, {})


def main():
    src = unpack(sys.argv[1])
    with open(os.path.join(src, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)
    bs = project.get("build-system", {})
    os.chdir(src)
    sys.path[:0] = [os.path.join(src, p) for p in bs.get("backend-path", [])]
    mod, _, attr = bs.get("build-backend",
                          "setuptools.build_meta:__legacy__").partition(":")
    try:
        backend = importlib.import_module(mod)
    except ImportError as e:
        play = BACKENDS.get(mod.split(".")[0])
        if play is None:
            raise
        print("backend %s absent (%s): its hooks played with stand-ins"
              % (mod, e))
        import _pt_hosts
        _pt_hosts.SHAPES.update({
            "hatchling.builders.hooks.plugin.interface":
                {"BuildHookInterface": BuildHookInterface},
            "hatchling.metadata.plugin.interface":
                {"MetadataHookInterface": MetadataHookInterface}})
        _pt_hosts.install()
        globals()[play](src, project)
        return 0
    for a in filter(None, attr.split(".")):
        backend = getattr(backend, a)
    return pep517(backend)


if __name__ == "__main__":
    sys.exit(main())
