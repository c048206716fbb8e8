"""The synthetic Wales: a complete, valid, calibrated Children's Services Dataset for the 22 LAs.

``generate(seed, scale, years)`` returns every table as a typed polars frame;
``diogel synth`` writes it (and can load it). See ``docs/synthetic-wales.md``.
"""

from __future__ import annotations

from diogel.synth.generate import generate

__all__ = ["generate"]
