"""Looked-after reviews and the child's participation (SSDA903 REVIEW_CODE PN0–PN7)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Child, LookedAfterReview
from diogel.dataset import schema
from diogel.workdays import add_months

from ._common import (
    REVIEWING,
    Actor,
    Errors,
    authorise,
    code_in,
    create,
    lock_child,
    looked_after_on,
    not_in_future,
    required,
)


def under_four(child: Child, on: date) -> bool | None:
    """Whether the child was under 4 on ``on`` (None when the date of birth is not known)."""
    if child.date_of_birth is None:
        return None
    return on < add_months(child.date_of_birth, 48)


@transaction.atomic
def lac_review_record(child: Child, *, actor: Actor, review_date: date | None, participation: str) -> LookedAfterReview:
    """Record a looked-after review held on ``review_date`` and how the child took part."""
    authorise(actor, child, section=Section.LOOKED_AFTER, allowed=REVIEWING)
    child = lock_child(child)
    errors = Errors()
    required(errors, "review_date", review_date)
    not_in_future(errors, "review_date", review_date)
    code_in(errors, "participation", participation, schema.REVIEW_CODE)
    if review_date is not None and "review_date" not in errors:
        if not looked_after_on(child, review_date):
            errors.add("review_date", _("The child was not looked after on this date."))
        young = under_four(child, review_date)
        if young is True and participation not in ("", "PN0"):
            errors.add("participation", _("The child was under 4 at the review: choose PN0."))
        if young is False and participation == "PN0":
            errors.add("participation", _("PN0 is only for a child under 4 at the review."))
    errors.raise_if_any()
    return create(
        LookedAfterReview,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        review_date=review_date,
        participation=participation,
    )
