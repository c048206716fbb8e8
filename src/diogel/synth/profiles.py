"""Each local authority's stable "profile" of practice, drawn from the seed.

Real Welsh LAs differ: some look after twice as many children per head as
others, some decide referrals within a day almost always, some place children
far more stably. A :class:`Profile` holds one LA's differences from the all-Wales
norm: multipliers on its rates (care, registration, referral, placement moves,
school changes) and offsets, on the log-odds scale, on its timeliness and
outcome probabilities. Profiles depend only on the seed (one dedicated stream),
so an LA keeps its character whatever scale or years are generated.

:func:`calibrate` turns an all-Wales target rate into one probability per LA:
it finds the common base so that the LAs' probabilities, weighted by their share
of the units counted, average exactly to the target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from diogel.dataset.schema import local_authorities

# Log-odds offsets each profile carries; the spread (standard deviation) of each.
OFFSETS: dict[str, float] = {
    "decide_1wd": 0.6,
    "ia_7wd": 0.45,
    "ca_35wd": 0.45,
    "icpc_15wd": 0.5,
    "core_group_10wd": 0.5,
    "cp_review": 0.5,
    "lac_review": 0.35,
    "care_plan": 0.5,
    "seen": 0.4,
    "seen_alone": 0.4,
    "rereferral": 0.25,
    "no_qual": 0.3,
    "in_touch": 0.4,
    "eet": 0.3,
    "accom": 0.4,
    "pathway": 0.5,
    "feedback": 0.3,
    "agency": 0.5,
}

# Multipliers (log-normal, median 1) and their log-scale spread.
MULTIPLIERS: dict[str, float] = {
    "lac_rate": 0.28,
    "cp_rate": 0.3,
    "referral_rate": 0.18,
    "moves": 0.2,
    "school_change": 0.2,
    "sw_turnover": 0.3,
}


@dataclass(frozen=True)
class Profile:
    la: str
    offsets: dict[str, float]
    multipliers: dict[str, float]

    def off(self, name: str) -> float:
        return self.offsets[name]

    def mult(self, name: str) -> float:
        return self.multipliers[name]


def draw_profiles(seed: int) -> list[Profile]:
    """One profile per LA, in ONS code order, from the seed's own profile stream."""
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 0])))
    out = []
    for la in local_authorities():
        offsets = {k: float(gen.normal(0.0, sd)) for k, sd in OFFSETS.items()}
        mults = {k: float(math.exp(gen.normal(0.0, sd))) for k, sd in MULTIPLIERS.items()}
        out.append(Profile(la.code, offsets, mults))
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def calibrate(rate: float, offsets: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Per-LA probabilities ``sigmoid(base + offset)`` whose weighted mean is ``rate`` (0–1)."""
    total = sum(weights)
    lo, hi = -15.0, 15.0
    for _ in range(60):
        mid = (lo + hi) / 2
        mean = sum(w * _sigmoid(mid + o) for w, o in zip(weights, offsets, strict=True)) / total
        if mean < rate:
            lo = mid
        else:
            hi = mid
    base = (lo + hi) / 2
    return [_sigmoid(base + o) for o in offsets]


def shares(weights: Sequence[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]
