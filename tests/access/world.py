"""A small world of two LAs, teams, workers, children and one user per role, built through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from diogel.access import services
from diogel.access.clock import today
from diogel.access.models import SealedRecord
from diogel.access.roles import Role
from diogel.access.sections import Section
from diogel.audit.chain import SystemActor
from diogel.cases.models import Allocation, Child, LocalAuthority, PartnerAgency, Referral, Team, Worker

SYSTEM = SystemActor("test")


@dataclass
class World:
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)
    children: dict[str, Child] = field(default_factory=dict)
    la_a: LocalAuthority | None = None
    la_b: LocalAuthority | None = None


def _user(name: str) -> AbstractBaseUser:
    return get_user_model().objects.create_user(name)  # no password: hashing would slow every test


def build() -> World:
    w = World()
    on = today()
    la_a = w.la_a = LocalAuthority.objects.get(code="W06000001")
    la_b = w.la_b = LocalAuthority.objects.get(code="W06000002")
    team_a1 = Team.objects.create(la=la_a, name="A1")
    team_a2 = Team.objects.create(la=la_a, name="A2")
    team_b1 = Team.objects.create(la=la_b, name="B1")
    for name in (
        "sw", "manager", "iro", "admin", "partner", "partner_expired", "perf", "perf_granted", "board", "wg",
        "inspector", "inspector_expired", "nobody", "revoked",
    ):  # fmt: skip
        w.users[name] = _user(name)
    u = w.users
    worker_sw = Worker.objects.create(la=la_a, worker_ref="SW1", team=team_a1, user_id=u["sw"].pk)
    colleague = Worker.objects.create(la=la_a, worker_ref="SW2", team=team_a1)
    other = Worker.objects.create(la=la_a, worker_ref="SW3", team=team_a2)
    worker_b = Worker.objects.create(la=la_b, worker_ref="SW1", team=team_b1)
    c = w.children
    for name, la, worker in (
        ("own", la_a, worker_sw),
        ("team", la_a, colleague),
        ("other_team", la_a, other),
        ("other_la", la_b, worker_b),
        ("sealed", la_a, worker_sw),
        ("unallocated", la_a, None),
        ("ended", la_a, worker_sw),
    ):
        c[name] = Child.objects.create(la=la, child_ref=name)
        if worker is not None:
            Allocation.objects.create(la=la, child=c[name], worker=worker, start_date=on - timedelta(days=30))
    # An open referral with no worker yet: awaiting allocation by the LA's team managers.
    c["awaiting"] = Child.objects.create(la=la_a, child_ref="awaiting")
    Referral.objects.create(
        la=la_a, child=c["awaiting"], referral_ref="R-awaiting", referral_date=on - timedelta(days=2)
    )
    ended = Allocation.objects.get(child=c["ended"])
    ended.end_date = on - timedelta(days=1)
    ended.save()
    services.record_seal(actor=SYSTEM, child=c["sealed"], reason=SealedRecord.Reason.ADOPTION, named_users=[u["sw"]])

    grant = services.membership_grant
    grant(actor=SYSTEM, user=u["sw"], role=Role.SOCIAL_WORKER, la=la_a)
    grant(actor=SYSTEM, user=u["manager"], role=Role.TEAM_MANAGER, la=la_a, team=team_a1)
    grant(actor=SYSTEM, user=u["iro"], role=Role.IRO, la=la_a)
    for child in ("other_team", "sealed", "other_la"):
        services.iro_assign(actor=SYSTEM, user=u["iro"], child=c[child], started_on=on - timedelta(days=5))
    grant(actor=SYSTEM, user=u["admin"], role=Role.LA_ADMIN, la=la_a)
    health = PartnerAgency.objects.create(kind="HEALTH", name="Health board")
    police = PartnerAgency.objects.create(kind="POLICE", name="Police force")
    grant(actor=SYSTEM, user=u["partner"], role=Role.PARTNER, la=la_a, agency=health)
    grant(actor=SYSTEM, user=u["partner_expired"], role=Role.PARTNER, la=la_a, agency=police)
    common = {"purpose": "Safeguarding", "signed_for_la_by": "Director", "signed_for_agency_by": "Chief"}
    services.agreement_create(
        actor=SYSTEM, la=la_a, agency_kind="HEALTH", sections=[Section.REFERRALS, Section.HEALTH],
        starts_on=on - timedelta(days=100), expires_on=on + timedelta(days=100), **common,
    )  # fmt: skip
    services.agreement_create(
        actor=SYSTEM, la=la_a, agency_kind="POLICE", sections=list(Section),
        starts_on=on - timedelta(days=100), expires_on=on - timedelta(days=1), **common,
    )  # fmt: skip
    for child in ("own", "other_team", "other_la", "sealed"):
        services.involvement_start(actor=SYSTEM, child=c[child], agency=health, started_on=on - timedelta(days=3))
    services.involvement_start(actor=SYSTEM, child=c["own"], agency=police, started_on=on - timedelta(days=3))
    grant(actor=SYSTEM, user=u["perf"], role=Role.PERFORMANCE_OFFICER, la=la_a)
    grant(actor=SYSTEM, user=u["perf_granted"], role=Role.PERFORMANCE_OFFICER, la=la_a, identifiable=True)
    grant(actor=SYSTEM, user=u["board"], role=Role.BOARD_MEMBER, region="North Wales")
    grant(actor=SYSTEM, user=u["wg"], role=Role.WG_ANALYST)
    sample = [c["other_team"], c["other_la"], c["sealed"]]
    grant(
        actor=SYSTEM,
        user=u["inspector"],
        role=Role.INSPECTOR,
        window=(on - timedelta(days=1), on + timedelta(days=9)),
        sample=sample,
    )
    grant(
        actor=SYSTEM, user=u["inspector_expired"], role=Role.INSPECTOR,
        window=(on - timedelta(days=30), on - timedelta(days=1)), sample=[c["own"]],
    )  # fmt: skip
    revoked = grant(actor=SYSTEM, user=u["revoked"], role=Role.SOCIAL_WORKER, la=la_a)
    services.membership_revoke(actor=SYSTEM, membership=revoked)
    Worker.objects.create(la=la_a, worker_ref="SW9", team=team_a1, user_id=u["revoked"].pk)
    return w


def d(days: int) -> date:
    return today() + timedelta(days=days)
