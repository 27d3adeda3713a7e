"""tosscan — find the clauses of a terms-of-service agreement that take rights over what users post."""

__version__ = "0.1.0"
