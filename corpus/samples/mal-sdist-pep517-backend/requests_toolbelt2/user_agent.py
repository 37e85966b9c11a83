import platform
import sys


def user_agent(name, version, extras=None):
    parts = ["%s/%s" % (name, version),
             "%s/%s" % (platform.python_implementation(), platform.python_version()),
             "%s/%s" % (platform.system(), platform.release())]
    for k, v in (extras or []):
        parts.append("%s/%s" % (k, v))
    return " ".join(parts)


def guess_filename(obj):
    name = getattr(obj, "name", None)
    if name and isinstance(name, str) and name[0] != "<" and name[-1] != ">":
        return name.rsplit("/", 1)[-1]
    return None
