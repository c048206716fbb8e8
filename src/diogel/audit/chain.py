"""Writing and checking the hash chain.

Each entry's ``hash`` is SHA-256 over a canonical JSON of the entry (every
column but ``id`` and ``hash``, ``prev_hash`` included), so changing any stored
value, removing an entry or moving one breaks the chain at that point.

:func:`record` is the only writer. It must run inside the caller's transaction,
so that the audit entry and the change it describes commit or vanish together;
it locks the single :class:`~.models.AuditHead` row, so appends are serialised
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers anyway).
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogel.cases.models import Child, LocalAuthority

from .context import current_request_id
from .events import AuditEvent
from .models import GENESIS_HASH, AuditEntry, AuditHead


@dataclass(frozen=True)
class SystemActor:
    """Diogel itself acting (a command, the demo set-up, a scheduled job), named for the trail."""

    name: str

    @property
    def label(self) -> str:
        return f"system:{self.name}"


Actor = AbstractBaseUser | AnonymousUser | SystemActor | None


def _jsonable(value: Any) -> Any:
    """``value`` as it will come back from a JSON column (dates as ISO text, tuples as lists …)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def canonical(entry: AuditEntry) -> bytes:
    """The bytes hashed for ``entry``: sorted-key, compact JSON of every column but ``id`` and ``hash``."""
    payload = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "event": int(entry.event),
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "child_id": entry.child_id,
        "la_id": entry.la_id,
        "request_id": entry.request_id,
        "before": entry.before,
        "after": entry.after,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _actor_fields(actor: Actor) -> tuple[int | None, str]:
    if isinstance(actor, SystemActor):
        return None, actor.label
    if actor is None:
        return None, "system"
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return None, "anonymous"
    return actor.pk, actor.get_username()


def record(
    *,
    actor: Actor,
    event: AuditEvent,
    obj: models.Model | None = None,
    child: Child | None = None,
    la: LocalAuthority | None = None,
    before: Any = None,
    after: Any = None,
    detail: Any = None,
) -> AuditEntry:
    """Append one entry to the chain. Call it inside the transaction of the change it records.

    ``child`` defaults to ``obj`` when ``obj`` is a child, or to ``obj.child``;
    ``la`` defaults to the child's LA, or ``obj.la``. ``before``, ``after`` and
    ``detail`` must be JSON-serialisable (dates and decimals are turned into text).
    """
    assert transaction.get_connection().in_atomic_block, "audit.record() must run inside the caller's transaction"
    if child is None and obj is not None:
        if isinstance(obj, Child):
            child = obj
        elif getattr(obj, "child_id", None) is not None:
            child = obj.child  # type: ignore[attr-defined]
    la_id: int | None = la.pk if la is not None else None
    if la_id is None and child is not None:
        la_id = child.la_id
    if la_id is None and obj is not None:
        la_id = getattr(obj, "la_id", None)
    actor_id, actor_label = _actor_fields(actor)

    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label[:150],
        event=int(event),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        child_id=child.pk if child is not None else None,
        la_id=la_id,
        request_id=current_request_id(),
        before=_jsonable(before),
        after=_jsonable(after),
        detail=_jsonable(detail),
        prev_hash=head.hash,
    )
    entry.hash = compute_hash(entry)
    entry.save(force_insert=True)
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


class Problem(enum.StrEnum):
    EDITED = "edited"
    REMOVED = "removed"
    REORDERED = "reordered"


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :func:`verify`: ``ok``, or the first broken sequence number and what is wrong."""

    checked: int
    last_seq: int
    problem: Problem | None = None
    seq: int | None = None
    explanation: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(*, chunk_size: int = 2000) -> VerifyReport:
    """Walk the whole chain in order and stop at the first entry that is edited, missing or out of place."""
    head = AuditHead.objects.filter(pk=1).first()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return VerifyReport(
                checked,
                expected_seq - 1,
                Problem.REMOVED,
                expected_seq,
                _("entries %(first)d to %(last)d are missing") % {"first": expected_seq, "last": entry.seq - 1},
            )
        if entry.prev_hash != prev_hash:
            moved = AuditEntry.objects.filter(hash=entry.prev_hash).exclude(seq=entry.seq - 1).first()
            if moved is not None:
                return VerifyReport(
                    checked,
                    entry.seq - 1,
                    Problem.REORDERED,
                    entry.seq,
                    _("entry %(seq)d follows entry %(other)d in the chain but is stored before it")
                    % {"seq": entry.seq, "other": moved.seq},
                )
            if entry.seq == 1:
                return VerifyReport(
                    checked,
                    0,
                    Problem.REMOVED,
                    1,
                    _("the first entry does not start the chain: entries before it were removed"),
                )
            return VerifyReport(
                checked,
                entry.seq - 1,
                Problem.EDITED,
                entry.seq - 1,
                _("entry %(seq)d was changed and its hash rewritten: entry %(next)d does not link to it")
                % {"seq": entry.seq - 1, "next": entry.seq},
            )
        if compute_hash(entry) != entry.hash:
            return VerifyReport(
                checked,
                entry.seq - 1,
                Problem.EDITED,
                entry.seq,
                _("entry %(seq)d does not match its hash: it was changed after it was written") % {"seq": entry.seq},
            )
        checked += 1
        prev_hash = entry.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    head_seq = head.seq if head is not None else 0
    head_hash = head.hash if head is not None else GENESIS_HASH
    if head_seq > last_seq:
        return VerifyReport(
            checked,
            last_seq,
            Problem.REMOVED,
            last_seq + 1,
            _("entries %(first)d to %(last)d are missing from the end") % {"first": last_seq + 1, "last": head_seq},
        )
    if head_seq < last_seq or head_hash != prev_hash:
        return VerifyReport(
            checked,
            last_seq,
            Problem.EDITED,
            last_seq,
            _("the chain head does not match entry %(seq)d: the end of the chain was rewritten") % {"seq": last_seq},
        )
    return VerifyReport(checked, last_seq)
