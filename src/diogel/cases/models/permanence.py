"""The permanence plan of a period of care (timescale rule 19: recorded by the second looked-after review).

A casework record with no dataset table. ``outcome`` is the plan in brief, from
the code list :class:`PermanenceOutcome`; ``summary`` says more in the
worker's words (required for ``OTHER`` by the recording service).
"""

from __future__ import annotations

from django.db import models

from .base import EditableRecord
from .organisation import LocalAuthority
from .people import Child


class PermanenceOutcome(models.TextChoices):
    """The plan in brief: where the child is to grow up."""

    RETURN_HOME = "HOME", "return home to parents"
    FAMILY_FRIENDS = "FAMILY", "live with relatives or friends (child arrangements order)"
    SPECIAL_GUARDIANSHIP = "SGO", "special guardianship"
    ADOPTION = "ADOPTION", "adoption"
    LONG_TERM_FOSTERING = "LTF", "long-term fostering"
    RESIDENTIAL = "RESIDENTIAL", "long-term residential care"
    INDEPENDENCE = "INDEPENDENCE", "supported move to independence"
    OTHER = "OTHER", "other"


class PermanencePlan(EditableRecord):
    """The plan for where the child will grow up, recorded on ``recorded_on``."""

    Outcome = PermanenceOutcome

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="permanence_plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="permanence_plans")
    recorded_on = models.DateField("recorded")
    outcome = models.CharField("plan", max_length=16, choices=Outcome.choices)
    summary = models.CharField("the plan in brief", max_length=500, blank=True, default="")

    class Meta:
        ordering = ("la", "child", "recorded_on")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(outcome__in=[c.value for c in PermanenceOutcome]),
                name="cases_permanence_known_outcome",
            ),
        )

    def __str__(self) -> str:
        return f"permanence plan {self.recorded_on} ({self.outcome})"
