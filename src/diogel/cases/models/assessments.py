"""Initial and core assessments (dataset table ``assessments``)."""

from __future__ import annotations

from django.db import models

from diogel.dataset import schema

from .base import REF_LENGTH, EditableRecord, code_field, flag_field, in_order
from .organisation import LocalAuthority, Worker
from .people import Child
from .referrals import Referral


class Assessment(EditableRecord):
    """An INITIAL or CORE assessment that followed a referral of the same child."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="assessments")
    assessment_ref = models.CharField("assessment identifier (ASSESSMENT_ID)", max_length=REF_LENGTH)
    assessment_type = code_field(schema.ASSESSMENT_TYPE, "type (TYPE)")
    start_date = models.DateField("started (START_DATE)", null=True, blank=True)
    completed_date = models.DateField("completed (COMPLETED_DATE)", null=True, blank=True)
    seen = flag_field("child seen (SEEN)")
    seen_alone = flag_field("child seen alone (SEEN_ALONE)")
    worker = models.ForeignKey(Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments")

    class Meta:
        ordering = ("la", "start_date", "assessment_ref")
        constraints = (
            models.UniqueConstraint(fields=["la", "assessment_ref"], name="cases_assessment_unique_ref_in_la"),
            in_order("completed_date", "start_date", "cases_assessment_completed_after_start"),
        )

    def __str__(self) -> str:
        return self.assessment_ref
