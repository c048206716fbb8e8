"""Looked-after children: periods of care and everything recorded during them.

Children come into care at a calibrated rate, most of them from recent
referrals that led to an assessment or enquiry (brothers and sisters often
together). Each period of care gets a route (short stay, return home after a
while, adoption of an infant, long-term care until 18) and so a duration; the
stock is then held on its all-Wales target at every 31 March. Within the period
the child's legal status changes, placements move (with temporary absences that
return to the same placement), a care plan is in place (usually before the
first placement), reviews are held (mostly on time), social workers visit and
change, schools change, and the period ends with a reason (REC).
"""

from __future__ import annotations

from bisect import bisect_left

from diogel.synth.care_detail import POST_AREAS, CareDetail, Period
from diogel.synth.placements import plan_periods
from diogel.synth.rand import Choice
from diogel.synth.referrals import ReferralModel
from diogel.synth.state import LAState
from diogel.synth.stock import hold_stock

START_LS = Choice({"V2": 40, "C2": 34, "L2": 9, "L1": 6, "C1": 6, "J2": 2, "L3": 1, "D1": 2})


class CareModel(CareDetail):
    """Generates one LA's periods of care and everything recorded during them."""

    def __init__(self, st: LAState, refs: ReferralModel) -> None:
        self.st = st
        self.refs = refs
        self.periods: list[Period] = []
        code = st.la
        self.post_area = POST_AREAS.get(code, "CF")
        self.urns = [f"SC{st.index:02d}{n:04d}" for n in range(1, 61)]
        self.sw_pool = 8 + round(st.rate("lac_stock", st.years.last) / 12)

    # ------------------------------------------------------------------ periods of care

    def run(self) -> None:
        st = self.st
        for y in range(st.years.care_from, st.years.last + 1):
            self._entries(y)
        self.periods.sort(key=lambda p: (p.start, p.child))
        self._hold()
        plans = plan_periods(self.st, [(p.child, p.start, p.end, p.route) for p in self.periods])
        for p, plan in zip(self.periods, plans, strict=True):
            p.plan = plan
        visible_from = st.years.start(st.years.referrals_from)
        for p in self.periods:
            self._episodes(p)
            if p.end >= visible_from:
                self._care_plan(p)
                self._reviews(p)
                self._social_workers(p)
                self._visits(p)
                self._schools(p)
                self._education(p)
        self._leavers()
        self._short_breaks()
        self._feedback()

    def _entries(self, y: int) -> None:
        st, s = self.st, self.st.s
        n = s.poisson(st.rate("lac_stock", y) / 2.6)
        start, end = st.years.start(y), st.years.snapshot(y)
        for _ in range(n):
            d = start + int(s.u() * (end - start + 1))
            for c in self._children_entering(d):
                self._period(c, d)

    def _children_entering(self, d: int) -> list[int]:
        st, s, refs = self.st, self.st.s, self.refs
        lo, hi = bisect_left(refs.cand_dates, d - 120), bisect_left(refs.cand_dates, d)
        if hi > lo:
            for _ in range(6):
                c = refs.cand_children[lo + int(s.u() * (hi - lo))]
                if st.care_until[c] < d - 8 and st.age(c, d) < 17.3 and st.age(c, d) >= 0:
                    return [c]
        if hi > lo:  # referrals exist but no suitable child: skip rather than invent
            pass
        band = s.u()
        age = s.u() * (1 if band < 0.22 else 4 if band < 0.4 else 10 if band < 0.6 else 16)
        if band >= 0.6:
            age = 10 + s.u() * 6.5
        c = st.new_child(d - int(age * 365.25) - 1)
        out = [c]
        if s.chance(0.2):
            out.append(st.new_child(st.dob[c] - 400 - int(s.u() * 5 * 365)))
        return out

    def _period(self, c: int, d: int) -> None:
        st, s = self.st, self.st.s
        age = st.age(c, d)
        limit = st.birthday(c, 18)
        r = s.u()
        if age < 2 and r < 0.3:
            route, dur = "adopt", 420 + int(s.lognormal(330, 0.4))
        elif r < 0.36:
            route, dur = "home", 1 + int(s.lognormal(35, 1.0))
        elif r < 0.74:
            route, dur = "home", 60 + int(s.lognormal(420, 0.75))
        else:
            route, dur = "long", limit - d
        end = min(d + max(dur, 1), limit)
        if end >= limit:
            route = "adult"
        p = Period(c, d, end, route, START_LS.draw(s))
        st.care_until[c] = end
        self.periods.append(p)

    def _hold(self) -> None:
        st = self.st
        starts = [p.start for p in self.periods]
        ends = [p.end for p in self.periods]
        nxt: dict[int, int] = {}
        limits = [0] * len(self.periods)
        for i in range(len(self.periods) - 1, -1, -1):
            p = self.periods[i]
            limits[i] = min(st.birthday(p.child, 18), nxt.get(p.child, 10**7) - 8)
            nxt[p.child] = p.start
        ys = st.years
        snaps = [
            (ys.snapshot(y), ys.snapshot(y - 1), round(st.rate("lac_stock", y)))
            for y in range(ys.care_from + 1, ys.last + 1)
        ]
        hold_stock(st.s, starts, ends, limits, snaps, extend_median=150.0)
        for p, e in zip(self.periods, ends, strict=True):
            p.end = max(e, p.start + 1)
            if p.end >= st.birthday(p.child, 18):
                p.route = "adult"
            elif p.route == "adult":
                p.route = "home"
