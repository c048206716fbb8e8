"""The per-request memo of what visibility reads about the actor: once per GET request, never across requests."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from access.world import SYSTEM, World, build
from diogel.access import services
from diogel.access.models import Membership
from diogel.access.visibility import active_memberships, request_memo, visible_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build()


def queries_of(block: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        block()  # type: ignore[operator]
    return len(ctx.captured_queries)


def test_memberships_are_read_once_inside_the_memo_and_every_time_outside(world: World) -> None:
    sw = world.users["sw"]
    assert queries_of(lambda: active_memberships(sw)) == 1
    assert queries_of(lambda: active_memberships(sw)) == 1
    with request_memo():
        assert queries_of(lambda: active_memberships(sw)) == 1
        assert queries_of(lambda: active_memberships(sw)) == 0
        assert queries_of(lambda: active_memberships(world.users["manager"])) == 1  # keyed by user
        assert [m.role for m in active_memberships(sw)] == [m.role for m in active_memberships(sw)]
    assert queries_of(lambda: active_memberships(sw)) == 1  # gone with the block


def test_the_memo_gives_the_same_children(world: World) -> None:
    for who in ("sw", "manager", "iro", "partner", "inspector", "nobody"):
        user = world.users[who]
        plain = set(visible_children(user).values_list("pk", flat=True))
        with request_memo():
            memoised = set(visible_children(user).values_list("pk", flat=True))
            again = set(visible_children(user).values_list("pk", flat=True))
        assert plain == memoised == again, who


def test_a_revoked_role_is_seen_by_the_next_request(world: World) -> None:
    own = world.children["own"].pk
    client = Client()
    client.force_login(world.users["sw"])
    assert client.get(f"/children/{own}/").status_code == 200
    membership = Membership.objects.get(user=world.users["sw"], revoked_at__isnull=True)
    services.membership_revoke(actor=SYSTEM, membership=membership)
    assert client.get(f"/children/{own}/").status_code == 404
