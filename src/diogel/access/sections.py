"""The sections of a child's record: the unit an information-sharing agreement opens to a partner."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    REFERRALS = "referrals", _("referrals")
    ASSESSMENTS = "assessments", _("assessments")
    CHILD_PROTECTION = "child_protection", _("child protection")
    LOOKED_AFTER = "looked_after", _("looked after")
    EDUCATION = "education", _("education")
    HEALTH = "health", _("health")
    LEAVING_CARE = "leaving_care", _("leaving care")
    CHRONOLOGY = "chronology", _("chronology")


ALL_SECTIONS = frozenset(Section.values)
