"""Visits: statutory visits to a looked-after child (LAC) and visits to a registered child (CP)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Child, Visit, Worker
from diogel.dataset import schema

from ._common import (
    CASEWORK,
    Actor,
    Errors,
    authorise,
    code_in,
    create,
    flag,
    lock_child,
    looked_after_on,
    not_in_future,
    registered_on,
    required,
)

SECTION = Section.CHRONOLOGY


def default_visit_type(child: Child, on: date) -> str:
    """LAC when the child is looked after on ``on``, else CP when registered, else blank."""
    if looked_after_on(child, on):
        return "LAC"
    return "CP" if registered_on(child, on) else ""


@transaction.atomic
def visit_record(
    child: Child, *, actor: Actor, visit_date: date | None, seen_alone: bool | None, visit_type: str = ""
) -> Visit:
    """Record a visit; the type defaults from the child's status on the day (looked after → LAC, registered → CP)."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "visit_date", visit_date)
    not_in_future(errors, "visit_date", visit_date)
    if seen_alone is None:
        errors.add("seen_alone", _("Say whether you saw the child alone."))
    if visit_date is not None and "visit_date" not in errors:
        visit_type = visit_type or default_visit_type(child, visit_date)
        if visit_type == "":
            errors.add("visit_date", _("The child was neither looked after nor registered on this date."))
        elif visit_type == "LAC" and not looked_after_on(child, visit_date):
            errors.add("visit_type", _("The child was not looked after on this date."))
        elif visit_type == "CP" and not registered_on(child, visit_date):
            errors.add("visit_type", _("The child was not on the child protection register on this date."))
        else:
            code_in(errors, "visit_type", visit_type, schema.VISIT_TYPE)
    errors.raise_if_any()
    user_id = getattr(actor, "pk", None)
    worker = Worker.objects.filter(user_id=user_id, la_id=child.la_id).first() if user_id is not None else None
    return create(
        Visit,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        visit_date=visit_date,
        visit_type=visit_type,
        seen_alone=flag(seen_alone),
        worker=worker,
    )
