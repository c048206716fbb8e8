"""The break-glass page and its review queue: who may use them, the happy paths with their audit entries,
bad input, and the same refusal for a sealed child, another LA's child and one that does not exist."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from access.world import World
from diogel.access.models import BreakGlassGrant, Notification
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry

from .conftest import client_for, la_pk

pytestmark = pytest.mark.django_db
URL = "/access/break-glass/"
REVIEWS = "/access/break-glass/reviews/"
REFUSAL = "Emergency access cannot be given to a child with this identifier."


def _last() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def _without_tokens(html: str) -> str:
    return re.sub(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "TOKEN", html)


def test_anonymous_is_sent_to_sign_in() -> None:
    for url in (URL, REVIEWS):
        r = Client().get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("who", ["sw", "manager", "iro"])
def test_break_glass_roles_see_the_page(world: World, who: str) -> None:
    html = client_for(world, who).get(URL).content.decode()
    assert "<h1>Emergency access (break-glass)</h1>" in html
    assert "Every use is recorded in the audit trail" in html
    assert "allocated worker and their team manager are told" in html
    assert "A manager will review" in html
    assert 'href="/static/accessui/accessui.css"' in html
    assert 'type="hidden" name="la"' in html  # one LA: no choice to make


@pytest.mark.parametrize("who", ["admin", "partner", "perf_granted", "board", "inspector", "nobody", "revoked"])
def test_other_roles_are_refused(world: World, who: str) -> None:
    c = client_for(world, who)
    r = c.get(URL)
    assert r.status_code == 403
    assert "Emergency access is for social workers" in r.content.decode()
    assert c.post(URL, {"la": la_pk(world), "child_ref": "team", "reason": "x", "hours": 24}).status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_request_grants_notifies_audits_and_links_to_the_record(world: World) -> None:
    child = world.children["team"]
    c = client_for(world, "iro")
    r = c.post(URL, {"la": la_pk(world), "child_ref": "team", "reason": "Police at the door, 2am", "hours": 24})
    grant = BreakGlassGrant.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{URL}?granted={grant.pk}"
    assert grant.user_id == world.users["iro"].pk and grant.child == child
    assert (grant.expires_at - grant.starts_at).total_seconds() == 24 * 3600
    entry = _last()
    assert entry.event == AuditEvent.BREAK_GLASS_GRANTED and entry.child_id == child.pk
    assert (entry.after or {})["reason"] == "Police at the door, 2am"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["manager"]
    html = c.get(r["Location"]).content.decode()
    assert "Emergency access granted" in html
    assert f'href="/children/{child.pk}/"' in html
    assert "Your emergency access now" in html and "awaiting review" in html
    assert c.get(f"/children/{child.pk}/").status_code == 200


def test_shorter_grant(world: World) -> None:
    client_for(world, "sw").post(URL, {"la": la_pk(world), "child_ref": "other_team", "reason": "r", "hours": 4})
    g = BreakGlassGrant.objects.get()
    assert (g.expires_at - g.starts_at).total_seconds() == 4 * 3600


def test_a_child_already_visible_needs_no_grant(world: World) -> None:
    html = (
        client_for(world, "sw")
        .post(URL, {"la": la_pk(world), "child_ref": "own", "reason": "r", "hours": 24})
        .content.decode()
    )
    assert "You can already see this child" in html
    assert f'href="/children/{world.children["own"].pk}/"' in html
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"child_ref": "team", "reason": "   ", "hours": 24}, "Give the reason for emergency access."),
        ({"child_ref": "", "reason": "r", "hours": 24}, "Enter the child&#x27;s identifier."),
        ({"child_ref": "team", "reason": "r", "hours": 48}, "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(world: World, data: dict[str, object], message: str) -> None:
    before = AuditEntry.objects.count()
    r = client_for(world, "sw").post(URL, {"la": la_pk(world), **data})
    html = r.content.decode()
    assert r.status_code == 200
    assert 'class="error-summary"' in html and message in html
    assert 'aria-invalid="true"' in html
    assert "<title>Error:" in html
    if data["child_ref"]:
        assert f'value="{data["child_ref"]}"' in html  # input kept
    assert not BreakGlassGrant.objects.exists() and AuditEntry.objects.count() == before


def test_la_outside_the_actors_is_not_a_choice(world: World) -> None:
    r = client_for(world, "sw").post(
        URL, {"la": la_pk(world, "b"), "child_ref": "other_la", "reason": "r", "hours": 24}
    )
    assert "Select a valid choice." in r.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_sealed_other_la_and_missing_children_get_the_same_answer(world: World) -> None:
    c = client_for(world, "manager")
    pages = []
    for ref in ("sealed", "other_la", "no-such-child"):
        before = AuditEntry.objects.count()
        r = c.post(URL, {"la": la_pk(world), "child_ref": ref, "reason": "Urgent", "hours": 24})
        assert r.status_code == 200
        html = r.content.decode()
        assert REFUSAL in html
        pages.append(_without_tokens(html).replace(f'value="{ref}"', 'value="REF"'))
        assert AuditEntry.objects.count() == before + 1
        entry = _last()
        assert entry.event == AuditEvent.ACCESS_REFUSED and entry.detail == {"break_glass": True, "child_ref": ref}
        assert entry.child_id == (world.children["sealed"].pk if ref == "sealed" else None)
    assert pages[0] == pages[1] == pages[2]
    assert not BreakGlassGrant.objects.exists() and not Notification.objects.exists()


# --- reviews ---------------------------------------------------------------------------------------


def _grant(world: World, who: str = "iro", ref: str = "team") -> BreakGlassGrant:
    client_for(world, who).post(URL, {"la": la_pk(world), "child_ref": ref, "reason": "Out of hours", "hours": 24})
    return BreakGlassGrant.objects.get(child=world.children[ref], user_id=world.users[who].pk)


@pytest.mark.parametrize("who", ["sw", "iro", "admin", "partner", "nobody"])
def test_review_queue_is_for_team_managers(world: World, who: str) -> None:
    grant = _grant(world)
    c = client_for(world, who)
    r = c.get(REVIEWS)
    assert r.status_code == 403 and "reviewed by team managers" in r.content.decode()
    assert c.post(f"{REVIEWS}{grant.pk}/", {"decision": "justified", "note": "x"}).status_code == 403
    grant.refresh_from_db()
    assert grant.review == BreakGlassGrant.Review.PENDING


def test_manager_closes_a_review_as_justified(world: World) -> None:
    grant = _grant(world)
    c = client_for(world, "manager")
    html = c.get(REVIEWS).content.decode()
    assert "Child team, opened by iro" in html and "Out of hours" in html
    assert f'id="id_g{grant.pk}_decision_0"' in html
    assert "<legend>Decision</legend>" in html
    r = c.post(f"{REVIEWS}{grant.pk}/", {"decision": "justified", "note": "Police called; right call."})
    assert r.status_code == 302 and r["Location"] == REVIEWS
    grant.refresh_from_db()
    assert grant.review == BreakGlassGrant.Review.JUSTIFIED and grant.reviewed_by_id == world.users["manager"].pk
    entry = _last()
    assert (
        entry.event == AuditEvent.BREAK_GLASS_REVIEWED and (entry.after or {})["note"] == "Police called; right call."
    )
    html = c.get(REVIEWS).content.decode()
    assert "The review is closed: justified." in html
    assert "Nothing is awaiting your review." in html
    assert "Police called; right call." in html  # in the closed list


def test_not_justified_ends_the_access(world: World) -> None:
    grant = _grant(world)
    client_for(world, "manager").post(f"{REVIEWS}{grant.pk}/", {"decision": "not_justified", "note": "No emergency"})
    grant.refresh_from_db()
    assert grant.review == BreakGlassGrant.Review.NOT_JUSTIFIED
    assert client_for(world, "iro").get(f"/children/{world.children['team'].pk}/").status_code == 404


def test_review_needs_a_decision_and_a_note(world: World) -> None:
    grant = _grant(world)
    before = AuditEntry.objects.count()
    r = client_for(world, "manager").post(f"{REVIEWS}{grant.pk}/", {"note": "kept text"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Choose whether the emergency access was justified." in html
    assert f'href="#id_g{grant.pk}_decision_0"' in html
    assert "kept text" in html
    r = client_for(world, "manager").post(f"{REVIEWS}{grant.pk}/", {"decision": "justified", "note": " "})
    assert "Write a note about your decision." in r.content.decode()
    grant.refresh_from_db()
    assert grant.review == BreakGlassGrant.Review.PENDING and AuditEntry.objects.count() == before


def test_manager_cannot_review_their_own_use(world: World) -> None:
    grant = _grant(world, "manager", "other_team")
    c = client_for(world, "manager")
    assert "Nothing is awaiting your review." in c.get(REVIEWS).content.decode()
    r = c.post(f"{REVIEWS}{grant.pk}/", {"decision": "justified", "note": "mine"}, follow=True)
    assert "not awaiting your review" in r.content.decode()
    grant.refresh_from_db()
    assert grant.review == BreakGlassGrant.Review.PENDING


def test_welsh_break_glass_and_reviews(world: World) -> None:
    html = client_for(world, "sw", "cy").get(URL).content.decode()
    assert 'lang="cy"' in html and "Mynediad mewn argyfwng (torri'r gwydr)" in html
    grant = _grant(world)
    html = client_for(world, "manager", "cy").get(REVIEWS).content.decode()
    assert "Cyfiawnhawyd" in html and f"id_g{grant.pk}_note" in html
