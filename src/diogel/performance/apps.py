from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "diogel.performance"
    label = "performance"
