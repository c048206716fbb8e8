"""Holding a stock (children looked after, children registered) on its target.

Flows are simulated with realistic durations; then, snapshot by snapshot in
date order, the spans are nudged so that exactly the target number is open on
each 31 March: a surplus is closed during the year (between the previous
snapshot and this one, so earlier snapshots are untouched), a shortfall is made
up by keeping open some of the spans that ended during the year. The nudges
are small compared to the flows, so durations keep their shape.
"""

from __future__ import annotations

from diogel.synth.rand import Stream


def _sample(s: Stream, items: list[int], k: int) -> list[int]:
    """``k`` distinct items, drawn without replacement (partial Fisher–Yates)."""
    items = list(items)
    k = min(k, len(items))
    for j in range(k):
        r = j + int(s.u() * (len(items) - j))
        items[j], items[r] = items[r], items[j]
    return items[:k]


def hold_stock(
    s: Stream,
    starts: list[int],
    ends: list[int],
    limits: list[int],
    snapshots: list[tuple[int, int, int]],
    extend_median: float = 90.0,
) -> None:
    """Change ``ends`` in place so that each ``(snapshot, previous snapshot, target)`` holds.

    A span is open on ``d`` when ``start <= d < end``. ``limits[i]`` is the
    latest end span ``i`` may be given (an 18th birthday, the child's next span).
    """
    n = len(starts)
    for snap, prev, target in snapshots:
        open_now = [i for i in range(n) if starts[i] <= snap < ends[i]]
        diff = target - len(open_now)
        if diff < 0:
            cands = [i for i in open_now if starts[i] < snap]
            for i in _sample(s, cands, -diff):
                lo = max(starts[i], prev) + 1
                ends[i] = lo + int(s.u() * (snap - lo + 1))
        elif diff > 0:
            cands = [i for i in range(n) if prev < ends[i] <= snap and starts[i] <= snap and limits[i] > snap + 1]
            for i in _sample(s, cands, diff):
                ends[i] = min(limits[i], snap + 1 + int(s.lognormal(extend_median, 0.8)))
