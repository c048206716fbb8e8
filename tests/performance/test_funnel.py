"""Funnel limits worked by hand, and the suppression rule."""

from __future__ import annotations

import math

import pytest

from diogel.indicators.registry import Kind
from diogel.performance.funnel import Position, curves, limits, position
from diogel.performance.suppression import is_small


def test_limits_by_hand() -> None:
    # p = 20%, n = 100: sqrt(0.2 × 0.8 / 100) = 0.04
    lo, hi = limits(20.0, 100, 1.96)
    assert lo == pytest.approx(20 - 7.84) and hi == pytest.approx(20 + 7.84)
    lo, hi = limits(20.0, 100, 3.09)
    assert lo == pytest.approx(20 - 12.36) and hi == pytest.approx(20 + 12.36)


def test_limits_are_clipped_to_0_and_100() -> None:
    # p = 2%, n = 4: 1.96 × sqrt(0.02 × 0.98 / 4) = 13.72 points
    lo, hi = limits(2.0, 4, 1.96)
    assert lo == 0.0 and hi == pytest.approx(2 + 100 * 1.96 * math.sqrt(0.02 * 0.98 / 4))
    assert limits(99.0, 4, 3.09)[1] == 100.0


def test_positions() -> None:
    assert position(25.0, 20.0, 100) is Position.WITHIN
    assert position(30.0, 20.0, 100) is Position.HIGH_95  # above 27.84, below 32.36
    assert position(33.0, 20.0, 100) is Position.HIGH_998
    assert position(10.0, 20.0, 100) is Position.LOW_95
    assert position(5.0, 20.0, 100) is Position.LOW_998
    assert position(40.0, 20.0, 10) is Position.WITHIN  # the same distance is noise for a small authority


def test_curves_narrow_as_n_grows() -> None:
    c = curves(20.0, 10, 1000)
    assert c[0].n == pytest.approx(10) and c[-1].n == pytest.approx(1000)
    assert c[0].hi95 - c[0].lo95 > c[-1].hi95 - c[-1].lo95


@pytest.mark.parametrize(
    ("kind", "n", "d", "small"),
    [
        (Kind.RATE, 0, 10, False),
        (Kind.RATE, 1, 10, True),
        (Kind.RATE, 4, 100, True),
        (Kind.RATE, 5, 100, False),
        (Kind.RATE, 5, 4, True),
        (Kind.RATE, 0, 0, False),
        (Kind.COUNT, 3, None, True),
        (Kind.COUNT, 0, None, False),
        (Kind.AVERAGE, 2.5, 10, False),  # a sum of days: only the number averaged counts
        (Kind.AVERAGE, 50, 3, True),
        (Kind.RATE_10K, 2, 14000, True),
    ],
)
def test_suppression_rule(kind: Kind, n: float, d: float | None, small: bool) -> None:
    assert is_small(kind, n, d) is small
