"""Diogel — an information system for children's social services in Wales."""

__version__ = "0.1.0"
