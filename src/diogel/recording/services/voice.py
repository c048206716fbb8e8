"""The child's own answers to the well-being questions (``feedback``), named or anonymous.

An anonymous set of answers is stored without the child, and its audit entry names the LA but not the child,
so the answers cannot be traced back through the audit trail either.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Child, FeedbackAnswer
from diogel.clock import today
from diogel.dataset import schema

from ._common import REVIEWING, Actor, Errors, authorise, code_in, create, lock_child

#: The questions in the order a child sees them.
QUESTIONS = ("SAFE", "HOME_HAPPY", "KNOW_WHO", "LISTENED", "RESPECT")


@transaction.atomic
def feedback_record(
    child: Child,
    *,
    actor: Actor,
    answers: Mapping[str, str],
    anonymous: bool = False,
    response_date: date | None = None,
) -> list[FeedbackAnswer]:
    """Record the child's answers (a question left unanswered is simply not stored)."""
    authorise(actor, child, section=Section.CHRONOLOGY, allowed=REVIEWING)
    child = lock_child(child)
    errors = Errors()
    given = {q: a for q, a in answers.items() if a}
    for question, answer in given.items():
        if question not in schema.FEEDBACK_QUESTION:
            errors.add("__all__", _("“%(code)s” is not a known code here.") % {"code": question})
        else:
            code_in(errors, question.lower(), answer, schema.FEEDBACK_ANSWER)
    if not given:
        errors.add("__all__", _("Answer at least one question."))
    errors.raise_if_any()
    on = response_date or today()
    return [
        create(
            FeedbackAnswer,
            actor=actor,
            child=child,
            audit_child=not anonymous,
            la_id=child.la_id,
            child_id=None if anonymous else child.pk,
            response_date=on,
            question=question,
            answer=given[question],
        )
        for question in QUESTIONS
        if question in given
    ]
