"""sopdoc: Standar Operasional Prosedur as data."""

__version__ = "0.1.0"
