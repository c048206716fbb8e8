"""One access world per test session (per xdist worker: tests/access/world.py plus an open case on every
child), kept in an outer transaction that is rolled back when the session ends; each test runs in a
savepoint inside it, so what one test writes is gone before the next, whatever its module.

Clients are signed in with ``Client.force_login``: Diogel checks two-factor at the sign-in view only
(``docs/security.md``, "Sessions made outside the sign-in view …"), so a forced session counts as a
completed sign-in; ``diogel_two_factor`` is set in it anyway, as the sign-in view does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from access.world import SYSTEM, World, build, d
from diogel.access import services as access_services
from diogel.access.auth import services as auth_services
from diogel.access.models import Membership, Notification, PartnerInvolvement, SealedRecord
from diogel.cases import models as m
from diogel.cases.models import LocalAuthority
from diogel.performance import queries as performance_queries
from diogel.performance.services import resultset_refresh
from diogel.record.models import CaseNote

from .rules import NOTIFIED

#: The children of the matrix (the kinds the issue names), and the roles (one user each, plus anonymous).
KINDS = ("own", "other_team", "other_la", "sealed")
ROLES = (
    "sw", "manager", "iro", "admin", "partner", "partner_expired", "perf", "perf_granted", "board", "wg",
    "inspector", "inspector_expired", "nobody", "revoked",
)  # fmt: skip
ANONYMOUS = "anonymous"


@dataclass
class SecurityWorld:
    world: World
    #: Per child kind: ids of an open referral, assessment, section 47 enquiry, a registration, an
    #: episode and a case note written by ``sw`` (so every by-id URL has a real record of that child).
    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    team_a1: int = 0
    team_b1: int = 0
    #: LA code → pk (the access pages' ``la_id``).
    la_ids: dict[str, int] = field(default_factory=dict)
    #: Records of LA A the access pages act on: a break-glass grant awaiting review (and the notification
    #: it sent), a membership, a partner involvement, a seal.
    access_ids: dict[str, int] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def child(self, kind: str) -> m.Child:
        return self.world.children[kind]

    def client(self, role: str) -> Client:
        if role not in self.clients:
            c = Client(raise_request_exception=False)  # a 500 is an answer to assert on, not a crash
            if role != ANONYMOUS:
                c.force_login(self.world.users[role])  # type: ignore[arg-type]
                session = c.session
                session[auth_services.SESSION_TWO_FACTOR] = True
                session.save()
            self.clients[role] = c
        return self.clients[role]


def open_case(child: m.Child, author_id: int) -> dict[str, int]:
    la = child.la
    ref = m.Referral.objects.create(
        la=la, child=child, referral_ref=f"SEC-R-{child.pk}", referral_date=d(-40), source="1A"
    )
    assessment = m.Assessment.objects.create(
        la=la, child=child, referral=ref, assessment_ref=f"SEC-A-{child.pk}", assessment_type="INITIAL",
        start_date=d(-39),
    )  # fmt: skip
    enquiry = m.Section47Enquiry.objects.create(la=la, child=child, start_date=d(-30))
    registration = m.Registration.objects.create(
        la=la, child=child, registration_ref=f"SEC-G-{child.pk}", start_date=d(-20), category="NEG"
    )
    episode = m.Episode.objects.create(la=la, child=child, decom=d(-200), legal_status="C2", placement="U1", rne="S")
    now = d(0)
    note = CaseNote.objects.create(
        child=child, author_id=author_id, author_label="sw", occurred_on=now - timedelta(days=1),
        text=f"Secret note about {child.child_ref}", created_at=timezone.now(), updated_at=timezone.now(),
    )  # fmt: skip
    return {
        "referral": ref.pk,
        "assessment": assessment.pk,
        "enquiry": enquiry.pk,
        "registration": registration.pk,
        "episode": episode.pk,
        "visit": m.Visit.objects.create(la=la, child=child, visit_date=d(-10), visit_type="CP", seen_alone="Y").pk,
        "note": note.pk,
    }


def build_security_world() -> SecurityWorld:
    w = build()
    sw = SecurityWorld(world=w)
    for kind in KINDS:
        sw.ids[kind] = open_case(w.children[kind], w.users["sw"].pk)
    sw.team_a1 = m.Team.objects.get(la=w.la_a, name="A1").pk
    sw.team_b1 = m.Team.objects.get(la=w.la_b, name="B1").pk
    sw.la_ids = dict(LocalAuthority.objects.values_list("code", "pk"))
    # The IRO uses break-glass for child "team" (allocated to a colleague in team A1, outside the matrix's
    # kinds): its review waits in the queue of A1's manager, who is notified.
    grant = access_services.break_glass_request(
        actor=w.users["iro"], child_id=w.children["team"].pk, reason="Police at the door", hours=24
    )
    notification = Notification.objects.get(grant=grant)
    assert notification.recipient_id == w.users[NOTIFIED].pk
    sw.access_ids = {
        "grant_id": grant.pk,
        "notification_id": notification.pk,
        "membership_id": Membership.objects.get(user=w.users["sw"], la=w.la_a).pk,
        "involvement_id": PartnerInvolvement.objects.get(child=w.children["own"], agency__kind="HEALTH").pk,
        "seal_id": SealedRecord.objects.get(child=w.children["sealed"]).pk,
        "agency": m.PartnerAgency.objects.get(kind="HEALTH").pk,  # for forged forms
    }
    performance_queries.forget_current()
    resultset_refresh(actor=SYSTEM)  # figures, so that "allowed" performance pages are pages, not 404
    return sw


@pytest.fixture(scope="module")
def sec(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[SecurityWorld]:
    """The world, built once per module inside a transaction that is rolled back when the module ends, so that
    other test modules running later on the same worker start from empty tables."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_security_world()
            for role in (*ROLES, ANONYMOUS):  # sessions made here outlive each test's savepoint
                world.client(role)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            performance_queries.forget_current()


@pytest.fixture(autouse=True)
def _quiet(settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """No rate limit (hundreds of requests per test), no background refresh of the performance figures."""
    settings.DIOGEL_RATE_LIMITS = {}  # type: ignore[attr-defined]
    monkeypatch.setenv("DIOGEL_PERFORMANCE_AUTO_REFRESH", "0")


@pytest.fixture
def client_for(sec: SecurityWorld, db: None) -> Callable[[str], Client]:
    return sec.client
