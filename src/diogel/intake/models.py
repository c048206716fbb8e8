"""One row per front-door submission, so that a form sent twice (a double click, a resent request) creates
the child and the referral once: ``token`` is the form's one-time token (or the API's idempotency key)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from diogel.cases.models import Child, Referral


class Submission(models.Model):
    """``user`` sent the form carrying ``token``; it created ``child`` and ``referral``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["user", "token"], name="intake_submission_unique_token"),)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token}"
