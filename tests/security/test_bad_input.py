"""Bad input: forged and other LAs' ids, oversized and malformed bodies, a replayed form with a stale
version, an expired session: refused with a plain answer, nothing saved, nothing leaked."""

from __future__ import annotations

import json
import time

import pytest

from diogel.access.auth import services as auth_services
from diogel.record.models import CaseNote

from .conftest import SecurityWorld
from .test_matrix import fingerprint, writes

NOTE = {"occurred_on": "2015-01-01", "text": "forged"}


def _api(sec: SecurityWorld, method: str, url: str, body: bytes | str, content_type: str = "application/json"):
    return sec.client("sw").generic(method, url, data=body, content_type=content_type)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/children/{other_la}/notes",
        "/api/v1/children/{other_team}/notes",
        "/api/v1/children/987654/notes",
        "/api/v1/children/{own}/notes/{other_la_note}",  # someone else's child's note under my child
        "/api/v1/recording/children/{other_la}/visit",
        "/api/v1/recording/children/{own}/referrals/{other_la_referral}/decision",
    ],
)
def test_forged_and_other_la_ids_are_refused(url: str, sec: SecurityWorld, db: None) -> None:
    filled = url.format(
        own=sec.child("own").pk, other_la=sec.child("other_la").pk, other_team=sec.child("other_team").pk,
        other_la_note=sec.ids["other_la"]["note"], other_la_referral=sec.ids["other_la"]["referral"],
    )  # fmt: skip
    before, counts = fingerprint(), writes()
    method = "PUT" if "/notes/" in filled else "POST"
    r = _api(sec, method, filled, json.dumps({**NOTE, "version": 1}))
    assert r.status_code in (400, 404), r.content
    assert b"forged" not in r.content and b"Secret note" not in r.content
    assert fingerprint() == before and writes() == counts


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{" + b'"text": "' + b"x" * (5 * 1024 * 1024) + b'"}', "application/json"),  # 413, the API's JSON
        (b"[" * 5000 + b"]" * 5000, "application/json"),  # deeply nested
        (b"{not json", "application/json"),
        (b"occurred_on=2015-01-01&text=x", "text/plain"),
        (b"\xff\xfe\x00", "application/json"),
        (b'{"occurred_on": "not a date", "text": 12}', "application/json"),
        (b'{"occurred_on": "2015-01-01", "text": "a\\u0000b"}', "application/json"),  # was a 500 on PostgreSQL
    ],
    ids=["5MB", "nested", "malformed", "wrong-type", "binary", "wrong-fields", "nul"],
)
@pytest.mark.parametrize("target", ["notes", "visit"])
def test_malformed_and_oversized_bodies(
    body: bytes, content_type: str, target: str, sec: SecurityWorld, db: None
) -> None:
    own = sec.child("own").pk
    url = f"/api/v1/children/{own}/notes" if target == "notes" else f"/api/v1/recording/children/{own}/visit"
    before, counts = fingerprint(), writes()
    r = _api(sec, "POST", url, body, content_type)
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    assert r["Content-Type"].startswith("application/json")
    assert b"Traceback" not in r.content and len(r.content) < 20_000
    assert fingerprint() == before and writes() == counts


def test_replayed_form_with_a_stale_version_is_refused(sec: SecurityWorld, db: None) -> None:
    own, note_id = sec.child("own").pk, sec.ids["own"]["note"]
    client = sec.client("sw")
    url = f"/children/{own}/notes/{note_id}/edit/"
    form = {"occurred_on": "2015-01-02", "text": "first edit", "version": "1"}
    assert client.post(url, form).status_code == 302
    replay = client.post(url, {**form, "text": "replayed"})
    assert replay.status_code == 409
    note = CaseNote.objects.get(pk=note_id)
    assert (note.text, note.version) == ("first edit", 2)
    api = _api(sec, "PUT", f"/api/v1/children/{own}/notes/{note_id}", json.dumps({**form, "version": 1}))
    assert api.status_code == 409
    assert CaseNote.objects.get(pk=note_id).text == "first edit"


def test_expired_session_goes_to_sign_in(sec: SecurityWorld, db: None, settings) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(sec.world.users["sw"])  # type: ignore[arg-type]
    session = client.session
    session[auth_services.SESSION_AUTH_AT] = int(time.time()) - settings.DIOGEL_SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    own = sec.child("own").pk
    r = client.get(f"/children/{own}/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/v1/children/{own}").status_code == 401
    # An idle-expired session row: the cookie alone opens nothing.
    idle = Client()
    idle.force_login(sec.world.users["sw"])  # type: ignore[arg-type]
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.filter(session_key=idle.cookies["sessionid"].value).update(expire_date=timezone.now())
    r = idle.get(f"/children/{own}/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_nul_in_a_query_parameter_is_refused(sec: SecurityWorld, db: None) -> None:
    """PostgreSQL's text cannot hold NUL: the search used to answer HTTP 500 there."""
    r = sec.client("sw").get("/api/v1/children/", {"q": "a\x00b"})
    assert r.status_code == 400 and r.json() == {"detail": "Text must not contain NUL characters."}
