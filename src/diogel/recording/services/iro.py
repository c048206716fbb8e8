"""Allocating an independent reviewing officer to a looked-after child (timescale rule 18: before the first
review). A team manager who covers the child allocates; the allocation itself is
:func:`diogel.access.services.iro_assign` (an ``IROAssignment``, which also lets the IRO see the child).

Choosing another IRO ends the current allocation the day the new one starts (audited as a role revoked).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access import services as access
from diogel.access.models import IROAssignment, Membership
from diogel.access.roles import Role
from diogel.access.sections import Section
from diogel.audit.events import AuditEvent
from diogel.cases.models import Child
from diogel.clock import today

from ._common import (
    Actor,
    Errors,
    authorise,
    lock_child,
    looked_after_on,
    not_before_birth,
    not_in_future,
    required,
    show,
)

#: Only a team manager allocates an IRO.
ALLOCATING: frozenset[str] = frozenset({Role.TEAM_MANAGER})


def iros_of(child: Child) -> list[AbstractBaseUser]:
    """The users with an active IRO role in the child's LA, by name."""
    ids = Membership.objects.filter(role=Role.IRO, la_id=child.la_id, revoked_at__isnull=True).values("user_id")
    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    return sorted(users, key=lambda u: (name_of(u).casefold(), u.pk))


def name_of(user: AbstractBaseUser) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def current_iro(child: Child, on: date | None = None) -> IROAssignment | None:
    """The child's open IRO allocation on ``on`` (default today), if any."""
    on = on or today()
    return (
        IROAssignment.objects.filter(child_id=child.pk, started_on__lte=on, ended_on__isnull=True)
        .select_related("user")
        .order_by("-started_on", "-pk")
        .first()
    )


@transaction.atomic
def iro_allocate(child: Child, *, actor: Actor, iro: int | None, started_on: date | None) -> IROAssignment:
    """Allocate the IRO ``iro`` (a user id) to ``child`` from ``started_on``."""
    authorise(actor, child, section=Section.LOOKED_AFTER, allowed=ALLOCATING)
    child = lock_child(child)
    errors = Errors()
    required(errors, "iro", iro)
    required(errors, "started_on", started_on)
    not_in_future(errors, "started_on", started_on)
    not_before_birth(errors, "started_on", started_on, child)
    if started_on is not None and "started_on" not in errors and not looked_after_on(child, started_on):
        errors.add(
            "started_on", _("The child was not looked after on this date: an IRO is allocated to a looked-after child.")
        )
    chosen = next((u for u in iros_of(child) if u.pk == iro), None) if iro is not None else None
    if iro is not None and chosen is None:
        errors.add("iro", _("Choose an independent reviewing officer of this local authority."))
    open_ones = list(IROAssignment.objects.select_for_update().filter(child_id=child.pk, ended_on__isnull=True))
    for current in open_ones:
        if chosen is not None and current.user_id == chosen.pk:
            errors.add(
                "iro",
                _("%(name)s is already the child's IRO (since %(date)s).")
                % {"name": name_of(chosen), "date": show(current.started_on)},
            )
        elif started_on is not None and started_on < current.started_on:
            errors.add(
                "started_on",
                _("The current IRO was allocated on %(date)s: the new allocation cannot start before it.")
                % {"date": show(current.started_on)},
            )
    errors.raise_if_any()
    assert chosen is not None and started_on is not None
    for current in open_ones:
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            event=AuditEvent.ROLE_REVOKED,
            obj=current,
            child=child,
            before={"iro": current.user_id, "ended_on": None},
            after={"iro": current.user_id, "ended_on": started_on},
        )
    return access.iro_assign(actor=actor, user=chosen, child=child, started_on=started_on)
