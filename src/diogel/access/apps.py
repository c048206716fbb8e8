"""Django application configuration for access control (``diogel.access``)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "diogel.access"
    label = "access"
    verbose_name = _("Access control")
    default_auto_field = "django.db.models.BigAutoField"
