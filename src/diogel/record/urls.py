"""URLs of the child's record, mounted at ``/children/``."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "record"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("<int:child_id>/", views.child, name="child"),
    path("<int:child_id>/chronology/", views.chronology, name="chronology"),
    path("<int:child_id>/chronology.csv", views.chronology_csv, name="chronology_csv"),
    path("<int:child_id>/involved/", views.involved, name="involved"),
    path("<int:child_id>/access-log/", views.access_log, name="access_log"),
    path("<int:child_id>/access-log.csv", views.access_log_csv, name="access_log_csv"),
    path("<int:child_id>/notes/new/", views.note_new, name="note_new"),
    path("<int:child_id>/notes/draft/", views.note_draft, name="note_draft"),
    path("<int:child_id>/notes/draft/discard/", views.note_draft_discard, name="note_draft_discard"),
    path("<int:child_id>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
]
