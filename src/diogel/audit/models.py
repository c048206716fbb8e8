"""The audit tables: :class:`AuditEntry` (the chain) and :class:`AuditHead` (its last link).

Rows are written only by :func:`diogel.audit.chain.record`. Nothing in Diogel
updates or deletes an entry: ``save`` refuses an update, ``delete`` and the
queryset's ``update``/``delete`` refuse outright, and on PostgreSQL a trigger
(migration ``0002``) rejects UPDATE and DELETE from any client. Someone with
direct access to the database files can still change rows; ``verify`` finds it.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diogel.cases.models import Child, LocalAuthority

from .events import AuditEvent

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Something tried to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One link of the chain: who did what, to which object and child, when, with which request."""

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    event = models.PositiveSmallIntegerField(_("event"), choices=AuditEvent.choices())
    object_type = models.CharField(_("object type"), max_length=100, blank=True, default="")
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    request_id = models.CharField(_("request id"), max_length=64, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ("seq",)
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = (
            models.Index(fields=["child", "seq"], name="audit_entry_child_seq"),
            models.Index(fields=["actor", "seq"], name="audit_entry_actor_seq"),
        )

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {AuditEvent(self.event).name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditHead(models.Model):
    """The single row holding the chain's last sequence number and hash; locked to serialise appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = (models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row"),)

    def __str__(self) -> str:
        return f"head #{self.seq}"
