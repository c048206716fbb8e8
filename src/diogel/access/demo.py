"""Demo accounts, one per role, for ``diogel demo`` and the README's ``./run``.

:func:`ensure_demo_accounts` is idempotent: it creates what is missing, links
the accounts to the LA's real data where it exists (an allocated worker and
team, looked-after children for the IRO, an agreement and involvements for the
partner, a sample for the inspector) and sets a fresh random password on every
account each time. Accounts whose role needs two-factor authentication get a
fresh, already confirmed TOTP secret each time too (``diogel totp SECRET``
prints the current code). Everything goes through :mod:`.services` and
:mod:`.auth.services`, so it is audited as ``system:demo``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q

from diogel.audit.chain import SystemActor
from diogel.cases.models import Allocation, Child, Episode, LocalAuthority, PartnerAgency, Worker

from . import services
from .auth.services import enrol_confirmed, needs_two_factor
from .clock import today
from .models import InformationSharingAgreement, Membership
from .roles import Role
from .sections import Section

SYSTEM = SystemActor("demo")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    description: str
    totp_secret: str = ""  # blank when the role does not need two-factor authentication


def _username(role: Role) -> str:
    return "demo-" + role.value.lower().replace("_", "-")


def _account(role: Role) -> tuple[AbstractBaseUser, str]:
    user, _created = get_user_model().objects.get_or_create(username=_username(role))
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    return user, password


def _has(user: AbstractBaseUser, role: Role) -> bool:
    return Membership.objects.filter(user_id=user.pk, role=role, revoked_at__isnull=True).exists()


@transaction.atomic
def ensure_demo_accounts(*, la_code: str = "W06000015") -> list[DemoAccount]:
    """One account per role in LA ``la_code`` (Cardiff by default), each with a new random password."""
    la = LocalAuthority.objects.get(code=la_code)
    on = today()
    accounts: list[DemoAccount] = []
    open_alloc = Q(allocations__end_date__isnull=True) | Q(allocations__end_date__gte=on)

    # Social worker: the worker of this LA (in a team) with the most open allocations, not someone else's account.
    sw, pw = _account(Role.SOCIAL_WORKER)
    worker = Worker.objects.filter(la=la, user_id=sw.pk).first() or (
        Worker.objects.filter(la=la, user__isnull=True, team__isnull=False)
        .annotate(n=Count("allocations", filter=open_alloc))
        .filter(n__gt=0)
        .order_by("-n", "worker_ref")
        .first()
    )
    if worker is not None and worker.user_id is None:
        worker.user = sw  # type: ignore[assignment]
        worker.save(update_fields=["user"])
    if not _has(sw, Role.SOCIAL_WORKER):
        services.membership_grant(actor=SYSTEM, user=sw, role=Role.SOCIAL_WORKER, la=la)
    n = Allocation.objects.filter(worker=worker, end_date__isnull=True).count() if worker else 0
    accounts.append(DemoAccount(sw.get_username(), pw, Role.SOCIAL_WORKER, f"worker {worker or '-'}, {n} open"))

    manager, pw = _account(Role.TEAM_MANAGER)
    team = worker.team if worker is not None else la.teams.order_by("name").first()
    if team is not None and not _has(manager, Role.TEAM_MANAGER):
        services.membership_grant(actor=SYSTEM, user=manager, role=Role.TEAM_MANAGER, la=la, team=team)
    accounts.append(DemoAccount(manager.get_username(), pw, Role.TEAM_MANAGER, f"team {team or '-'}"))

    iro, pw = _account(Role.IRO)
    if not _has(iro, Role.IRO):
        services.membership_grant(actor=SYSTEM, user=iro, role=Role.IRO, la=la)
    looked_after = Child.objects.filter(la=la, episodes__in=Episode.objects.filter(dec__isnull=True)).distinct()
    for child in looked_after.order_by("child_ref")[:15]:
        services.iro_assign(actor=SYSTEM, user=iro, child=child)
    accounts.append(DemoAccount(iro.get_username(), pw, Role.IRO, "chairs reviews of up to 15 looked-after children"))

    admin, pw = _account(Role.LA_ADMIN)
    if not _has(admin, Role.LA_ADMIN):
        services.membership_grant(actor=SYSTEM, user=admin, role=Role.LA_ADMIN, la=la)
    accounts.append(DemoAccount(admin.get_username(), pw, Role.LA_ADMIN, "users and reference data"))

    partner, pw = _account(Role.PARTNER)
    agency = (
        PartnerAgency.objects.filter(kind="HEALTH", la=la).order_by("pk").first()
        or PartnerAgency.objects.get_or_create(kind="HEALTH", name=f"Demo health board ({la.name_en})")[0]
    )
    if not _has(partner, Role.PARTNER):
        services.membership_grant(actor=SYSTEM, user=partner, role=Role.PARTNER, la=la, agency=agency)
    if not InformationSharingAgreement.objects.filter(
        la=la, agency_kind="HEALTH", starts_on__lte=on, expires_on__gte=on
    ).exists():
        services.agreement_create(
            actor=SYSTEM, la=la, agency_kind="HEALTH", purpose="Safeguarding children known to both services (demo)",
            sections=[Section.REFERRALS, Section.ASSESSMENTS, Section.CHILD_PROTECTION, Section.HEALTH],
            starts_on=on - timedelta(days=365), expires_on=on + timedelta(days=365),
            signed_for_la_by="Director of Social Services (demo)", signed_for_agency_by="Executive Nurse Director (demo)",
        )  # fmt: skip
    allocated = (
        Child.objects.filter(la=la, allocations__worker=worker, allocations__end_date__isnull=True)
        if worker
        else Child.objects.none()
    )
    for child in allocated.distinct().order_by("child_ref")[:5]:
        services.involvement_start(actor=SYSTEM, child=child, agency=agency, reason="demo")
    accounts.append(DemoAccount(partner.get_username(), pw, Role.PARTNER, f"{agency}, referrals/assessments/CP/health"))

    perf, pw = _account(Role.PERFORMANCE_OFFICER)
    if not _has(perf, Role.PERFORMANCE_OFFICER):
        services.membership_grant(actor=SYSTEM, user=perf, role=Role.PERFORMANCE_OFFICER, la=la)
    accounts.append(DemoAccount(perf.get_username(), pw, Role.PERFORMANCE_OFFICER, "pseudonymised child-level data"))

    board, pw = _account(Role.BOARD_MEMBER)
    if not _has(board, Role.BOARD_MEMBER):
        services.membership_grant(actor=SYSTEM, user=board, role=Role.BOARD_MEMBER, region="Cardiff and Vale")
    accounts.append(DemoAccount(board.get_username(), pw, Role.BOARD_MEMBER, "aggregates only"))

    wg, pw = _account(Role.WG_ANALYST)
    if not _has(wg, Role.WG_ANALYST):
        services.membership_grant(actor=SYSTEM, user=wg, role=Role.WG_ANALYST)
    accounts.append(DemoAccount(wg.get_username(), pw, Role.WG_ANALYST, "aggregates only"))

    inspector, pw = _account(Role.INSPECTOR)
    m = Membership.objects.filter(user_id=inspector.pk, role=Role.INSPECTOR, revoked_at__isnull=True).first()
    if m is None or m.window_end is None or m.window_end < on:
        sample = list(Child.objects.filter(la=la).filter(open_alloc).distinct().order_by("child_ref")[:10])
        services.membership_grant(
            actor=SYSTEM, user=inspector, role=Role.INSPECTOR, window=(on, on + timedelta(days=30)), sample=sample
        )
    accounts.append(DemoAccount(inspector.get_username(), pw, Role.INSPECTOR, "read-only, 30 days, 10 children"))

    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=[a.username for a in accounts])}
    return [
        replace(a, totp_secret=enrol_confirmed(actor=SYSTEM, user=users[a.username]))
        if needs_two_factor(users[a.username])
        else a
        for a in accounts
    ]
