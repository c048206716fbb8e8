"""Records built from the case model in a fixed number of queries, and the configured "today"."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings
from django.utils import timezone
from pytest_django.fixtures import DjangoAssertNumQueries

from diogel.cases import models as m
from diogel.errors import UserError
from diogel.timescales.due import Status
from diogel.timescales.from_models import child_record, child_records, due_for_child, due_for_children, today
from diogel.timescales.records import (
    AssessmentRec,
    CareLeaverRec,
    ConferenceRec,
    EpisodeRec,
    LACReviewRec,
    PlanRec,
    ReferralRec,
    RegistrationRec,
    StrategyRec,
    VisitRec,
)

D = date
QUERIES = 14  # children + 13 prefetched tables, however many children


def make_child(la: m.LocalAuthority, ref: str) -> m.Child:
    """A child with one row in every table the rules read."""
    child = m.Child.objects.create(la=la, child_ref=ref, date_of_birth=D(1993, 5, 10))
    referral = m.Referral.objects.create(
        la=la, child=child, referral_ref=f"{ref}-R", referral_date=D(2009, 5, 1), decision="S47"
    )
    m.Assessment.objects.create(
        la=la,
        child=child,
        referral=referral,
        assessment_ref=f"{ref}-A",
        assessment_type="CORE",
        start_date=D(2009, 5, 5),
    )
    sd = m.StrategyDiscussion.objects.create(la=la, child=child, referral=referral, held_on=D(2009, 5, 5))
    m.Section47Enquiry.objects.create(
        la=la, child=child, strategy_discussion=sd, start_date=D(2009, 5, 6), outcome="CONFERENCE"
    )
    conference = m.Conference.objects.create(la=la, conference_ref=f"{ref}-K")
    m.ConferenceSubject.objects.create(
        la=la, conference=conference, child=child, conference_type="INITIAL",
        strategy_date=D(2009, 5, 5), conference_date=D(2009, 5, 20), outcome="REGISTER",
    )  # fmt: skip
    reg = m.Registration.objects.create(
        la=la, child=child, registration_ref=f"{ref}-G", start_date=D(2009, 5, 20), first_core_group=D(2009, 6, 1)
    )
    m.CoreGroupMeeting.objects.create(registration=reg, held_on=D(2009, 6, 1))
    m.CPReview.objects.create(la=la, child=child, registration=reg, review_date=D(2009, 8, 20))
    m.Visit.objects.create(la=la, child=child, visit_date=D(2009, 5, 27), visit_type="CP", seen_alone="Y")
    m.Episode.objects.create(la=la, child=child, decom=D(2009, 9, 1), rne="S", legal_status="C2", placement="U4")
    m.LookedAfterReview.objects.create(la=la, child=child, review_date=D(2009, 9, 28), participation="PN1")
    m.CarePlan.objects.create(la=la, child=child, plan_ref=f"{ref}-P", plan_type="CARE_PLAN", start_date=D(2009, 9, 1))
    m.CareLeaverContact.objects.create(la=la, child=child, birthday_19=D(2012, 5, 10), in_touch="YES")
    return child


@pytest.fixture
def la() -> m.LocalAuthority:
    return m.LocalAuthority.objects.get(code="W06000015")


@pytest.mark.django_db
def test_record_carries_every_table(la: m.LocalAuthority) -> None:
    child = make_child(la, "C1")
    rec = child_record(child)
    ids = {
        "referral": m.Referral.objects.get(child=child).pk,
        "assessment": m.Assessment.objects.get(child=child).pk,
        "sd": m.StrategyDiscussion.objects.get(child=child).pk,
        "subject": m.ConferenceSubject.objects.get(child=child).pk,
        "reg": m.Registration.objects.get(child=child).pk,
        "visit": m.Visit.objects.get(child=child).pk,
        "episode": m.Episode.objects.get(child=child).pk,
        "review": m.LookedAfterReview.objects.get(child=child).pk,
        "plan": m.CarePlan.objects.get(child=child).pk,
        "contact": m.CareLeaverContact.objects.get(child=child).pk,
    }
    assert (rec.id, rec.ref, rec.date_of_birth, rec.date_of_death) == (child.pk, "C1", D(1993, 5, 10), None)
    assert rec.referrals == (ReferralRec(ids["referral"], D(2009, 5, 1), None, "S47", None, s47_start=D(2009, 5, 6)),)
    assert rec.assessments == (AssessmentRec(ids["assessment"], ids["referral"], "CORE", D(2009, 5, 5), None),)
    assert rec.strategy_discussions == (StrategyRec(ids["sd"], D(2009, 5, 5), ids["referral"], True),)
    assert rec.conferences == (ConferenceRec(ids["subject"], "INITIAL", D(2009, 5, 5), D(2009, 5, 20)),)
    assert rec.registrations == (
        RegistrationRec(ids["reg"], D(2009, 5, 20), None, D(2009, 6, 1), (D(2009, 6, 1),), (D(2009, 8, 20),)),
    )
    assert rec.visits == (VisitRec(ids["visit"], D(2009, 5, 27), "CP", True),)
    assert rec.episodes == (EpisodeRec(ids["episode"], D(2009, 9, 1), None, "S", "C2", "U4", ""),)
    assert rec.lac_reviews == (LACReviewRec(ids["review"], D(2009, 9, 28)),)
    assert rec.plans == (PlanRec(ids["plan"], "CARE_PLAN", D(2009, 9, 1), None),)
    assert rec.care_leaver_contacts == (CareLeaverRec(ids["contact"], D(2012, 5, 10), "YES", "", ""),)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_children(
    la: m.LocalAuthority, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for k in range(3):
        make_child(la, f"C{k}")
    with django_assert_num_queries(QUERIES):
        records = child_records(m.Child.objects.filter(la=la).order_by("child_ref"))
    assert [r.ref for r in records] == ["C0", "C1", "C2"]
    with django_assert_num_queries(QUERIES):
        result = due_for_children(m.Child.objects.filter(la=la), on=D(2009, 10, 1))
    assert len(result) == 3 and all(result.values())


@pytest.mark.django_db
def test_due_for_child_from_the_database(la: m.LocalAuthority) -> None:
    child = make_child(la, "C1")
    items = {(i.rule.number, i.sequence): i for i in due_for_child(child.pk, on=D(2009, 10, 1))}
    # ICPC: strategy Tue 5 May 2009, conference Wed 20 May: 6-8 (3), 11-15 (8), 18-20 (11) <= 15 -> done.
    assert items[(4, 1)].status is Status.DONE
    # First core group: 10 WD after Wed 20 May: 21 22 (2), [25 May BH] 26-29 (6), 1-4 June (10); held 1 June.
    assert (items[(5, 1)].due, items[(5, 1)].status) == (D(2009, 6, 4), Status.DONE)
    # First CP review: 20 May + 3 months = 20 Aug, held that day.
    assert items[(7, 1)].status is Status.DONE
    # First LAC review: 20 WD after Tue 1 Sept 2009 = Tue 29 Sept; held 28 Sept.
    assert (items[(15, 1)].due, items[(15, 1)].status) == (D(2009, 9, 29), Status.DONE)


@pytest.mark.django_db
def test_child_record_of_a_missing_child() -> None:
    with pytest.raises(m.Child.DoesNotExist):
        child_record(10**9)


def test_today_honours_the_setting() -> None:
    with override_settings(DIOGEL_TODAY="2009-03-31"):
        assert today() == D(2009, 3, 31)
    with override_settings(DIOGEL_TODAY=""):
        assert today() == timezone.localdate()
    with override_settings(DIOGEL_TODAY="31/03/2009"), pytest.raises(UserError, match="YYYY-MM-DD"):
        today()
