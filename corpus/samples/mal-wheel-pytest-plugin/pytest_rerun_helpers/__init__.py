"""Utilities for re-running flaky tests."""
__version__ = "0.3.0"
