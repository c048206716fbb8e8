from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "diogel.web"
    label = "web"
    verbose_name = "Diogel web"
