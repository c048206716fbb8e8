"""What is recorded during a period of care: episodes, plans, reviews, visits, schools, leaving care.

:class:`CareDetail` is the half of :class:`diogel.synth.care.CareModel` that
turns a period of care (start, end, route) into SSDA903-style rows, and adds the
care leavers at 19, short breaks and the children's feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diogel.synth.placements import Plan
from diogel.synth.rand import Choice
from diogel.synth.referrals import NEEDS
from diogel.synth.state import LAState, child_id
from diogel.synth.workcal import add_months, date_of, financial_year, ymd

FOSTER = Choice({"F1": 14, "F2": 4, "F3": 36, "F4": 10, "F5": 26, "F6": 10})
CHANGE_REASONS = Choice(
    {"CARPL": 38, "LAREQ": 14, "CREQB": 8, "CREQO": 4, "CHILD": 9, "PLACE": 10, "STAND": 6, "ALLEG": 2,
     "CLOSE": 3, "APPRR": 2, "OTHER": 4}
)  # fmt: skip
PROVIDERS = Choice({"PR1": 64, "PR2": 6, "PR3": 6, "PR4": 24})
TEMPORARY = Choice({"T1": 30, "T2": 25, "T3": 35, "T4": 10})
HOME_REC = Choice({"E4A": 72, "E4B": 9, "E41": 6, "E45": 7, "E3": 3, "E7": 1, "E8": 2})
ADULT_REC = Choice({"E5": 50, "E8": 38, "E6": 8, "E4A": 4})
PN_CODES = Choice({"PN1": 36, "PN2": 18, "PN3": 10, "PN4": 12, "PN5": 9, "PN6": 7, "PN7": 8})
ACTIVITIES_EET = Choice({"F1": 18, "P1": 5, "F2": 30, "P2": 9, "F3": 28, "P3": 10})
ACTIVITIES_NOT = Choice({"G4": 50, "G5": 20, "G6": 30})
ACCOM_LETTERS = Choice({"B": 10, "C": 6, "D": 22, "E": 10, "G": 6, "H": 4, "K": 8, "R": 6, "S": 18, "T": 6, "U": 4})
NOT_IN_TOUCH = Choice({"NO": 55, "REFU": 20, "NREQ": 15, "RHOM": 10})

FEEDBACK_YES = {"SAFE": 0.9, "HOME_HAPPY": 0.84, "KNOW_WHO": 0.78, "LISTENED": 0.72, "RESPECT": 0.86}


@dataclass
class Period:
    child: int
    start: int
    end: int
    route: str
    ls: str
    plan: Plan = field(default_factory=Plan)


POST_AREAS = {
    "W06000001": "LL", "W06000002": "LL", "W06000003": "LL", "W06000004": "LL", "W06000005": "CH",
    "W06000006": "LL", "W06000008": "SY", "W06000009": "SA", "W06000010": "SA", "W06000011": "SA",
    "W06000012": "SA", "W06000013": "CF", "W06000014": "CF", "W06000015": "CF", "W06000016": "CF",
    "W06000018": "CF", "W06000019": "NP", "W06000020": "NP", "W06000021": "NP", "W06000022": "NP",
    "W06000023": "LD", "W06000024": "CF",
}  # fmt: skip
ALL_AREAS = ("CF", "SA", "NP", "LL", "SY", "LD", "CH")


class CareDetail:
    st: LAState
    periods: list[Period]
    post_area: str
    urns: list[str]
    sw_pool: int

    def _postcode(self, own: bool = True) -> str:
        s = self.st.s
        area = self.post_area if own else ALL_AREAS[int(s.u() * len(ALL_AREAS))]
        return f"{area}{1 + int(s.u() * 40)} {int(s.u() * 10)}"

    def _placement(self, age: float, adoption: bool) -> tuple[str, str, str, str | None]:
        """(PLACE, PLACE_PROVIDER, PL_POST, URN) of a new placement."""
        s = self.st.s
        r = s.u()
        if adoption:
            place = "A3" if s.chance(0.6) else "A4"
        elif age >= 16 and r < 0.3:
            place = "H5" if s.chance(0.6) else "P2"
        elif r < 0.06 + (0.1 if age >= 12 else 0.0):
            place = "K2" if s.chance(0.8) else "R1"
        elif r < 0.11 + (0.1 if age >= 12 else 0.0):
            place = "P1"
        elif r < 0.13 + (0.1 if age >= 12 else 0.0):
            place = "Z1"
        else:
            place = FOSTER.draw(s)
        provider = "PR0" if place == "P1" else PROVIDERS.draw(s)
        urn = self.urns[int(s.u() * len(self.urns))] if place in ("K2", "R1", "H5") or provider == "PR4" else None
        return place, provider, self._postcode(own=s.chance(0.82)), urn

    def _events(self, p: Period) -> list[tuple[int, str, str]]:
        """Changes during the period: (date, kind, detail) with kind ``move``, ``both``, ``ls``, ``same``, ``temp``.

        The planned moves (:mod:`~diogel.synth.placements`) are kept as they are;
        legal changes, moves with the same carers and temporary absences that
        would clash with them (or with each other) are dropped.
        """
        s = self.st.s
        span = p.end - p.start
        fixed: list[tuple[int, str, str]] = [(d, "move", "") for d in p.plan.moves]
        if p.plan.adopt_at >= 0:
            fixed.append((p.plan.adopt_at, "both", "E1"))
        taken = {d for d, _, _ in fixed}
        others: list[tuple[int, str, str]] = []
        ls = p.ls
        t = p.start
        if ls in ("L1", "L2", "L3"):
            t += 1 + int(s.expo(6))
            ls = "C2" if s.chance(0.75) else "V2"
            others.append((t, "ls", ls))
        if ls == "V2" and s.chance(0.2):
            t += 14 + int(s.expo(120))
            ls = "C2"
            others.append((t, "ls", ls))
        if ls == "C2" and s.chance(0.85):
            t += int(s.lognormal(280, 0.3))
            ls = "C1"
            others.append((t, "ls", ls))
        for _ in range(s.poisson(0.04 * span / 365.25)):
            others.append((p.start + 1 + int(s.u() * span), "same", ""))
        for _ in range(s.poisson(0.12 * span / 365.25)):
            others.append((p.start + 1 + int(s.u() * span), "temp", str(2 + int(s.expo(5)))))
        out = list(fixed)
        for e in sorted(others):
            d = e[0]
            last = d + int(e[2]) + 1 if e[1] == "temp" else d
            if not (p.start < d and last < p.end) or any(x in taken for x in range(d, last + 1)):
                continue
            if e[1] == "ls" and 0 <= p.plan.adopt_at < d:  # placed for adoption (E1): no later change
                continue
            taken.update(range(d, last + 1))
            out.append(e)
        return sorted(out)

    def _episodes(self, p: Period) -> None:
        st, s = self.st, self.st.s
        c = p.child
        cin = "N1" if s.chance(0.62) else NEEDS.draw(s)
        home = self._postcode()
        ls = p.ls
        place, provider, post, urn = self._placement(st.age(c, p.start), False)
        rows = st.rows["episodes"]
        current: list[object] = [child_id(c), p.start, "S", ls, cin, place, provider, None, None, None, home, post, urn]
        rows.append(current)

        def begin(d: int, rne: str, reason: str | None) -> list[object]:
            current[7], current[8] = d, "X1"
            row: list[object] = [child_id(c), d, rne, ls, cin, place, provider, None, None, reason, home, post, urn]
            rows.append(row)
            return row

        for d, kind, detail in self._events(p):
            if kind == "ls":
                ls = detail
                current = begin(d, "L", None)
            elif kind in ("move", "both"):
                if kind == "both":
                    ls = detail
                place, provider, post, urn = self._placement(st.age(c, d), kind == "both")
                current = begin(d, "T" if kind == "both" else "P", CHANGE_REASONS.draw(s))
            elif kind == "same":  # the same carers move house: not a new placement
                post = self._postcode(own=s.chance(0.82))
                current = begin(d, "B", CHANGE_REASONS.draw(s))
            else:  # a temporary absence, then back to the same placement
                kept = (place, provider, post, urn)
                place, provider, post, urn = TEMPORARY.draw(s), provider, post, urn
                current = begin(d, "P", None)
                place, provider, post, urn = kept
                current = begin(d + int(detail), "P", None)
        current[7] = p.end
        if p.route == "adopt" and ls == "E1":
            current[8] = "E11" if s.chance(0.6) else "E12"
        elif p.route == "adult":
            current[8] = ADULT_REC.draw(s)
        else:
            current[8] = HOME_REC.draw(s)

    def _care_plan(self, p: Period) -> None:
        st, s = self.st, self.st.s
        if st.quota("care_plan", financial_year(p.start), st.rate("care_plan", financial_year(p.start))):
            start = p.start - int(s.u() * 10)
        else:
            start = p.start + 1 + int(s.expo(8))
        if start < p.end:
            st.rows["care_plans"].append([child_id(p.child), st.next_id("P"), "CARE_PLAN", start, p.end])

    def _reviews(self, p: Period) -> None:
        """Reviews: first due 20 working days after the start, then 3 months, then every 6 months."""
        st, s = self.st, self.st.s
        due, last, k = st.cal.nth_after(p.start, 20), p.start, 0
        while True:
            y = financial_year(due)
            if st.quota("lac_review", y, st.rate("lac_review", y)):
                held = max(last + 1, due - int(s.u() * 10))
            else:
                held = due + 1 + int(s.expo(16))
            if held >= p.end:
                return
            code = "PN0" if st.age(p.child, held) < 4 else PN_CODES.draw(s)
            st.rows["lac_reviews"].append([child_id(p.child), held, code])
            due, last, k = add_months(held, 3 if k == 0 else 6), held, k + 1

    def _social_workers(self, p: Period) -> None:
        st, s = self.st, self.st.s
        rate = 0.8 * st.rate("sw_turnover", financial_year(p.start))
        t = p.start
        while t < p.end:
            nxt = t + 1 + int(s.expo(365.25 / rate))
            sw = f"SW{1 + int(s.u() * self.sw_pool):04d}"
            st.rows["social_worker_episodes"].append([child_id(p.child), sw, t, min(nxt, p.end)])
            t = nxt

    def _visits(self, p: Period) -> None:
        st, s = self.st, self.st.s
        since = st.years.start(st.years.first - 1)
        v = p.start + 1 + int(s.u() * 6)
        while v < p.end and v <= st.years.extract:
            if v >= since:
                alone = st.age(p.child, v) >= 4 and s.chance(0.6)
                st.rows["visits"].append([child_id(p.child), v, "LAC", "Y" if alone else "N"])
            v += int(s.lognormal(31, 0.22))

    def _schools(self, p: Period) -> None:
        """The planned school changes, and the transitional one at 11 (September of year 7)."""
        st = self.st
        c = p.child
        changes = [(d, "N") for d in p.plan.schools]
        dob = date_of(st.dob[c])
        secondary = ymd(dob.year + (11 if (dob.month, dob.day) <= (8, 31) else 12), 9, 1)
        if p.start <= secondary < p.end:
            changes.append((secondary, "Y"))
        for d, transitional in sorted(changes):
            if d < p.end:
                st.rows["school_changes"].append([child_id(c), d, transitional])

    def _education(self, p: Period) -> None:
        st, s = self.st, self.st.s
        dob = date_of(st.dob[p.child])
        year = dob.year + (15 if (dob.month, dob.day) <= (8, 31) else 16)
        if not (st.years.referrals_from <= year <= st.years.last and p.start <= ymd(year + 1, 3, 31) < p.end):
            return
        if st.quota("no_qual", year, st.rate("no_qual", year)):
            points: float | None = 0.0
            none = "Y"
        else:
            points = round(s.lognormal(160, 0.7), 1)
            none = "N"
        if s.chance(0.03):
            points = None
        st.rows["education_outcomes"].append([child_id(p.child), year, points, none])

    def _leavers(self) -> None:
        """OC3 at 19 for those who left care at 16 or over after 13 weeks since their 14th birthday."""
        st, s = self.st, self.st.s
        leaving: dict[int, Period] = {}
        for p in self.periods:
            c = p.child
            if p.end > st.years.extract or st.age(c, p.end) < 16:
                continue
            if p.end - max(p.start, st.birthday(c, 14)) >= 91:
                leaving[c] = p
        for c in sorted(leaving):
            p = leaving[c]
            b19 = st.birthday(c, 19)
            if not st.years.start(st.years.referrals_from) <= b19 <= st.years.extract:
                continue
            y = financial_year(b19)
            self._pathway_plan(c, p, y)
            if s.chance(0.005):
                st.rows["children"][c][6] = p.end + int(s.u() * (b19 - p.end))
                st.rows["care_leavers"].append([child_id(c), b19, "DIED", "0", "0"])
                continue
            if st.quota("in_touch", y, st.rate("in_touch", y)):
                activ = ACTIVITIES_EET.draw(s) if st.quota("eet", y, st.rate("eet", y)) else ACTIVITIES_NOT.draw(s)
                accom = ACCOM_LETTERS.draw(s) + ("1" if st.quota("accom", y, st.rate("accom", y)) else "2")
                st.rows["care_leavers"].append([child_id(c), b19, "YES", activ, accom])
            else:
                st.rows["care_leavers"].append([child_id(c), b19, NOT_IN_TOUCH.draw(s), "0", "0"])

    def _pathway_plan(self, c: int, p: Period, y: int) -> None:
        st, s = self.st, self.st.s
        start = min(max(p.start, st.birthday(c, 16)) + int(s.u() * 60), p.end)
        if st.quota("pathway", y, st.rate("pathway", y)):
            end = st.birthday(c, 21)
        elif s.chance(0.5):
            end = max(start, st.birthday(c, 18))
        else:
            return
        st.rows["care_plans"].append([child_id(c), st.next_id("P"), "PATHWAY_PLAN", start, end])

    def _short_breaks(self) -> None:
        """Disabled children's short breaks (LS V3/V4), which every looked-after measure ignores."""
        st, s = self.st, self.st.s
        since = st.years.start(st.years.first - 2)
        for _ in range(round(0.08 * st.rate("lac_stock", st.years.last))):
            t = since + int(s.u() * (st.years.extract - since))
            c = st.new_child(t - int((4 + s.u() * 10) * 365.25), disabled=True)
            stop = min(st.birthday(c, 18), t + int(s.lognormal(900, 0.6)))
            ls = "V4" if s.chance(0.75) else "V3"
            while t < stop:
                dec = t + 1 + int(s.u() * 3)
                st.rows["episodes"].append(
                    [
                        child_id(c),
                        t,
                        "S",
                        ls,
                        "N2",
                        "K2",
                        "PR1",
                        dec,
                        "E8",
                        None,
                        self._postcode(),
                        self._postcode(),
                        None,
                    ]
                )
                t = dec + 10 + int(s.lognormal(30, 0.4))

    def _feedback(self) -> None:
        st, s = self.st, self.st.s
        for y in range(st.years.first, st.years.last + 1):
            snap, start = st.years.snapshot(y), st.years.start(y)
            for p in self.periods:
                if not (p.start <= snap < p.end) or st.age(p.child, snap) < 7 or not s.chance(0.22):
                    continue
                d = min(start + int(s.u() * 365), st.years.extract)
                who = None if s.chance(0.2) else child_id(p.child)
                for q, base in FEEDBACK_YES.items():
                    p_yes = min(0.99, base * st.rate("feedback", y))
                    answer = "YES" if s.chance(p_yes) else "SOMETIMES" if s.chance(0.65) else "NO"
                    st.rows["feedback"].append([who, d, q, answer])
