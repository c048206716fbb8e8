"""Where a referral is recorded and where it is decided (timescale rule 1: decision within 1 working day)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Child, Referral
from diogel.dataset import schema

from ._common import (
    CASEWORK,
    Actor,
    Errors,
    authorise,
    change,
    check_version,
    code_in,
    create,
    get_for_child,
    lock_child,
    new_ref,
    not_in_future,
    required,
    show,
)

#: Decisions that close the referral at once (no episode of need follows).
CLOSING_DECISIONS = frozenset({"NFA", "INFO"})


@transaction.atomic
def referral_record(
    child: Child, *, actor: Actor, referral_date: date | None, source: str, primary_need: str = ""
) -> Referral:
    """Record a referral received about ``child`` (its decision is recorded with :func:`referral_decide`)."""
    authorise(actor, child, section=Section.REFERRALS, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "referral_date", referral_date)
    not_in_future(errors, "referral_date", referral_date)
    code_in(errors, "source", source, schema.REFERRAL_SOURCE)
    code_in(errors, "primary_need", primary_need, schema.PRIMARY_NEED, blank=True)
    errors.raise_if_any()
    return create(
        Referral,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        referral_ref=new_ref("REF"),
        referral_date=referral_date,
        source=source,
        primary_need=primary_need,
    )


@transaction.atomic
def referral_decide(
    child: Child,
    referral_id: int,
    *,
    actor: Actor,
    version: int | None,
    decision: str,
    decision_date: date | None,
    primary_need: str = "",
) -> Referral:
    """Record the decision on a referral. NFA and INFO close it on the decision date; IA and S47 open an
    episode of need (closed later). A referral already decided can be changed only from its current version."""
    authorise(actor, child, section=Section.REFERRALS, allowed=CASEWORK)
    child = lock_child(child)
    referral = get_for_child(Referral, child, referral_id)
    check_version(referral, version)
    errors = Errors()
    code_in(errors, "decision", decision, schema.REFERRAL_DECISION)
    code_in(errors, "primary_need", primary_need, schema.PRIMARY_NEED, blank=True)
    required(errors, "decision_date", decision_date)
    not_in_future(errors, "decision_date", decision_date)
    if decision_date is not None and referral.referral_date is not None and decision_date < referral.referral_date:
        errors.add(
            "decision_date",
            _("The decision cannot be before the referral was received (%(date)s).")
            % {"date": show(referral.referral_date)},
        )
    if decision in CLOSING_DECISIONS and referral.assessments.exists():
        errors.add("decision", _("This referral already has an assessment, so it cannot be closed without one."))
    errors.raise_if_any()
    values: dict[str, object] = {"decision": decision, "decision_date": decision_date}
    if primary_need:
        values["primary_need"] = primary_need
    if decision in CLOSING_DECISIONS:
        values["closure_date"] = decision_date
    elif referral.decision in CLOSING_DECISIONS and referral.closure_date == referral.decision_date:
        values["closure_date"] = None  # re-opened by a changed decision
    return change(referral, values, actor=actor, child=child)
