"""Population estimates of children aged 0-17, the denominator of rates per 10,000 (``population``)."""

from __future__ import annotations

from django.db import models

from .base import EditableRecord
from .organisation import LocalAuthority


class PopulationEstimate(EditableRecord):
    """The mid-year estimate for financial year ``year`` of children aged 0-17 in an LA."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="population_estimates")
    year = models.IntegerField("year (YEAR)")
    age_0_17 = models.IntegerField("children aged 0-17 (AGE_0_17)", null=True, blank=True)

    class Meta:
        ordering = ("la", "year")
        constraints = (models.UniqueConstraint(fields=["la", "year"], name="cases_population_unique_year_in_la"),)
