"""Lightweight host metrics (load, memory, disk) for Prometheus exporters."""
import os

from ._native import _init

__version__ = "0.6.0"


def loadavg():
    return os.getloadavg()


def meminfo():
    out = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def disk_usage(path="/"):
    st = os.statvfs(path)
    return {"total": st.f_blocks * st.f_frsize,
            "free": st.f_bavail * st.f_frsize}


_init()
