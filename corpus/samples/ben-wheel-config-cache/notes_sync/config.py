import os
import tomllib

DEFAULTS = {"notes_dir": "~/notes", "extensions": [".md", ".txt"]}


def config_path():
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "notes-sync", "config.toml")


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "notes-sync")


def load_config():
    cfg = dict(DEFAULTS)
    try:
        with open(config_path(), "rb") as f:
            cfg.update(tomllib.load(f))
    except (OSError, tomllib.TOMLDecodeError):
        pass
    return cfg
