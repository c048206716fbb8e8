"""URLs of the recording flows, under ``/record/``: ``recording:<flow>`` for each flow of :mod:`.flows`,
``recording:child`` for the child's recording page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import corrections, views
from .flows import FLOWS

app_name = "recording"

urlpatterns: list[URLPattern | URLResolver] = [
    path("children/<int:child_id>/", views.child_view, name="child"),
    path("children/<int:child_id>/wellbeing/thanks/", views.wellbeing_thanks, name="wellbeing_thanks"),
    path("children/<int:child_id>/correct/<slug:kind>/<int:target_id>/", corrections.correct_view, name="correct"),
    *(
        path(f"children/<int:child_id>/{flow.path}", views.flow_view, {"flow": flow.name}, name=flow.name)
        for flow in FLOWS.values()
    ),
]
