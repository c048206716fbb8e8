"""Rules 11, 12, 18, 19 and 20 once their satisfiers are recorded, worked out by hand.

Working days as in test_due.py: "the Nth working day after a" is the working day d with WD(a, d) = N,
WD counting days after a up to d, skipping weekends and bank holidays (England and Wales). Bank holidays
used: 2008-12-25/26, 2009-01-01, Good Friday 2009-04-10, Easter Monday 2009-04-13, early May 2009-05-04,
spring 2009-05-25. Months keep the day number, clamped to the month's last day.
"""

from __future__ import annotations

from datetime import date

from diogel.timescales.due import DueItem, Status, due_items, eligible_from, outstanding
from diogel.timescales.records import (
    ChildRecord,
    EpisodeRec,
    GPRegistrationRec,
    HealthAssessmentRec,
    IROAllocationRec,
    LACReviewRec,
    PathwayAssessmentRec,
    PermanencePlanRec,
)

D = date


def of(child: ChildRecord, today: date, number: int) -> list[DueItem]:
    return [i for i in due_items(child, today) if i.rule.number == number]


def one(child: ChildRecord, today: date, number: int) -> tuple[date, Status, date | None]:
    [item] = of(child, today, number)
    return item.due, item.status, item.satisfied_on


def placed(start: date, end: date | None = None, first_id: int = 70) -> EpisodeRec:
    return EpisodeRec(first_id, start, end, "S", "C2", "F1", "CF1")


# ------------------------------------------------------------------- rules 11 and 12


def test_easter_bank_holidays_inside_the_14_and_10_working_days() -> None:
    # Placement Thu 2009-04-09; Fri 10 and Mon 13 April are bank holidays. Tue 14 (1) … Fri 17 (4),
    # 20-24 (9), Mon 27 (10) -> GP due Mon 27 April; 28, 29, 30 (13), Fri 1 May (14) -> health due Fri 1 May.
    start = D(2009, 4, 9)
    on_time = ChildRecord(
        id=1,
        episodes=(placed(start),),
        health_assessments=(HealthAssessmentRec(1, D(2009, 5, 1)),),
        gp_registrations=(GPRegistrationRec(2, D(2009, 4, 27)),),
    )
    assert one(on_time, D(2009, 6, 1), 11) == (D(2009, 5, 1), Status.DONE, D(2009, 5, 1))
    assert one(on_time, D(2009, 6, 1), 12) == (D(2009, 4, 27), Status.DONE, D(2009, 4, 27))
    # One working day late each: Tue 28 April for the GP; Tue 5 May (Mon 4 May is a bank holiday) for health.
    late = ChildRecord(
        id=1,
        episodes=(placed(start),),
        health_assessments=(HealthAssessmentRec(1, D(2009, 5, 5)),),
        gp_registrations=(GPRegistrationRec(2, D(2009, 4, 28)),),
    )
    [health] = of(late, D(2009, 6, 1), 11)
    assert (health.status, health.satisfied_on, health.is_breach) == (Status.DONE_LATE, D(2009, 5, 5), True)
    assert one(late, D(2009, 6, 1), 12) == (D(2009, 4, 27), Status.DONE_LATE, D(2009, 4, 28))


def test_friday_placement_before_the_spring_bank_holiday() -> None:
    # Placement Fri 2009-05-22; Mon 25 May is a bank holiday. Tue 26 (1) … Fri 29 (4), 1-5 June (9),
    # Mon 8 June (10) -> GP due Mon 8 June; Tue 9 … Fri 12 June (14) -> health due Fri 12 June.
    child = ChildRecord(id=1, episodes=(placed(D(2009, 5, 22)),))
    # On Thu 4 June: WD(4 June, 8 June) = 2 (Fri 5, Mon 8) -> GP due soon; WD(4, 12 June) = 6 -> health due.
    assert one(child, D(2009, 6, 4), 12) == (D(2009, 6, 8), Status.DUE_SOON, None)
    assert one(child, D(2009, 6, 4), 11) == (D(2009, 6, 12), Status.DUE, None)
    # Registered on the bank holiday Monday itself (a practice open that day): on time.
    registered = ChildRecord(
        id=1, episodes=(placed(D(2009, 5, 22)),), gp_registrations=(GPRegistrationRec(2, D(2009, 5, 25)),)
    )
    assert one(registered, D(2009, 6, 4), 12) == (D(2009, 6, 8), Status.DONE, D(2009, 5, 25))
    assert outstanding(of(registered, D(2009, 6, 4), 12)) == []


def test_an_assessment_before_the_placement_starts_does_not_count() -> None:
    # Period from Mon 2009-01-05: health due 14 WD later: 6-9 (4), 12-16 (9), 19-23 (14) -> Fri 23 Jan.
    # An assessment on 2 January (before care began), even recorded for this episode, does not count.
    for episode_id in (None, 70):
        child = ChildRecord(
            id=1,
            episodes=(placed(D(2009, 1, 5)),),
            health_assessments=(HealthAssessmentRec(1, D(2009, 1, 2), episode_id),),
            gp_registrations=(GPRegistrationRec(2, D(2009, 1, 4)),),  # the day before: not for this placement
        )
        assert one(child, D(2009, 2, 1), 11) == (D(2009, 1, 23), Status.OVERDUE, None)
        assert one(child, D(2009, 2, 1), 12) == (D(2009, 1, 19), Status.OVERDUE, None)


def two_placements(*health: HealthAssessmentRec, gp: tuple[GPRegistrationRec, ...] = ()) -> ChildRecord:
    # Placement 1 (episode 70) from Mon 5 Jan 2009; placement 2 (episode 71, RNE P) from Mon 2 Feb;
    # episode 72 (RNE L, same placement) from Tue 10 Feb: a change of legal status, not of placement.
    return ChildRecord(
        id=1,
        episodes=(
            placed(D(2009, 1, 5), D(2009, 2, 2)),
            EpisodeRec(71, D(2009, 2, 2), D(2009, 2, 10), "P", "C2", "U1", "CF2"),
            EpisodeRec(72, D(2009, 2, 10), None, "L", "C1", "U1", "CF2"),
        ),
        health_assessments=health,
        gp_registrations=gp,
    )


def health_by_placement(child: ChildRecord, today: date) -> list[tuple[int, date, Status, date | None]]:
    return [(i.about.id, i.due, i.status, i.satisfied_on) for i in of(child, today, 11)]


def test_two_placements_each_need_their_own_assessment_and_registration() -> None:
    # Placement 1: health due Fri 23 Jan, GP Mon 19 Jan (as above). Placement 2 from Mon 2 Feb:
    # GP 3-6 (4), 9-13 (9), Mon 16 Feb (10); health 17-20 (13)… Fri 20 Feb is the 14th.
    today = D(2009, 3, 2)
    first_only = two_placements(HealthAssessmentRec(1, D(2009, 1, 20)))
    assert health_by_placement(first_only, today) == [
        (70, D(2009, 1, 23), Status.DONE, D(2009, 1, 20)),
        (71, D(2009, 2, 20), Status.OVERDUE, None),
    ]
    # On the day of the move an assessment counts for the new placement, unless recorded for the old one.
    moving_day = two_placements(HealthAssessmentRec(1, D(2009, 2, 2)))
    assert health_by_placement(moving_day, today) == [
        (70, D(2009, 1, 23), Status.OVERDUE, None),
        (71, D(2009, 2, 20), Status.DONE, D(2009, 2, 2)),
    ]
    for_the_old = two_placements(HealthAssessmentRec(1, D(2009, 2, 2), 70))
    assert health_by_placement(for_the_old, today) == [
        (70, D(2009, 1, 23), Status.DONE_LATE, D(2009, 2, 2)),
        (71, D(2009, 2, 20), Status.OVERDUE, None),
    ]
    # Recorded for episode 72 (the legal-status change) but done on 5 Feb: episode 72 belongs to placement 2.
    continuation = two_placements(HealthAssessmentRec(1, D(2009, 2, 5), 72))
    assert health_by_placement(continuation, today)[1] == (71, D(2009, 2, 20), Status.DONE, D(2009, 2, 5))
    # Recorded for placement 1 but done weeks after the move: counted where the child was (placement 2).
    stray = two_placements(HealthAssessmentRec(1, D(2009, 2, 25), 70))
    assert health_by_placement(stray, today) == [
        (70, D(2009, 1, 23), Status.OVERDUE, None),
        (71, D(2009, 2, 20), Status.DONE_LATE, D(2009, 2, 25)),
    ]
    # The overdue item of the ended placement stays on the record but leaves the caseload.
    [old, new] = of(stray, today, 11)
    assert old.ended_on == D(2009, 2, 2) and outstanding([old, new]) == []
    gp = two_placements(gp=(GPRegistrationRec(2, D(2009, 1, 19)), GPRegistrationRec(3, D(2009, 2, 17))))
    assert [(i.about.id, i.status, i.satisfied_on) for i in of(gp, today, 12)] == [
        (70, Status.DONE, D(2009, 1, 19)),
        (71, Status.DONE_LATE, D(2009, 2, 17)),
    ]


def test_records_dated_after_today_are_not_known_yet() -> None:
    child = ChildRecord(
        id=1, episodes=(placed(D(2009, 1, 5)),), health_assessments=(HealthAssessmentRec(1, D(2009, 1, 20)),)
    )
    # On Mon 19 Jan the assessment of 20 Jan has not happened yet; WD(Mon 19, Fri 23) = 4 > 2: "due".
    assert one(child, D(2009, 1, 19), 11) == (D(2009, 1, 23), Status.DUE, None)
    assert one(child, D(2009, 1, 20), 11) == (D(2009, 1, 23), Status.DONE, D(2009, 1, 20))


def test_health_from_2016_is_guidance() -> None:
    # Rule 11 is '—' in the spec from 6 April 2016: kept as I, never a breach. Placement Mon 2016-05-09:
    # 10-13 (4), 16-20 (9), 23-27 (14) -> Fri 27 May.
    child = ChildRecord(id=1, episodes=(placed(D(2016, 5, 9)),))
    [item] = of(child, D(2016, 6, 1), 11)
    assert (item.due, item.status, item.is_breach) == (D(2016, 5, 27), Status.OVERDUE, False)


# -------------------------------------------------------------- rules 18 and 19


def across_the_year_end(**kw: object) -> ChildRecord:
    # Period from Mon 2008-12-15: 16-19 (4), 22-24 (7), [25, 26 Dec], 29-31 (10), [1 Jan], Fri 2 (11),
    # Mon 5 (12), Tue 6 (13), Wed 7 (14), Thu 8 (15), Fri 9 (16), 12-15 (20) -> first review due Thu 15 Jan
    # 2009, and with it the IRO (18). No review held: the second is due 15 Jan + 3 months = 15 April (19).
    return ChildRecord(id=1, episodes=(placed(D(2008, 12, 15)),), **kw)  # type: ignore[arg-type]


def test_iro_allocated_before_the_first_review_across_the_year_end() -> None:
    today = D(2009, 2, 1)
    assert one(across_the_year_end(), today, 18) == (D(2009, 1, 15), Status.OVERDUE, None)
    assert not of(across_the_year_end(), today, 18)[0].is_breach  # I before 2016: guidance
    on_time = across_the_year_end(iro_allocations=(IROAllocationRec(1, D(2009, 1, 15)),))
    assert one(on_time, today, 18) == (D(2009, 1, 15), Status.DONE, D(2009, 1, 15))
    late = across_the_year_end(iro_allocations=(IROAllocationRec(1, D(2009, 1, 16)),))
    assert one(late, today, 18) == (D(2009, 1, 15), Status.DONE_LATE, D(2009, 1, 16))
    # Allocated earlier (say for a previous period) and still open: counts from the period's first day.
    earlier = across_the_year_end(iro_allocations=(IROAllocationRec(1, D(2008, 6, 1)),))
    assert one(earlier, today, 18) == (D(2009, 1, 15), Status.DONE, D(2008, 12, 15))
    # An allocation that ended before the period began does not count; a later one does.
    ended = across_the_year_end(
        iro_allocations=(IROAllocationRec(1, D(2008, 6, 1), D(2008, 12, 1)), IROAllocationRec(2, D(2009, 1, 20)))
    )
    assert one(ended, today, 18) == (D(2009, 1, 15), Status.DONE_LATE, D(2009, 1, 20))


def test_iro_rule_is_read_from_2016() -> None:
    # Period from Mon 2016-05-09: 20 WD: 10-13 (4), 16-20 (9), 23-27 (14), [30 May], 31 May-3 June (18),
    # 6-7 June (20) -> Tue 7 June 2016. R from 2016: a late allocation is a breach.
    child = ChildRecord(id=1, episodes=(placed(D(2016, 5, 9)),), iro_allocations=(IROAllocationRec(1, D(2016, 6, 8)),))
    [item] = of(child, D(2016, 7, 1), 18)
    assert (item.due, item.status, item.is_breach) == (D(2016, 6, 7), Status.DONE_LATE, True)


def test_permanence_plan_by_the_second_review() -> None:
    today = D(2009, 4, 16)
    assert one(across_the_year_end(), today, 19) == (D(2009, 4, 15), Status.OVERDUE, None)
    on_time = across_the_year_end(permanence_plans=(PermanencePlanRec(1, D(2009, 4, 15), "LTF"),))
    assert one(on_time, today, 19) == (D(2009, 4, 15), Status.DONE, D(2009, 4, 15))
    # A plan recorded before the period of care began belongs to no period: still overdue.
    before = across_the_year_end(permanence_plans=(PermanencePlanRec(1, D(2008, 12, 1), "HOME"),))
    assert one(before, today, 19) == (D(2009, 4, 15), Status.OVERDUE, None)
    # First review held Mon 12 Jan 2009: the second is due 12 April; a plan on 14 April is late.
    reviewed = across_the_year_end(
        lac_reviews=(LACReviewRec(1, D(2009, 1, 12)),),
        permanence_plans=(PermanencePlanRec(2, D(2009, 4, 14), "ADOPTION"), PermanencePlanRec(3, D(2009, 5, 1))),
    )
    assert one(reviewed, today, 19) == (D(2009, 4, 12), Status.DONE_LATE, D(2009, 4, 14))


def test_a_new_period_of_care_needs_its_own_iro_and_plan() -> None:
    # Period 1: Mon 5 Jan to 2 March 2009 (IRO from 6 Jan, plan 20 Feb). Period 2 from Mon 1 June 2009:
    # first review due 29 June (2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19), Mon 29 (20)); second 29 Sept.
    # The IRO allocated in period 1 ended with it on 2 March; the plan of period 1 does not carry over.
    child = ChildRecord(
        id=1,
        episodes=(placed(D(2009, 1, 5), D(2009, 3, 2)), placed(D(2009, 6, 1), None, 73)),
        iro_allocations=(IROAllocationRec(1, D(2009, 1, 6), D(2009, 3, 2)),),
        permanence_plans=(PermanencePlanRec(1, D(2009, 2, 20), "HOME"),),
    )
    today = D(2009, 10, 1)
    assert [(i.about.id, i.status, i.satisfied_on) for i in of(child, today, 18)] == [
        (70, Status.DONE, D(2009, 1, 6)),
        (73, Status.OVERDUE, None),
    ]
    assert [(i.about.id, i.due, i.status, i.satisfied_on) for i in of(child, today, 19)] == [
        (70, D(2009, 5, 2), Status.DONE, D(2009, 2, 20)),  # due after the period ended, but it was done
        (73, D(2009, 9, 29), Status.OVERDUE, None),
    ]


# ------------------------------------------------------------------------- rule 20


def test_pathway_assessment_with_a_leap_day_16th_birthday() -> None:
    # Born 29 Feb 1996: 14 on 28 Feb 2010 (clamped), 16 on 29 Feb 2012. Looked after since 1 Dec 2009:
    # eligible on the 16th birthday; due 29 Feb + 3 months = 29 May 2012.
    def child(*done: date) -> ChildRecord:
        return ChildRecord(
            id=1,
            date_of_birth=D(1996, 2, 29),
            episodes=(placed(D(2009, 12, 1)),),
            pathway_assessments=tuple(PathwayAssessmentRec(k, d) for k, d in enumerate(done)),
        )

    today = D(2012, 6, 1)
    assert eligible_from(child(), today) == D(2012, 2, 29)
    assert one(child(), today, 20) == (D(2012, 5, 29), Status.OVERDUE, None)
    assert one(child(D(2012, 5, 29)), today, 20) == (D(2012, 5, 29), Status.DONE, D(2012, 5, 29))
    assert one(child(D(2012, 5, 30)), today, 20) == (D(2012, 5, 29), Status.DONE_LATE, D(2012, 5, 30))
    # Completed the day before the 16th birthday: not a pathway assessment of a 16-year-old.
    assert one(child(D(2012, 2, 28)), today, 20) == (D(2012, 5, 29), Status.OVERDUE, None)


def test_pathway_assessment_before_the_13_weeks_are_reached_counts() -> None:
    # Born 29 Feb 1996, looked after from 16 Jan 2012 (aged 15): the 91st day is 16 Jan + 90 days =
    # 15 April 2012 (15 + 29 + 31 + 15), so the clock starts then; due 15 July. Assessed on 1 April,
    # after the 16th birthday but before eligibility: it counts, on time.
    child = ChildRecord(
        id=1,
        date_of_birth=D(1996, 2, 29),
        episodes=(placed(D(2012, 1, 16)),),
        pathway_assessments=(PathwayAssessmentRec(1, D(2012, 4, 1)),),
    )
    [item] = of(child, D(2012, 5, 1), 20)
    assert (item.trigger_date, item.due, item.status, item.satisfied_on) == (
        D(2012, 4, 15),
        D(2012, 7, 15),
        Status.DONE,
        D(2012, 4, 1),
    )
