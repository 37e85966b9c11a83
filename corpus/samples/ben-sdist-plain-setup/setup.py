from setuptools import setup

setup(
    name="tabulate-lite",
    version="0.9.1",
    description="Pretty-print tabular data as plain text tables",
    author="Sergey Astanin",
    author_email="s.astanin@tables.test",
    url="https://github.com/tabulate-lite/tabulate-lite",
    license="MIT",
    packages=["tabulate_lite"],
    python_requires=">=3.7",
    classifiers=[
        "License :: OSI Approved :: MIT License",
        "Programming Language :: Python :: 3",
    ],
)
