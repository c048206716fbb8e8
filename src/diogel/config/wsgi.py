"""WSGI entry point: ``diogel.config.wsgi:application`` (used by ``diogel serve`` and by gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogel.config.settings")
application = get_wsgi_application()
