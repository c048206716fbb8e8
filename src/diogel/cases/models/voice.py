"""The child's voice: answers to the well-being questions (``feedback``).

An answer may be anonymous (``child`` blank), so the LA is held directly.
"""

from __future__ import annotations

from django.db import models

from diogel.dataset import schema

from .base import Record, code_field
from .organisation import LocalAuthority
from .people import Child


class FeedbackAnswer(Record):
    """One answer by a child or young person to one question. Not edited, so no ``version``."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="feedback_answers")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback_answers")
    response_date = models.DateField("answered (RESPONSE_DATE)", null=True, blank=True)
    question = code_field(schema.FEEDBACK_QUESTION, "question (QUESTION)")
    answer = code_field(schema.FEEDBACK_ANSWER, "answer (ANSWER)")
