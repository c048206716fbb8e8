"""What every recording service shares: who may record, locking, optimistic versions, audit snapshots.

- :func:`authorise` decides whether ``actor`` may add to ``child``'s record in a
  section: the child must be visible with that section (else :class:`NotFound`,
  the same answer as "no such child"), and one of the actor's memberships that
  covers the child must be a recording role for the flow (else
  :class:`NotAllowedError`). Inspectors, performance officers, administrators,
  board members and analysts never record. Partners record only in
  :data:`PARTNER_SECTIONS` (a school change), and only where their agreement opens
  that section. Break-glass access is for reading: it never lets anyone record.
- :func:`lock_child` serialises every write about one child (overlap and
  double-registration checks read, then write).
- :func:`check_version` refuses a stale edit with :class:`StaleEditError`, which lists
  what changed since the user's version (from the audit trail), so nothing is
  overwritten and the user sees why.
- :func:`create` and :func:`change` save and write the audit entry in the
  caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.roles import Role
from diogel.access.sections import Section
from diogel.access.visibility import ROLE_RULES, active_memberships, sections_for, visible_children
from diogel.audit.chain import SystemActor
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child, Episode, Registration
from diogel.clock import today
from diogel.errors import UserError

Actor = AbstractBaseUser | AnonymousUser | SystemActor
M = TypeVar("M", bound=models.Model)

#: Social workers and their managers record every flow.
CASEWORK: frozenset[str] = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
#: Flows an independent reviewing officer records too (the meetings they chair, the child's voice).
REVIEWING: frozenset[str] = CASEWORK | {Role.IRO}
#: Sections in which a partner-agency practitioner may record (when their agreement opens the section).
PARTNER_SECTIONS: frozenset[str] = frozenset({Section.EDUCATION})


def refused() -> NotAllowedError:
    return NotAllowedError(_("You can read this record but you cannot add to it."))


def recording_roles(actor: Actor | None, child: Child) -> frozenset[str]:
    """The roles through which ``actor`` covers ``child`` (break-glass is not one of them)."""
    if actor is None or isinstance(actor, SystemActor):
        return frozenset()
    on = today()
    one = Child.objects.filter(pk=child.pk)
    roles = {m.role for m in active_memberships(actor) if one.filter(ROLE_RULES[m.role](m, on)).exists()}
    return frozenset(roles)


def may_record(roles: Iterable[str], sections: Iterable[str], *, section: str, allowed: frozenset[str]) -> bool:
    """Whether memberships of ``roles`` (covering the child) may record a flow of ``section`` open to ``allowed``."""
    roles, sections = set(roles), set(sections)
    if section not in sections:
        return False
    if roles & allowed:
        return True
    return Role.PARTNER in roles and section in PARTNER_SECTIONS


def authorise(actor: Actor, child: Child, *, section: str, allowed: frozenset[str]) -> None:
    """Raise unless ``actor`` may record in ``section`` of ``child``'s record (see the module docstring)."""
    if isinstance(actor, SystemActor):
        return
    if not visible_children(actor).filter(pk=child.pk).exists():
        raise NotFound()
    sections = sections_for(actor, child)
    if section not in sections:
        raise NotFound()
    if not may_record(recording_roles(actor, child), sections, section=section, allowed=allowed):
        raise refused()


def lock_child(child: Child) -> Child:
    """The child's row, locked for the rest of the transaction."""
    locked = Child.objects.select_for_update().filter(pk=child.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def get_for_child(model: type[M], child: Child, pk: int | str | None) -> M:
    """Row ``pk`` of ``model`` belonging to ``child``, locked; NotFound otherwise."""
    try:
        key = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = model._default_manager.select_for_update().filter(pk=key, child_id=child.pk).first()
    if obj is None:
        raise NotFound()
    return obj


def new_ref(prefix: str) -> str:
    """A new identifier for a record created in Diogel (the dataset's REFERRAL_ID, PLAN_ID …)."""
    return f"{prefix}-{uuid.uuid4().hex[:16].upper()}"


def show(d: date | None) -> str:
    """A date as the current language writes it (for messages)."""
    return date_format(d, "DATE_FORMAT") if d is not None else ""


class Errors:
    """Field-keyed messages collected while validating; :meth:`raise_if_any` raises one ValidationError."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError({k: [ValidationError(m) for m in v] for k, v in self.by_field.items()})


def not_in_future(errors: Errors, field: str, value: date | None) -> None:
    if value is not None and value > today():
        errors.add(field, _("The date must not be in the future."))


def not_before_birth(errors: Errors, field: str, value: date | None, child: Child) -> None:
    if value is not None and child.date_of_birth is not None and value < child.date_of_birth:
        errors.add(
            field,
            _("The date must not be before the child's date of birth (%(date)s).")
            % {"date": show(child.date_of_birth)},
        )


def required(errors: Errors, field: str, value: object) -> None:
    if value is None or value == "":
        errors.add(field, _("Enter this."))


def code_in(errors: Errors, field: str, value: str, codes: Iterable[str], *, blank: bool = False) -> None:
    if value == "" and blank:
        return
    if value == "":
        errors.add(field, _("Choose one."))
    elif value not in set(codes):
        errors.add(field, _("“%(code)s” is not a known code here.") % {"code": value})


def flag(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


# --- snapshots, versions, audit --------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """``fields`` of ``obj`` as JSON-ready values, with its ``version`` when it has one."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    if hasattr(obj, "version"):
        out["version"] = obj.version
    return out


def create(model: type[M], *, actor: Actor, child: Child | None, audit_child: bool = True, **fields: Any) -> M:
    """Create a row and write its RECORD_CREATED entry (``audit_child=False`` keeps the child off the entry)."""
    obj = model._default_manager.create(**fields)
    audit.record(
        actor=actor,
        event=AuditEvent.RECORD_CREATED,
        obj=obj,
        child=child if audit_child else None,
        la=None if audit_child or child is None else child.la,
        after=snapshot(obj, fields),
    )
    return obj


def change(obj: M, values: Mapping[str, Any], *, actor: Actor, child: Child, detail: Any = None) -> M:
    """Set ``values`` on ``obj``, bump its version, save only those columns, and audit before/after (with
    ``detail``, e.g. the reason for a correction). Nothing is saved or audited when nothing differs."""
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        return obj
    before = snapshot(obj, changed)
    for name, value in changed.items():
        setattr(obj, name, value)
    update = [*changed, "updated_at"]
    if hasattr(obj, "version"):
        obj.version += 1
        update.append("version")
    obj.save(update_fields=update)
    audit.record(
        actor=actor,
        event=AuditEvent.RECORD_CHANGED,
        obj=obj,
        child=child,
        before=before,
        after=snapshot(obj, changed),
        detail=detail,
    )
    return obj


@dataclass(frozen=True)
class Change:
    """One change made by someone else since the user's version: who, when, which field, from what, to what."""

    who: str
    at: datetime
    field: str
    before: Any
    after: Any


class StaleEditError(UserError):
    """The record changed after the user opened it: nothing is saved; ``changes`` says what changed."""

    def __init__(self, obj: models.Model, *, version: int, current: int, changes: list[Change]) -> None:
        self.obj, self.version, self.current, self.changes = obj, version, current, changes
        super().__init__(
            _(
                "Someone else changed this record after you opened it, so nothing was saved. "
                "Check what changed, then save again if your entry is still right."
            )
        )


def changes_since(obj: models.Model, version: int) -> list[Change]:
    """What changed on ``obj`` after ``version``, read from the audit trail."""
    entries = AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), event=AuditEvent.RECORD_CHANGED
    ).order_by("seq")
    out: list[Change] = []
    for entry in entries:
        after = entry.after or {}
        if int(after.get("version", 0)) <= version:
            continue
        before = entry.before or {}
        for name, value in after.items():
            if name != "version":
                out.append(Change(entry.actor_label, entry.at, name, before.get(name), value))
    return out


def check_version(obj: models.Model, version: int | None) -> None:
    """Refuse the edit unless ``version`` is the row's current version (the row must be locked)."""
    current: int = obj.version  # type: ignore[attr-defined]
    if version is None:
        raise ValidationError({"version": [ValidationError(_("The version of the record you edited is missing."))]})
    if int(version) != current:
        raise StaleEditError(obj, version=int(version), current=current, changes=changes_since(obj, int(version)))


# --- facts about the child used by several flows ---------------------------------------------------


def open_episode(child: Child) -> Episode | None:
    return Episode.objects.select_for_update().filter(child_id=child.pk, dec__isnull=True).first()


def looked_after_on(child: Child, d: date) -> bool:
    """SSDA903: an episode with DECOM ≤ d and (DEC blank or DEC > d)."""
    return (
        Episode.objects.filter(child_id=child.pk, decom__lte=d)
        .filter(models.Q(dec__isnull=True) | models.Q(dec__gt=d))
        .exists()
    )


def registered_on(child: Child, d: date) -> bool:
    return (
        Registration.objects.filter(child_id=child.pk, start_date__lte=d)
        .filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=d))
        .exists()
    )
