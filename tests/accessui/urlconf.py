"""The site's URLs plus the access pages at ``/access/`` (until ``config/urls.py`` mounts them itself)."""

from django.urls import URLPattern, URLResolver, include, path

from diogel.config.urls import urlpatterns as site

mounted = any(getattr(p, "namespace", None) == "accessui" for p in site)
urlpatterns: list[URLPattern | URLResolver] = list(site)  # type: ignore[arg-type]
if not mounted:
    urlpatterns.append(path("access/", include("diogel.accessui.urls")))
