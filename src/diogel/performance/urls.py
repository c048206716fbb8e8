"""URLs of the performance area, mounted at /performance/."""

from django.urls import URLPattern, URLResolver, path, register_converter

from . import views


class _Fmt:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_Fmt, "fmt")

app_name = "performance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("wales/", views.national_page, name="national"),
    path("wales/download.<fmt:fmt>", views.national_download, name="national_download"),
    path("region/<slug:region>/", views.board_page, name="board"),
    path("region/<slug:region>/download.<fmt:fmt>", views.board_download, name="board_download"),
    path("la/<str:la>/", views.la_page, name="la"),
    path("la/<str:la>/download.<fmt:fmt>", views.la_download, name="la_download"),
    path("la/<str:la>/<str:indicator>/", views.indicator_page, name="indicator"),
    path("la/<str:la>/<str:indicator>/download.<fmt:fmt>", views.indicator_download, name="indicator_download"),
    path("la/<str:la>/<str:indicator>/children/", views.child_list_page, name="children"),
    path(
        "la/<str:la>/<str:indicator>/children/download.<fmt:fmt>",
        views.child_list_download,
        name="children_download",
    ),
]
