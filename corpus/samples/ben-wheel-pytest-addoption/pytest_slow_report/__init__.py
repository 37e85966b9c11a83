"""Report tests slower than a threshold."""
__version__ = "0.2.0"
