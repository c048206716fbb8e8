"""The JSON API of the child's record: the same queries and services as the pages, the same refusals."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from access.world import World
from diogel.cases import models as m
from diogel.record.models import CaseNote, NoteDraft

from .conftest import d, history, looked_after

pytestmark = pytest.mark.django_db
AsUser = Callable[[str], Client]
API = "/api/v1/children"


def put(client: Client, url: str, body: dict[str, object]) -> object:
    return client.put(url, json.dumps(body), content_type="application/json")


def test_header(as_user: AsUser, own: m.Child) -> None:
    looked_after(own)
    body = as_user("sw").get(f"{API}/{own.pk}").json()
    assert body["name"] == "Megan Jones" and body["age"] == 9
    assert body["legal_status"] == "C2 — full care order" and body["register_category"] == ""
    assert body["allocated_worker"] == "SW1" and isinstance(body["due"], list)
    partner = as_user("partner").get(f"{API}/{own.pk}").json()
    assert partner["legal_status"] is None and partner["due"] is None  # not their sections


@pytest.mark.parametrize(
    ("user", "status"),
    [("sw", 200), ("manager", 200), ("perf_granted", 200), ("partner", 404), ("iro", 404), ("admin", 404),
     ("wg", 404), ("inspector", 404), ("nobody", 404)],
)  # fmt: skip
def test_chronology_refusals_over_roles(as_user: AsUser, own: m.Child, user: str, status: int) -> None:
    assert as_user(user).get(f"{API}/{own.pk}/chronology").status_code == status


def test_sealed_and_missing_children_are_404(as_user: AsUser, world: World) -> None:
    client = as_user("manager")
    for pk in (world.children["sealed"].pk, 999_999):
        assert client.get(f"{API}/{pk}").status_code == 404
        assert client.get(f"{API}/{pk}/chronology").status_code == 404
    assert Client().get(f"{API}/{world.children['own'].pk}").status_code == 401


def test_search(as_user: AsUser, own: m.Child) -> None:
    body = as_user("sw").get(f"{API}/", {"q": "megan"}).json()
    assert body["count"] == 1 and body["results"][0]["id"] == own.pk
    assert as_user("manager").get(f"{API}/", {"q": "sealed"}).json()["count"] == 0


def test_chronology_paged_and_filtered(as_user: AsUser, own: m.Child) -> None:
    history(own, events=30)
    client = as_user("sw")
    first = client.get(f"{API}/{own.pk}/chronology", {"type": "visit", "page_size": 20}).json()
    assert first["count"] == 30 and len(first["entries"]) == 20
    assert {e["type"] for e in first["entries"]} == {"visit"}
    second = client.get(f"{API}/{own.pk}/chronology", {"type": "visit", "page_size": 20, "page": 2}).json()
    assert len(second["entries"]) == 10
    oldest = client.get(f"{API}/{own.pk}/chronology", {"order": "oldest"}).json()["entries"]
    assert [e["date"] for e in oldest] == sorted(e["date"] for e in oldest)
    assert client.get(f"{API}/{own.pk}/chronology", {"type": "nonsense"}).status_code == 422


def test_notes_publish_edit_stale_and_drafts(as_user: AsUser, own: m.Child) -> None:
    client = as_user("sw")
    assert client.get(f"{API}/{own.pk}/notes/draft").status_code == 204
    saved = put(client, f"{API}/{own.pk}/notes/draft", {"text": "so far"})
    assert saved.status_code == 200 and NoteDraft.objects.get().text == "so far"  # type: ignore[attr-defined]
    assert client.get(f"{API}/{own.pk}/notes/draft").json()["text"] == "so far"
    bad = client.post(
        f"{API}/{own.pk}/notes", {"occurred_on": d(3).isoformat(), "text": ""}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"occurred_on", "text"} and not CaseNote.objects.exists()
    made = client.post(
        f"{API}/{own.pk}/notes", {"occurred_on": d(-1).isoformat(), "text": "done"}, content_type="application/json"
    )
    assert made.status_code == 201 and not NoteDraft.objects.exists()
    note_id = made.json()["id"]
    url = f"{API}/{own.pk}/notes/{note_id}"
    ok = put(client, url, {"occurred_on": d(-1).isoformat(), "text": "changed", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2  # type: ignore[attr-defined]
    stale = put(client, url, {"occurred_on": d(-2).isoformat(), "text": "late", "version": 1})
    assert stale.status_code == 409  # type: ignore[attr-defined]
    body = stale.json()  # type: ignore[attr-defined]
    assert body["version"] == 2 and body["changes"] == [{"field": "text", "now": "changed"}]
    assert CaseNote.objects.get().text == "changed"
    assert [n["text"] for n in client.get(f"{API}/{own.pk}/notes").json()] == ["changed"]
    # Another person may not change it; a reader may not write.
    assert (
        put(as_user("manager"), url, {"occurred_on": d(-1).isoformat(), "text": "x", "version": 2}).status_code == 403
    )  # type: ignore[attr-defined]
    refused = as_user("perf_granted").post(
        f"{API}/{own.pk}/notes", {"occurred_on": d(-1).isoformat(), "text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert put(as_user("iro"), f"{API}/{own.pk}/notes/draft", {"text": "x"}).status_code == 404  # type: ignore[attr-defined]


# --- what the API costs in queries -----------------------------------------------------------------

#: The API's rate limit (one atomic upsert, diogel.access.auth.middleware.over_limit), the session (read and
#: saved: 4) and the user: before the handler.
API_FLOOR = 1 + 4 + 1
#: Memberships (read once for the request), the worker's teams, the child (visibility applied), the audit entry.
OPEN_CHILD = 1 + 1 + 1 + 5


def _counted(client: Client, path: str) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up: the rate-limit window
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()  # type: ignore[attr-defined]


@pytest.mark.parametrize("events", [0, 200])
def test_api_header_query_count_is_fixed(as_user: AsUser, own: m.Child, events: int) -> None:
    from .test_pages import records_queries

    history(own, events=events)
    n, body = _counted(as_user("sw"), f"{API}/{own.pk}")
    # the header alone: episodes, registrations, referrals, the allocation, siblings, and what is due; none of
    # the page's section blocks
    assert n == API_FLOOR + OPEN_CHILD + 5 + records_queries()
    assert body["legal_status"] == "C2 — full care order"  # type: ignore[index]


@pytest.mark.parametrize("events", [0, 200])
def test_api_chronology_query_count_is_fixed(as_user: AsUser, own: m.Child, events: int) -> None:
    history(own, events=events)
    n, body = _counted(as_user("sw"), f"{API}/{own.pk}/chronology?page_size=500")
    assert n == API_FLOOR + OPEN_CHILD + 18  # one query per source table
    assert body["count"] == events + 8  # type: ignore[index]  # history, the allocation, two agencies
