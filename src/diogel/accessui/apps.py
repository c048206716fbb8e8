from django.apps import AppConfig


class AccessUIConfig(AppConfig):
    name = "diogel.accessui"
    label = "accessui"
    verbose_name = "Access pages"
