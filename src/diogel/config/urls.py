"""Every URL of Diogel. Each area owns its own ``urls.py``; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path

from diogel.api import api
from diogel.caseload import views as caseload_views
from diogel.web import views as web_views

urlpatterns = [
    path("", caseload_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("ping", web_views.ping, name="ping"),
    path("accounts/", include("diogel.access.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("caseload/", include("diogel.caseload.urls")),
    path("children/", include("diogel.record.urls")),
    path("record/", include("diogel.recording.urls")),
    path("intake/", include("diogel.intake.urls")),
    path("performance/", include("diogel.performance.urls")),
    path("access/", include("diogel.accessui.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
