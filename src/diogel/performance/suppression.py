"""Small-number suppression for roles that see aggregates only.

The rule (documented in ``docs/performance.md``): a figure is suppressed when
its numerator or its denominator is between 1 and 4 (a count: the count is
1–4; an average: the number of units averaged is 1–4; a rate per 10,000: the
count is 1–4). Zero is shown: it discloses nothing about a child. A suppressed
figure shows none of numerator, denominator or value. No secondary
suppression is applied (see the docs).
"""

from __future__ import annotations

from diogel.indicators.registry import Kind

LOW, HIGH = 1, 4


def _small(x: float | None) -> bool:
    return x is not None and LOW <= x <= HIGH


def is_small(kind: Kind, numerator: float | None, denominator: float | None) -> bool:
    if kind is Kind.AVERAGE:
        return _small(denominator)
    if kind in (Kind.COUNT, Kind.RATE_10K):
        return _small(numerator)
    return _small(numerator) or _small(denominator)
