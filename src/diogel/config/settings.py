"""Django settings for Diogel.

Everything that differs between a laptop demo and a real deployment comes from
the environment:

- ``DATABASE_URL``: defaults to an embedded SQLite file ``var/diogel.sqlite3``;
  in production ``postgres://user@host:5432/name``.
- ``DIOGEL_SECRET_KEY``: required when ``DIOGEL_DEBUG`` is not set.
- ``DIOGEL_DEBUG``: ``1`` for development.
- ``DIOGEL_ALLOWED_HOSTS``: comma-separated.
- ``DIOGEL_TODAY``: a fixed ISO date for demo mode, so a synthetic Wales looks alive.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository (or install) root
VAR_DIR = Path(os.environ.get("DIOGEL_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("DIOGEL_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("DIOGEL_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DIOGEL_REQUIRE_SECRET", "") == "1":
        raise RuntimeError("DIOGEL_SECRET_KEY must be set in production.")
    # A per-process key: sessions do not survive a restart, which is the safe default for a demo.
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = [h for h in os.environ.get("DIOGEL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "diogel.cases",
    "diogel.access",
    "diogel.access.auth",
    "diogel.audit",
    "diogel.caseload",
    "diogel.record",
    "diogel.recording",
    "diogel.intake",
    "diogel.performance",
    "diogel.accessui",
    "diogel.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "diogel.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "diogel.audit.context.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "diogel.access.auth.middleware.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "diogel.web.security.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "diogel.access.auth.middleware.SessionLimitMiddleware",
    "diogel.web.middleware.VisibilityMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "diogel.config.urls"
WSGI_APPLICATION = "diogel.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "diogel.accessui.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'diogel.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the visibility rules' subqueries have high plan costs, so PostgreSQL compiled them for
    # every request (0.8 s of the team view's 1 s of SQL); pages run short queries that never repay it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; var/ also holds the SQLite file
WHITENOISE_USE_FINDERS = True  # serve app static files straight from the package, no collectstatic step
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in and sessions (diogel.access.auth; docs/security.md). A session ends after 30 minutes without a
# request (the expiry moves on with every request) and 8 hours after sign-in however active it is.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages carry the token in the form / hx-headers; no script reads the cookie
SESSION_COOKIE_AGE = 60 * 30
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DIOGEL_SESSION_ABSOLUTE_SECONDS = 60 * 60 * 8
# Requests per client IP per window: (count, seconds). Counted in the database cache, shared by all processes.
DIOGEL_RATE_LIMITS = {"sign_in": (10, 60), "api": (120, 60)}
# How many reverse proxies in front of Diogel add to X-Forwarded-For (0: use the connection's address).
DIOGEL_TRUSTED_PROXIES = int(os.environ.get("DIOGEL_TRUSTED_PROXIES", "0"))
# Key that encrypts stored TOTP secrets (>= 32 characters); blank: a random key kept in var/totp.key.
DIOGEL_TOTP_KEY = os.environ.get("DIOGEL_TOTP_KEY", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "diogel_cache",  # created by the access_auth migrations (model CacheEntry)
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("DIOGEL_INSECURE_COOKIES", "") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS (sent on HTTPS responses only): browsers then use HTTPS only, for a year by default. DIOGEL_HSTS_SECONDS=0
# turns it off (when the reverse proxy sends it); DIOGEL_HSTS_INCLUDE_SUBDOMAINS=1 covers subdomains too.
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DIOGEL_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("DIOGEL_HSTS_INCLUDE_SUBDOMAINS", "") == "1"
SECURE_HSTS_PRELOAD = False
# Behind a TLS-terminating reverse proxy (DIOGEL_TRUSTED_PROXIES > 0) the proxy's X-Forwarded-Proto says whether
# the client used HTTPS; without this Django would think every request is plain HTTP (no HSTS header, and
# CSRF's origin check would refuse HTTPS form posts). The proxy must set (not pass through) that header.
if DIOGEL_TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The date the system treats as "today" (ISO); blank means the real date.
DIOGEL_TODAY = os.environ.get("DIOGEL_TODAY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DIOGEL_LOG_LEVEL", "WARNING")},
}
