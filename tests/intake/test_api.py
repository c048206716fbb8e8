"""The front door's API: the same checks, visibility and hidden count as the pages; 201, 400, 403, idempotency."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from access.world import World, d
from diogel.cases.models import Allocation, Child, Referral

from .conftest import DOB, client_for

SEARCH = "/api/v1/intake/search"
CREATE = "/api/v1/intake/children"
BODY: dict[str, Any] = {
    "family_name": "Pritchard", "given_name": "Elis", "date_of_birth": d(-3000).isoformat(), "sex": "1",
    "referral_date": d(0).isoformat(), "source": "POLICE",
}  # fmt: skip


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_search_lists_visible_and_counts_hidden(world: World) -> None:
    r = post(client_for(world, "sw"), SEARCH, {"family_name": "ap-rhys", "date_of_birth": DOB.isoformat(), "sex": "2"})
    assert r.status_code == 200
    body = r.json()
    assert [m["id"] for m in body["matches"]] == [world.children["own"].pk]
    assert (body["visible_count"], body["hidden_matches"], body["la"]) == (1, 1, "W06000001")
    assert world.children["other_team"].child_ref not in r.content.decode()
    assert body["matches"][0]["referral_url"] == f"/record/children/{world.children['own'].pk}/referral/"


def test_search_bad_input_is_400(world: World) -> None:
    r = post(client_for(world, "sw"), SEARCH, {"date_of_birth": d(3).isoformat()})
    assert r.status_code == 400 and "date_of_birth" in r.json()["errors"]


def test_create_201_with_ids(world: World) -> None:
    r = post(client_for(world, "sw"), CREATE, BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    child = Child.objects.get(pk=body["child"])
    assert child.family_name == "Pritchard"
    assert Referral.objects.get(pk=body["referral"]).child == child
    assert Allocation.objects.get(pk=body["allocation"]).child == child
    assert body["url"] == f"/children/{child.pk}/" and body["repeated"] is False


def test_create_400_names_fields_and_saves_nothing(world: World) -> None:
    before = Child.objects.count(), Referral.objects.count()
    r = post(client_for(world, "sw"), CREATE, {**BODY, "referral_date": d(-4000).isoformat(), "upn": "A801200005001"})
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"referral_date", "upn"}
    assert (Child.objects.count(), Referral.objects.count()) == before


def test_idempotency_key(world: World) -> None:
    client = client_for(world, "manager")
    first = post(client, CREATE, {**BODY, "idempotency_key": "call-42"})
    again = post(client, CREATE, {**BODY, "idempotency_key": "call-42"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["child"] == first.json()["child"] and again.json()["repeated"] is True
    assert first.json()["allocation"] is None
    assert Child.objects.filter(family_name="Pritchard").count() == 1


@pytest.mark.parametrize("who", ["iro", "partner", "perf_granted", "inspector", "wg", "nobody"])
def test_others_are_refused_and_nothing_is_saved(world: World, who: str) -> None:
    client = client_for(world, who)
    before = Child.objects.count()
    assert post(client, SEARCH, {"date_of_birth": DOB.isoformat()}).status_code == 403
    assert post(client, CREATE, BODY).status_code == 403
    assert Child.objects.count() == before


def test_anonymous_is_401(db: None) -> None:
    assert post(Client(), CREATE, BODY).status_code == 401


def test_unknown_code_is_400(world: World) -> None:
    r = post(client_for(world, "sw"), CREATE, {**BODY, "ethnicity": "ZZZZ"})
    assert r.status_code == 400 and set(r.json()["errors"]) == {"ethnicity"}
