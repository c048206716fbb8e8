"""Placement moves and school changes, planned so that the snapshot shares hit their targets.

``LAC_3PLUS_PLACEMENTS`` and ``LAC_SCHOOL_CHANGE`` count, among the children
looked after at a 31 March snapshot, those with 3 or more placements (a school
change) in the year. Drawn independently, move counts are heavy-tailed and the
all-Wales share drifts by a point between seeds. So, once the periods of care
are final (after the stock is held), the moves are planned in two passes per LA:

1. Every period is cut at the financial years it spans. A stretch of a year
   that does not reach the snapshot (the period ended during the year) gets
   moves from the child's own Poisson rate. A stretch that does reach it is a
   *unit*: the child is in the denominator that year. Its *base* is what is
   already fixed: 1 for the placement it starts in, 1 for an adoption placement
   within it, and the placements of earlier periods of the same child that year.
2. Per year, a unit is a forced "yes" when its base is already 3, a forced "no"
   when too few days are left to move; the others share the LA's target count
   (its calibrated share × its units), each in proportion to its own chance of
   3 or more under its Poisson rate, drawn through the run's shared quota
   (:meth:`~diogel.synth.state.LAState.quota`). A "yes" gets at least the moves
   it needs (a few get more); a "no" gets at most those it may have.

School changes (not the transitional one at 11) follow the same plan: free
stretches change school at a move or on entering care with a chance; each
unit is yes or no by quota, weighted by its chance of a change (more moves at
school age, more chance), and a yes is dated just after one of its moves or,
with none, on a day of the stretch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from diogel.synth.rand import Stream
from diogel.synth.state import LAState
from diogel.synth.workcal import financial_year, ymd

EARLY_MOVE = 0.22  # chance of a move in the first weeks (an emergency placement)
SCHOOL_AT_ENTRY = 0.22  # chance a school-age child changes school on entering care


@dataclass
class Plan:
    """What is fixed for one period of care before its episodes are written."""

    moves: list[int] = field(default_factory=list)  # days of counted moves (RNE P)
    adopt_at: int = -1  # day of the move to the adopters (RNE T), or -1
    schools: list[int] = field(default_factory=list)  # days of non-transitional school changes


@dataclass
class _Unit:
    plan: Plan
    child: int
    lo: int  # moves on lo < d <= hi count for the year
    hi: int
    base: int
    lam: float  # expected moves in the stretch
    school_base: bool  # a school change already in the year (an earlier period)
    first: int  # first and last day of the stretch the child is of school age (first > last: none)
    last: int


def _poisson_tail(lam: float, k: int) -> float:
    """P(Poisson(lam) >= k)."""
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    below = 0.0
    for j in range(k):
        below += term
        term *= lam / (j + 1)
    return max(0.0, 1.0 - below)


def _truncated_poisson(s: Stream, lam: float, top: int) -> int:
    """A Poisson(lam) count conditioned on being at most ``top``."""
    weights, term = [], math.exp(-lam)
    for j in range(top + 1):
        weights.append(term)
        term *= lam / (j + 1)
    r = s.u() * sum(weights)
    for j, w in enumerate(weights):
        r -= w
        if r < 0:
            return j
    return top


def _days(s: Stream, lo: int, hi: int, k: int, avoid: int = -1) -> list[int]:
    """``k`` distinct days ``d`` with ``lo < d <= hi`` (and not ``avoid``)."""
    room = hi - lo - (1 if lo < avoid <= hi else 0)
    k = min(k, room)
    chosen: set[int] = set()
    while len(chosen) < k:
        d = lo + 1 + int(s.u() * (hi - lo))
        if d != avoid:
            chosen.add(d)
    return sorted(chosen)


def _scale_to(weights: Sequence[float], total: float) -> list[float]:
    """Probabilities ``min(1, c w)`` summing to ``total`` (all 1 when it cannot be reached)."""
    if total <= 0 or not weights:
        return [0.0] * len(weights)
    if total >= sum(1.0 for w in weights if w > 0):
        return [1.0 if w > 0 else 0.0 for w in weights]
    lo, hi = 0.0, 1.0
    while sum(min(1.0, hi * w) for w in weights) < total:
        hi *= 2
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(min(1.0, mid * w) for w in weights) < total:
            lo = mid
        else:
            hi = mid
    c = (lo + hi) / 2
    return [min(1.0, c * w) for w in weights]


def plan_periods(st: LAState, periods: Sequence[tuple[int, int, int, str]]) -> list[Plan]:
    """One :class:`Plan` per period ``(child, start, end, route)``, periods sorted by start."""
    s, ys = st.s, st.years
    plans = [Plan() for _ in periods]
    placements: dict[tuple[int, int], int] = {}  # (child, year) -> placements counted so far
    changed: set[tuple[int, int]] = set()  # (child, year) with a school change so far
    units: dict[int, list[_Unit]] = {}
    for plan, (c, start, end, route) in zip(plans, periods, strict=True):
        fy = financial_year(start)
        rate = st.rate("moves", fy) * (s.expo(1.0) + s.expo(1.0)) / 2
        p_school = st.rate("school_change", fy)
        span = end - start
        if route == "adopt":
            plan.adopt_at = start + int(span * (0.5 + 0.2 * s.u()))
        early = start + 2 + int(s.expo(20)) if s.chance(EARLY_MOVE) else -1
        school_from, school_to = st.birthday(c, 5), st.birthday(c, 16)
        for y in range(fy, min(financial_year(end - 1), ys.last) + 1):
            lo, snap = max(start, ys.start(y)), ys.snapshot(y)
            hi = min(snap, end - 1)
            adopt = 1 if lo < plan.adopt_at <= hi else 0
            key = (c, y)
            if end > snap:  # looked after at the snapshot: planned below
                units.setdefault(y, []).append(
                    _Unit(plan, c, lo, hi, placements.get(key, 0) + 1 + adopt, rate * (hi - lo) / 365.25,
                          key in changed, max(lo, school_from), min(hi, school_to - 1))
                )  # fmt: skip
                continue
            moves = [d for d in ([early] if lo < early <= hi else []) if d != plan.adopt_at]
            t = float(lo)
            while True:
                t += s.expo(365.25 / rate) if rate > 0 else math.inf
                if t > hi:
                    break
                if int(t) > lo and int(t) != plan.adopt_at and int(t) not in moves:
                    moves.append(int(t))
            moves.sort()
            plan.moves.extend(moves)
            placements[key] = placements.get(key, 0) + 1 + adopt + len(moves)
            at_school = [d for d in moves if school_from <= d < school_to]
            if lo == start and school_from <= start < school_to and s.chance(SCHOOL_AT_ENTRY):
                plan.schools.append(min(hi, start + int(s.u() * 20)))
            for d in at_school:
                if s.chance(p_school):
                    plan.schools.append(min(hi, d + int(s.u() * 14)))
            if any(ys.start(y) <= d <= hi for d in plan.schools):
                changed.add(key)
    for y, year_units in sorted(units.items()):
        _plan_moves(st, y, year_units)
        _plan_schools(st, y, year_units)
    for plan in plans:
        plan.moves.sort()
        plan.schools.sort()
    return plans


def _plan_moves(st: LAState, y: int, units: list[_Unit]) -> None:
    s = st.s
    forced = [u.base >= 3 for u in units]
    free = [i for i, u in enumerate(units) if not forced[i] and u.base + (u.hi - u.lo) >= 3]
    target = st.rate("three_plus", y) * len(units) - sum(forced)
    probs = _scale_to([_poisson_tail(units[i].lam, 3 - units[i].base) for i in free], target)
    yes = set()
    for i, q in zip(free, probs, strict=True):
        if st.quota("three_plus", y, q):
            yes.add(i)
    for i, u in enumerate(units):
        room = u.hi - u.lo
        if i in yes:
            need = 3 - u.base
            k = need + s.poisson(0.25 + 0.25 * u.lam)
        elif forced[i]:
            k = s.poisson(u.lam)
        else:
            k = _truncated_poisson(s, u.lam, max(0, 2 - u.base))
        u.plan.moves.extend(_days(s, u.lo, u.hi, min(k, room), u.plan.adopt_at))


def _plan_schools(st: LAState, y: int, units: list[_Unit]) -> None:
    s = st.s
    p_move = st.rate("school_change", y)
    free, weights = [], []
    for i, u in enumerate(units):
        if u.school_base or u.first > u.last:
            continue
        first, last = u.first, u.last
        at_school = sum(1 for d in u.plan.moves if first <= d <= last and u.lo < d <= u.hi)
        entry = SCHOOL_AT_ENTRY if u.lo == first and u.lo > ymd(y, 4, 1) else 0.0
        free.append(i)
        weights.append(max(0.02, 1 - (1 - p_move) ** at_school * (1 - entry)))
    target = st.rate("school_share", y) * len(units) - sum(1 for u in units if u.school_base)
    for i, q in zip(free, _scale_to(weights, target), strict=True):
        if not st.quota("school_share", y, q):
            continue
        u = units[i]
        first, last = u.first, u.last
        moved = [d for d in u.plan.moves if first <= d <= last]
        if moved:
            d = moved[int(s.u() * len(moved))]
            u.plan.schools.append(min(last, d + int(s.u() * 14)))
        else:
            u.plan.schools.append(first + int(s.u() * (last - first + 1)))
