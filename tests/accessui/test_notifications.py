"""Notifications: one's own only, marked read when opened; the unread count for the nav badge."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from access.world import World
from diogel.access.models import Notification
from diogel.accessui.context import unread_notifications

from .conftest import client_for, la_pk

pytestmark = pytest.mark.django_db
URL = "/access/notifications/"


def _alert(world: World) -> Notification:
    client_for(world, "iro").post(
        "/access/break-glass/", {"la": la_pk(world), "child_ref": "team", "reason": "At A&E", "hours": 24}
    )
    return Notification.objects.get(recipient_id=world.users["manager"].pk)


def test_anonymous_is_sent_to_sign_in() -> None:
    r = Client().get(URL)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("who", ["sw", "manager", "admin", "partner", "board", "nobody"])
def test_every_signed_in_user_has_the_page(world: World, who: str) -> None:
    r = client_for(world, who).get(URL)
    assert r.status_code == 200 and "You have 0 unread notifications." in r.content.decode()


def test_opening_marks_read(world: World) -> None:
    n = _alert(world)
    c = client_for(world, "manager")
    html = c.get(URL).content.decode()
    assert "You have 1 unread notification." in html and ">New<" in html
    assert "iro used emergency access to child team: At A&amp;E" in html
    assert c.get("/").context["unread_notifications"] == 1
    html = c.get(f"{URL}{n.pk}/").content.decode()
    assert "At A&amp;E" in html and "Review this emergency access" in html
    n.refresh_from_db()
    assert n.read_at is not None
    assert "You have 0 unread notifications." in c.get(URL).content.decode()
    assert c.get("/").context["unread_notifications"] == 0


def test_someone_elses_notification_is_not_found(world: World) -> None:
    n = _alert(world)
    assert client_for(world, "sw").get(f"{URL}{n.pk}/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(world: World) -> None:
    _alert(world)
    c = client_for(world, "manager")
    assert c.get(f"{URL}read-all/").status_code == 405
    r = c.post(f"{URL}read-all/", follow=True)
    assert "All your notifications are marked as read." in r.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_context_processor_is_one_query_and_only_for_signed_in_users(world: World) -> None:
    _alert(world)
    request: Any = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert unread_notifications(request) == {}
    assert len(queries) == 0
    request.user = world.users["manager"]
    with CaptureQueriesContext(connection) as queries:
        assert unread_notifications(request) == {"unread_notifications": 1}
    assert len(queries) == 1


def test_nav_badge_snippet(world: World) -> None:
    from django.template.loader import render_to_string

    _alert(world)
    request: Any = RequestFactory().get("/")
    request.user = world.users["manager"]
    html = render_to_string("accessui/_nav_notifications.html", {"unread_notifications": 1}, request=request)
    assert 'href="/access/notifications/"' in html and "1 unread" in html


def test_welsh_notifications(world: World) -> None:
    _alert(world)
    html = client_for(world, "manager", "cy").get(URL).content.decode()
    assert "Hysbysiadau" in html
