from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "diogel.recording"
    label = "recording"
