"""A looked-after child's health: the health assessment and the GP registration of each placement.

Timescale rules 11 (health assessment within 14 working days of a placement
starting) and 12 (registered with a GP within 10 working days) read these.
They are casework records with no dataset table (SSDA903 keeps only the
annual health check of OC2, not the placement's assessment).
"""

from __future__ import annotations

from django.db import models

from .base import EditableRecord
from .looked_after import Episode
from .organisation import LocalAuthority
from .people import Child


class HealthAssessment(EditableRecord):
    """A health assessment of a looked-after child, done on ``assessed_on``.

    ``episode`` optionally names the placement it was for (the episode open
    when the placement it belongs to was current); blank, it counts for the
    placement the child was in on ``assessed_on``.
    """

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="health_assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="health_assessments")
    assessed_on = models.DateField("done")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="health_assessments"
    )

    class Meta:
        ordering = ("la", "child", "assessed_on")

    def __str__(self) -> str:
        return f"health assessment {self.assessed_on}"


class GPRegistration(EditableRecord):
    """The child registered with a GP practice on ``registered_on`` (the practice's name when known)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="gp_registrations")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="gp_registrations")
    registered_on = models.DateField("registered")
    practice = models.CharField("GP practice", max_length=200, blank=True, default="")

    class Meta:
        ordering = ("la", "child", "registered_on")
        verbose_name = "GP registration"

    def __str__(self) -> str:
        return f"GP registration {self.registered_on}"
