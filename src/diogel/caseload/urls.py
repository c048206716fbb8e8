"""URLs of the ``caseload`` area (namespace ``caseload``): the home by role and the allocation form.

The site's home (``/``) is meant to be :func:`.views.home` too (a route in ``config/urls.py``).
"""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "caseload"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("team/<int:team_id>/allocate/", views.allocate, name="allocate"),
]
