"""``/accounts/``: sign-in in two steps, set-up through an administrator's link, the user's own two-factor page,
and sign-out. Mounted by ``diogel.config.urls``. Every POST under ``/accounts/login`` is rate-limited per IP."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.code, name="login-code"),
    path("login/recovery/", views.recovery, name="login-recovery"),
    path("login/enrol/", views.enrol, name="login-enrol"),
    path("login/setup/", views.setup, name="login-setup"),
    path("login/setup/<str:token>/", views.setup_open, name="login-setup-link"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("logout/", views.sign_out, name="logout"),
]
