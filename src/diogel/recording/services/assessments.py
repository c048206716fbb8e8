"""Initial and core assessments: start one, complete it (with whether the child was seen, and seen alone)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Assessment, Child, Referral
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
    flag,
    get_for_child,
    lock_child,
    new_ref,
    not_in_future,
    required,
    show,
)
from .referrals import CLOSING_DECISIONS


def _completion(
    errors: Errors, start: date | None, completed: date | None, seen: bool | None, seen_alone: bool | None
) -> None:
    not_in_future(errors, "completed_date", completed)
    if completed is not None and start is not None and completed < start:
        errors.add(
            "completed_date",
            _("The assessment cannot be completed before it started (%(date)s).") % {"date": show(start)},
        )
    if completed is not None and seen is None:
        errors.add("seen", _("Say whether the child was seen."))
    if completed is not None and seen_alone is None:
        errors.add("seen_alone", _("Say whether the child was seen alone."))
    if seen is False and seen_alone:
        errors.add("seen_alone", _("A child who was not seen cannot have been seen alone."))


@transaction.atomic
def assessment_start(
    child: Child,
    *,
    actor: Actor,
    referral_id: int | None,
    assessment_type: str,
    start_date: date | None,
    completed_date: date | None = None,
    seen: bool | None = None,
    seen_alone: bool | None = None,
) -> Assessment:
    """Start an assessment following one of the child's referrals; give ``completed_date`` to record
    a finished assessment in one go."""
    authorise(actor, child, section=Section.ASSESSMENTS, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    referral = Referral.objects.filter(child_id=child.pk, pk=referral_id).first() if referral_id else None
    if referral is None:
        errors.add("referral", _("Choose the referral this assessment follows."))
    elif referral.decision in CLOSING_DECISIONS:
        errors.add("referral", _("This referral was closed without an assessment."))
    code_in(errors, "assessment_type", assessment_type, schema.ASSESSMENT_TYPE)
    required(errors, "start_date", start_date)
    not_in_future(errors, "start_date", start_date)
    if (
        referral is not None
        and referral.referral_date is not None
        and start_date is not None
        and start_date < referral.referral_date
    ):
        errors.add(
            "start_date",
            _("The assessment cannot start before the referral was received (%(date)s).")
            % {"date": show(referral.referral_date)},
        )
    _completion(errors, start_date, completed_date, seen, seen_alone)
    errors.raise_if_any()
    assert referral is not None
    return create(
        Assessment,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        referral=referral,
        assessment_ref=new_ref("ASM"),
        assessment_type=assessment_type,
        start_date=start_date,
        completed_date=completed_date,
        seen=flag(seen) if completed_date else "",
        seen_alone=flag(seen_alone) if completed_date else "",
    )


@transaction.atomic
def assessment_complete(
    child: Child,
    assessment_id: int,
    *,
    actor: Actor,
    version: int | None,
    completed_date: date | None,
    seen: bool | None,
    seen_alone: bool | None,
) -> Assessment:
    """Complete an assessment: the date, and whether the child was seen and seen alone."""
    authorise(actor, child, section=Section.ASSESSMENTS, allowed=CASEWORK)
    child = lock_child(child)
    assessment = get_for_child(Assessment, child, assessment_id)
    check_version(assessment, version)
    errors = Errors()
    required(errors, "completed_date", completed_date)
    _completion(errors, assessment.start_date, completed_date, seen, seen_alone)
    errors.raise_if_any()
    values = {"completed_date": completed_date, "seen": flag(seen), "seen_alone": flag(seen_alone)}
    return change(assessment, values, actor=actor, child=child)
