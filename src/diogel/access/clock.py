"""Today's date for the access layer: see :mod:`diogel.clock` (the one place it is decided)."""

from diogel.clock import today

__all__ = ["today"]
