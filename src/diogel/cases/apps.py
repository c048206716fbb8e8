"""Django application configuration for the case records (``diogel.cases``)."""

from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "diogel.cases"
    label = "cases"
    verbose_name = "Case records"
    default_auto_field = "django.db.models.BigAutoField"
