"""Allocating a child to a social worker, and handing the child over to another.

Who may: a **team manager** of the LA, for a child they can see
(:func:`~diogel.access.visibility.visible_children`; otherwise :class:`NotFound`):

- :func:`allocation_assign` (the child has no current allocation): the manager of
  the receiving worker's team;
- :func:`allocation_reassign` (the child has one): the manager of the team the
  child is allocated to now; the new worker may be in any active team of the LA
  (a transfer from a duty team to a long-term team is a reassignment).

**The handover day.** Reassigning from ``start`` ends the current allocation
*on* ``start`` and begins the new one on ``start`` (the same day), as SSDA903
records social worker episodes: an episode ceases (SW_DEC) on the date the next
begins (SW_DECOM), so exported episodes are contiguous, with no gap and no
day counted twice. The caseload (:mod:`.queries`) treats an allocation as
current while ``end_date > today``, so the child moves to the new worker's
caseload on the handover day; the access layer counts the end date inclusively,
so the previous worker can still open the record that day to hand over.

Each function runs in one transaction, locks the child row (so two managers
cannot allocate the same child at once), checks the current allocation's
id and ``version`` (reassign), and writes its audit entries in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.roles import Role
from diogel.access.visibility import active_memberships, visible_children
from diogel.audit.events import AuditEvent
from diogel.cases.models import Allocation, Child, Worker
from diogel.errors import UserError
from diogel.timescales.from_models import today

User = AbstractBaseUser | AnonymousUser


def _snapshot(a: Allocation) -> dict[str, Any]:
    return {
        "child": a.child_id,
        "worker": a.worker_id,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "version": a.version,
    }


def _pk(value: Child | Worker | int | str) -> int | None:
    if isinstance(value, Child | Worker):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _locked_child(actor: User, child: Child | int | str) -> Child:
    """The child, visible to ``actor`` and locked for the transaction; :class:`NotFound` otherwise."""
    pk = _pk(child)
    if pk is None or not visible_children(actor).filter(pk=pk).exists():
        raise NotFound()
    return Child.objects.select_for_update().get(pk=pk)


def _worker(worker: Worker | int | str, child: Child) -> Worker:
    pk = _pk(worker)
    found = (
        Worker.objects.filter(pk=pk, la_id=child.la_id, active=True, team__isnull=False, team__active=True)
        .select_related("team")
        .first()
        if pk is not None
        else None
    )
    if found is None:
        raise ValidationError({"worker": _("Choose a worker in an active team of the child's local authority.")})
    return found


def _start(start: date | None) -> date:
    on = today()
    day = start or on
    if day > on:
        raise ValidationError({"start": _("The allocation cannot start in the future.")})
    return day


def _manages(actor: User, team_id: int | None, la_id: int) -> bool:
    return team_id is not None and any(
        m.role == Role.TEAM_MANAGER and m.team_id == team_id and m.la_id == la_id for m in active_memberships(actor)
    )


def _open_from(child: Child, day: date) -> list[Allocation]:
    """The child's allocations still open on ``day`` or starting after it, locked."""
    return list(
        Allocation.objects.select_for_update()
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day), child_id=child.pk)
        .order_by("start_date", "pk")
    )


@transaction.atomic
def allocation_assign(
    child: Child | int | str, worker: Worker | int | str, *, actor: User, start: date | None = None
) -> Allocation:
    """Allocate an unallocated ``child`` to ``worker`` from ``start`` (default today)."""
    locked = _locked_child(actor, child)
    new_worker = _worker(worker, locked)
    day = _start(start)
    if not _manages(actor, new_worker.team_id, locked.la_id):
        raise NotAllowedError(_("Only the manager of the worker's team can allocate to them."))
    later = _open_from(locked, day)
    if any(a.end_date is None and (a.start_date is None or a.start_date <= day) for a in later):
        raise UserError(_("This child already has an allocated worker: reassign the child instead."))
    if later:
        raise ValidationError({"start": _("The child has an allocation after this date: choose a later start.")})
    allocation = Allocation.objects.create(la_id=locked.la_id, child=locked, worker=new_worker, start_date=day)
    audit.record(
        actor=actor, event=AuditEvent.RECORD_CREATED, obj=allocation, child=locked, after=_snapshot(allocation)
    )
    return allocation


@transaction.atomic
def allocation_reassign(
    child: Child | int | str,
    worker: Worker | int | str,
    *,
    actor: User,
    allocation_id: int,
    expected_version: int,
    start: date | None = None,
) -> Allocation:
    """Hand ``child`` over to ``worker`` from ``start`` (default today): the current allocation ends that day.

    ``allocation_id`` and ``expected_version`` are the current allocation and its
    ``version`` as the manager saw them; if the child has been reassigned or the
    allocation changed since, nothing is written.
    """
    locked = _locked_child(actor, child)
    day = _start(start)
    later = _open_from(locked, day)
    current = next((a for a in later if a.end_date is None), None)
    if current is None:
        raise UserError(_("This child has no allocated worker: allocate the child instead."))
    old_worker = Worker.objects.get(pk=current.worker_id)
    if not _manages(actor, old_worker.team_id, locked.la_id):
        raise NotAllowedError(_("Only the manager of the team the child is allocated to can reassign the child."))
    new_worker = _worker(worker, locked)
    if current.pk != allocation_id or current.version != expected_version:
        raise UserError(_("Someone else has changed this allocation since you opened the page. Reload and try again."))
    if new_worker.pk == current.worker_id:
        raise ValidationError({"worker": _("The child is already allocated to this worker.")})
    if current.start_date is not None and day <= current.start_date:
        raise ValidationError({"start": _("The handover must be after the current allocation began.")})
    if len(later) > 1:
        raise ValidationError({"start": _("The child has an allocation after this date: choose a later start.")})
    before = _snapshot(current)
    current.end_date = day
    current.version += 1
    current.save(update_fields=["end_date", "version", "updated_at"])
    audit.record(
        actor=actor, event=AuditEvent.RECORD_CHANGED, obj=current, child=locked, before=before, after=_snapshot(current)
    )
    allocation = Allocation.objects.create(la_id=locked.la_id, child=locked, worker=new_worker, start_date=day)
    audit.record(
        actor=actor, event=AuditEvent.RECORD_CREATED, obj=allocation, child=locked, after=_snapshot(allocation)
    )
    return allocation
