"""The pathway assessment of an eligible young person (timescale rule 20: within 3 months of becoming eligible,
usually the 16th birthday). A casework record with no dataset table; the pathway plan that follows is a
``CarePlan`` of PLAN_TYPE PATHWAY_PLAN."""

from __future__ import annotations

from django.db import models

from .base import EditableRecord
from .organisation import LocalAuthority
from .people import Child


class PathwayAssessment(EditableRecord):
    """The needs assessment of an eligible young person, completed on ``completed_on`` (rule 20)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="pathway_assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pathway_assessments")
    completed_on = models.DateField("completed")

    class Meta:
        ordering = ("la", "child", "completed_on")

    def __str__(self) -> str:
        return f"pathway assessment {self.completed_on}"
