"""Referrals and the decision taken on each (dataset table ``referrals``).

A referral not closed with NFA opens an episode of need lasting until
``closure_date``.
"""

from __future__ import annotations

from django.db import models

from diogel.dataset import schema

from .base import REF_LENGTH, EditableRecord, code_field, in_order
from .organisation import LocalAuthority, Worker
from .people import Child


class Referral(EditableRecord):
    """A referral received about a child, its decision and the closure of the episode of need."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="referrals")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    referral_ref = models.CharField("referral identifier (REFERRAL_ID)", max_length=REF_LENGTH)
    referral_date = models.DateField("received (REFERRAL_DATE)", null=True, blank=True)
    source = code_field(schema.REFERRAL_SOURCE, "source (SOURCE)")
    decision_date = models.DateField("decided (DECISION_DATE)", null=True, blank=True)
    decision = code_field(schema.REFERRAL_DECISION, "decision (DECISION)")
    primary_need = code_field(schema.PRIMARY_NEED, "primary need (PRIMARY_NEED)")
    closure_date = models.DateField("episode of need closed (CLOSURE_DATE)", null=True, blank=True)
    decided_by = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral_decisions"
    )

    class Meta:
        ordering = ("la", "referral_date", "referral_ref")
        constraints = (
            models.UniqueConstraint(fields=["la", "referral_ref"], name="cases_referral_unique_ref_in_la"),
            in_order("decision_date", "referral_date", "cases_referral_decided_after_received"),
            in_order("closure_date", "referral_date", "cases_referral_closed_after_received"),
        )

    def __str__(self) -> str:
        return self.referral_ref
