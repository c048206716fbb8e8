"""Care plans and pathway plans. A new plan of a type replaces the open one of that type (which ends on
the new plan's start date), so each pathway plan recorded is also its review (timescale rule 21)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import CarePlan, Child

from ._common import (
    CASEWORK,
    Actor,
    Errors,
    authorise,
    change,
    create,
    lock_child,
    new_ref,
    not_in_future,
    required,
    show,
)

#: The plan types recorded here and the section of the record each belongs to.
PLAN_SECTIONS = {"CARE_PLAN": Section.LOOKED_AFTER, "PATHWAY_PLAN": Section.LEAVING_CARE}


@transaction.atomic
def plan_start(child: Child, *, actor: Actor, plan_type: str, start_date: date | None) -> CarePlan:
    """Record that a care plan or pathway plan is in place from ``start_date``."""
    if plan_type not in PLAN_SECTIONS:
        raise ValueError(f"plan type {plan_type!r} is not recorded here")
    authorise(actor, child, section=PLAN_SECTIONS[plan_type], allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "start_date", start_date)
    not_in_future(errors, "start_date", start_date)
    current = (
        CarePlan.objects.select_for_update()
        .filter(child_id=child.pk, plan_type=plan_type, end_date__isnull=True)
        .order_by("-start_date")
        .first()
    )
    if current is not None and current.start_date and start_date and start_date < current.start_date:
        errors.add(
            "start_date",
            _("A newer plan is in place since %(date)s: a plan cannot start before it.")
            % {"date": show(current.start_date)},
        )
    errors.raise_if_any()
    if current is not None:
        change(current, {"end_date": start_date}, actor=actor, child=child)
    return create(
        CarePlan,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        plan_ref=new_ref("PLAN"),
        plan_type=plan_type,
        start_date=start_date,
    )
