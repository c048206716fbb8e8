"""new_child_referral: what it creates, audits and allocates; who may; bad input saves nothing; sent twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from access.world import World, d
from diogel.access.errors import NotAllowedError
from diogel.access.visibility import awaiting_allocation, visible_children
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Allocation, Child, Referral, Worker
from diogel.clock import today
from diogel.errors import UserError
from diogel.intake.services import new_child_referral

from .conftest import social_worker_without_worker

GOOD: dict[str, Any] = {
    "family_name": "Pritchard",
    "given_name": "Elis",
    "date_of_birth": d(-3000),
    "sex": "1",
    "referral_date": d(0),
    "source": "POLICE",
}


def counts() -> tuple[int, int, int, int]:
    return Child.objects.count(), Referral.objects.count(), Allocation.objects.count(), AuditEntry.objects.count()


def test_a_social_worker_creates_the_child_the_referral_and_their_allocation(world: World) -> None:
    sw = world.users["sw"]
    before = AuditEntry.objects.count()
    result = new_child_referral(actor=sw, **GOOD, ethnicity="WBRI", upn="b801 2000 05001", disability=False)
    child = Child.objects.get(pk=result.child.pk)
    assert world.la_a is not None
    assert (child.la_id, child.given_name, child.family_name, child.sex) == (world.la_a.pk, "Elis", "Pritchard", "1")
    assert (child.ethnicity, child.upn, child.disability, child.date_of_birth) == (
        "WBRI",
        "B801200005001",
        "N",
        d(-3000),
    )
    assert child.child_ref.startswith("CHILD-") and len(child.child_ref) == 22
    referral = Referral.objects.get(child=child)
    assert (referral.referral_date, referral.source, referral.decision) == (d(0), "POLICE", "")
    assert referral.referral_ref.startswith("REF-")
    allocation = Allocation.objects.get(child=child)
    assert allocation.worker == Worker.objects.get(user_id=sw.pk) and allocation.start_date == today()
    assert result.allocation == allocation and not result.repeated
    entries = AuditEntry.objects.filter(seq__gt=0).order_by("seq")[before:]
    created = [(e.event, e.object_type, e.child_id) for e in entries]
    assert created == [
        (AuditEvent.RECORD_CREATED, "cases.child", child.pk),
        (AuditEvent.RECORD_CREATED, "cases.allocation", child.pk),
        (AuditEvent.RECORD_CREATED, "cases.referral", child.pk),
    ]
    assert all(e.actor_id == sw.pk for e in entries)
    assert visible_children(sw).filter(pk=child.pk).exists()


def test_a_team_managers_new_child_waits_for_allocation(world: World) -> None:
    result = new_child_referral(actor=world.users["manager"], **GOOD)
    assert world.la_a is not None
    assert result.allocation is None and not Allocation.objects.filter(child=result.child).exists()
    assert Child.objects.filter(awaiting_allocation(world.la_a.pk, today()), pk=result.child.pk).exists()
    assert visible_children(world.users["manager"]).filter(pk=result.child.pk).exists()
    assert not visible_children(world.users["sw"]).filter(pk=result.child.pk).exists()
    entry = AuditEntry.objects.get(object_type="cases.referral", object_id=str(result.referral.pk))
    assert (entry.event, entry.actor_id) == (AuditEvent.RECORD_CREATED, world.users["manager"].pk)


def test_child_refs_are_unique(world: World) -> None:
    one = new_child_referral(actor=world.users["sw"], **GOOD)
    two = new_child_referral(actor=world.users["sw"], **GOOD)
    assert one.child.child_ref != two.child.child_ref


@pytest.mark.parametrize(
    "who", ["iro", "partner", "perf_granted", "inspector", "board", "wg", "admin", "nobody", "revoked"]
)
def test_only_social_workers_and_team_managers(world: World, who: str) -> None:
    before = counts()
    with pytest.raises(NotAllowedError):
        new_child_referral(actor=world.users[who], **GOOD)
    assert counts() == before


def test_a_social_worker_without_a_worker_record_is_told_and_nothing_is_saved(world: World) -> None:
    user = social_worker_without_worker(world)
    before = counts()
    with pytest.raises(UserError, match="no worker record"):
        new_child_referral(actor=user, **GOOD)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date_of_birth": d(1)}, "date_of_birth", "must not be in the future"),
        ({"referral_date": d(-3001)}, "referral_date", "before the child was born"),
        ({"referral_date": d(1)}, "referral_date", "must not be in the future"),
        ({"referral_date": None}, "referral_date", "Enter this"),
        ({"sex": "3"}, "sex", "not a known code"),
        ({"ethnicity": "XXXX"}, "ethnicity", "not a known code"),
        ({"source": "NEIGHBOUR"}, "source", "not a known code"),
        ({"primary_need": "N0"}, "primary_need", "not a known code"),
        ({"upn": "B80120000500"}, "upn", "13 characters"),
        ({"upn": "A801200005001"}, "upn", "check letter"),
        ({"family_name": "", "given_name": " ", "date_of_birth": None}, "family_name", "name or their date of birth"),
        ({"unborn": True, "date_of_birth": None}, "date_of_birth", "expected date"),
        ({"unborn": True, "date_of_birth": d(400)}, "date_of_birth", "43 weeks"),
        ({"date_of_birth": d(-365 * 30)}, "date_of_birth", "too long ago"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world: World, change: dict[str, Any], field: str, message: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as e:
        new_child_referral(actor=world.users["sw"], **{**GOOD, **change})
    assert field in e.value.message_dict
    assert any(message in m for m in e.value.message_dict[field])
    assert counts() == before


def test_every_problem_is_reported_at_once(world: World) -> None:
    with pytest.raises(ValidationError) as e:
        new_child_referral(actor=world.users["sw"], **{**GOOD, "date_of_birth": d(2), "source": "", "sex": ""})
    # The referral date (today) is also before a date of birth in the future.
    assert set(e.value.message_dict) == {"date_of_birth", "source", "sex", "referral_date"}


def test_an_unborn_child_may_have_a_future_date_and_an_earlier_referral(world: World) -> None:
    result = new_child_referral(
        actor=world.users["sw"], family_name="Hughes", date_of_birth=d(60), unborn=True, sex="9",
        referral_date=d(-1), source="HEALTH",
    )  # fmt: skip
    assert result.child.date_of_birth == d(60) and result.referral.referral_date == d(-1)


def test_the_same_token_twice_creates_one_child(world: World) -> None:
    first = new_child_referral(actor=world.users["sw"], **GOOD, token="abc123")
    before = counts()
    again = new_child_referral(actor=world.users["sw"], **GOOD, token="abc123")
    assert counts() == before
    assert again.repeated and (again.child, again.referral, again.allocation) == (
        first.child, first.referral, first.allocation,
    )  # fmt: skip
    other = new_child_referral(actor=world.users["sw"], **GOOD, token="abc124")
    assert other.child != first.child


def test_a_failed_save_does_not_use_up_its_token(world: World) -> None:
    with pytest.raises(ValidationError):
        new_child_referral(actor=world.users["sw"], **{**GOOD, "source": ""}, token="tok")
    result = new_child_referral(actor=world.users["sw"], **GOOD, token="tok")
    assert not result.repeated and Child.objects.filter(pk=result.child.pk).exists()


def test_a_token_is_per_user(world: World) -> None:
    mine = new_child_referral(actor=world.users["sw"], **GOOD, token="same")
    theirs = new_child_referral(actor=world.users["manager"], **GOOD, token="same")
    assert theirs.child != mine.child and not theirs.repeated


def test_dates_relative_to_today_stay_valid() -> None:
    assert GOOD["referral_date"] == today() and GOOD["date_of_birth"] == today() - timedelta(days=3000)
