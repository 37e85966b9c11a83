"""Find ragged rows, bad quoting and encoding problems in CSV files."""
__version__ = "1.0.1"
