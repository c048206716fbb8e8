"""``/accounts/``: sign-in in two steps, and sign-out. Mounted by ``diogel.config.urls``."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.code, name="login-code"),
    path("login/enrol/", views.enrol, name="login-enrol"),
    path("logout/", views.sign_out, name="logout"),
]
