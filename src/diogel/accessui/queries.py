"""Reads of the access pages, each scoped to the acting user.

- break-glass: the LAs where the actor may ask for it, the child an identifier names there,
  the actor's own grants;
- reviews: the queue (:func:`diogel.access.services.break_glass_queue`) and closed reviews of the
  manager's LAs;
- notifications: the actor's own only;
- LA administration: only for an LA the actor administers (:func:`administered_la`, else
  :class:`NotFound`); every list is of that LA, the people's two-factor state included.

Pages never see another LA's data, and a record the actor may not touch is "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diogel.access.auth.models import RecoveryCode, SetUpLink, TOTPDevice
from diogel.access.auth.services import TWO_FACTOR_ROLES
from diogel.access.clock import today
from diogel.access.errors import NotFound
from diogel.access.models import (
    BreakGlassGrant,
    InformationSharingAgreement,
    Membership,
    Notification,
    PartnerInvolvement,
    SealedRecord,
)
from diogel.access.roles import BREAK_GLASS_ROLES, Role
from diogel.access.sections import Section
from diogel.access.services import break_glass_queue
from diogel.access.visibility import active_memberships, visible_children
from diogel.cases.models import Child, LocalAuthority, PartnerAgency, Team, Worker

User = AbstractBaseUser | AnonymousUser
CLOSED_REVIEWS_SHOWN = 50


def _las_with(actor: User, roles: frozenset[str]) -> list[LocalAuthority]:
    ids = {m.la_id for m in active_memberships(actor) if m.role in roles and m.la_id is not None}
    return list(LocalAuthority.objects.filter(pk__in=ids).order_by("name_en"))


# --- break-glass -----------------------------------------------------------------------------------


def break_glass_las(actor: User) -> list[LocalAuthority]:
    """The LAs in which ``actor`` holds a role that may use break-glass (empty: the page is not for them)."""
    return _las_with(actor, frozenset(BREAK_GLASS_ROLES))


def break_glass_child_id(actor: User, la_id: int, child_ref: str) -> int | None:
    """The id of the child ``child_ref`` in ``la_id``, only if the actor may use break-glass in that LA.

    The child may be sealed: :func:`diogel.access.services.break_glass_request` refuses it,
    with the same answer as for a child that does not exist.
    """
    if la_id not in {la.pk for la in break_glass_las(actor)}:
        return None
    return Child.objects.filter(la_id=la_id, child_ref=child_ref.strip()).values_list("pk", flat=True).first()


def can_see(actor: User, child_id: int) -> bool:
    """Whether ``actor`` already sees the child (by their role, or an active grant)."""
    return visible_children(actor).filter(pk=child_id).exists()


def my_active_grants(actor: User) -> list[BreakGlassGrant]:
    if actor.pk is None:
        return []
    now = timezone.now()
    return list(
        BreakGlassGrant.objects.filter(user_id=actor.pk, starts_at__lte=now, expires_at__gt=now)
        .select_related("child")
        .order_by("-starts_at")
    )


def my_grant(actor: User, grant_id: int) -> BreakGlassGrant | None:
    if actor.pk is None:
        return None
    return BreakGlassGrant.objects.filter(pk=grant_id, user_id=actor.pk).select_related("child").first()


# --- reviews ---------------------------------------------------------------------------------------


def manages_a_team(actor: User) -> bool:
    return any(m.role == Role.TEAM_MANAGER for m in active_memberships(actor))


def review_queue(actor: AbstractBaseUser) -> list[BreakGlassGrant]:
    return break_glass_queue(actor=actor)


def queued_grant(actor: AbstractBaseUser, grant_id: int) -> BreakGlassGrant:
    """A grant in the actor's queue, or :class:`NotFound`."""
    for grant in break_glass_queue(actor=actor):
        if grant.pk == grant_id:
            return grant
    raise NotFound()


def closed_reviews(actor: User) -> list[BreakGlassGrant]:
    """The most recent closed reviews of grants in the LAs where ``actor`` manages a team."""
    las = [la.pk for la in _las_with(actor, frozenset({Role.TEAM_MANAGER}))]
    return list(
        BreakGlassGrant.objects.filter(child__la_id__in=las)
        .exclude(review=BreakGlassGrant.Review.PENDING)
        .select_related("user", "child", "reviewed_by")
        .order_by("-reviewed_at")[:CLOSED_REVIEWS_SHOWN]
    )


# --- notifications ---------------------------------------------------------------------------------


def my_notifications(actor: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient_id=actor.pk).order_by("-created_at", "-pk"))


def my_notification(actor: User, notification_id: int) -> Notification:
    n = Notification.objects.filter(pk=notification_id, recipient_id=actor.pk).select_related("grant").first()
    if n is None:
        raise NotFound()
    return n


def unread_count(actor: User) -> int:
    """One query: the actor's unread notifications."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


# --- LA administration -----------------------------------------------------------------------------


def administered_las(actor: User) -> list[LocalAuthority]:
    """The LAs in which ``actor`` is an LA administrator (empty: the administration pages are not for them)."""
    return _las_with(actor, frozenset({Role.LA_ADMIN}))


def administered_la(actor: User, la_id: int) -> LocalAuthority:
    for la in administered_las(actor):
        if la.pk == la_id:
            return la
    raise NotFound()


def la_users(actor: User, la_id: int) -> list[Any]:
    """People of the LA: anyone who holds or held a role in it, or is one of its workers."""
    la = administered_la(actor, la_id)
    ids = set(Membership.objects.filter(la=la).values_list("user_id", flat=True))
    ids |= {uid for uid in Worker.objects.filter(la=la).values_list("user_id", flat=True) if uid is not None}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username"))


def la_teams(actor: User, la_id: int) -> list[Team]:
    return list(Team.objects.filter(la=administered_la(actor, la_id), active=True).order_by("name"))


def la_agencies(actor: User, la_id: int) -> list[PartnerAgency]:
    """Partner agencies the LA can work with: its own and those not tied to one LA."""
    la = administered_la(actor, la_id)
    return list(PartnerAgency.objects.filter(Q(la=la) | Q(la__isnull=True)).order_by("kind", "name"))


def la_memberships(actor: User, la_id: int) -> list[Membership]:
    """Active memberships first, then revoked ones (most recent first)."""
    la = administered_la(actor, la_id)
    rows = Membership.objects.filter(la=la).select_related("user", "team", "agency")
    return sorted(rows, key=lambda m: (m.revoked_at is not None, m.user.get_username(), m.role, -(m.pk or 0)))


def la_membership(actor: User, la_id: int, membership_id: int) -> Membership:
    m = Membership.objects.filter(pk=membership_id, la=administered_la(actor, la_id)).first()
    if m is None:
        raise NotFound()
    return m


class AgreementStatus:
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    FUTURE = "future"


STATUS_LABELS: dict[str, Promise] = {
    AgreementStatus.IN_FORCE: _("in force"),
    AgreementStatus.EXPIRED: _("expired"),
    AgreementStatus.FUTURE: _("not yet in force"),
}


@dataclass(frozen=True)
class AgreementRow:
    agreement: InformationSharingAgreement
    status: str
    section_labels: Sequence[str]

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]


def agreement_status(agreement: InformationSharingAgreement, on: date) -> str:
    if agreement.starts_on > on:
        return AgreementStatus.FUTURE
    if agreement.expires_on < on:
        return AgreementStatus.EXPIRED
    return AgreementStatus.IN_FORCE


def la_agreements(actor: User, la_id: int) -> list[AgreementRow]:
    la = administered_la(actor, la_id)
    on = today()
    labels = dict(Section.choices)
    order = {AgreementStatus.IN_FORCE: 0, AgreementStatus.FUTURE: 1, AgreementStatus.EXPIRED: 2}
    rows = [
        AgreementRow(a, agreement_status(a, on), [str(labels[s]) for s in a.sections if s in labels])
        for a in InformationSharingAgreement.objects.filter(la=la).order_by("agency_kind", "-starts_on")
    ]
    return sorted(rows, key=lambda r: order[r.status])


def la_child(actor: User, la_id: int, child_ref: str) -> Child | None:
    """The child ``child_ref`` of an LA the actor administers (sealed children included: the administrator
    seals and unseals them)."""
    return Child.objects.filter(la=administered_la(actor, la_id), child_ref=child_ref.strip()).first()


def la_involvements(actor: User, la_id: int) -> list[PartnerInvolvement]:
    """Open involvements, then those ended in the last year."""
    la = administered_la(actor, la_id)
    since = date(today().year - 1, 1, 1)
    rows = (
        PartnerInvolvement.objects.filter(child__la=la)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
        .select_related("child", "agency")
    )
    return sorted(rows, key=lambda i: (i.ended_on is not None, i.child.child_ref, i.agency.name))


def la_involvement(actor: User, la_id: int, involvement_id: int) -> PartnerInvolvement:
    inv = (
        PartnerInvolvement.objects.filter(pk=involvement_id, child__la=administered_la(actor, la_id))
        .select_related("child")
        .first()
    )
    if inv is None:
        raise NotFound()
    return inv


def la_seals(actor: User, la_id: int) -> list[SealedRecord]:
    la = administered_la(actor, la_id)
    return list(
        SealedRecord.objects.filter(child__la=la, unsealed_at__isnull=True)
        .select_related("child")
        .prefetch_related("named_users")
        .order_by("child__child_ref")
    )


def la_seal(actor: User, la_id: int, seal_id: int) -> SealedRecord:
    seal = (
        SealedRecord.objects.filter(pk=seal_id, child__la=administered_la(actor, la_id), unsealed_at__isnull=True)
        .select_related("child")
        .first()
    )
    if seal is None:
        raise NotFound()
    return seal


# --- two-factor (LA administration) ----------------------------------------------------------------


class TwoFactorState:
    SET_UP = "set_up"
    LINK_ISSUED = "link_issued"
    NOT_SET_UP = "not_set_up"
    NOT_NEEDED = "not_needed"


TWO_FACTOR_LABELS: dict[str, Promise] = {
    TwoFactorState.SET_UP: _("set up"),
    TwoFactorState.LINK_ISSUED: _("set-up link issued"),
    TwoFactorState.NOT_SET_UP: _("not set up: cannot sign in"),
    TwoFactorState.NOT_NEEDED: _("not needed (password only)"),
}


@dataclass(frozen=True)
class TwoFactorRow:
    person: Any
    state: str
    confirmed_at: datetime | None
    link_expires_at: datetime | None
    recovery_codes_left: int

    @property
    def state_label(self) -> Promise:
        return TWO_FACTOR_LABELS[self.state]


def la_two_factor(actor: User, la_id: int) -> list[TwoFactorRow]:
    """Every person of the LA with the state of their two-factor set-up (a few queries for the whole LA)."""
    people = la_users(actor, la_id)
    ids = [u.pk for u in people]
    needed = set(
        Membership.objects.filter(user_id__in=ids, role__in=TWO_FACTOR_ROLES, revoked_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    confirmed = dict(
        TOTPDevice.objects.filter(user_id__in=ids, confirmed_at__isnull=False).values_list("user_id", "confirmed_at")
    )
    links: dict[int, datetime] = {}
    for uid, expires in SetUpLink.objects.filter(
        user_id__in=ids, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).values_list("user_id", "expires_at"):
        links[uid] = max(expires, links.get(uid, expires))
    codes = dict(
        RecoveryCode.objects.filter(user_id__in=ids, used_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    rows = []
    for u in people:
        if u.pk in confirmed:
            state = TwoFactorState.SET_UP
        elif u.pk in links:
            state = TwoFactorState.LINK_ISSUED
        elif u.pk in needed or u.is_staff or u.is_superuser:
            state = TwoFactorState.NOT_SET_UP
        else:
            state = TwoFactorState.NOT_NEEDED
        rows.append(TwoFactorRow(u, state, confirmed.get(u.pk), links.get(u.pk), codes.get(u.pk, 0)))
    return rows


def la_person(actor: User, la_id: int, user_id: int) -> Any:
    """A person of an LA the actor administers, or :class:`NotFound`."""
    for u in la_users(actor, la_id):
        if u.pk == user_id:
            return u
    raise NotFound()


def two_factor_row(actor: User, la_id: int, user_id: int) -> TwoFactorRow:
    person = la_person(actor, la_id, user_id)
    return next(r for r in la_two_factor(actor, la_id) if r.person.pk == person.pk)
