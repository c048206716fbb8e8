"""A child the actor may not see and an id that does not exist get the same answer (status and body, CSRF
tokens removed), on pages and the API, and both are audited as ACCESS_REFUSED."""

from __future__ import annotations

import re
from typing import Any

import pytest

from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry

from .conftest import SecurityWorld

MISSING = 987654
URLS = [
    "/children/{id}/",
    "/children/{id}/chronology/",
    "/children/{id}/involved/",
    "/record/children/{id}/",
    "/record/children/{id}/visit/",
    "/api/v1/children/{id}",
    "/api/v1/children/{id}/chronology",
    "/api/v1/recording/children/{id}",
]
CASES = [("sw", "other_team"), ("sw", "other_la"), ("manager", "sealed"), ("partner_expired", "own"),
         ("inspector_expired", "own"), ("revoked", "own"), ("nobody", "own")]  # fmt: skip
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _plain(content: bytes) -> bytes:
    return CSRF.sub(rb"\1", content)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(("who", "kind"), CASES)
def test_refused_is_identical_to_missing(url: str, who: str, kind: str, sec: SecurityWorld, db: None) -> None:
    client = sec.client(who)
    refused_before = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count()
    hidden = client.get(url.format(id=sec.child(kind).pk))
    after_hidden = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count()
    missing = client.get(url.format(id=MISSING))
    after_missing = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count()
    assert hidden.status_code == missing.status_code == 404
    assert _plain(hidden.content) == _plain(missing.content)
    assert sec.child(kind).child_ref.encode() not in hidden.content
    assert after_hidden == refused_before + 1, "the refusal of a hidden child is audited"
    assert after_missing == after_hidden + 1, "the refusal of a missing id is audited"
    entry: Any = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).order_by("-seq").first()
    assert entry.detail["child_id"] == MISSING
