"""The database itself refuses bad rows (SQLite and PostgreSQL alike), and the LA data migration ran."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from diogel.cases import models as m
from diogel.dataset.schema import local_authorities

pytestmark = pytest.mark.django_db

D1, D2 = date(2010, 1, 1), date(2010, 6, 1)  # D2 is after D1


@pytest.fixture
def la() -> m.LocalAuthority:
    return m.LocalAuthority.objects.get(code="W06000001")


@pytest.fixture
def child(la: m.LocalAuthority) -> m.Child:
    return m.Child.objects.create(la=la, child_ref="C1")


def _refused(create: Callable[[], Any]) -> None:
    """``create`` must raise IntegrityError; the savepoint keeps the test's transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_the_22_local_authorities_exist_with_welsh_names() -> None:
    stored = {la.code: (la.name_en, la.name_cy) for la in m.LocalAuthority.objects.all()}
    assert len(stored) == 22
    assert stored == {la.code: (la.name_en, la.name_cy) for la in local_authorities()}
    assert stored["W06000001"] == ("Isle of Anglesey", "Ynys Môn")


def test_child_ref_is_unique_within_an_la_only(la: m.LocalAuthority, child: m.Child) -> None:
    other = m.LocalAuthority.objects.get(code="W06000002")
    m.Child.objects.create(la=other, child_ref="C1")  # the same CHILD in another LA is allowed
    _refused(lambda: m.Child.objects.create(la=la, child_ref="C1"))


def test_referral_ref_unique_and_dates_in_order(la: m.LocalAuthority, child: m.Child) -> None:
    m.Referral.objects.create(la=la, child=child, referral_ref="R1", referral_date=D1, decision_date=D1)
    _refused(lambda: m.Referral.objects.create(la=la, child=child, referral_ref="R1"))
    _refused(
        lambda: m.Referral.objects.create(la=la, child=child, referral_ref="R2", referral_date=D2, decision_date=D1)
    )
    _refused(
        lambda: m.Referral.objects.create(la=la, child=child, referral_ref="R3", referral_date=D2, closure_date=D1)
    )
    # Blank dates are "not known": no order to check.
    m.Referral.objects.create(la=la, child=child, referral_ref="R4", referral_date=None, closure_date=D1)


@pytest.mark.parametrize(
    ("model", "end", "start", "extra"),
    [
        (m.Assessment, "completed_date", "start_date", {"assessment_ref": "A1"}),
        (m.Registration, "end_date", "start_date", {"registration_ref": "G1"}),
        (m.Registration, "first_core_group", "start_date", {"registration_ref": "G1", "end_date": D2}),
        (m.Episode, "dec", "decom", {}),
        (m.CarePlan, "end_date", "start_date", {"plan_ref": "P1"}),
        (m.Allocation, "end_date", "start_date", {}),
        (m.ConferenceSubject, "conference_date", "strategy_date", {}),
        (m.Section47Enquiry, "end_date", "start_date", {}),
    ],
)
def test_no_end_before_start(
    la: m.LocalAuthority, child: m.Child, model: Any, end: str, start: str, extra: dict[str, Any]
) -> None:
    links: dict[str, Any] = {}
    if model is m.Assessment:
        links["referral"] = m.Referral.objects.create(la=la, child=child, referral_ref="R1")
    if model is m.Allocation:
        links["worker"] = m.Worker.objects.create(la=la, worker_ref="SW1")
    if model is m.ConferenceSubject:
        links["conference"] = m.Conference.objects.create(la=la, conference_ref="K1")
    fields = {"la": la, "child": child, **links, **extra}
    _refused(lambda: model.objects.create(**fields, **{end: D1, start: D2}))
    # The same row with the dates the right way round (or equal) is stored.
    model.objects.create(**fields, **{end: D2, start: D1})


def test_one_open_registration_per_child(la: m.LocalAuthority, child: m.Child) -> None:
    m.Registration.objects.create(la=la, child=child, registration_ref="G1", start_date=D1)
    _refused(lambda: m.Registration.objects.create(la=la, child=child, registration_ref="G2", start_date=D2))
    # A closed one beside the open one is fine.
    m.Registration.objects.create(la=la, child=child, registration_ref="G3", start_date=D1, end_date=D1)
    _refused(lambda: m.Registration.objects.create(la=la, child=child, registration_ref="G1", end_date=D2))


def test_one_open_episode_per_child(la: m.LocalAuthority, child: m.Child) -> None:
    m.Episode.objects.create(la=la, child=child, decom=D1)
    _refused(lambda: m.Episode.objects.create(la=la, child=child, decom=D2))


def test_episode_clean_refuses_overlaps(la: m.LocalAuthority, child: m.Child) -> None:
    m.Episode.objects.create(la=la, child=child, decom=date(2010, 1, 1), dec=date(2010, 3, 1))
    # Begins on the day the first ceased: a same-day change, no overlap.
    m.Episode(la=la, child=child, decom=date(2010, 3, 1), dec=date(2010, 4, 1)).clean()
    # Ends on the day the first began: no overlap either.
    m.Episode(la=la, child=child, decom=date(2009, 1, 1), dec=date(2010, 1, 1)).clean()
    # Begins inside the first (2010-02-01 < 2010-03-01).
    with pytest.raises(ValidationError, match="began on 2010-01-01"):
        m.Episode(la=la, child=child, decom=date(2010, 2, 1), dec=date(2010, 5, 1)).clean()
    # Open, beginning before the first: covers it.
    with pytest.raises(ValidationError):
        m.Episode(la=la, child=child, decom=date(2009, 6, 1)).clean()
    # Another child's episodes are no concern.
    other = m.Child.objects.create(la=la, child_ref="C2")
    m.Episode(la=la, child=other, decom=date(2010, 2, 1)).clean()


def test_conference_subject_once_per_child(la: m.LocalAuthority, child: m.Child) -> None:
    k1 = m.Conference.objects.create(la=la, conference_ref="K1")
    m.ConferenceSubject.objects.create(la=la, conference=k1, child=child)
    _refused(lambda: m.ConferenceSubject.objects.create(la=la, conference=k1, child=child))
    _refused(lambda: m.Conference.objects.create(la=la, conference_ref="K1"))


def test_population_year_unique_within_la(la: m.LocalAuthority) -> None:
    m.PopulationEstimate.objects.create(la=la, year=2009, age_0_17=14000)
    _refused(lambda: m.PopulationEstimate.objects.create(la=la, year=2009, age_0_17=1))


def test_relationship_names_exactly_one_relative(la: m.LocalAuthority, child: m.Child) -> None:
    sibling = m.Child.objects.create(la=la, child_ref="C2")
    parent = m.Person.objects.create(la=la, given_name="Ann")
    kind = m.FamilyRelationship.Kind
    m.FamilyRelationship.objects.create(child=child, kind=kind.SIBLING, related_child=sibling)
    m.FamilyRelationship.objects.create(child=child, kind=kind.PARENT, related_person=parent)
    _refused(lambda: m.FamilyRelationship.objects.create(child=child, kind=kind.OTHER_RELATIVE))
    _refused(
        lambda: m.FamilyRelationship.objects.create(
            child=child, kind=kind.OTHER_RELATIVE, related_child=sibling, related_person=parent
        )
    )
    _refused(lambda: m.FamilyRelationship.objects.create(child=child, kind=kind.SIBLING, related_child=child))


def test_editable_records_start_at_version_1_with_timestamps(la: m.LocalAuthority, child: m.Child) -> None:
    assert child.version == 1
    assert child.created_at is not None and child.updated_at is not None


def test_admin_edits_reference_data_and_only_shows_case_records(rf: Any) -> None:
    from django.contrib import admin

    from diogel.cases.admin import ReadOnlyAdmin

    request = rf.get("/admin/")
    # Reference data is editable: its admin is not the read-only one.
    for model in (m.LocalAuthority, m.Team, m.PartnerAgency, m.Worker):
        assert not isinstance(admin.site._registry[model], ReadOnlyAdmin), model
    # Case records are registered read-only: no add, change or delete, whoever asks.
    child_admin = admin.site._registry[m.Child]
    assert isinstance(child_admin, ReadOnlyAdmin)
    assert not child_admin.has_add_permission(request)
    assert not child_admin.has_change_permission(request)
    assert not child_admin.has_delete_permission(request)
