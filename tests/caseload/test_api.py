"""The JSON API: /api/v1/caseload/ (mine), /reviews, /team/<id>, POST /allocations."""

from __future__ import annotations

import pytest
from django.test import Client

from access.world import World
from diogel.cases.models import Allocation, Team, Worker

from .builders import D, referral_awaiting_decision

pytestmark = pytest.mark.django_db


def client_for(world: World, who: str) -> Client:
    c = Client()
    c.force_login(world.users[who])
    return c


def test_my_caseload(world: World) -> None:
    referral_awaiting_decision(world.children["own"], D(2012, 3, 12))
    r = client_for(world, "sw").get("/api/v1/caseload/")
    assert r.status_code == 200
    body = r.json()
    assert body["today"] == "2012-03-14"
    assert [c["ref"] for c in body["children"]] == ["own", "sealed"]
    item = body["children"][0]["items"][0]
    assert (item["rule"], item["status"], item["deadline"], item["breach"]) == (1, "overdue", "2012-03-13", True)
    assert item["url"].startswith("/") and str(world.children["own"].pk) in item["url"]


def test_anonymous_is_refused() -> None:
    assert Client().get("/api/v1/caseload/").status_code == 401


def test_team(world: World) -> None:
    team = Team.objects.get(name="A1")
    body = client_for(world, "manager").get(f"/api/v1/caseload/team/{team.pk}").json()
    assert body["name"] == "A1"
    assert {w["worker"]["name"]: w["children"] for w in body["workers"]} == {"SW1": 1, "SW2": 1, "SW9": 0}
    assert sorted(c["ref"] for c in body["children"]) == ["own", "team"]
    assert all(c["allocation"]["version"] == 1 for c in body["children"])
    assert [c["ref"] for c in body["unallocated"]] == ["awaiting"]  # an open referral with no worker


@pytest.mark.parametrize("who", ["sw", "iro", "partner", "nobody"])
def test_team_is_not_found_for_others(world: World, who: str) -> None:
    team = Team.objects.get(name="A1")
    assert client_for(world, who).get(f"/api/v1/caseload/team/{team.pk}").status_code == 404


def test_reviews(world: World) -> None:
    body = client_for(world, "iro").get("/api/v1/caseload/reviews").json()
    assert body == {"today": "2012-03-14", "reviews": []}


def test_reassign(world: World) -> None:
    sw1 = Worker.objects.get(la=world.la_a, worker_ref="SW1")
    child = world.children["team"]
    current = Allocation.objects.get(child=child)
    r = client_for(world, "manager").post(
        "/api/v1/caseload/allocations",
        {"child": child.pk, "worker": sw1.pk, "allocation": current.pk, "version": 1, "start": "2012-03-14"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["worker"] == sw1.pk and r.json()["start_date"] == "2012-03-14"
    assert Allocation.objects.filter(child=child).count() == 2


def test_allocation_errors(world: World) -> None:
    sw1 = Worker.objects.get(la=world.la_a, worker_ref="SW1")
    url = "/api/v1/caseload/allocations"
    manager = client_for(world, "manager")

    def post(c: Client, **data: object) -> tuple[int, dict[str, object]]:
        r = c.post(url, data, content_type="application/json")
        return r.status_code, r.json()

    team = Allocation.objects.get(child=world.children["team"]).pk
    status, body = post(
        manager, child=world.children["team"].pk, worker=sw1.pk, allocation=team, version=1, start="2013-01-01"
    )
    assert status == 400 and "start" in body["errors"]  # type: ignore[operator]
    status, body = post(manager, child=world.children["team"].pk, worker=sw1.pk, allocation=team, version=9)
    assert status == 400 and "Someone else" in str(body["detail"])
    status, _ = post(
        client_for(world, "sw"), child=world.children["team"].pk, worker=sw1.pk, allocation=team, version=1
    )
    assert status == 403
    for ref in ("other_la", "sealed", "other_team"):
        status, body = post(manager, child=world.children[ref].pk, worker=sw1.pk, allocation=1, version=1)
        assert (status, body) == (404, {"detail": "Not found."})
    assert Allocation.objects.filter(worker=sw1).count() == 3  # own, sealed, ended: unchanged
