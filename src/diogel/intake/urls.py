"""URLs of the front door, mounted at ``/intake/``."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("new/", views.new, name="new"),
]
