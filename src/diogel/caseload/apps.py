from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "diogel.caseload"
    label = "caseload"
