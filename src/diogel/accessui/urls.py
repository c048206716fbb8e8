"""URLs of the access pages (namespace ``accessui``), mounted at ``/access/``."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "accessui"

urlpatterns: list[URLPattern | URLResolver] = [
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/reviews/", views.reviews, name="reviews"),
    path("break-glass/reviews/<int:grant_id>/", views.review, name="review"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:notification_id>/", views.notification, name="notification"),
    path("admin/", views.admin_index, name="admin"),
    path("admin/<int:la_id>/memberships/", views.memberships, name="memberships"),
    path(
        "admin/<int:la_id>/memberships/<int:membership_id>/revoke/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path("admin/<int:la_id>/agreements/", views.agreements, name="agreements"),
    path("admin/<int:la_id>/involvements/", views.involvements, name="involvements"),
    path("admin/<int:la_id>/involvements/<int:involvement_id>/end/", views.involvement_end, name="involvement_end"),
    path("admin/<int:la_id>/seals/", views.seals, name="seals"),
    path("admin/<int:la_id>/seals/<int:seal_id>/unseal/", views.unseal, name="unseal"),
    path("admin/<int:la_id>/two-factor/", views.two_factor, name="two_factor"),
    path("admin/<int:la_id>/two-factor/<int:user_id>/", views.two_factor_person, name="two_factor_person"),
]
