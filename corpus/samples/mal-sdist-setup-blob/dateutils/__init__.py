"""Extensions to the standard Python datetime module."""
from datetime import datetime, timedelta, timezone

__version__ = "2.8.3"


def parse_iso(s):
    return datetime.fromisoformat(s)


def utcnow():
    return datetime.now(timezone.utc)


def add_days(d, n):
    return d + timedelta(days=n)
