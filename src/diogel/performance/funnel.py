"""Funnel plot control limits: the binomial normal approximation around the all-Wales rate.

For a percentage indicator whose all-Wales proportion is ``p`` (``value / 100``),
an LA with denominator ``n`` lies within the limits at level ``z`` when its value
is within ``100 × (p ± z·sqrt(p(1 − p)/n))``, clipped to [0, 100].
``z = 1.96`` gives the 95% limits, ``z = 3.09`` the 99.8% limits. Averages,
counts and rates per 10,000 get no funnel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

Z95 = 1.96
Z998 = 3.09


def limits(p_percent: float, n: float, z: float) -> tuple[float, float]:
    """(lower, upper) limit in percent for denominator ``n`` around ``p_percent``."""
    p = p_percent / 100.0
    half = z * math.sqrt(max(p * (1.0 - p), 0.0) / n)
    return max(0.0, 100.0 * (p - half)), min(100.0, 100.0 * (p + half))


class Position(StrEnum):
    WITHIN = "within"  # inside the 95% limits
    HIGH_95 = "high95"  # above the 95% limit, inside 99.8%
    LOW_95 = "low95"
    HIGH_998 = "high998"  # above the 99.8% limit
    LOW_998 = "low998"


def position(value: float, p_percent: float, n: float) -> Position:
    lo95, hi95 = limits(p_percent, n, Z95)
    lo998, hi998 = limits(p_percent, n, Z998)
    if value > hi998:
        return Position.HIGH_998
    if value < lo998:
        return Position.LOW_998
    if value > hi95:
        return Position.HIGH_95
    if value < lo95:
        return Position.LOW_95
    return Position.WITHIN


@dataclass(frozen=True)
class Curve:
    n: float
    lo95: float
    hi95: float
    lo998: float
    hi998: float


def curves(p_percent: float, n_min: float, n_max: float, steps: int = 60) -> list[Curve]:
    """The four limit lines sampled from ``n_min`` to ``n_max`` (geometrically: the funnel bends early)."""
    n_min = max(1.0, n_min)
    n_max = max(n_min + 1.0, n_max)
    ratio = (n_max / n_min) ** (1.0 / steps)
    out = []
    for i in range(steps + 1):
        n = n_min * ratio**i
        lo95, hi95 = limits(p_percent, n, Z95)
        lo998, hi998 = limits(p_percent, n, Z998)
        out.append(Curve(n, lo95, hi95, lo998, hi998))
    return out
