"""Every change to access data. Each function takes ``actor`` keyword-only, runs in one transaction and
writes its audit entry in that same transaction (so a change without its audit entry cannot exist).

Who may do what:

- grant or revoke a role: an LA administrator for memberships of their own LA
  (not national roles); a superuser or a :class:`~diogel.audit.chain.SystemActor` for any;
- start or end a partner's involvement: anyone who can see the child, or an LA
  administrator of the child's LA;
- seal or unseal: an LA administrator of the child's LA;
- break-glass: a social worker, team manager or IRO of the child's LA, for a child
  that is not sealed; closing the review: a team manager of the child's LA other
  than the person who used it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogel import audit
from diogel.audit.chain import SystemActor
from diogel.audit.events import AuditEvent
from diogel.cases.models import Allocation, Child, LocalAuthority, PartnerAgency, Team
from diogel.errors import UserError

from .clock import today
from .errors import NotAllowedError, NotFound
from .models import (
    BreakGlassGrant,
    InformationSharingAgreement,
    IROAssignment,
    Membership,
    Notification,
    PartnerInvolvement,
    SealedRecord,
)
from .roles import BREAK_GLASS_ROLES, LA_ROLES, Role
from .sections import ALL_SECTIONS
from .visibility import active_memberships, team_manager_rule, visible_children

Actor = AbstractBaseUser | AnonymousUser | SystemActor
BREAK_GLASS_HOURS = 24


def _label(actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    return actor.get_username() if actor.is_authenticated else "anonymous"


def _is_trusted(actor: Actor) -> bool:
    return isinstance(actor, SystemActor) or bool(getattr(actor, "is_superuser", False) and actor.is_active)


def _is_la_admin(actor: Actor, la_id: int | None) -> bool:
    if _is_trusted(actor):
        return True
    if isinstance(actor, SystemActor) or la_id is None:
        return False
    return any(m.role == Role.LA_ADMIN and m.la_id == la_id for m in active_memberships(actor))


def _user(actor: Actor) -> AbstractBaseUser | None:
    return None if isinstance(actor, SystemActor) or not actor.is_authenticated else actor


def _membership_snapshot(m: Membership) -> dict[str, Any]:
    return {
        "user": m.user_id,
        "role": m.role,
        "la": m.la_id,
        "team": m.team_id,
        "agency": m.agency_id,
        "region": m.region,
        "identifiable": m.identifiable,
        "window": [m.window_start, m.window_end],
        "sample": sorted(m.sample.values_list("pk", flat=True)) if m.pk else [],
        "revoked_at": m.revoked_at,
    }


# --- roles -----------------------------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *,
    actor: Actor,
    user: AbstractBaseUser,
    role: Role,
    la: LocalAuthority | None = None,
    team: Team | None = None,
    agency: PartnerAgency | None = None,
    region: str = "",
    identifiable: bool = False,
    window: tuple[date, date] | None = None,
    sample: Iterable[Child] = (),
) -> Membership:
    """Give ``user`` the role ``role``; an identical active membership is returned unchanged."""
    if role in LA_ROLES and la is None:
        raise UserError(_("This role is held in a local authority: choose one."))
    if role not in LA_ROLES and not _is_trusted(actor):
        raise NotAllowedError(_("Only a system administrator can grant this role."))
    if role in LA_ROLES and not _is_la_admin(actor, la.pk if la else None):
        raise NotAllowedError(_("You cannot grant roles in this local authority."))
    if team is not None and la is not None and team.la_id != la.pk:
        raise UserError(_("The team belongs to another local authority."))
    if role == Role.PARTNER and agency is None:
        raise UserError(_("A partner-agency practitioner needs an agency."))
    if role == Role.TEAM_MANAGER and team is None:
        raise UserError(_("A team manager needs a team."))
    if role == Role.INSPECTOR and window is None:
        raise UserError(_("An inspector needs an inspection window."))
    existing = (
        Membership.objects.select_for_update()
        .filter(
            user_id=user.pk,
            role=role,
            la=la,
            team=team,
            agency=agency,
            region=region,
            identifiable=identifiable,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            revoked_at__isnull=True,
        )
        .first()
    )
    sample_ids = sorted(c.pk for c in sample)
    if existing is not None and sorted(existing.sample.values_list("pk", flat=True)) == sample_ids:
        return existing
    m = Membership.objects.create(
        user_id=user.pk,
        role=role,
        la=la,
        team=team,
        agency=agency,
        region=region,
        identifiable=identifiable,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        granted_at=timezone.now(),
        granted_by_label=_label(actor),
    )
    if sample_ids:
        m.sample.set(sample_ids)
    audit.record(actor=actor, event=AuditEvent.ROLE_GRANTED, obj=m, la=la, after=_membership_snapshot(m))
    return m


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> Membership:
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if m.role in LA_ROLES and not _is_la_admin(actor, m.la_id):
        raise NotAllowedError(_("You cannot revoke roles in this local authority."))
    if m.role not in LA_ROLES and not _is_trusted(actor):
        raise NotAllowedError(_("Only a system administrator can revoke this role."))
    if m.revoked_at is not None:
        return m
    before = _membership_snapshot(m)
    m.revoked_at = timezone.now()
    m.save(update_fields=["revoked_at"])
    audit.record(actor=actor, event=AuditEvent.ROLE_REVOKED, obj=m, before=before, after=_membership_snapshot(m))
    return m


# --- agreements and involvement --------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    la: LocalAuthority,
    agency_kind: str,
    purpose: str,
    sections: Iterable[str],
    starts_on: date,
    expires_on: date,
    signed_for_la_by: str,
    signed_for_agency_by: str,
) -> InformationSharingAgreement:
    if not _is_la_admin(actor, la.pk):
        raise NotAllowedError(_("You cannot record agreements for this local authority."))
    chosen = sorted(set(sections))
    unknown = [s for s in chosen if s not in ALL_SECTIONS]
    if unknown:
        raise UserError(_("Unknown sections of the record: %(names)s.") % {"names": ", ".join(unknown)})
    if expires_on < starts_on:
        raise UserError(_("The agreement must not expire before it starts."))
    if not purpose.strip() or not signed_for_la_by.strip() or not signed_for_agency_by.strip():
        raise UserError(_("An agreement needs a purpose and a signatory for each party."))
    agreement = InformationSharingAgreement.objects.create(
        la=la,
        agency_kind=agency_kind,
        purpose=purpose,
        sections=chosen,
        starts_on=starts_on,
        expires_on=expires_on,
        signed_for_la_by=signed_for_la_by,
        signed_for_agency_by=signed_for_agency_by,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        event=AuditEvent.AGREEMENT_CREATED,
        obj=agreement,
        after={
            "agency_kind": agency_kind,
            "purpose": purpose,
            "sections": chosen,
            "starts_on": starts_on,
            "expires_on": expires_on,
            "signed_for_la_by": signed_for_la_by,
            "signed_for_agency_by": signed_for_agency_by,
        },
    )
    return agreement


def _require_child_access(actor: Actor, child: Child) -> Child:
    """The child, locked, if ``actor`` may act on it (sees it, or administers its LA); else NotFound."""
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    if locked is None:
        raise NotFound()
    if _is_la_admin(actor, locked.la_id):
        return locked
    if isinstance(actor, SystemActor) or not visible_children(actor).filter(pk=locked.pk).exists():
        raise NotFound()
    return locked


@transaction.atomic
def involvement_start(
    *, actor: Actor, child: Child, agency: PartnerAgency, started_on: date | None = None, reason: str = ""
) -> PartnerInvolvement:
    """Record that ``agency`` is now involved with ``child`` (an open involvement is returned unchanged)."""
    locked = _require_child_access(actor, child)
    existing = PartnerInvolvement.objects.filter(child=locked, agency=agency, ended_on__isnull=True).first()
    if existing is not None:
        return existing
    involvement = PartnerInvolvement.objects.create(
        child=locked, agency=agency, started_on=started_on or today(), reason=reason
    )
    audit.record(
        actor=actor,
        event=AuditEvent.INVOLVEMENT_STARTED,
        obj=involvement,
        after={"agency": agency.pk, "agency_kind": agency.kind, "started_on": involvement.started_on, "reason": reason},
    )
    return involvement


@transaction.atomic
def involvement_end(
    *, actor: Actor, involvement: PartnerInvolvement, ended_on: date | None = None
) -> PartnerInvolvement:
    inv = PartnerInvolvement.objects.select_for_update().get(pk=involvement.pk)
    _require_child_access(actor, inv.child)
    if inv.ended_on is not None:
        return inv
    end = ended_on or today()
    if end < inv.started_on:
        raise UserError(_("The involvement cannot end before it started."))
    inv.ended_on = end
    inv.save(update_fields=["ended_on"])
    audit.record(
        actor=actor, event=AuditEvent.INVOLVEMENT_ENDED, obj=inv, before={"ended_on": None}, after={"ended_on": end}
    )
    return inv


# --- sealed records --------------------------------------------------------------------------------


@transaction.atomic
def record_seal(
    *, actor: Actor, child: Child, reason: SealedRecord.Reason, named_users: Iterable[AbstractBaseUser], note: str = ""
) -> SealedRecord:
    """Seal ``child``'s record so that only ``named_users`` see it (an open seal gets the new names)."""
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    if locked is None or not _is_la_admin(actor, locked.la_id):
        raise NotFound()
    names = sorted({u.pk for u in named_users})
    seal = SealedRecord.objects.select_for_update().filter(child=locked, unsealed_at__isnull=True).first()
    before = None
    if seal is None:
        seal = SealedRecord.objects.create(child=locked, reason=reason, note=note, sealed_at=timezone.now())
    else:
        before = {"reason": seal.reason, "named_users": sorted(seal.named_users.values_list("pk", flat=True))}
        if before == {"reason": reason, "named_users": names}:
            return seal
        seal.reason = reason
        seal.save(update_fields=["reason"])
    seal.named_users.set(names)
    audit.record(
        actor=actor,
        event=AuditEvent.RECORD_SEALED,
        obj=seal,
        before=before,
        after={"reason": reason, "named_users": names},
    )
    return seal


@transaction.atomic
def record_unseal(*, actor: Actor, child: Child) -> SealedRecord | None:
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    if locked is None or not _is_la_admin(actor, locked.la_id):
        raise NotFound()
    seal = SealedRecord.objects.select_for_update().filter(child=locked, unsealed_at__isnull=True).first()
    if seal is None:
        return None
    seal.unsealed_at = timezone.now()
    seal.save(update_fields=["unsealed_at"])
    audit.record(
        actor=actor, event=AuditEvent.RECORD_UNSEALED, obj=seal, before={"sealed": True}, after={"sealed": False}
    )
    return seal


# --- break-glass -----------------------------------------------------------------------------------


def _people_to_notify(child: Child, on: date) -> set[int]:
    """Users of the child's allocated workers and the managers of their teams."""
    allocations = Allocation.objects.filter(child=child, end_date__isnull=True).select_related("worker")
    users = {a.worker.user_id for a in allocations if a.worker.user_id is not None}
    teams = {a.worker.team_id for a in allocations if a.worker.team_id is not None}
    managers = Membership.objects.filter(role=Role.TEAM_MANAGER, team_id__in=teams, revoked_at__isnull=True)
    users |= set(managers.values_list("user_id", flat=True))
    return users


@transaction.atomic
def break_glass_request(
    *, actor: AbstractBaseUser, child_id: int, reason: str, hours: int = BREAK_GLASS_HOURS
) -> BreakGlassGrant:
    """Open ``child_id``'s record to ``actor`` for ``hours`` (default 24), for a stated reason.

    The allocated worker and their managers are notified; a manager must review the
    grant. Refused (as :class:`NotFound`) for a sealed child, a child of another LA,
    or a missing one.
    """
    if not reason.strip():
        raise UserError(_("Give the reason for emergency access."))
    if not 1 <= hours <= BREAK_GLASS_HOURS:
        raise UserError(_("Emergency access lasts at most 24 hours."))
    las = {m.la_id for m in active_memberships(actor) if m.role in BREAK_GLASS_ROLES}
    child = Child.objects.filter(pk=child_id, la_id__in=las).first()
    if child is None or SealedRecord.objects.filter(child=child, unsealed_at__isnull=True).exists():
        raise NotFound()
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user_id=actor.pk, child=child, reason=reason.strip(), starts_at=now, expires_at=now + timedelta(hours=hours)
    )
    notified = sorted(_people_to_notify(child, today()) - {actor.pk})
    message = _("%(user)s used emergency access to child %(child)s: %(reason)s") % {
        "user": actor.get_username(),
        "child": child.child_ref,
        "reason": grant.reason,
    }
    Notification.objects.bulk_create(
        [Notification(recipient_id=uid, created_at=now, message=message, grant=grant) for uid in notified]
    )
    audit.record(
        actor=actor,
        event=AuditEvent.BREAK_GLASS_GRANTED,
        obj=grant,
        child=child,
        after={"reason": grant.reason, "expires_at": grant.expires_at, "notified": notified},
    )
    return grant


def break_glass_queue(*, actor: AbstractBaseUser) -> list[BreakGlassGrant]:
    """Grants awaiting review that ``actor`` (a team manager) can close: those in their LAs, not their own."""
    las = {m.la_id for m in active_memberships(actor) if m.role == Role.TEAM_MANAGER}
    return list(
        BreakGlassGrant.objects.filter(review=BreakGlassGrant.Review.PENDING, child__la_id__in=las)
        .exclude(user_id=actor.pk)
        .select_related("user", "child")
        .order_by("starts_at")
    )


@transaction.atomic
def break_glass_review(
    *, actor: AbstractBaseUser, grant: BreakGlassGrant, justified: bool, note: str = ""
) -> BreakGlassGrant:
    """Close a grant's review; an unjustified grant also ends at once."""
    g = BreakGlassGrant.objects.select_for_update().select_related("child").get(pk=grant.pk)
    if g.pk not in {x.pk for x in break_glass_queue(actor=actor)}:
        raise NotAllowedError(_("You cannot review this emergency access."))
    now = timezone.now()
    before = {"review": g.review, "expires_at": g.expires_at}
    g.review = BreakGlassGrant.Review.JUSTIFIED if justified else BreakGlassGrant.Review.NOT_JUSTIFIED
    g.reviewed_by_id = actor.pk
    g.reviewed_at = now
    g.review_note = note
    fields = ["review", "reviewed_by", "reviewed_at", "review_note"]
    if not justified and g.expires_at > now:
        g.expires_at = max(now, g.starts_at + timedelta(microseconds=1))
        fields.append("expires_at")
    g.save(update_fields=fields)
    audit.record(
        actor=actor,
        event=AuditEvent.BREAK_GLASS_REVIEWED,
        obj=g,
        before=before,
        after={"review": g.review, "expires_at": g.expires_at, "note": note},
    )
    return g


# --- IRO assignments -------------------------------------------------------------------------------


@transaction.atomic
def iro_assign(*, actor: Actor, user: AbstractBaseUser, child: Child, started_on: date | None = None) -> IROAssignment:
    """Make ``user`` the IRO chairing ``child``'s reviews (an open assignment is returned unchanged).

    An LA administrator of the child's LA, or a team manager who covers the child (timescale rule 18)."""
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    manages = (
        locked is not None
        and not isinstance(actor, SystemActor)
        and any(
            Child.objects.filter(team_manager_rule(m, today()), pk=locked.pk).exists()
            for m in active_memberships(actor)
            if m.role == Role.TEAM_MANAGER
        )
    )
    if locked is None or not (_is_la_admin(actor, locked.la_id) or manages):
        raise NotFound()
    existing = IROAssignment.objects.filter(user_id=user.pk, child=locked, ended_on__isnull=True).first()
    if existing is not None:
        return existing
    a = IROAssignment.objects.create(user_id=user.pk, child=locked, started_on=started_on or today())
    audit.record(
        actor=actor,
        event=AuditEvent.ROLE_GRANTED,
        obj=a,
        child=locked,
        after={"iro": user.pk, "started_on": a.started_on},
    )
    return a
