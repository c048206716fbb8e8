"""Records built from the case model in a fixed number of queries, and the configured "today"."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from pytest_django.fixtures import DjangoAssertNumQueries

from diogel.access.models import IROAssignment
from diogel.cases import models as m
from diogel.errors import UserError
from diogel.timescales import from_models
from diogel.timescales.due import Status
from diogel.timescales.from_models import child_record, child_records, due_for_child, due_for_children, today
from diogel.timescales.records import (
    AssessmentRec,
    CareLeaverRec,
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
)

D = date
QUERIES = 19  # children + 17 prefetched tables + IRO allocations, however many children


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
    episode = m.Episode.objects.get(child=child)
    m.HealthAssessment.objects.create(la=la, child=child, assessed_on=D(2009, 9, 15), episode=episode)
    m.GPRegistration.objects.create(la=la, child=child, registered_on=D(2009, 9, 10), practice="Meddygfa")
    m.PermanencePlan.objects.create(la=la, child=child, recorded_on=D(2009, 9, 28), outcome="LTF")
    m.PathwayAssessment.objects.create(la=la, child=child, completed_on=D(2009, 12, 1))
    iro = get_user_model().objects.create_user(f"iro-{ref}")
    IROAssignment.objects.create(user=iro, child=child, started_on=D(2009, 9, 7), ended_on=D(2010, 1, 4))
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
        "health": m.HealthAssessment.objects.get(child=child).pk,
        "gp": m.GPRegistration.objects.get(child=child).pk,
        "permanence": m.PermanencePlan.objects.get(child=child).pk,
        "pathway": m.PathwayAssessment.objects.get(child=child).pk,
        "iro": IROAssignment.objects.get(child=child).pk,
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
    assert rec.health_assessments == (HealthAssessmentRec(ids["health"], D(2009, 9, 15), ids["episode"]),)
    assert rec.gp_registrations == (GPRegistrationRec(ids["gp"], D(2009, 9, 10)),)
    assert rec.permanence_plans == (PermanencePlanRec(ids["permanence"], D(2009, 9, 28), "LTF"),)
    assert rec.pathway_assessments == (PathwayAssessmentRec(ids["pathway"], D(2009, 12, 1)),)
    assert rec.iro_allocations == (IROAllocationRec(ids["iro"], D(2009, 9, 7), D(2010, 1, 4)),)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_children(
    la: m.LocalAuthority, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for k in range(3):
        make_child(la, f"C{k}")
    assert from_models.QUERIES == QUERIES  # the documented count
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
    # Placement Tue 1 Sept 2009. GP (12): 2-4 (3), 7-11 (8), 14-15 (10) -> Tue 15 Sept; registered 10 Sept.
    # Health (11): 16-18 (13), Mon 21 Sept (14); assessed 15 Sept. IRO (18): with the first review, 29 Sept;
    # allocated 7 Sept. Permanence (19): first review 28 Sept + 3 months = 28 Dec; recorded 28 Sept.
    found = {n: (items[(n, 1)].due, items[(n, 1)].status, items[(n, 1)].satisfied_on) for n in (11, 12, 18, 19)}
    assert found == {
        11: (D(2009, 9, 21), Status.DONE, D(2009, 9, 15)),
        12: (D(2009, 9, 15), Status.DONE, D(2009, 9, 10)),
        18: (D(2009, 9, 29), Status.DONE, D(2009, 9, 7)),
        19: (D(2009, 12, 28), Status.DONE, D(2009, 9, 28)),
    }
    # Eligible (20) when 91 days looked after: 1 Sept + 90 days = 30 Nov 2009 (30 + 31 + 30); not yet on 1 Oct.
    assert (20, 1) not in items
    # Due 28 Feb 2010 (30 Nov + 3 months, clamped); the assessment of 1 Dec (unknown on 1 Oct) satisfies it.
    [pathway] = [i for i in due_for_child(child, on=D(2010, 1, 1)) if i.rule.number == 20]
    assert (pathway.trigger_date, pathway.due, pathway.status, pathway.satisfied_on) == (
        D(2009, 11, 30), D(2010, 2, 28), Status.DONE, D(2009, 12, 1),
    )  # fmt: skip


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
