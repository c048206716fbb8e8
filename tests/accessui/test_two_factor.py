"""LA administration of two-factor: who has set it up, one-time set-up links, resets with a reason.
Only for an LA's administrators, only for people of their LA, never for themselves; audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from access.world import World
from diogel.access.auth import services as auth
from diogel.access.auth.models import RecoveryCode, SetUpLink, TOTPDevice
from diogel.access.roles import Role
from diogel.audit import SystemActor
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Worker

from .conftest import client_for, la_pk

pytestmark = pytest.mark.django_db
LINK = re.compile(r'id="setup-link">(https?://[^<]+/accounts/login/setup/([A-Za-z0-9_-]+)/)<')


@pytest.fixture(autouse=True)
def _key(settings: Any) -> None:
    settings.DIOGEL_TOTP_KEY = "test-key-" + "x" * 32


def _url(world: World, who: str | None = None, la: str = "a") -> str:
    base = f"/access/admin/{la_pk(world, la)}/two-factor/"
    return base if who is None else f"{base}{world.users[who].pk}/"


def _enrolled(world: World, who: str) -> None:
    auth.enrol_confirmed(actor=SystemActor("test"), user=world.users[who])


def test_the_list_shows_everyone_of_the_la_and_their_state(world: World) -> None:
    _enrolled(world, "sw")
    c = client_for(world, "admin")
    r = c.get(_url(world))
    html = r.content.decode()
    assert r.status_code == 200 and 'aria-current="page"' in html
    assert "Two-factor authentication" in c.get("/access/admin/").content.decode()  # linked from the index
    found = re.findall(r'au-card au-2fa-(\w+)">\s*<p class="au-card-title"><a href="[^"]+">([\w.]+)</a>', html)
    state = {name: kind for kind, name in found}
    assert state["sw"] == "set_up" and state["iro"] == "not_set_up" and state["admin"] == "not_set_up"
    assert "wg" not in state and "nobody" not in state  # not people of LA A


@pytest.mark.parametrize("who", ["sw", "manager", "iro", "partner", "perf_granted", "board", "wg", "inspector"])
def test_other_roles_are_refused(world: World, who: str) -> None:
    c = client_for(world, who)
    assert c.get(_url(world)).status_code == 403
    assert c.get(_url(world, "iro")).status_code == 403
    r = c.post(_url(world, "iro"), {"action": "issue"})
    assert r.status_code == 403 and not SetUpLink.objects.exists()


def test_another_las_page_and_another_las_person_are_not_found(world: World) -> None:
    c = client_for(world, "admin")
    assert c.get(_url(world, la="b")).status_code == 404
    assert c.get(_url(world, "iro", la="b")).status_code == 404
    assert c.post(_url(world, "iro", la="b"), {"action": "issue"}).status_code == 404
    # A person of LA B only (a worker there), under LA A's address: not found either.
    assert world.la_b is not None
    Worker.objects.create(la=world.la_b, worker_ref="B9", user_id=world.users["nobody"].pk)
    assert c.get(_url(world, "nobody")).status_code == 404
    assert c.post(_url(world, "nobody"), {"action": "reset", "reason": "x"}).status_code == 404
    assert not SetUpLink.objects.exists()


def test_issue_a_link_shown_once_that_opens_set_up(world: World) -> None:
    c = client_for(world, "admin")
    page = c.get(_url(world, "iro")).content.decode()
    assert "Issue a set-up link" in page and "Reset two-factor authentication" not in page
    r = c.post(_url(world, "iro"), {"action": "issue"})
    html = r.content.decode()
    assert r.status_code == 200 and "Set-up link issued" in html
    found = LINK.search(html)
    assert found is not None
    token = found.group(2)
    link = SetUpLink.objects.get(user_id=world.users["iro"].pk)
    assert link.token_hash != token and token not in str(link.__dict__)
    entry = AuditEntry.objects.filter(event=AuditEvent.TOTP_SETUP_LINK_ISSUED).get()
    assert entry.actor_id == world.users["admin"].pk and entry.la_id == la_pk(world)
    # Never shown again: the page lists the state and when the link ends, not the link.
    again = c.get(_url(world, "iro")).content.decode()
    assert token not in again and "set-up link issued" in again
    # The link works for the person.
    opened = Client().get(f"/accounts/login/setup/{token}/")
    assert opened.status_code == 302 and opened["Location"] == "/accounts/login/setup/"


def test_reset_needs_a_reason_then_removes_the_device_and_ends_sessions(world: World) -> None:
    _enrolled(world, "sw")
    RecoveryCode.objects.create(user_id=world.users["sw"].pk, code_hash="x" * 64, created_at=timezone.now())
    victim = client_for(world, "sw")
    assert victim.get("/").status_code == 200
    c = client_for(world, "admin")
    page = c.get(_url(world, "sw")).content.decode()
    assert "Reset two-factor authentication" in page and 'name="reason"' in page
    before = AuditEntry.objects.count()
    r = c.post(_url(world, "sw"), {"action": "reset", "reason": "  "})
    html = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in html and "Give the reason for the reset." in html
    assert 'aria-invalid="true"' in html and 'href="#id_reason"' in html
    assert TOTPDevice.objects.filter(user_id=world.users["sw"].pk).exists() and AuditEntry.objects.count() == before
    long = "x" * 501
    r = c.post(_url(world, "sw"), {"action": "reset", "reason": long})
    assert "Keep the reason to 500 characters or fewer." in r.content.decode() and long in r.content.decode()

    r = c.post(_url(world, "sw"), {"action": "reset", "reason": "Phone stolen"})
    html = r.content.decode()
    assert r.status_code == 200 and "Two-factor authentication is reset" in html and LINK.search(html)
    assert not TOTPDevice.objects.filter(user_id=world.users["sw"].pk).exists()
    assert not RecoveryCode.objects.filter(user_id=world.users["sw"].pk).exists()
    assert victim.get("/").status_code == 302  # signed out
    reset = AuditEntry.objects.get(event=AuditEvent.TOTP_RESET)
    assert reset.actor_id == world.users["admin"].pk and reset.detail is not None
    assert reset.detail["reason"] == "Phone stolen" and reset.detail["sessions_ended"] == 1
    assert c.get("/").status_code == 200  # the administrator is still signed in


def test_nobody_resets_their_own(world: World) -> None:
    _enrolled(world, "admin")
    c = client_for(world, "admin")
    page = c.get(_url(world, "admin")).content.decode()
    assert "You cannot set up or reset your own two-factor authentication" in page and 'name="reason"' not in page
    r = c.post(_url(world, "admin"), {"action": "reset", "reason": "lost"})
    assert "ask another administrator" in r.content.decode()
    assert TOTPDevice.objects.filter(user_id=world.users["admin"].pk).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.TOTP_RESET).exists()
    assert c.get("/").status_code == 200


def test_a_link_for_someone_already_set_up_is_refused_with_a_message(world: World) -> None:
    _enrolled(world, "sw")
    r = client_for(world, "admin").post(_url(world, "sw"), {"action": "issue"})
    html = r.content.decode()
    assert r.status_code == 200 and "has already set up two-factor authentication" in html
    assert "There is a problem" in html and not SetUpLink.objects.exists()


def test_pages_in_welsh(world: World) -> None:
    c = client_for(world, "admin", lang="cy")
    html = c.get(_url(world)).content.decode()
    assert 'lang="cy"' in html and "Dilysu dau ffactor" in html
    person = c.get(_url(world, "iro")).content.decode()
    assert "Rhoi dolen sefydlu" in person
    reset = c.post(_url(world, "iro"), {"action": "reset", "reason": ""}).content.decode()
    assert "Rhowch y rheswm dros ailosod." in reset


def test_granting_a_role_that_needs_two_factor_says_to_issue_a_link(world: World) -> None:
    c = client_for(world, "admin")
    url = f"/access/admin/{la_pk(world)}/memberships/"
    r = c.post(url, {"user": world.users["revoked"].pk, "role": Role.SOCIAL_WORKER}, follow=True)
    assert "revoked needs two-factor authentication to sign in: issue them a set-up link" in r.content.decode()
    _enrolled(world, "iro")
    r = c.post(url, {"user": world.users["iro"].pk, "role": Role.LA_ADMIN}, follow=True)
    assert "now holds the role" in r.content.decode() and "needs two-factor" not in r.content.decode()
