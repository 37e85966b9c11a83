"""Write git-derived version info into egg-info metadata."""
__version__ = "1.5.0"
