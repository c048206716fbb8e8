"""The JSON API: the same forms and services as the pages, with 201/400/409/403/404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from diogel.cases.models import Child, ConferenceInvitation, FeedbackAnswer, Referral, Registration, Visit

from .conftest import World, client_for, d, in_care, referral, registered

pytestmark = pytest.mark.django_db
BASE = "/api/v1/recording/children"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_visit_and_referral_decision(world: World, child: Child) -> None:
    client = client_for(world, "sw")
    registered(child, d(-5))
    response = post(client, f"{BASE}/{child.pk}/visit", {"visit_date": d(0).isoformat(), "seen_alone": False})
    assert response.status_code == 201, response.content
    assert response.json()["type"] == "cases.visit" and Visit.objects.get().seen_alone == "N"
    r = referral(child, d(-1))
    listing = client.get(f"{BASE}/{child.pk}").json()
    assert {"kind": "referral", "id": r.pk, "version": 1, "url": f"/record/children/{child.pk}/referrals/{r.pk}/decision/"} in listing["open"]  # fmt: skip
    decided = post(client, f"{BASE}/{child.pk}/referrals/{r.pk}/decision",
                   {"version": 1, "decision": "S47", "decision_date": d(0).isoformat()})  # fmt: skip
    assert decided.status_code == 201 and decided.json()["version"] == 2


def test_bad_input_is_400_with_field_messages_and_nothing_saved(world: World, child: Child) -> None:
    r = referral(child, d(-1))
    client = client_for(world, "sw")
    response = post(client, f"{BASE}/{child.pk}/referrals/{r.pk}/decision",
                    {"version": 1, "decision": "IA", "decision_date": d(-3).isoformat()})  # fmt: skip
    assert response.status_code == 400
    assert "decision_date" in response.json()["errors"]
    unknown = post(client, f"{BASE}/{child.pk}/referrals/{r.pk}/decision",
                   {"version": 1, "decision": "MAYBE", "decision_date": "not a date"})  # fmt: skip
    assert set(unknown.json()["errors"]) == {"decision", "decision_date"}
    assert Referral.objects.exclude(child__child_ref="awaiting").get().decision == ""


def test_overlapping_episode_and_double_registration(world: World, child: Child) -> None:
    client = client_for(world, "sw")
    in_care(child, d(-30))
    response = post(client, f"{BASE}/{child.pk}/care-start",
                    {"decom": d(-10).isoformat(), "legal_status": "C2", "placement": "U1"})  # fmt: skip
    assert response.status_code == 400 and "decom" in response.json()["errors"]
    registered(child, d(-30))
    again = post(client, f"{BASE}/{child.pk}/registration", {"start_date": d(0).isoformat(), "category": "NEG"})
    assert again.status_code == 400 and "start_date" in again.json()["errors"]
    assert Registration.objects.count() == 1


def test_stale_version_is_409_with_the_changes(world: World, child: Child) -> None:
    in_care(child, d(-30))
    client = client_for(world, "sw")
    first = post(client, f"{BASE}/{child.pk}/legal-status",
                 {"version": 1, "changed_on": d(-5).isoformat(), "legal_status": "C1"})  # fmt: skip
    assert first.status_code == 201
    ended = post(client, f"{BASE}/{child.pk}/care-end", {"version": 1, "dec": d(0).isoformat(), "rec": "E11"})
    assert ended.status_code == 201  # the new episode's version is 1
    in_care(child, d(0))
    stale = post(client, f"{BASE}/{child.pk}/placement-change",
                 {"version": 3, "changed_on": d(0).isoformat(), "placement": "U3", "reason": "CARPL"})  # fmt: skip
    assert stale.status_code == 409 and stale.json()["current_version"] == 1


def test_conference_with_agencies_and_anonymous_wellbeing(world: World, child: Child) -> None:
    client = client_for(world, "sw")
    assert post(client, f"{BASE}/{child.pk}/strategy-discussion", {"held_on": d(-10).isoformat()}).status_code == 201
    response = post(client, f"{BASE}/{child.pk}/conference", {
        "conference_date": d(-1).isoformat(), "outcome": "REGISTER", "category": "EMO",
        "invitations": [{"agency": "HEALTH", "attended": True, "report_provided": False}, {"agency": "POLICE"}],
    })  # fmt: skip
    assert response.status_code == 201, response.content
    assert ConferenceInvitation.objects.count() == 2 and Registration.objects.get().category == "EMO"
    bad = post(client, f"{BASE}/{child.pk}/conference", {"conference_date": d(0).isoformat(), "outcome": "X",
                                                          "invitations": [{"agency": "MI5"}]})  # fmt: skip
    assert bad.status_code == 400
    voice = post(client, f"{BASE}/{child.pk}/wellbeing", {"answers": {"SAFE": "YES"}, "anonymous": True})
    assert voice.status_code == 201 and FeedbackAnswer.objects.get().child_id is None


@pytest.mark.parametrize(
    ("user", "child_name", "status"),
    [
        ("sw", "own", 201),
        ("manager", "own", 201),
        ("sw", "other_la", 404),
        ("inspector", "other_team", 403),
        ("inspector", "own", 404),
        ("iro", "other_team", 403),
        ("partner", "own", 403),
        ("perf_granted", "own", 403),
        ("board", "own", 404),
        ("nobody", "own", 404),
    ],
)
def test_who_may_record_through_the_api(world: World, user: str, child_name: str, status: int) -> None:
    target = world.children[child_name]
    response = post(client_for(world, user), f"{BASE}/{target.pk}/referral",
                    {"referral_date": d(0).isoformat(), "source": "HEALTH"})  # fmt: skip
    assert response.status_code == status
    assert Referral.objects.exclude(child__child_ref="awaiting").count() == (1 if status == 201 else 0)


def test_signed_out_api_is_refused(world: World, child: Child) -> None:
    assert post(Client(), f"{BASE}/{child.pk}/referral", {}).status_code == 401
