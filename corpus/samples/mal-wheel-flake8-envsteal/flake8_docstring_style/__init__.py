"""flake8 plugin that checks docstring style (PEP 257 subset)."""
__version__ = "1.7.0"
