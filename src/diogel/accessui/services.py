"""The two small writes the access layer's services do not have, both limited to the actor.

- marking the actor's own notifications read (not audited: reading a message changes no access);
- recording a refused break-glass request in the audit trail (the refusal itself is given by
  :func:`diogel.access.services.break_glass_request`; someone probing for sealed records or
  other LAs' children leaves a trace even though the page tells them nothing).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from diogel import audit
from diogel.access.models import Notification
from diogel.audit.events import AuditEvent
from diogel.cases.models import Child, LocalAuthority


@transaction.atomic
def notification_mark_read(*, actor: AbstractBaseUser, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (already read: unchanged)."""
    n = Notification.objects.select_for_update().get(pk=notification.pk, recipient_id=actor.pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


@transaction.atomic
def notifications_mark_all_read(*, actor: AbstractBaseUser) -> int:
    """Mark every unread notification of the actor read; how many were."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def break_glass_refused(
    *, actor: AbstractBaseUser, la: LocalAuthority | None, child_ref: str, child_id: int | None = None
) -> None:
    """Record that ``actor``'s break-glass request for ``child_ref`` was refused."""
    audit.record(
        actor=actor,
        event=AuditEvent.ACCESS_REFUSED,
        child=Child.objects.filter(pk=child_id).first() if child_id is not None else None,
        la=la,
        detail={"break_glass": True, "child_ref": child_ref[:64]},
    )
