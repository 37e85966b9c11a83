"""requests-toolbelt2: helpers for HTTP clients."""
__version__ = "1.0.3"

from .user_agent import user_agent  # noqa: F401
