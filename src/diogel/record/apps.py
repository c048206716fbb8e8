from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "diogel.record"
    label = "record"
