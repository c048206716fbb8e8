from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "diogel.intake"
    label = "intake"
    verbose_name = "Intake (the front door)"
