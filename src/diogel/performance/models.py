"""Stored indicator results: the performance pages read these, never the engine.

A :class:`ResultSet` is one complete evaluation of every indicator for every
year in the data, made by :func:`diogel.performance.services.resultset_refresh`.
Its rows are written and the set marked ``COMPLETE`` in one transaction, so a
reader sees either the whole new set or only the older one. Pages serve the
newest complete set (:func:`diogel.performance.queries.current_set`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultSet(models.Model):
    class Status(models.TextChoices):
        COMPLETE = "COMPLETE", _("complete")
        SUPERSEDED = "SUPERSEDED", _("superseded")

    computed_at = models.DateTimeField(_("computed"))
    data_fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    years = models.JSONField(_("years"), default=list)
    duration_ms = models.PositiveIntegerField(_("time taken (ms)"), default=0)
    computed_by = models.CharField(_("computed by"), max_length=150, default="")

    class Meta:
        verbose_name = _("indicator result set")
        indexes = (models.Index(fields=["status", "-id"], name="perf_set_status_id"),)

    def __str__(self) -> str:
        return f"result set {self.pk} ({self.status}, {self.computed_at:%Y-%m-%d %H:%M})"


class IndicatorResult(models.Model):
    """One number of the engine: ``indicator`` for ``la`` (ONS code or ``WALES``) in financial year ``year``."""

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="results")
    indicator = models.CharField(max_length=40)
    la = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["result_set", "indicator", "la", "year"], name="perf_result_unique"),
        )
        indexes = (models.Index(fields=["result_set", "la", "indicator"], name="perf_result_la"),)

    def __str__(self) -> str:
        return f"{self.indicator} {self.la} {self.year}: {self.value}"


class AgencyResult(models.Model):
    """The partnership measures (``ICPC_AGENCY_*``) split by the kind of agency invited."""

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="agency_results")
    indicator = models.CharField(max_length=40)
    la = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    agency = models.CharField(max_length=16)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["result_set", "indicator", "la", "year", "agency"], name="perf_agency_result_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.indicator} {self.la} {self.year} {self.agency}: {self.numerator}/{self.denominator}"
