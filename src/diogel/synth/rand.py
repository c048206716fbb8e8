"""A fast, deterministic source of random numbers for per-child simulation.

numpy's ``Generator(PCG64)`` is the only source of randomness. Drawing one
scalar at a time from numpy is slow, so :class:`Stream` draws blocks of
uniforms and normals and hands them out one by one as Python floats. The
sequence depends only on the seed it was built from.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

import numpy as np

_BLOCK = 65536


class Stream:
    """Uniforms, normals and the usual derived draws from one PCG64 stream."""

    def __init__(self, seed: np.random.SeedSequence) -> None:
        self.gen = np.random.Generator(np.random.PCG64(seed))
        self._u: list[float] = []
        self._n: list[float] = []

    def u(self) -> float:
        """A uniform on [0, 1)."""
        if not self._u:
            self._u = self.gen.random(_BLOCK).tolist()
        return self._u.pop()

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        if not self._n:
            self._n = self.gen.standard_normal(_BLOCK).tolist()
        return mean + sd * self._n.pop()

    def chance(self, p: float) -> bool:
        return self.u() < p

    def integer(self, lo: int, hi: int) -> int:
        """A uniform integer with ``lo <= x <= hi``."""
        return lo + int(self.u() * (hi - lo + 1))

    def expo(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.normal(0.0, sigma))

    def poisson(self, lam: float) -> int:
        """A Poisson count (Knuth for small means, normal approximation above 30)."""
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.normal(lam, math.sqrt(lam))))
        limit, k, p = math.exp(-lam), 0, self.u()
        while p > limit:
            k += 1
            p *= self.u()
        return k

    def pick(self, items: Sequence[str], cum: Sequence[float]) -> str:
        """One of ``items`` with cumulative weights ``cum`` (see :func:`cumulative`)."""
        return items[bisect_right(cum, self.u() * cum[-1])]


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


class Choice:
    """A fixed categorical distribution: ``Choice({"A": 3, "B": 1}).draw(stream)``."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.items = list(weights)
        self.cum = cumulative(list(weights.values()))

    def draw(self, s: Stream) -> str:
        return s.pick(self.items, self.cum)
