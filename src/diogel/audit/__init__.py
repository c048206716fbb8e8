"""The audit trail: an append-only, hash-chained record of every look and every change.

Write with :func:`record` inside the caller's transaction (``from diogel import
audit``; ``audit.record(actor=..., event=audit.AuditEvent.CHILD_VIEWED, ...)``);
check with :func:`verify` (``diogel audit verify``). Names are loaded lazily
because the package is imported before Django's models are ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .events import AuditEvent

if TYPE_CHECKING:
    from .chain import SystemActor, VerifyReport, record, verify

__all__ = ["AuditEvent", "SystemActor", "VerifyReport", "record", "verify"]


def __getattr__(name: str) -> Any:
    if name in {"SystemActor", "VerifyReport", "record", "verify"}:
        from . import chain

        return getattr(chain, name)
    raise AttributeError(name)
