"""What the home pages and their API cost in queries, through the whole middleware: pinned, and not growing
with the number of children.

Each count is the page's own queries plus those of :func:`diogel.timescales.from_models.child_records` (what
is due, a colleague's area), measured here rather than written down, so that a change there does not move
these pins and a change in the pages does.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from access.world import SYSTEM, World
from diogel.access import services as access_services
from diogel.cases import models as m
from diogel.timescales.from_models import child_records

from .builders import D, many_children, referral_for_initial_assessment
from .conftest import TODAY

pytestmark = pytest.mark.django_db

#: The session (read; saved in a savepoint: 3), the user, the unread-notification count: every signed-in page.
FLOOR = 6
#: The API's rate limit (diogel.access.auth.middleware.over_limit): one atomic upsert per request.
RATE_LIMIT = 1
#: One audit entry: lock the head, insert, update the head, in a savepoint.
AUDIT = 5


def records_queries() -> int:
    """The queries of ``child_records`` (a constant of the timescales area, but for the nested tables it reads
    only when there are rows above them, such as core groups of registrations: hence every child here)."""
    with CaptureQueriesContext(connection) as ctx:
        child_records(m.Child.objects.all())
    return len(ctx.captured_queries)


def counted(client: Client, path: str) -> int:
    client.get(path)  # warm-up: the language, the rate-limit window
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    if os.environ.get("SHOW_QUERIES"):
        print(path, *(q["sql"][:150] for q in ctx.captured_queries), sep="\n  ")
    return len(ctx.captured_queries)


def signed_in(world: World, who: str) -> Client:
    c = Client()
    c.force_login(world.users[who])
    return c


def waiting(la: m.LocalAuthority, n: int) -> None:
    """``n`` children of ``la`` with an open referral and no worker: awaiting allocation."""
    for i in range(n):
        child = m.Child.objects.create(la=la, child_ref=f"WAIT{i}", date_of_birth=D(2004, 1, 1) + timedelta(days=i))
        referral_for_initial_assessment(child, TODAY - timedelta(days=3 + i % 20))


# memberships (once for the request), allocations, the worker's teams, children; the records; audit
CASELOAD_PAGE = FLOOR + 4 + AUDIT
# memberships, the tabs' team names, the team, workers, allocations, one page of the unallocated with their
# total, children, worker choices; the records; audit
TEAM_PAGE = FLOOR + 8 + AUDIT
# memberships, the children chaired; the records; audit
IRO_PAGE = FLOOR + 2 + AUDIT


@pytest.mark.parametrize("n", [1, 30])
def test_caseload_page_queries_do_not_grow(world: World, n: int) -> None:
    worker = m.Worker.objects.get(user=world.users["sw"])
    many_children(world.la_a, worker, n, TODAY)
    assert counted(signed_in(world, "sw"), "/caseload/") == CASELOAD_PAGE + records_queries()
    assert counted(signed_in(world, "sw"), "/api/v1/caseload/") == CASELOAD_PAGE - 1 + RATE_LIMIT + records_queries()


@pytest.mark.parametrize("n", [1, 40])
def test_team_view_queries_do_not_grow_with_the_children_awaiting(world: World, n: int) -> None:
    worker = m.Worker.objects.get(user=world.users["sw"])
    many_children(world.la_a, worker, n, TODAY)
    waiting(world.la_a, n)
    team = m.Team.objects.get(name="A1")
    client = signed_in(world, "manager")
    assert counted(client, "/caseload/") == TEAM_PAGE + records_queries()
    assert counted(client, "/caseload/?page=2") == TEAM_PAGE + records_queries() + (0 if n > 25 else 2)
    api = TEAM_PAGE - 2 + RATE_LIMIT + records_queries()  # no tabs, no badge
    assert counted(client, f"/api/v1/caseload/team/{team.pk}") == api


def test_team_view_page_past_the_end_costs_two_queries_more(world: World) -> None:
    waiting(world.la_a, 3)
    client = signed_in(world, "manager")
    # the empty page, then the total and the last page
    assert counted(client, "/caseload/?page=9") == TEAM_PAGE + records_queries() + 2


@pytest.mark.parametrize("n", [0, 20])
def test_iro_schedule_queries_do_not_grow(world: World, n: int) -> None:
    for i in range(n):
        child = m.Child.objects.create(la=world.la_a, child_ref=f"IRO{i}")
        m.Episode.objects.create(la=world.la_a, child=child, decom=TODAY - timedelta(days=10 + i), rne="S",
                                 legal_status="C2", placement="U1")  # fmt: skip
        access_services.iro_assign(actor=SYSTEM, user=world.users["iro"], child=child, started_on=TODAY)
    assert counted(signed_in(world, "iro"), "/caseload/") == IRO_PAGE + records_queries()
    api = IRO_PAGE - 1 + RATE_LIMIT + records_queries()
    assert counted(signed_in(world, "iro"), "/api/v1/caseload/reviews") == api
