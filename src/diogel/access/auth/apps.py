"""Django application configuration for authentication (``diogel.access.auth``)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessAuthConfig(AppConfig):
    name = "diogel.access.auth"
    label = "access_auth"
    verbose_name = _("Sign-in and two-factor authentication")
    default_auto_field = "django.db.models.BigAutoField"
