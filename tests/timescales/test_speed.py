"""The shortcuts that make "what is due" cheap give what the plain readings give.

Each fast path is checked against the reading it replaces, written here in the
plain form: the records read as rows against records read from model
instances, ``as_at``'s per-kind check against the field-by-field one, the rule
index against the rule sets, the items' constructor against the dataclass's.
"""

from __future__ import annotations

import random
from dataclasses import FrozenInstanceError, fields, replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from pytest_django.fixtures import DjangoAssertNumQueries

from diogel.access.models import IROAssignment
from diogel.cases import models as m
from diogel.timescales import due, records, rules
from diogel.timescales.due import About, DueItem, Status, due_items
from diogel.timescales.from_models import QUERIES, child_records
from diogel.timescales.records import (
    AssessmentRec,
    CareLeaverRec,
    ChildRecord,
    ConferenceRec,
    EpisodeRec,
    GPRegistrationRec,
    HealthAssessmentRec,
    IROAllocationRec,
    LACReviewRec,
    PathwayAssessmentRec,
    PermanencePlanRec,
    PlanRec,
    ReferralRec,
    RegistrationRec,
    StrategyRec,
    VisitRec,
    as_at,
)

D = date

# ----------------------------------------------------------- items and rules


def test_new_item_is_a_due_item() -> None:
    rule = rules.rule_in_force(14, D(2010, 1, 1))
    assert rule is not None
    args: dict[str, Any] = {
        "rule": rule,
        "child": 7,
        "about": About("placement", 3),
        "trigger_date": D(2010, 1, 1),
        "due": D(2010, 2, 12),
        "deadline": D(2010, 2, 12),
        "status": Status.DONE_LATE,
        "satisfied_on": D(2010, 2, 15),
        "ended_on": None,
        "sequence": 2,
    }
    fast = due._new_item(**args)
    plain = DueItem(**args)
    assert type(fast) is DueItem
    assert fast == plain and repr(fast) == repr(plain)
    assert [getattr(fast, f.name) for f in fields(DueItem)] == list(args.values())
    assert (fast.is_breach, fast.is_open, fast.satisfier) == (plain.is_breach, plain.is_open, plain.satisfier)
    with pytest.raises(FrozenInstanceError):
        fast.status = Status.DONE  # type: ignore[misc]


def test_rule_index_agrees_with_the_rule_sets() -> None:
    days = [D(1, 1, 1), D(2008, 1, 1), D(2016, 4, 5), D(2016, 4, 6), D(2030, 1, 1), D(9999, 12, 31)]
    for d in days:
        for number in range(24):
            assert rules.rule_in_force(number, d) is rules.rule_set_on(d).get(number)


def test_soon_in_working_days_for_declared_and_other_rules() -> None:
    expected = {n: n in (1, 2, 3, 4, 5, 9, 11, 12, 15, 18) for n in rules.RULE_NUMBERS}
    for rule in rules.ALL_RULES:
        assert rules.soon_is_working_days(rule) is rules._soon_is_working_days(rule)
        if rule.in_force_until is not None:  # the 2008 set: rule 18 is due with rule 15 (working days)
            assert rules.soon_is_working_days(rule) is expected[rule.number], rule.number
    # A rule not declared (a test's variant) is worked out, not looked up.
    first_visit = rules.rule_in_force(13, D(2010, 1, 1))
    assert first_visit is not None
    variant = replace(first_visit, interval=rules.Interval(5, rules.Unit.WORKING_DAYS))
    assert rules.soon_is_working_days(first_visit) is False
    assert rules.soon_is_working_days(variant) is True


def test_dates_between_is_the_open_case_filter() -> None:
    rng = random.Random(3)
    for _ in range(300):
        dates = sorted({D(2010, 1, 1) + timedelta(days=rng.randrange(200)) for _ in range(rng.randrange(12))})
        start = D(2010, 1, 1) + timedelta(days=rng.randrange(200))
        end = rng.choice([None, start + timedelta(days=rng.randrange(60))])
        assert list(due._between(dates, start, end)) == [d for d in dates if due._open_on(d, start, end)]


# ------------------------------------------------------------------ as_at


def _as_at_plainly(child: ChildRecord, today: date) -> ChildRecord:
    """``as_at`` field by field: the reading the per-kind shortcut must give."""
    changes: dict[str, Any] = {}
    for f in fields(child):
        value = getattr(child, f.name)
        if not isinstance(value, tuple):
            continue
        kept = []
        for rec in value:
            name = records._EVENT_DATE.get(type(rec))
            own = getattr(rec, name) if name else today
            if own is not None and own <= today:
                kept.append(records._blank_future(rec, today))
        changes[f.name] = tuple(kept)
    if child.date_of_death is not None and child.date_of_death > today:
        changes["date_of_death"] = None
    return replace(child, **changes)


def _random_child(rng: random.Random, pk: int) -> ChildRecord:
    def day() -> date | None:
        return None if rng.random() < 0.15 else D(2008, 1, 1) + timedelta(days=rng.randrange(3000))

    def some(make: Any) -> tuple[Any, ...]:
        return tuple(make(k) for k in range(rng.randrange(4)))

    return ChildRecord(
        id=pk,
        date_of_birth=day(),
        date_of_death=day() if rng.random() < 0.2 else None,
        referrals=some(lambda k: ReferralRec(k, day(), day(), "IA", day(), day())),
        assessments=some(lambda k: AssessmentRec(k, 1, "CORE", day(), day())),
        strategy_discussions=some(lambda k: StrategyRec(k, day(), None, True)),
        conferences=some(lambda k: ConferenceRec(k, "INITIAL", day(), day())),
        registrations=some(
            lambda k: RegistrationRec(
                k, day(), day(), day(), tuple(d for d in (day(), day()) if d), tuple(d for d in (day(),) if d)
            )
        ),
        visits=some(lambda k: VisitRec(k, day(), "LAC")),
        episodes=some(lambda k: EpisodeRec(k, day(), day())),
        lac_reviews=some(lambda k: LACReviewRec(k, day())),
        plans=some(lambda k: PlanRec(k, "CARE_PLAN", day(), day())),
        care_leaver_contacts=some(lambda k: CareLeaverRec(k, day(), "YES")),
        health_assessments=some(lambda k: HealthAssessmentRec(k, day(), None)),
        gp_registrations=some(lambda k: GPRegistrationRec(k, day())),
        iro_allocations=some(lambda k: IROAllocationRec(k, day(), day())),
        permanence_plans=some(lambda k: PermanencePlanRec(k, day(), "LTF")),
        pathway_assessments=some(lambda k: PathwayAssessmentRec(k, day())),
    )


def test_as_at_gives_the_field_by_field_reading() -> None:
    rng = random.Random(8)
    for pk in range(400):
        child = _random_child(rng, pk)
        for today in (D(2008, 6, 1), D(2011, 3, 31), D(2014, 12, 31), D(2020, 1, 1)):
            assert as_at(child, today) == _as_at_plainly(child, today)
            assert due_items(child, today) == due_items(_as_at_plainly(child, today), today)


def test_as_at_keeps_the_record_when_nothing_is_later() -> None:
    child = as_at(_random_child(random.Random(1), 1), D(2030, 1, 1))  # no record without its own date
    assert as_at(child, D(2030, 1, 1)) is child
    # A tuple of mixed kinds (which the database never gives) takes the plain path.
    mixed = replace(child, visits=(VisitRec(1, D(2010, 1, 1), "LAC"), LACReviewRec(2, D(2012, 1, 1))))  # type: ignore[arg-type]
    assert as_at(mixed, D(2011, 1, 1)).visits == (VisitRec(1, D(2010, 1, 1), "LAC"),)
    assert as_at(mixed, D(2011, 1, 1)) == _as_at_plainly(mixed, D(2011, 1, 1))


# ----------------------------------------------------- records from the rows


def _record_from_instances(child: m.Child) -> ChildRecord:
    """The record read through model instances, as ``child_records`` did with ``prefetch_related``."""
    strategy = list(m.StrategyDiscussion.objects.filter(child=child))
    referral_of = {s.pk: s.referral_id for s in strategy}
    s47: dict[int, date] = {}
    decided: set[int] = set()
    for e in m.Section47Enquiry.objects.filter(child=child):
        if e.strategy_discussion_id is None:
            continue
        if e.outcome == "CONFERENCE":
            decided.add(e.strategy_discussion_id)
        ref = referral_of.get(e.strategy_discussion_id)
        if ref is not None and (ref not in s47 or e.start_date < s47[ref]):
            s47[ref] = e.start_date
    return ChildRecord(
        id=child.pk,
        ref=child.child_ref,
        date_of_birth=child.date_of_birth,
        date_of_death=child.date_of_death,
        referrals=tuple(
            ReferralRec(r.pk, r.referral_date, r.decision_date, r.decision, r.closure_date, s47.get(r.pk))
            for r in m.Referral.objects.filter(child=child)
        ),
        assessments=tuple(
            AssessmentRec(a.pk, a.referral_id, a.assessment_type, a.start_date, a.completed_date)
            for a in m.Assessment.objects.filter(child=child)
        ),
        strategy_discussions=tuple(StrategyRec(s.pk, s.held_on, s.referral_id, s.pk in decided) for s in strategy),
        conferences=tuple(
            ConferenceRec(c.pk, c.conference_type, c.strategy_date, c.conference_date)
            for c in m.ConferenceSubject.objects.filter(child=child).order_by("strategy_date", "pk")
        ),
        registrations=tuple(
            RegistrationRec(
                g.pk,
                g.start_date,
                g.end_date,
                g.first_core_group,
                tuple(sorted(c.held_on for c in g.core_group_meetings.all())),
                tuple(sorted(r.review_date for r in g.reviews.all() if r.review_date is not None)),
            )
            for g in m.Registration.objects.filter(child=child)
        ),
        visits=tuple(
            VisitRec(v.pk, v.visit_date, v.visit_type, v.seen_alone == "Y")
            for v in m.Visit.objects.filter(child=child).order_by("pk")
        ),
        episodes=tuple(
            EpisodeRec(e.pk, e.decom, e.dec, e.rne, e.legal_status, e.placement, e.pl_post)
            for e in m.Episode.objects.filter(child=child)
        ),
        lac_reviews=tuple(
            LACReviewRec(r.pk, r.review_date) for r in m.LookedAfterReview.objects.filter(child=child).order_by("pk")
        ),
        plans=tuple(
            PlanRec(p.pk, p.plan_type, p.start_date, p.end_date) for p in m.CarePlan.objects.filter(child=child)
        ),
        care_leaver_contacts=tuple(
            CareLeaverRec(c.pk, c.birthday_19, c.in_touch, c.activity, c.accommodation)
            for c in m.CareLeaverContact.objects.filter(child=child).order_by("pk")
        ),
        health_assessments=tuple(
            HealthAssessmentRec(h.pk, h.assessed_on, h.episode_id)
            for h in m.HealthAssessment.objects.filter(child=child)
        ),
        gp_registrations=tuple(
            GPRegistrationRec(g.pk, g.registered_on) for g in m.GPRegistration.objects.filter(child=child)
        ),
        iro_allocations=tuple(
            IROAllocationRec(a.pk, a.started_on, a.ended_on)
            for a in IROAssignment.objects.filter(child=child).order_by("started_on", "pk")
        ),
        permanence_plans=tuple(
            PermanencePlanRec(p.pk, p.recorded_on, p.outcome) for p in m.PermanencePlan.objects.filter(child=child)
        ),
        pathway_assessments=tuple(
            PathwayAssessmentRec(p.pk, p.completed_on) for p in m.PathwayAssessment.objects.filter(child=child)
        ),
    )


def _make_history(la: m.LocalAuthority, ref: str, rng: random.Random) -> m.Child:
    """A child with a few rows in every table, some dates blank, in an order unlike their dates."""

    def day(blank: bool = False) -> date | None:
        return None if blank and rng.random() < 0.3 else D(2008, 1, 1) + timedelta(days=rng.randrange(2500))

    def after(start: date | None, blank: bool = True) -> date | None:
        """A later date (end on or after start, as the constraints want), or blank."""
        if start is None or (blank and rng.random() < 0.3):
            return None if blank else day()
        return start + timedelta(days=rng.randrange(400))

    child = m.Child.objects.create(la=la, child_ref=ref, date_of_birth=D(1994, 2, 28), date_of_death=day(True))
    referrals = []
    for k in range(3):
        received, started = day(), day()
        referrals.append(
            m.Referral.objects.create(
                la=la, child=child, referral_ref=f"{ref}-R{k}", referral_date=received, decision_date=after(received),
                decision=rng.choice(["IA", "S47", "NFA", ""]), closure_date=after(received),
            )
        )  # fmt: skip
        m.Assessment.objects.create(
            la=la, child=child, referral=referrals[-1], assessment_ref=f"{ref}-A{k}",
            assessment_type=rng.choice(["INITIAL", "CORE"]), start_date=started, completed_date=after(started),
        )  # fmt: skip
        sd = m.StrategyDiscussion.objects.create(
            la=la, child=child, referral=rng.choice([*referrals, None]), held_on=day()
        )
        m.Section47Enquiry.objects.create(
            la=la, child=child, strategy_discussion=rng.choice([sd, None]), start_date=day(),
            outcome=rng.choice(["CONFERENCE", "NFA"]),
        )  # fmt: skip
        conference = m.Conference.objects.create(la=la, conference_ref=f"{ref}-K{k}")
        strategy_date = day(True)
        m.ConferenceSubject.objects.create(
            la=la, conference=conference, child=child, conference_type=rng.choice(["INITIAL", "TRANSFER_IN"]),
            strategy_date=strategy_date, conference_date=after(strategy_date), outcome="REGISTER",
        )  # fmt: skip
    for k in range(2):
        registered = day()
        reg = m.Registration.objects.create(
            la=la, child=child, registration_ref=f"{ref}-G{k}", start_date=registered,
            end_date=after(registered, blank=k == 1), first_core_group=after(registered),
        )  # fmt: skip
        for _ in range(3):
            m.CoreGroupMeeting.objects.create(registration=reg, held_on=day())
            m.CPReview.objects.create(la=la, child=child, registration=reg, review_date=day(True))
    episodes = []
    for k in range(4):
        m.Visit.objects.create(
            la=la, child=child, visit_date=day(), visit_type=rng.choice(["LAC", "CP"]),
            seen_alone=rng.choice(["Y", "N", ""]),
        )  # fmt: skip
        decom, planned = day(), day()
        episodes.append(
            m.Episode.objects.create(
                la=la, child=child, decom=decom, dec=after(decom, blank=k == 3), rne=rng.choice("SPLTBU"), legal_status="C2",
                placement=rng.choice(["U1", "U4", "T0", "R1"]), pl_post=rng.choice(["", "AB1"]),
            )
        )  # fmt: skip
        m.LookedAfterReview.objects.create(la=la, child=child, review_date=day(), participation="PN1")
        m.CarePlan.objects.create(
            la=la, child=child, plan_ref=f"{ref}-P{k}", plan_type=rng.choice(["CARE_PLAN", "PATHWAY_PLAN"]),
            start_date=planned, end_date=after(planned),
        )  # fmt: skip
        m.HealthAssessment.objects.create(la=la, child=child, assessed_on=day(), episode=rng.choice([*episodes, None]))
        m.GPRegistration.objects.create(la=la, child=child, registered_on=day(), practice="Meddygfa")
        m.PermanencePlan.objects.create(la=la, child=child, recorded_on=day(), outcome="LTF")
        m.PathwayAssessment.objects.create(la=la, child=child, completed_on=day())
        iro = get_user_model().objects.create_user(f"iro-{ref}-{k}")
        allocated = day()
        IROAssignment.objects.create(user=iro, child=child, started_on=allocated, ended_on=after(allocated))
    m.CareLeaverContact.objects.create(la=la, child=child, birthday_19=D(2013, 2, 28), in_touch="YES")
    return child


@pytest.fixture
def la() -> m.LocalAuthority:
    return m.LocalAuthority.objects.get(code="W06000015")


def _unordered(rec: ChildRecord) -> ChildRecord:
    """``rec`` with each tuple sorted by id: rows tied on their order (same date) may come either way."""
    return replace(
        rec,
        **{
            f.name: tuple(sorted(getattr(rec, f.name), key=lambda r: r.id))
            for f in fields(rec)
            if isinstance(getattr(rec, f.name), tuple)
        },
    )


@pytest.mark.django_db
def test_records_from_rows_are_the_records_from_model_instances(
    la: m.LocalAuthority, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    rng = random.Random(5)
    children = [_make_history(la, f"H{k}", rng) for k in range(4)]
    with django_assert_num_queries(QUERIES):
        found = child_records(m.Child.objects.filter(la=la).order_by("-child_ref"))
    assert [r.ref for r in found] == ["H3", "H2", "H1", "H0"]
    for rec, child in zip(found, reversed(children), strict=True):
        plain = _record_from_instances(child)
        assert _unordered(rec) == _unordered(plain)
        # Ordered as the models order them (by date, then reference or id).
        assert [e.decom for e in rec.episodes] == sorted(e.decom for e in rec.episodes if e.decom)
        for today in (D(2010, 6, 30), D(2012, 3, 31), D(2015, 3, 31)):
            assert due_items(rec, today) == due_items(plain, today)


@pytest.mark.django_db
def test_fewer_queries_when_there_is_nothing_to_read(
    la: m.LocalAuthority, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        assert child_records(m.Child.objects.none()) == []
    with django_assert_num_queries(1):  # the children only
        assert child_records(m.Child.objects.filter(child_ref="nobody")) == []
    m.Child.objects.create(la=la, child_ref="E1")
    with django_assert_num_queries(QUERIES - 2):  # no registration: no core group or review to read
        [rec] = child_records(m.Child.objects.filter(child_ref="E1"))
    assert rec == ChildRecord(id=rec.id, ref="E1")
