"""Helpers for AWS IAM Identity Center (SSO) profiles."""

__version__ = "1.3.1"

from .profiles import list_sso_profiles  # noqa: F401
