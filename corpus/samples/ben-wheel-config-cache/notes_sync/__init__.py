"""Index a folder of Markdown notes for fast search."""
from .config import load_config

__version__ = "0.7.0"

# Read once at import so every entry point sees the same settings.
CONFIG = load_config()
