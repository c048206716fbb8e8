"""Referrals and what follows them: decisions, assessments, child protection.

For each financial year the LA receives its calibrated number of referrals
(fewer at weekends and on bank holidays). A referral is a re-referral of a child
referred in the past 12 months, a return after longer, or a new child. The
decision is usually made the same or the next working day, later more often
just before a bank holiday. An initial assessment may lead to a core
assessment; a child protection enquiry (S47) starts with a strategy discussion,
usually leads to an initial conference for the whole sibling group (one
CONFERENCE_ID) and often to registration, then core groups, review
conferences, visits and, eventually, de-registration.
"""

from __future__ import annotations

from bisect import bisect_left

from diogel.synth.rand import Choice
from diogel.synth.state import LAState, child_id
from diogel.synth.stock import hold_stock
from diogel.synth.workcal import add_months, financial_year

SOURCES = Choice(
    {"POLICE": 26, "HEALTH": 14, "EDUCATION": 13, "LA_SERVICES": 12, "OTHER_LA": 3, "INDIVIDUAL": 18,
     "ANONYMOUS": 4, "OTHER": 10}
)  # fmt: skip
DECISIONS = Choice({"NFA": 24, "INFO": 22, "IA": 46, "S47": 8})
NEEDS = Choice({"N1": 45, "N2": 9, "N3": 6, "N4": 12, "N5": 8, "N6": 4, "N7": 2, "N8": 9, "N9": 5})
CATEGORIES = Choice({"NEG": 38, "PHY": 12, "SEX": 6, "EMO": 24, "MUL": 20})
EXTRA_AGENCIES = Choice({"YOUTH_JUSTICE": 2, "PROBATION": 2, "HOUSING": 4, "OTHER": 5})
CIN_MEDIAN_DAYS = 415.0  # median length of a longer episode of need (tuned to CIN_SNAPSHOT)
AGES = Choice({"0": 12, "1": 22, "5": 24, "10": 27, "15": 15})
AGE_SPAN = {"0": 1, "1": 4, "5": 5, "10": 5, "15": 3}


class ReferralModel:
    """Generates one LA's referrals, assessments and child protection, year by year."""

    def __init__(self, st: LAState) -> None:
        self.st = st
        self.ref_dates: list[int] = []  # every referral, in date order
        self.ref_children: list[int] = []
        self.cand_dates: list[int] = []  # referrals decided IA or S47: candidates for care
        self.cand_children: list[int] = []
        self.referral_rows: list[list[object]] = []
        self.regs: list[list[object]] = []  # [child, id, start, category, fcg, end, referral row]
        self.reg_by_child: dict[int, list[int]] = {}
        self.s47_closure: list[tuple[list[object], int, int]] = []  # (referral row, last event, reg index or -1)

    # ------------------------------------------------------------------ referrals

    def run(self) -> None:
        st = self.st
        for y in range(st.years.referrals_from, st.years.last + 1):
            self._year(y)
        self._hold_register()
        self._registration_details()
        for row, last_event, reg in self.s47_closure:
            base = self.regs[reg][5] if reg >= 0 else last_event
            row[7] = int(base) + 5 + int(st.s.lognormal(45, 0.8))  # type: ignore[call-overload]
        st.rows["referrals"].extend(self.referral_rows)

    def _year(self, y: int) -> None:
        st, s, cal = self.st, self.st.s, self.st.cal
        n = round(st.rate("referrals", y))
        start, end = st.years.start(y), st.years.snapshot(y)
        dates: list[int] = []
        while len(dates) < n:
            d = start + int(s.u() * (end - start + 1))
            if cal.is_working(d) or s.chance(0.22):
                dates.append(d)
        dates.sort()
        i = 0
        while i < n:
            i += self._referral(dates[i], y, n - i)

    def _pick_child(self, d: int, y: int) -> tuple[int, bool]:
        """(child, is a new family) for a referral on ``d``."""
        st, s = self.st, self.st.s
        lo = bisect_left(self.ref_dates, d - 362)
        hi = bisect_left(self.ref_dates, d)
        if st.quota("rereferral", y, st.rate("rereferral", y)) and hi > lo:
            for _ in range(4):
                c = self.ref_children[lo + int(s.u() * (hi - lo))]
                if st.age(c, d) < 17.9:
                    return c, False
        elif s.chance(0.12) and lo > 0:
            c = self.ref_children[int(s.u() * lo)]
            if st.last_referral[c] < d - 372 and st.age(c, d) < 17.9:
                return c, False
        band = AGES.draw(s)
        age_days = int((int(band) + s.u() * AGE_SPAN[band]) * 365.25)
        return st.new_child(d - age_days), True

    def _referral(self, d: int, y: int, room: int) -> int:
        """Generate one referral (or a sibling group's) on ``d``; returns how many referrals."""
        st, s, cal = self.st, self.st.s, self.st.cal
        child, new_family = self._pick_child(d, y)
        decision = DECISIONS.draw(s)
        children = [child]
        if decision == "S47" and new_family and room > 1 and s.chance(0.4):
            for _ in range(min(room - 1, 1 + int(s.expo(0.8)))):
                children.append(st.new_child(st.dob[child] - int(s.u() * 9 * 365.25) - 300))
        source = SOURCES.draw(s)
        p = st.rate("decide_1wd", y)
        if not cal.is_working(d + 1) and (d + 4) % 7 < 5:  # tomorrow is a bank holiday
            p -= 0.15
        if st.quota("decide_1wd", y, p):
            decided = d if cal.is_working(d) and s.chance(0.6) else cal.nth_after(d, 1)
        else:
            decided = cal.nth_after(d, 2 + int(s.expo(1.5)))
        need = NEEDS.draw(s) if decision != "S47" else ("N1" if s.chance(0.85) else NEEDS.draw(s))
        conference = self._conference_plan(d, decided, y) if decision == "S47" else None
        for c in children:
            rid = st.next_id("R")
            row: list[object] = [child_id(c), rid, d, source, decided, decision, need, None]
            self.referral_rows.append(row)
            self.ref_dates.append(d)
            self.ref_children.append(c)
            st.last_referral[c] = d
            if decision in ("NFA", "INFO"):
                row[7] = decided
            elif decision == "IA":
                self.cand_dates.append(d)
                self.cand_children.append(c)
                row[7] = self._initial_assessment(c, rid, d, decided, y)
            else:
                self.cand_dates.append(d)
                self.cand_children.append(c)
                self._enquiry(c, rid, row, decided, y, conference)
        return len(children)

    def _late(self, a: int, n_on_time: int, rate: str, year: int, late_mean: float) -> int:
        """A completion date counted in working days after ``a``: within ``n_on_time`` with the ``rate``'s chance."""
        st, s, cal = self.st, self.st.s, self.st.cal
        if st.quota(rate, year, st.rate(rate, year)):
            n = max(1, n_on_time - int(abs(s.normal(0.0, n_on_time / 3))))
        else:
            n = n_on_time + 1 + int(s.expo(late_mean))
        return cal.nth_after(a, n)

    def _initial_assessment(self, c: int, rid: str, d: int, decided: int, y: int) -> int:
        """Initial (and maybe core) assessment; returns the date the episode of need closes."""
        s = self.st.s
        done = max(decided, self._late(d, 7, "ia_7wd", y, 6.0))
        self._assessment(c, rid, "INITIAL", decided, done, y)
        if s.chance(0.32):
            core_done = self._late(done, 35, "ca_35wd", financial_year(self.st.cal.nth_after(done, 35)), 14.0)
            self._assessment(c, rid, "CORE", done, core_done, y)
            return core_done + int(s.lognormal(CIN_MEDIAN_DAYS, 1.0))
        if s.chance(0.25):
            return done + int(s.lognormal(CIN_MEDIAN_DAYS * 1.3, 0.9))
        return done + int(s.lognormal(20, 0.8))

    def _assessment(self, c: int, rid: str, kind: str, start: int, done: int, y: int) -> None:
        st, s = self.st, self.st.s
        seen = s.chance(st.rate("seen", y))
        alone = seen and st.age(c, start) >= 3 and s.chance(st.rate("seen_alone", y))
        st.rows["assessments"].append(
            [child_id(c), st.next_id("A"), rid, kind, start, done, "Y" if seen else "N", "Y" if alone else "N"]
        )

    # ------------------------------------------------------------------ child protection

    def _conference_plan(self, d: int, decided: int, y: int) -> tuple[str, int, int, bool] | None:
        """The sibling group's strategy discussion and, usually, its initial conference."""
        st, s = self.st, self.st.s
        strategy = decided
        if not s.chance(0.72):
            return None
        held = self._late(strategy, 15, "icpc_15wd", y, 5.0)
        cid = st.next_id("K", 6)
        st.rows["conference_agencies"].extend(self._agencies(cid, y))
        return cid, strategy, held, s.chance(0.84)

    def _agencies(self, cid: str, y: int) -> list[list[object]]:
        st, s = self.st, self.st.s
        invited = ["HEALTH", "POLICE", "EDUCATION"]
        for _ in range(int(s.expo(0.6))):
            a = EXTRA_AGENCIES.draw(s)
            if a not in invited:
                invited.append(a)
        attend, report = st.rate("agency_attend", y), st.rate("agency_report", y)
        return [[cid, a, "Y" if s.chance(attend) else "N", "Y" if s.chance(report) else "N"] for a in invited]

    def _enquiry(
        self, c: int, rid: str, row: list[object], decided: int, y: int, conf: tuple[str, int, int, bool] | None
    ) -> None:
        st, s = self.st, self.st.s
        core_done = self._late(decided, 35, "ca_35wd", financial_year(self.st.cal.nth_after(decided, 35)), 14.0)
        self._assessment(c, rid, "CORE", decided, core_done, y)
        if conf is None:
            self.s47_closure.append((row, core_done, -1))
            return
        cid, strategy, held, register = conf
        registered_now = any(self.regs[r][5] > held for r in self.reg_by_child.get(c, []))  # type: ignore[operator]
        register = register and not registered_now and st.age(c, held) < 17.5
        st.rows["cp_conferences"].append(
            [child_id(c), cid, "INITIAL", strategy, held, "REGISTER" if register else "NOT_REGISTER"]
        )
        if not register:
            self.s47_closure.append((row, max(held, core_done), -1))
            return
        limit = st.birthday(c, 18) - 1
        end = min(limit, held + 30 + int(s.lognormal(230, 0.8)))
        self.reg_by_child.setdefault(c, []).append(len(self.regs))
        self.s47_closure.append((row, max(held, core_done), len(self.regs)))
        self.regs.append([c, st.next_id("G", 6), held, CATEGORIES.draw(s), None, end, y])

    def _hold_register(self) -> None:
        st = self.st
        starts = [int(r[2]) for r in self.regs]  # type: ignore[call-overload]
        ends = [int(r[5]) for r in self.regs]  # type: ignore[call-overload]
        limits = []
        for i, r in enumerate(self.regs):
            c = int(r[0])  # type: ignore[call-overload]
            later = [starts[j] for j in self.reg_by_child[c] if starts[j] > starts[i]]
            limits.append(min([st.birthday(c, 18) - 1, *[x - 1 for x in later]]))
        ys = st.years
        snaps = [
            (ys.snapshot(y), ys.snapshot(y - 1), round(st.rate("cp_stock", y)))
            for y in range(ys.referrals_from + 1, ys.last + 1)
        ]
        hold_stock(st.s, starts, ends, limits, snaps, extend_median=120.0)
        for r, e in zip(self.regs, ends, strict=True):
            r[5] = e

    def _registration_details(self) -> None:
        """First core group, review conferences, visits and the CP plan of each registration."""
        st, s, cal = self.st, self.st.s, self.st.cal
        visits_from = st.years.start(st.years.first - 1)
        for c, gid, start, cat, _, end, y in self.regs:
            assert isinstance(c, int) and isinstance(start, int) and isinstance(end, int) and isinstance(y, int)
            cg = self._late(start, 10, "core_group_10wd", y, 4.0)
            st.rows["cp_registrations"].append([child_id(c), gid, start, cat, cg if cg < end else None, end])
            st.rows["care_plans"].append([child_id(c), st.next_id("P"), "CP_PLAN", start, end])
            due = add = start
            first = True
            while True:
                due = add_months(add, 3 if first else 6)
                first = False
                held = due - int(s.u() * 12) if s.chance(st.rate("cp_review", y)) else due + 1 + int(s.expo(18))
                if held >= end:
                    break
                st.rows["cp_reviews"].append([child_id(c), gid, held])
                add = held
            v = max(start + 1 + int(s.u() * 5), visits_from)
            while v < end and v <= st.years.extract:
                if v >= start:
                    alone = st.age(c, v) >= 4 and s.chance(0.7)
                    st.rows["visits"].append([child_id(c), cal.next_working(v), "CP", "Y" if alone else "N"])
                v = cal.nth_after(v, 5 + int(s.u() * 8))
