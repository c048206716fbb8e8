"""Plans for a child: care plans, pathway plans, CP plans and CIN plans (``care_plans``)."""

from __future__ import annotations

from django.db import models

from diogel.dataset import schema

from .base import REF_LENGTH, EditableRecord, code_field, in_order
from .organisation import LocalAuthority
from .people import Child


class CarePlan(EditableRecord):
    """A plan of one of the four PLAN_TYPEs, in place from ``start_date`` to ``end_date``."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="care_plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_plans")
    plan_ref = models.CharField("plan identifier (PLAN_ID)", max_length=REF_LENGTH)
    plan_type = code_field(schema.PLAN_TYPE, "type (PLAN_TYPE)")
    start_date = models.DateField("in place (START_DATE)", null=True, blank=True)
    end_date = models.DateField("ended (END_DATE)", null=True, blank=True)

    class Meta:
        ordering = ("la", "start_date", "plan_ref")
        constraints = (
            models.UniqueConstraint(fields=["la", "plan_ref"], name="cases_plan_unique_ref_in_la"),
            in_order("end_date", "start_date", "cases_plan_end_after_start"),
        )

    def __str__(self) -> str:
        return self.plan_ref
