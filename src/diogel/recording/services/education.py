"""Education: a change of school (partners whose agreement opens the education section may record it)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from diogel.access.sections import Section
from diogel.cases.models import Child, SchoolChange

from ._common import CASEWORK, Actor, Errors, authorise, create, flag, lock_child, not_in_future, required


@transaction.atomic
def school_change_record(
    child: Child, *, actor: Actor, change_date: date | None, transitional: bool | None
) -> SchoolChange:
    """Record a change of school; ``transitional`` when it is a normal move (e.g. primary to secondary)."""
    authorise(actor, child, section=Section.EDUCATION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "change_date", change_date)
    not_in_future(errors, "change_date", change_date)
    required(errors, "transitional", transitional)
    errors.raise_if_any()
    return create(
        SchoolChange,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        change_date=change_date,
        transitional=flag(transitional),
    )
