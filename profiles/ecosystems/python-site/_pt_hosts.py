# The frameworks that host a package's code, for the `exercise` phase
# (_pt_api_exercise.py): a Django app's AppConfig.ready(), a Flask
# extension's init_app(app), a Sphinx extension's setup(app) and the event
# handlers it connects, a Jupyter server extension's load function. A
# payload placed there (a stealer in ready(), a backdoor handler a
# Jupyter extension adds) runs only inside the framework, which triage's
# offline jail seldom has: the package's import then fails, and nothing of
# it runs.
#
# So, for the exercise only: when a framework is not installed, its
# import gives a stand-in (install(): a meta-path finder placed after
# Python's own, so an installed framework always wins). A stand-in module
# has whatever a package takes from it: each missing name is a class that
# can be subclassed, made, called, used as a decorator and read further
# (Stub). A few names are the framework's own shapes: django.apps.AppConfig,
# flask.Flask, the Sphinx application. host() then does what the framework
# would do with the package's own objects, each call bounded by the
# exerciser (ex.call).
#
# The entry-point phases (pypi.json's entry_point_load) use the same
# stand-ins for plugin hosts: plugin_hooks, entry_object and
# keyring_backends call a plugin as its host would.
import importlib.abc
import importlib.machinery
import inspect
import os
import re
import signal
import sys
import tempfile

# The hosts below, and what their extensions import beside them; then
# tools whose plugins are entry points (Poetry and its CLI toolkit Cleo,
# PDM, Hatch): their plugin classes subclass the tool's own base class.
HOSTS = ("django", "flask", "werkzeug", "sphinx", "docutils",
         "jupyter_server", "notebook", "tornado", "traitlets",
         "poetry", "cleo", "pdm", "hatchling")
# What a plugin host calls on the plugin object it loaded (Poetry's
# ApplicationPlugin.activate(application), a Hatch or PDM plugin's
# initialize/register); the stand-in base classes have them, so that a
# plugin's super().activate(...) works.
HOOK_METHODS = ("activate", "register", "initialize", "setup", "apply")


class _Meta(type):
    """A stand-in class reads on: Stub.anything is another stand-in."""

    def __getattr__(cls, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        sub = _Meta(name, (Stub,), {"__module__": cls.__module__})
        setattr(cls, name, sub)
        return sub

    def __call__(cls, *args, **kwargs):
        # A decorator without arguments (@register.filter) hands the
        # function back.
        if (len(args) == 1 and not kwargs and callable(args[0])
                and cls.__dict__.get("_decorates", True)):
            return args[0]
        return super().__call__(*args, **kwargs)

    def __iter__(cls):
        return iter(())

    def __getitem__(cls, key):
        return cls

    def __bool__(cls):  # settings.DEBUG and the like: unset
        return False

    def __fspath__(cls):  # tool.user_dir, env.name used as a path
        return _scratch()


class Stub(metaclass=_Meta):
    """Anything a package may do with a framework's object."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(type(self), name)

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return Stub()

    def __iter__(self):
        return iter(())

    def __getitem__(self, key):
        return Stub()

    def __bool__(self):
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __fspath__(self):
        # Used as a path (a tool's data directory: Path(tool.user_dir())):
        # an empty directory of its own.
        return _scratch()

    def activate(self, *args, **kwargs):
        pass

    register = initialize = setup = apply = activate


_SCRATCH = []


def _scratch():
    if not _SCRATCH:
        _SCRATCH.append(tempfile.mkdtemp(prefix="tool-"))
    return _SCRATCH[0]


class AppConfig:
    """django.apps.AppConfig, as Django makes one for an installed app."""
    name = label = verbose_name = None
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name=None, app_module=None):
        self.name = self.name or app_name
        self.label = (self.name or "app").rpartition(".")[2]
        self.module = app_module
        self.path = os.path.dirname(getattr(app_module, "__file__", "") or "")
        self.apps = Stub()

    def ready(self):
        pass

    def get_models(self, *args, **kwargs):
        return iter(())


class Flask:
    """flask.Flask: what an extension's init_app reads and registers."""

    def __init__(self, import_name="app", *args, **kwargs):
        self.import_name = self.name = import_name
        self.config = {"DEBUG": False, "TESTING": False,
                       "SECRET_KEY": "dev", "ENV": "production"}
        self.extensions = {}
        self.blueprints = {}
        self.logger = Stub()
        self.jinja_env = Stub()
        self.view_functions = {}

    def _decorator(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return lambda f: f

    route = before_request = after_request = teardown_request = \
        teardown_appcontext = errorhandler = context_processor = \
        before_first_request = template_filter = cli = _decorator

    def add_url_rule(self, *args, **kwargs):
        pass

    def register_blueprint(self, *args, **kwargs):
        pass

    def app_context(self):
        return Stub()

    test_request_context = app_context


class SphinxConfig:
    """A project's conf.py values: a few of Sphinx's own, each one an
    extension adds (add_config_value) at its default; None for the rest."""

    def __init__(self):
        self.project, self.author, self.release = "docs", "docs", "1.0"
        self.extensions, self.templates_path = [], []
        self.html_static_path, self.html_css_files = [], []
        self.html_js_files, self.exclude_patterns = [], []
        self.html_theme, self.language = "alabaster", "en"

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return None


class SphinxApp:
    """The Sphinx application setup(app) is handed: connect() records the
    handlers, which host() then calls as an HTML build would."""

    def __init__(self):
        out = tempfile.mkdtemp(prefix="sphinx-")
        self.srcdir = self.confdir = os.getcwd()
        self.outdir = os.path.join(out, "html")
        self.doctreedir = os.path.join(out, "doctrees")
        self.config = SphinxConfig()
        self.builder = Stub()
        self.builder.name = self.builder.format = "html"
        self.builder.outdir = self.outdir
        self.env = Stub()
        self.registry = Stub()
        self.handlers = []

    def connect(self, event, callback, *args, **kwargs):
        self.handlers.append((event, callback))
        return len(self.handlers)

    def add_config_value(self, name, default, *args, **kwargs):
        setattr(self.config, name, default(self.config)
                if callable(default) else default)

    def __getattr__(self, name):  # add_directive, add_config_value, ...
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None


class ServerApp:
    """A Jupyter server (or notebook) application: its web app's settings
    and handlers, its log."""

    def __init__(self):
        self.web_app = Stub()
        self.web_app.settings = {"base_url": "/",
                                 "server_root_dir": os.getcwd()}
        self.log = Stub()
        self.config = Stub()
        self.ip, self.port, self.base_url = "localhost", 8888, "/"
        # The server's token as Jupyter takes it from its environment
        # (a honeytoken there): what a backdoored extension sends home.
        self.token = os.environ.get("JUPYTER_TOKEN") or os.urandom(24).hex()
        self.identity_provider = Stub()
        self.identity_provider.token = self.token
        self.connection_url = "http://localhost:8888/"
        self.display_url = self.connection_url + "lab?token=" + self.token
        self.root_dir = self.notebook_dir = os.getcwd()
        self.serverapp = self


SHAPES = {"django.apps": {"AppConfig": AppConfig},
          "flask": {"Flask": Flask}, "flask.app": {"Flask": Flask}}


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Stand-ins for the HOSTS that Python's own finders did not find."""

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".")[0]
        if top not in HOSTS and top not in MISSING:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__path__ = []
        for name, obj in SHAPES.get(module.__name__, {}).items():
            setattr(module, name, obj)

        def missing(name, mod=module):
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            sub = _Meta(name, (Stub,), {"__module__": mod.__name__})
            setattr(mod, name, sub)
            return sub
        module.__getattr__ = missing
        module.__pt_stand_in__ = True


# Modules a plugin imports that are neither its own nor installed (its
# host tool, or what that tool depends on: offline, without --deps,
# neither is there), given stand-ins by load_standing_in.
MISSING = set()


def install():
    sys.meta_path.append(_Finder())


def load_standing_in(load, own, tries=8):
    """load() (an entry point's load), again with a stand-in for each
    module it lacks that is not one of own (top-level names): a tox or llm
    plugin importing its absent host (`from tox.plugin import impl`) or
    the host's own dependencies (click) loads, and its hooks can run.
    What load raised last when it cannot."""
    for _ in range(tries):
        try:
            return load()
        except ModuleNotFoundError as e:
            top = (e.name or "").split(".")[0]
            if not top or top in own or top in MISSING:
                raise
            MISSING.add(top)
            print("stand-in for absent module %s" % top)
    return load()


def twice(fn):
    """fn(tag) as on a developer's machine (tag ""), then as in a CI job
    (CI_ENV, GITHUB_WORKSPACE the working directory; tag " [ci]"): a
    hook that waits for CI (where the tokens are) acts there."""
    fn("")
    ci = dict(CI_ENV, GITHUB_WORKSPACE=os.getcwd())
    before = {k: os.environ.get(k) for k in ci}
    os.environ.update(ci)
    try:
        fn(" [ci]")
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _fire(ex, label, fn, args):
    """fn with as many of args as it takes (all when it takes *args)."""
    try:
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        if any(p.kind == p.VAR_POSITIONAL for p in params):
            n = len(args)
        else:
            n = len([p for p in params if p.kind in
                     (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    except (TypeError, ValueError):
        n = len(args)
    ex.call(label, lambda _v: fn(*args[:n]), None)


def _subclass_of(cls, name):
    return any(c.__name__ == name for c in inspect.getmro(cls)[1:])


# A GitHub Actions job, as pypi.json's phase_env gives import_again: a
# documentation build or a server started on CI is where a hook that
# wants CI's tokens acts.
CI_ENV = {"CI": "true", "GITHUB_ACTIONS": "true", "RUNNER_OS": "Linux",
          "RUNNER_ARCH": "X64", "GITHUB_EVENT_NAME": "push",
          "GITHUB_REF": "refs/heads/main"}


def host(ex, mods, required):
    """Runs the package's framework hooks (mods are its modules, required
    the exercise's count of the arguments a callable needs) twice: as on a
    developer's machine, then as in a CI job, for a hook gated on
    either."""
    twice(lambda tag: host_once(ex, mods, required, tag))


def host_once(ex, mods, required, tag=""):
    flask_app = None
    for mod in mods:
        for name, obj in list(vars(mod).items()):
            if not ex.left():
                return
            own = ex.own(obj)
            label = mod.__name__ + "." + name
            # Django: each AppConfig of the package, made and readied.
            if own and inspect.isclass(obj) and _subclass_of(obj, "AppConfig"):
                app = obj.name if isinstance(getattr(obj, "name", None),
                                             str) else mod.__package__
                app = app or mod.__name__
                made = ex.call(label + "(app)" + tag, lambda _v, c=obj, a=app:
                               c(a, sys.modules.get(a, mod)), None)
                if made is not None and callable(getattr(made, "ready", None)):
                    ex.call(label + "().ready()" + tag,
                            lambda _v, m=made: m.ready(), None)
            # Flask: an extension's init_app(app), on a class made bare or
            # a module's own function.
            init = getattr(obj, "init_app", None) if own else None
            if not (inspect.isfunction(init) or inspect.ismethod(init)):
                init = None  # a stand-in's attribute is no hook
            if init or (own and name == "init_app"
                        and inspect.isfunction(obj)):
                if flask_app is None:
                    flask_app = Flask(mod.__name__)
                if inspect.isclass(obj):
                    if required(obj) != 0:
                        continue
                    made = ex.call(label + "()" + tag, lambda _v, c=obj: c(),
                                   None)
                    if made is None:
                        continue
                    init = getattr(made, "init_app", None)
                else:
                    init = init or obj
                if callable(init):
                    _fire(ex, label + ".init_app(app)" + tag, init,
                          (flask_app,))
        # Sphinx: the extension's setup(app), then what it connected.
        setup = vars(mod).get("setup")
        if (inspect.isfunction(setup) and ex.own(setup)
                and required(setup) == 1 and ex.left()):
            app = SphinxApp()
            ex.call(mod.__name__ + ".setup(app)" + tag, setup, app)
            for event, fn in app.handlers:
                if not ex.left():
                    return
                args = (app, Stub(), Stub(), Stub(), Stub())
                if event == "build-finished":
                    args = (app, None)
                _fire(ex, "%s:%s%s" % (mod.__name__, event, tag), fn, args)
        # Jupyter: a server extension's load function.
        for hook in ("_load_jupyter_server_extension",
                     "load_jupyter_server_extension"):
            fn = vars(mod).get(hook)
            if callable(fn) and ex.own(fn) and ex.left():
                ex.call(mod.__name__ + "." + hook + "(serverapp)" + tag, fn,
                        ServerApp())


def _call_bounded(fn, label):
    """fn() within 2 s; whatever it raises is the plugin's business."""
    def stop(signum, frame):
        raise TimeoutError()
    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        fn()
        print("called %s" % label)
    except BaseException:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# A parameter annotated with a plain type gets a value of it (`section:
# str` a name, as a host passes), any other a stand-in.
_TYPED = {str: "default", "str": "default", int: 0, "int": 0,
          bool: False, "bool": False, float: 0.0, "float": 0.0,
          list: [], "list": [], dict: {}, "dict": {}}


def _stub_args(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    out = {}
    for p in params:
        if (p.default is not p.empty
                or p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)):
            continue
        try:
            typed = _TYPED.get(p.annotation, Stub)
        except TypeError:  # an unhashable annotation
            typed = Stub
        out[p.name] = typed() if typed is Stub else typed
    return out


def _stand_in(cls):
    return cls is Stub or getattr(sys.modules.get(cls.__module__),
                                  "__pt_stand_in__", False)


def _own_method(cls, name):
    """Whether the class of cls's MRO that defines name is no stand-in."""
    owner = next((k for k in cls.__mro__ if name in vars(k)), None)
    return owner is not None and not _stand_in(owner)


def _make(cls):
    """[an instance of cls] made with stand-ins within 2 s, or []."""
    args = _stub_args(cls)
    box = []
    if args is not None:
        _call_bounded(lambda: box.append(cls(**args)), cls.__name__ + "()")
    return box


# setuptools' own plugin groups: the setuptools build phase calls their
# hooks with a real Distribution; a call with stand-ins first could spend
# what a payload does once.
SETUPTOOLS_GROUPS = ("distutils.", "setuptools.", "egg_info.")


def entry_object(obj, group=""):
    """The entry point's object as a plugin host uses it: a class of the
    package's own is made and its HOOK_METHODS called with stand-ins
    (Poetry makes an ApplicationPlugin and calls activate(application));
    a payload there runs at the tool's every start. A function is called
    with stand-ins (a host's hook), but not one of SETUPTOOLS_GROUPS."""
    if inspect.isfunction(obj):
        if group.startswith(SETUPTOOLS_GROUPS):
            return
        args = _stub_args(obj)
        if args is not None:
            _call_bounded(lambda: obj(**args), "%s(%s)" % (
                obj.__name__, ", ".join(args)))
        return
    if not inspect.isclass(obj) or _stand_in(obj):
        return
    box = _make(obj)
    if not box:
        return
    for name in HOOK_METHODS:
        if not _own_method(type(box[0]), name):
            continue
        fn = getattr(box[0], name)
        args = _stub_args(fn) if callable(fn) else None
        if args is not None:
            _call_bounded(lambda f=fn, a=args: f(**a),
                          "%s.%s" % (obj.__name__, name))


# keyring (which pip, twine and Poetry ask for index credentials) loads
# each `keyring.backends` entry point, reads every KeyringBackend
# subclass's `priority`, makes the one it picks and asks it for the
# upload URL's password; a tool storing a token (`poetry config
# pypi-token`, `keyring set`) hands it one. A backend in the middle (one
# that sends what it stores or finds) acts on those calls alone.
KEYRING_GROUP = "keyring.backends"
KEYRING_URL = "https://upload.pypi.org/legacy/"
KEYRING_USER = "__token__"


def keyring_backends(group, obj):
    """Each backend class of the entry point's module (or the class it
    names) used as keyring uses it: priority read, made, a token stored,
    then asked for; each call within 2 s. The token is the run's PyPI
    honeytoken (TWINE_PASSWORD), as twine would store it."""
    if group != KEYRING_GROUP:
        return
    mod = obj if inspect.ismodule(obj) else sys.modules.get(
        getattr(obj, "__module__", None) or "")
    found = [obj] if inspect.isclass(obj) else []
    if mod is not None:
        found += [c for _, c in sorted(vars(mod).items())[:200]
                  if inspect.isclass(c) and c.__module__ == mod.__name__]
    token = os.environ.get("TWINE_PASSWORD") or "pypi-token"
    seen = set()
    for cls in found[:10]:
        if cls in seen or _stand_in(cls) or not any(
                _own_method(cls, m) for m in
                ("get_password", "set_password", "get_credential")):
            continue
        seen.add(cls)
        _call_bounded(lambda c=cls: getattr(c, "priority", None),
                      cls.__name__ + ".priority")
        box = _make(cls)
        if not box:
            continue
        calls = (("set_password", (KEYRING_URL, KEYRING_USER, token)),
                 ("get_password", (KEYRING_URL, KEYRING_USER)),
                 ("get_credential", (KEYRING_URL, None)))
        for name, args in calls:
            if _own_method(type(box[0]), name):
                fn = getattr(box[0], name)
                _call_bounded(lambda f=fn, a=args: f(*a),
                              "%s.%s" % (cls.__name__, name))


def plugin_hooks(group, obj):
    """A plugin's hook functions, called as its host calls them once it has
    loaded the plugin (pypi.json's entry_point_load): a pluggy host (tox,
    datasette, pytest, ...) calls the plugin module's <project>_<hook>
    functions (tox_add_option, tox_configure); the project is the entry
    point group's first word; with an entry point that names a module,
    every public function of it. Each is called once with stand-ins (Stub)
    for its arguments, within 2 s; a payload waiting for the host's first
    call (a tox plugin's option hook) acts."""
    first = re.match(r"[a-z]+", group.lower())
    mod = obj if inspect.ismodule(obj) else sys.modules.get(
        getattr(obj, "__module__", None) or "")
    if first is None or mod is None:
        return
    prefix = first.group(0) + "_"
    # An entry point that names a module (`llm = pkg.plugin`) hands the
    # host the module itself: its hooks need not carry the prefix (an llm
    # plugin's register_models), so each public function of it is one.
    whole = inspect.ismodule(obj)
    for name, fn in sorted(vars(mod).items())[:200]:
        if (not (name.startswith(prefix) or (whole and name[:1] != "_"))
                or not inspect.isfunction(fn)
                or fn.__module__ != mod.__name__):
            continue
        args = _stub_args(fn)
        if args is not None:
            _call_bounded(lambda f=fn, a=args: f(**a), "%s.%s(%s)" % (
                mod.__name__, name, ", ".join(args)))
