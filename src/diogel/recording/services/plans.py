"""Care plans and pathway plans, and the permanence plan of a period of care.

A new care or pathway plan replaces the open one of that type (which ends on the new plan's start date), so
each pathway plan recorded is also its review (timescale rule 21). The permanence plan (rule 19) is recorded
while the child is looked after, with the plan in brief (:class:`~diogel.cases.models.PermanencePlan`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import CarePlan, Child, PermanencePlan

from ._common import (
    CASEWORK,
    Actor,
    Errors,
    authorise,
    change,
    code_in,
    create,
    lock_child,
    looked_after_on,
    new_ref,
    not_before_birth,
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


#: The longest "plan in brief" kept with a permanence plan.
SUMMARY_LENGTH = 500


@transaction.atomic
def permanence_plan_record(
    child: Child, *, actor: Actor, recorded_on: date | None, outcome: str, summary: str = ""
) -> PermanencePlan:
    """Record the permanence plan of the child's period of care (timescale rule 19: by the second review).

    A later plan replaces an earlier one as the plan in force; each is kept (the record shows its history).
    """
    authorise(actor, child, section=Section.LOOKED_AFTER, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    summary = (summary or "").strip()
    required(errors, "recorded_on", recorded_on)
    not_in_future(errors, "recorded_on", recorded_on)
    not_before_birth(errors, "recorded_on", recorded_on, child)
    if recorded_on is not None and "recorded_on" not in errors and not looked_after_on(child, recorded_on):
        errors.add(
            "recorded_on", _("The child was not looked after on this date: a permanence plan is for a period of care.")
        )
    code_in(errors, "outcome", outcome, PermanencePlan.Outcome.values)
    if outcome == PermanencePlan.Outcome.OTHER and not summary:
        errors.add("summary", _("Say in brief what the plan is."))
    if len(summary) > SUMMARY_LENGTH:
        errors.add("summary", _("Keep this to %(n)s characters or fewer.") % {"n": SUMMARY_LENGTH})
    errors.raise_if_any()
    return create(
        PermanencePlan,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        recorded_on=recorded_on,
        outcome=outcome,
        summary=summary,
    )
