"""Authentication data: TOTP devices, failed sign-ins and locks per username, and the cache table.

Rows change only through :mod:`.services` (the cache through Django's cache API).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TOTPDevice(models.Model):
    """A user's TOTP secret (sealed, see :mod:`.sealing`); usable once ``confirmed_at`` is set.

    ``last_step`` is the time step of the last code accepted: a code of that step
    or an earlier one is refused, so a code cannot be used twice.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    sealed_secret = models.TextField(_("secret (encrypted)"))
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last time step used"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor device")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class SignInThrottle(models.Model):
    """Per username (normalised, known or not): failures count from ``counted_from``; locked until ``locked_until``."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    counted_from = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")

    def __str__(self) -> str:
        return self.username


class SignInFailure(models.Model):
    """One failed sign-in (wrong password, unknown username, wrong code) for a normalised username."""

    username = models.CharField(_("username"), max_length=150)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("failed sign-in")
        indexes = (
            models.Index(fields=["username", "at"], name="access_auth_failure_user_at"),
            models.Index(fields=["at"], name="access_auth_failure_at"),
        )

    def __str__(self) -> str:
        return f"{self.username} {self.at}"


class CacheEntry(models.Model):
    """The table of Django's database cache (``CACHES``), shared by every process; used for rate limits.

    Declared as a model, not made by ``createcachetable``, so that ``migrate``
    creates it and test databases are cleaned of it like any other table. The
    columns are the ones :class:`django.core.cache.backends.db.DatabaseCache` uses.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "diogel_cache"
        verbose_name = _("cache entry")

    def __str__(self) -> str:
        return self.cache_key


class SetUpLink(models.Model):
    """A one-time two-factor set-up link that an LA administrator issued for ``user``.

    Only the SHA-256 of the link's random token is kept (``token_hash``): the token is 256 random bits,
    so a fast unsalted hash cannot be reversed, and a database dump gives no usable link. A link works
    once (``used_at``), until ``expires_at``, and not after a newer link or a reset (``revoked_at``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_links")
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(_("issued by"), max_length=150)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor set-up link")

    def __str__(self) -> str:
        return f"set-up link {self.user} {self.created_at}"


class RecoveryCode(models.Model):
    """One single-use recovery code of ``user``, kept as HMAC-SHA256 under a server key (see ``recovery.py``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor recovery code")

    def __str__(self) -> str:
        return f"recovery code {self.user}"


class RateCount(models.Model):
    """Requests counted for one rate limit and one client address in the current fixed window.

    One row per (limit, address): :func:`~.middleware.over_limit` counts a request with one atomic
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL and SQLite), which restarts the count when
    the window has moved on. Rows of windows long past are deleted as new windows begin.
    """

    key = models.CharField(max_length=200, primary_key=True)
    slot = models.BigIntegerField("window number", db_index=True)
    hits = models.PositiveIntegerField()

    class Meta:
        db_table = "diogel_rate_count"
        verbose_name = _("rate limit count")

    def __str__(self) -> str:
        return f"{self.key} ({self.hits} in window {self.slot})"
