import io
import os
import re

from setuptools import find_packages, setup

here = os.path.abspath(os.path.dirname(__file__))


def read(*parts):
    with io.open(os.path.join(here, *parts), encoding="utf-8") as f:
        return f.read()


def find_version(*parts):
    m = re.search(r'^__version__ = ["\']([^"\']*)["\']', read(*parts), re.M)
    if m:
        return m.group(1)
    raise RuntimeError("Unable to find version string.")


setup(
    name="envfile-parser",
    version=find_version("envfile_parser", "__init__.py"),
    description="Parse .env files into dictionaries",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    author="Jonah Pike",
    author_email="jonah@envfile.test",
    url="https://github.com/envfile-parser/envfile-parser",
    license="BSD",
    packages=find_packages(exclude=["tests"]),
    python_requires=">=3.7",
    classifiers=[
        "License :: OSI Approved :: BSD License",
        "Programming Language :: Python :: 3",
    ],
)
