"""What is due, rule by rule, worked out by hand from timescales.md and the Common rules of indicators.md.

WD(a, b) counts working days d with a < d <= b; "the Nth working day after a" is the working day d
with WD(a, d) = N. Bank holidays used below (England and Wales): 2008-12-25/26, 2009-01-01,
Good Friday 2009-04-10, Easter Monday 2009-04-13, early May 2009-05-04, spring 2009-05-25,
2011-04-29 (royal wedding), early May 2016-05-02, spring 2016-05-30.
Months: a + k months keeps the day number, clamped to the month's last day.
"Due soon": within 2 working days of the deadline (working-day rules) or 7 days (the others).
"""

from __future__ import annotations

from datetime import date

from diogel.timescales.due import About, DueItem, Status, due_items, eligible_from, outstanding
from diogel.timescales.records import (
    AssessmentRec,
    CareLeaverRec,
    ChildRecord,
    ConferenceRec,
    EpisodeRec,
    LACReviewRec,
    PlanRec,
    ReferralRec,
    RegistrationRec,
    StrategyRec,
    VisitRec,
)
from diogel.timescales.rules import Confidence, Satisfier

D = date


def of(child: ChildRecord, today: date, number: int) -> list[DueItem]:
    return [i for i in due_items(child, today) if i.rule.number == number]


def summary(items: list[DueItem]) -> list[tuple[date, date, Status, date | None]]:
    """(trigger, due, status, satisfied_on) of each item, in order."""
    return [(i.trigger_date, i.due, i.status, i.satisfied_on) for i in items]


def referral(day: date, **kw: object) -> ChildRecord:
    return ChildRecord(id=1, referrals=(ReferralRec(10, day, **kw),))  # type: ignore[arg-type]


# ------------------------------------------------------------------ rule 1


def test_rule_1_friday_referral_before_bank_holiday_monday_is_due_tuesday() -> None:
    # Fri 2009-05-01; Mon 4 May is the early May bank holiday; WD(Fri 1, Tue 5) = 1 -> due Tue 5.
    child = referral(D(2009, 5, 1))
    [item] = of(child, D(2009, 5, 1), 1)
    assert (item.due, item.deadline) == (D(2009, 5, 5), D(2009, 5, 5))
    assert item.about == About("referral", 10)
    assert item.satisfier is Satisfier.REFERRAL_DECISION
    assert item.confidence == Confidence.R2
    assert item.status is Status.DUE_SOON  # WD(Fri 1, Tue 5) = 1 <= 2
    assert of(child, D(2009, 5, 6), 1)[0].status is Status.OVERDUE
    assert of(child, D(2009, 5, 6), 1)[0].is_breach  # R2: a breach, not guidance


def test_rule_1_decided_on_time_and_late() -> None:
    on_time = of(referral(D(2009, 5, 1), decision_date=D(2009, 5, 5)), D(2009, 6, 1), 1)[0]
    late = of(referral(D(2009, 5, 1), decision_date=D(2009, 5, 6)), D(2009, 6, 1), 1)[0]
    assert (on_time.status, on_time.satisfied_on) == (Status.DONE, D(2009, 5, 5))
    assert (late.status, late.satisfied_on) == (Status.DONE_LATE, D(2009, 5, 6))
    assert late.is_breach


def test_rule_1_christmas() -> None:
    # Wed 2008-12-24: Thu 25 and Fri 26 are bank holidays, then the weekend: the 1st working day is Mon 29.
    assert of(referral(D(2008, 12, 24)), D(2008, 12, 24), 1)[0].due == D(2008, 12, 29)


def test_rule_1_referral_closed_stops_it() -> None:
    # Closed on Mon 4 May, before the deadline (Tue 5), undecided: it never fell due -> no item.
    assert of(referral(D(2009, 5, 1), closure_date=D(2009, 5, 4)), D(2009, 6, 1), 1) == []
    # Closed Thu 7 May, after the deadline passed undecided: overdue, in an ended case, not outstanding.
    [item] = of(referral(D(2009, 5, 1), closure_date=D(2009, 5, 7)), D(2009, 6, 1), 1)
    assert (item.status, item.ended_on) == (Status.OVERDUE, D(2009, 5, 7))
    assert outstanding([item]) == []


# ------------------------------------------------------------------ rule 2


def test_rule_2_initial_assessment_across_easter() -> None:
    # Thu 2009-04-09; Good Friday 10 and Easter Monday 13 are out: 14(1) 15(2) 16(3) 17(4) 20(5) 21(6) 22(7).
    child = referral(D(2009, 4, 9), decision="IA", decision_date=D(2009, 4, 9))
    assert [i.due for i in of(child, D(2009, 4, 9), 2)] == [D(2009, 4, 22)]
    assert of(child, D(2009, 4, 17), 2)[0].status is Status.DUE  # WD(Fri 17, Wed 22) = 3
    assert of(child, D(2009, 4, 20), 2)[0].status is Status.DUE_SOON  # WD(Mon 20, Wed 22) = 2
    assert of(child, D(2009, 4, 22), 2)[0].status is Status.DUE_SOON  # on the day
    assert of(child, D(2009, 4, 23), 2)[0].status is Status.OVERDUE


def test_rule_2_completed_late_and_which_referrals() -> None:
    ref = ReferralRec(10, D(2009, 4, 9), decision="IA", decision_date=D(2009, 4, 9))
    done_late = ChildRecord(
        id=1, referrals=(ref,), assessments=(AssessmentRec(20, 10, "INITIAL", D(2009, 4, 14), D(2009, 4, 23)),)
    )
    assert summary(of(done_late, D(2009, 5, 1), 2)) == [
        (D(2009, 4, 9), D(2009, 4, 22), Status.DONE_LATE, D(2009, 4, 23))
    ]
    # NFA: no assessment due. S47 before 2016: the enquiry is a core assessment (rule 3), no rule 2 item.
    assert of(referral(D(2009, 4, 9), decision="NFA"), D(2009, 5, 1), 2) == []
    assert of(referral(D(2009, 4, 9), decision="S47"), D(2009, 5, 1), 2) == []


def test_rule_2_rule_set_switches_on_6_april_2016_by_referral_date() -> None:
    # Tue 2016-04-05 (2008 set): initial assessment, 7 WD: 6 7 8 (3), 11 12 13 14 (7) -> Thu 14 April.
    [before] = of(referral(D(2016, 4, 5), decision="IA"), D(2016, 4, 6), 2)
    assert (before.due, before.satisfier, str(before.rule.what)) == (
        D(2016, 4, 14),
        Satisfier.INITIAL_ASSESSMENT,
        "initial assessment",
    )
    # Wed 2016-04-06 (2016 set): single assessment, 42 WD: 7 8 (2), 11-15 (7), 18-22 (12), 25-29 (17),
    # [Mon 2 May BH] 3-6 (21), 9-13 (26), 16-20 (31), 23-27 (36), [Mon 30 May BH] 31, 1, 2, 3 June (40),
    # 6 (41), 7 (42) -> Tue 7 June.
    [after] = of(referral(D(2016, 4, 6), decision="IA"), D(2016, 4, 6), 2)
    assert (after.due, after.satisfier, str(after.rule.what)) == (
        D(2016, 6, 7),
        Satisfier.SINGLE_ASSESSMENT,
        "single assessment",
    )


def test_rule_2_from_2016_runs_from_the_start_of_s47_enquiries() -> None:
    # Referral Wed 2016-04-06 decided S47; enquiries start Mon 11 April. 42 WD from Mon 11: 12-15 (4),
    # 18-22 (9), 25-29 (14), [2 May] 3-6 (18), 9-13 (23), 16-20 (28), 23-27 (33), [30 May] 31 May-3 June (37),
    # 6-10 (42) -> Fri 10 June. A CORE assessment completed that day satisfies the single assessment.
    child = ChildRecord(
        id=1,
        referrals=(ReferralRec(10, D(2016, 4, 6), D(2016, 4, 6), "S47", s47_start=D(2016, 4, 11)),),
        assessments=(AssessmentRec(20, 10, "CORE", D(2016, 4, 11), D(2016, 6, 10)),),
    )
    assert summary(of(child, D(2016, 7, 1), 2)) == [(D(2016, 4, 11), D(2016, 6, 10), Status.DONE, D(2016, 6, 10))]
    assert of(child, D(2016, 7, 1), 3) == []  # the core assessment rule was replaced


# ------------------------------------------------------------------ rule 3


def test_rule_3_core_assessment_35_working_days_and_its_end_in_2016() -> None:
    # Started Thu 2009-04-09: 22 Apr is the 7th (Easter), 23 24 (9), 27-1 May (14), [4 May] 5-8 (18),
    # 11-15 (23), 18-22 (28), [25 May] 26-29 (32), 1 2 3 June (35) -> Wed 3 June.
    ref = ReferralRec(10, D(2009, 4, 1), D(2009, 4, 1), "S47")
    child = ChildRecord(id=1, referrals=(ref,), assessments=(AssessmentRec(20, 10, "CORE", D(2009, 4, 9)),))
    [item] = of(child, D(2009, 6, 3), 3)
    assert (item.due, item.status, item.about) == (D(2009, 6, 3), Status.DUE_SOON, About("assessment", 20))
    assert item.confidence == Confidence.I
    late = of(child, D(2009, 6, 4), 3)[0]
    assert late.status is Status.OVERDUE and not late.is_breach  # inferred: guidance, never a breach

    ref16 = ReferralRec(11, D(2016, 4, 1), D(2016, 4, 1), "S47")
    started = lambda d: ChildRecord(id=1, referrals=(ref16,), assessments=(AssessmentRec(21, 11, "CORE", d),))  # noqa: E731
    assert len(of(started(D(2016, 4, 5)), D(2016, 5, 1), 3)) == 1  # started under the 2008 set
    assert of(started(D(2016, 4, 6)), D(2016, 5, 1), 3) == []  # replaced by the single assessment


# ------------------------------------------------------------------ rule 4


def test_rule_4_held_conference_on_time_and_late() -> None:
    # Strategy Fri 2008-05-02 (Mon 5 May BH): 6-9 (4), 12-16 (9), 19-23 (14), [26 May BH] Tue 27 (15).
    child = ChildRecord(
        id=1,
        conferences=(
            ConferenceRec(30, "INITIAL", D(2008, 5, 2), D(2008, 5, 27)),
            ConferenceRec(31, "TRANSFER_IN", D(2008, 5, 2), D(2008, 5, 3)),  # not an initial conference
        ),
    )
    assert summary(of(child, D(2008, 6, 1), 4)) == [(D(2008, 5, 2), D(2008, 5, 27), Status.DONE, D(2008, 5, 27))]
    late = ChildRecord(id=1, conferences=(ConferenceRec(30, "INITIAL", D(2008, 5, 2), D(2008, 5, 28)),))
    [item] = of(late, D(2008, 6, 1), 4)
    assert item.status is Status.DONE_LATE and item.is_breach


def test_rule_4_pending_runs_from_the_last_strategy_discussion() -> None:
    # Discussions Mon 2009-03-02 (conference decided) and Mon 9 March: 15 WD from 9 March:
    # 10-13 (4), 16-20 (9), 23-27 (14), Mon 30 (15).
    child = ChildRecord(
        id=1,
        strategy_discussions=(
            StrategyRec(40, D(2009, 3, 2), conference_decided=True),
            StrategyRec(41, D(2009, 3, 9)),
        ),
    )
    [item] = of(child, D(2009, 3, 31), 4)
    assert (item.about, item.due, item.status) == (About("strategy_discussion", 41), D(2009, 3, 30), Status.OVERDUE)
    # No conference decided: nothing due. A conference recorded after the discussions covers them.
    assert of(ChildRecord(id=1, strategy_discussions=(StrategyRec(40, D(2009, 3, 2)),)), D(2009, 4, 1), 4) == []
    held = ChildRecord(
        id=1,
        strategy_discussions=(StrategyRec(40, D(2009, 3, 2), conference_decided=True),),
        conferences=(ConferenceRec(30, "INITIAL", D(2009, 3, 2), D(2009, 3, 20)),),
    )
    assert [i.about for i in of(held, D(2009, 4, 1), 4)] == [About("conference", 30)]


# ------------------------------------------------------------ rules 5 to 9

REG = RegistrationRec(
    50,
    D(2011, 1, 31),  # Monday
    end_date=D(2011, 9, 1),
    first_core_group=D(2011, 2, 14),
    core_groups=(D(2011, 2, 14), D(2011, 3, 30), D(2011, 9, 5)),  # the last after de-registration: ignored
    reviews=(D(2011, 4, 29),),
)


def test_rules_5_6_core_groups_chain_and_stop_at_deregistration() -> None:
    # First: 10 WD after Mon 31 Jan: 1-4 Feb (4), 7-11 (9), Mon 14 (10) -> held 14 Feb, on time.
    # Second: 14 Feb + 6 weeks = 28 March; held 30 March -> late (inferred: not a breach).
    # Third: 30 March + 6 weeks = 11 May; not held; de-registered 1 Sept -> overdue in an ended case.
    child = ChildRecord(id=1, registrations=(REG,))
    items = [i for i in due_items(child, D(2011, 9, 10)) if i.rule.number in (5, 6)]
    assert [(i.rule.number, *s) for i, s in zip(items, summary(items), strict=True)] == [
        (5, D(2011, 1, 31), D(2011, 2, 14), Status.DONE, D(2011, 2, 14)),
        (6, D(2011, 2, 14), D(2011, 3, 28), Status.DONE_LATE, D(2011, 3, 30)),
        (6, D(2011, 3, 30), D(2011, 5, 11), Status.OVERDUE, None),
    ]
    assert not items[1].is_breach
    assert items[2].ended_on == D(2011, 9, 1) and outstanding(items) == []


def test_rule_6_due_soon_is_seven_days() -> None:
    open_reg = RegistrationRec(50, D(2011, 1, 31), core_groups=(D(2011, 2, 14), D(2011, 3, 30)))
    child = ChildRecord(id=1, registrations=(open_reg,))
    assert of(child, D(2011, 5, 3), 6)[-1].status is Status.DUE  # 8 days before 11 May
    assert of(child, D(2011, 5, 4), 6)[-1].status is Status.DUE_SOON  # 7 days before
    assert of(child, D(2011, 5, 12), 6)[-1].status is Status.OVERDUE


def test_rules_7_8_reviews_with_month_end_clamping() -> None:
    # Registered Mon 2011-01-31: first review 31 Jan + 3 months = 30 April (clamped); held Fri 29 April.
    # Next: 29 April + 6 months = 29 Oct, after de-registration (1 Sept): dropped.
    child = ChildRecord(id=1, registrations=(REG,))
    items = [i for i in due_items(child, D(2011, 12, 1)) if i.rule.number in (7, 8)]
    assert [(i.rule.number, *s) for i, s in zip(items, summary(items), strict=True)] == [
        (7, D(2011, 1, 31), D(2011, 4, 30), Status.DONE, D(2011, 4, 29)),
    ]
    # While still registered the second review is pending, 6 months after the first was held.
    still = ChildRecord(id=1, registrations=(RegistrationRec(50, D(2011, 1, 31), reviews=(D(2011, 4, 29),)),))
    assert summary(of(still, D(2011, 10, 22), 8)) == [(D(2011, 4, 29), D(2011, 10, 29), Status.DUE_SOON, None)]
    # 30 Nov + 3 months = 28 Feb 2009 (clamped); held 2 March -> late.
    nov = ChildRecord(id=1, registrations=(RegistrationRec(51, D(2008, 11, 30), reviews=(D(2009, 3, 2),)),))
    assert summary(of(nov, D(2009, 3, 3), 7)) == [(D(2008, 11, 30), D(2009, 2, 28), Status.DONE_LATE, D(2009, 3, 2))]


def test_rule_9_visits_seen_alone() -> None:
    # Registered Mon 2011-01-31: 10 WD -> Mon 14 Feb; visit Thu 10 Feb seen alone -> done.
    # Next: 10 WD after Thu 10 Feb: 11 (1), 14-18 (6), 21-24 (10) -> Thu 24 Feb. The visit of 23 Feb was not
    # seen alone and the LAC visit is another kind: neither counts.
    child = ChildRecord(
        id=1,
        registrations=(RegistrationRec(50, D(2011, 1, 31)),),
        visits=(
            VisitRec(60, D(2011, 2, 10), "CP", seen_alone=True),
            VisitRec(61, D(2011, 2, 23), "CP", seen_alone=False),
            VisitRec(62, D(2011, 2, 22), "LAC", seen_alone=True),
        ),
    )
    assert summary(of(child, D(2011, 2, 25), 9)) == [
        (D(2011, 1, 31), D(2011, 2, 14), Status.DONE, D(2011, 2, 10)),
        (D(2011, 2, 10), D(2011, 2, 24), Status.OVERDUE, None),
    ]


# ----------------------------------------------------------- rules 10 to 19


def period(start: date, end: date | None = None, place: str = "F1", first_id: int = 70) -> EpisodeRec:
    return EpisodeRec(first_id, start, end, "S", "C2", place, "CF1")


def test_rule_10_care_plan_before_the_first_placement() -> None:
    start = D(2009, 1, 5)
    in_place = ChildRecord(id=1, episodes=(period(start),), plans=(PlanRec(80, "CARE_PLAN", D(2009, 1, 5)),))
    assert summary(of(in_place, D(2009, 2, 1), 10)) == [(start, start, Status.DONE, D(2009, 1, 5))]
    late = ChildRecord(
        id=1,
        episodes=(period(start),),
        plans=(
            PlanRec(81, "CARE_PLAN", D(2008, 6, 1), D(2008, 12, 1)),  # an earlier plan, ended: not in place
            PlanRec(82, "CARE_PLAN", D(2009, 1, 7)),
        ),
    )
    [item] = of(late, D(2009, 2, 1), 10)
    assert (item.status, item.satisfied_on, item.is_breach) == (Status.DONE_LATE, D(2009, 1, 7), True)
    # From 6 April 2016 within 10 WD: Mon 11 April 2016 -> 12-15 (4), 18-22 (9), Mon 25 (10); plan on 22 April.
    later = ChildRecord(id=1, episodes=(period(D(2016, 4, 11)),), plans=(PlanRec(83, "CARE_PLAN", D(2016, 4, 22)),))
    assert summary(of(later, D(2016, 5, 1), 10)) == [(D(2016, 4, 11), D(2016, 4, 25), Status.DONE, D(2016, 4, 22))]


def test_rules_11_12_overdue_when_nothing_is_recorded() -> None:
    # Placement Mon 2009-01-05: health assessment 14 WD -> Fri 23 Jan; GP 10 WD -> Mon 19 Jan.
    # (Recorded assessments and registrations: tests/timescales/test_care_duties.py.)
    child = ChildRecord(id=1, episodes=(period(D(2009, 1, 5)),))
    [health] = of(child, D(2009, 3, 1), 11)
    [gp] = of(child, D(2009, 3, 1), 12)
    assert (health.due, health.status, health.about) == (D(2009, 1, 23), Status.OVERDUE, About("placement", 70))
    assert (gp.due, gp.status) == (D(2009, 1, 19), Status.OVERDUE)
    assert health.is_breach and outstanding([health, gp]) == [health, gp]  # R rules before 2016


def test_rules_13_14_visits_restart_with_each_placement() -> None:
    # Placement 1 Mon 2009-01-05: first visit within 1 week (12 Jan); visited Fri 9 Jan -> done.
    # Next 9 Jan + 6 weeks = 20 Feb; visited 20 Feb -> done; next 3 April, but placement 2 starts Mon 2 March
    # (RNE P): dropped. Placement 2: first visit due 9 March, not made by 12 March -> overdue.
    child = ChildRecord(
        id=1,
        episodes=(period(D(2009, 1, 5), D(2009, 3, 2)), EpisodeRec(71, D(2009, 3, 2), None, "P", "C2", "F2", "CF2")),
        visits=(VisitRec(60, D(2009, 1, 9), "LAC"), VisitRec(61, D(2009, 2, 20), "LAC")),
    )
    items = [i for i in due_items(child, D(2009, 3, 12)) if i.rule.number in (13, 14)]
    assert [(i.rule.number, i.about.id, *s) for i, s in zip(items, summary(items), strict=True)] == [
        (13, 70, D(2009, 1, 5), D(2009, 1, 12), Status.DONE, D(2009, 1, 9)),
        (14, 70, D(2009, 1, 9), D(2009, 2, 20), Status.DONE, D(2009, 2, 20)),
        (13, 71, D(2009, 3, 2), D(2009, 3, 9), Status.OVERDUE, None),
    ]


def test_rule_14_after_the_first_year_of_a_long_term_placement() -> None:
    # Long-term fostering (U4) from Mon 2009-01-05; anniversary 2010-01-05. A visit on 4 Jan 2010 (first
    # year) -> +6 weeks = 15 Feb; a visit on 5 Jan 2010 (after) -> +3 months = 5 April. Short-term (F1): 6 weeks.
    def last_due(place: str, visit: date) -> date:
        child = ChildRecord(id=1, episodes=(period(D(2009, 1, 5), place=place),), visits=(VisitRec(60, visit, "LAC"),))
        return of(child, visit, 14)[-1].due

    assert last_due("U4", D(2010, 1, 4)) == D(2010, 2, 15)
    assert last_due("U4", D(2010, 1, 5)) == D(2010, 4, 5)
    assert last_due("F1", D(2010, 1, 5)) == D(2010, 2, 16)


def test_temporary_absence_and_return_is_not_a_new_placement() -> None:
    child = ChildRecord(
        id=1,
        episodes=(
            period(D(2009, 1, 5), D(2009, 2, 2)),
            EpisodeRec(71, D(2009, 2, 2), D(2009, 2, 9), "P", "C2", "T1", ""),
            EpisodeRec(72, D(2009, 2, 9), None, "P", "C2", "F1", "CF1"),  # back to the same placement
        ),
    )
    assert [i.about for i in of(child, D(2009, 3, 1), 13)] == [About("placement", 70)]


def test_rules_15_to_17_reviews_restart_with_a_new_period_of_care() -> None:
    # Period 1: Mon 2009-01-05 to 2 March. First review 20 WD: 6-9 (4), 12-16 (9), 19-23 (14), 26-30 (19),
    # Mon 2 Feb (20); held 2 Feb. Second due 2 May: after the period ended -> dropped.
    # A review on 1 May 2009, when not looked after, is ignored. A short break (V3) in April is ignored.
    # Period 2: Mon 1 June: 2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19), Mon 29 June (20); held Fri 26 June.
    # Second: 26 June + 3 months = 26 Sept; held 28 Sept -> late. Third: 28 Sept + 6 months = 28 March 2010.
    child = ChildRecord(
        id=1,
        episodes=(
            period(D(2009, 1, 5), D(2009, 3, 2)),
            EpisodeRec(72, D(2009, 4, 1), D(2009, 4, 3), "S", "V3", "P1", ""),
            EpisodeRec(73, D(2009, 6, 1), None, "S", "C2", "F1", "CF1"),
        ),
        lac_reviews=tuple(
            LACReviewRec(90 + k, d)
            for k, d in enumerate([D(2009, 2, 2), D(2009, 5, 1), D(2009, 6, 26), D(2009, 9, 28)])
        ),
    )
    items = [i for i in due_items(child, D(2010, 3, 21)) if i.rule.number in (15, 16, 17)]
    assert [(i.rule.number, i.about.id, *s) for i, s in zip(items, summary(items), strict=True)] == [
        (15, 70, D(2009, 1, 5), D(2009, 2, 2), Status.DONE, D(2009, 2, 2)),
        (15, 73, D(2009, 6, 1), D(2009, 6, 29), Status.DONE, D(2009, 6, 26)),
        (16, 73, D(2009, 6, 26), D(2009, 9, 26), Status.DONE_LATE, D(2009, 9, 28)),
        (17, 73, D(2009, 9, 28), D(2010, 3, 28), Status.DUE_SOON, None),  # 7 days before
    ]
    assert [i.sequence for i in items] == [1, 1, 2, 3]
    # IRO (18) due with the first review, permanence plan (19) with the second: nothing recorded, so overdue
    # (period 1's IRO item stays, ended; its permanence plan fell due on 2 May, after the period ended).
    iro = [(i.about.id, i.due, i.status, i.ended_on) for i in due_items(child, D(2010, 3, 21)) if i.rule.number == 18]
    perm = [(i.about.id, i.due, i.status) for i in due_items(child, D(2010, 3, 21)) if i.rule.number == 19]
    assert iro == [(70, D(2009, 2, 2), Status.OVERDUE, D(2009, 3, 2)), (73, D(2009, 6, 29), Status.OVERDUE, None)]
    assert perm == [(73, D(2009, 9, 26), Status.OVERDUE)]  # period 1 ended (2 March) before 2 May


# ----------------------------------------------------------- rules 20 to 22


def test_rule_20_eligibility_at_16() -> None:
    # Born 1993-05-10: 14 on 2007-05-10, 16 on 2009-05-10. Looked after from 5 Jan 2009: by the 16th birthday
    # 27 + 28 + 31 + 30 + 10 = 126 days >= 91 -> eligible on the birthday; due 3 months later, 10 Aug.
    early = ChildRecord(id=1, date_of_birth=D(1993, 5, 10), episodes=(period(D(2009, 1, 5)),))
    assert eligible_from(early, D(2009, 6, 1)) == D(2009, 5, 10)
    [item] = of(early, D(2009, 6, 1), 20)
    assert (item.due, item.status) == (D(2009, 8, 10), Status.DUE)
    # Looked after from 1 April 2009: 40 days by the birthday; the 91st day is 30 June (30 + 31 + 30).
    late = ChildRecord(id=1, date_of_birth=D(1993, 5, 10), episodes=(period(D(2009, 4, 1)),))
    assert eligible_from(late, D(2009, 7, 1)) == D(2009, 6, 30)
    assert eligible_from(late, D(2009, 6, 29)) is None  # not yet: open episodes count up to today
    # Left care before 16: not eligible.
    left = ChildRecord(id=1, date_of_birth=D(1993, 5, 10), episodes=(period(D(2008, 1, 5), D(2009, 5, 1)),))
    assert eligible_from(left, D(2009, 7, 1)) is None


def test_rule_21_pathway_plan_reviews() -> None:
    # First plan 15 Jan 2010 -> review due 15 July; the next plan (a review) on 20 July -> late, R: a breach.
    # Next due 20 Jan 2011, but the plan ended on 1 Dec 2010 -> dropped.
    child = ChildRecord(
        id=1,
        plans=(
            PlanRec(100, "PATHWAY_PLAN", D(2010, 1, 15), D(2010, 7, 20)),
            PlanRec(101, "PATHWAY_PLAN", D(2010, 7, 20), D(2010, 12, 1)),
        ),
    )
    items = of(child, D(2011, 2, 1), 21)
    assert summary(items) == [(D(2010, 1, 15), D(2010, 7, 15), Status.DONE_LATE, D(2010, 7, 20))]
    assert items[0].is_breach
    # From 2016, guidance only (I); 31 May + 6 months = 30 Nov (clamped).
    new = ChildRecord(id=1, plans=(PlanRec(102, "PATHWAY_PLAN", D(2016, 5, 31)),))
    [item] = of(new, D(2016, 12, 1), 21)
    assert (item.due, item.status, item.confidence, item.is_breach) == (
        D(2016, 11, 30),
        Status.OVERDUE,
        Confidence.I,
        False,
    )


def test_rule_22_contact_at_19_and_its_window() -> None:
    # Born 1990-08-31: 19 on 2009-08-31; window 31 May to 30 Nov 2009 (31 Aug + 3 months, clamped).
    child = ChildRecord(
        id=1, date_of_birth=D(1990, 8, 31), plans=(PlanRec(100, "PATHWAY_PLAN", D(2008, 9, 1), D(2009, 9, 1)),)
    )
    assert of(child, D(2009, 5, 30), 22) == []  # the window has not opened
    [item] = of(child, D(2009, 5, 31), 22)
    assert (item.due, item.deadline, item.status) == (D(2009, 8, 31), D(2009, 11, 30), Status.DUE)
    assert of(child, D(2009, 11, 23), 22)[0].status is Status.DUE_SOON
    assert of(child, D(2009, 12, 1), 22)[0].status is Status.OVERDUE
    contacted = ChildRecord(
        id=1,
        date_of_birth=D(1990, 8, 31),
        care_leaver_contacts=(CareLeaverRec(110, D(2009, 8, 31), "YES", "F1", "B1"),),
    )
    assert of(contacted, D(2009, 12, 1), 22)[0].status is Status.DONE
    # Never looked after, no plan, no contact row: not a care leaver.
    assert of(ChildRecord(id=1, date_of_birth=D(1990, 8, 31)), D(2009, 9, 1), 22) == []


# ----------------------------------------------------------------- general


def test_nothing_dated_after_today_is_known() -> None:
    # Referral on 5 May 2009 seen from 1 May: not received yet. Decision on 6 May seen from 5 May: not made yet.
    assert due_items(referral(D(2009, 5, 5)), D(2009, 5, 1)) == []
    [item] = of(referral(D(2009, 5, 1), decision_date=D(2009, 5, 6)), D(2009, 5, 5), 1)
    assert (item.status, item.satisfied_on) == (Status.DUE_SOON, None)


def test_death_ends_every_chain() -> None:
    child = ChildRecord(id=1, date_of_death=D(2011, 2, 1), registrations=(RegistrationRec(50, D(2011, 1, 31)),))
    assert due_items(child, D(2011, 6, 1)) == []


def test_items_are_ordered_by_deadline() -> None:
    child = ChildRecord(id=1, referrals=(ReferralRec(10, D(2009, 5, 1), decision="IA"),))
    assert [(i.rule.number, i.deadline) for i in due_items(child, D(2009, 5, 1))] == [
        (1, D(2009, 5, 5)),
        (2, D(2009, 5, 13)),  # 7 WD: Tue 5 - Fri 8 (4), 11 12 13 (7)
    ]
