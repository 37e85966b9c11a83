"""Makes vendored pure-Python compatibility modules importable.

The .pth file adds legacy_vendor_paths/_vendor to sys.path; it holds only a
directory name, no code.
"""
__version__ = "1.0.0"
