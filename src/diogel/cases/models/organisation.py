"""The organisation: local authorities, their teams and workers, partner agencies.

These are *reference data*: edited in the Django admin, rarely changed. The 22
local authorities are created by a data migration from
``diogel.dataset.schema.local_authorities()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from diogel.dataset import schema

from .base import EditableRecord, code_choices


class LocalAuthority(EditableRecord):
    """One of the 22 Welsh local authorities, identified by its ONS code."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name_en = models.CharField("name (English)", max_length=100)
    name_cy = models.CharField("name (Welsh)", max_length=100)

    class Meta:
        ordering = ("code",)
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"


class Team(EditableRecord):
    """A team of an LA (e.g. "Duty and assessment", "Looked after children")."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("la", "name")
        constraints = (models.UniqueConstraint(fields=["la", "name"], name="cases_team_unique_name_in_la"),)

    def __str__(self) -> str:
        return self.name


class Worker(EditableRecord):
    """A practitioner of an LA. ``worker_ref`` is the dataset's SW_ID.

    A worker may have a Django user account (``user``) or none: historic workers
    known only from an imported SW_ID have no account and an empty name.
    """

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="workers")
    worker_ref = models.CharField("worker identifier (SW_ID)", max_length=64)
    name = models.CharField(max_length=150, blank=True, default="")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="workers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="worker"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("la", "worker_ref")
        constraints = (models.UniqueConstraint(fields=["la", "worker_ref"], name="cases_worker_unique_ref_in_la"),)

    def __str__(self) -> str:
        return self.name or self.worker_ref


class PartnerAgency(EditableRecord):
    """A named partner organisation (a health board, a police force …) of a kind in the AGENCY code list."""

    la = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="partner_agencies"
    )
    kind = models.CharField(max_length=16, choices=code_choices(schema.AGENCY))
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ("kind", "name")
        verbose_name_plural = "partner agencies"
        constraints = (models.UniqueConstraint(fields=["kind", "name"], name="cases_agency_unique_name"),)

    def __str__(self) -> str:
        return self.name
