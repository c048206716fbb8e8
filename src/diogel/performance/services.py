"""Writes of the performance area: refreshing the stored results, and recording downloads.

- :func:`resultset_refresh` exports the database (``export_dataset()``), evaluates
  every indicator for every year in the data in one engine call, splits the
  partnership measures by agency, and stores the whole as a new
  :class:`~.models.ResultSet` in one transaction (the swap is atomic).
- :func:`data_fingerprint` is the cheap test of "have the data changed": the
  row count, highest id and latest ``updated_at`` of every case table.
- :func:`maybe_refresh_in_background` is what a page calls: at most every
  ``DIOGEL_PERFORMANCE_CHECK_SECONDS`` (default 60) per process it starts a
  daemon thread that compares the fingerprint with the current set's and
  refreshes when they differ. The page itself never waits.
- :func:`performance_download` writes the audit entry of a download.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

import polars as pl
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections, transaction
from django.db.models import Count, Max
from django.utils import timezone

from diogel import audit
from diogel.audit.chain import SystemActor
from diogel.audit.events import AuditEvent
from diogel.dataset.db import MAPPINGS, export_dataset
from diogel.indicators import engine
from diogel.indicators.cli import data_years
from diogel.indicators.common import LA, YEAR, Context, ensure_tables
from diogel.indicators.registry import BY_ID

from .models import AgencyResult, IndicatorResult, ResultSet

log = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | SystemActor
AGENCY_INDICATORS = ("ICPC_AGENCY_REPORTS", "ICPC_AGENCY_ATTENDANCE")
KEEP_SETS = 3  # complete sets kept (the newest is served; older ones let readers finish)
BATCH = 5000


def data_fingerprint() -> str:
    """A hash of (count, max id, max updated_at) of every case table: changes whenever a row is added,
    removed or saved."""
    parts: list[str] = []
    for name in sorted(MAPPINGS):
        model = MAPPINGS[name].model
        agg = model._default_manager.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
        parts.append(f"{name}:{agg['n']}:{agg['top']}:{agg['changed']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def agency_breakdown(tables: Mapping[str, pl.DataFrame], years: list[int]) -> list[tuple[str, str, int, str, int, int]]:
    """(indicator, LA, year, agency, numerator, denominator) of the partnership measures, by agency kind."""
    if not years:
        return []
    ctx = Context(ensure_tables(tables), years)
    frames = pl.collect_all(
        [
            BY_ID[i]
            .units(ctx)
            .group_by(LA, YEAR, "AGENCY")
            .agg(N=pl.col("NUM").sum().cast(pl.Int64), D=pl.len().cast(pl.Int64))
            for i in AGENCY_INDICATORS
        ]
    )
    out = []
    for ind, frame in zip(AGENCY_INDICATORS, frames, strict=True):
        for la, year, agency, n, d in frame.select(LA, YEAR, "AGENCY", "N", "D").iter_rows():
            out.append((ind, la, int(year), agency or "", int(n), int(d)))
    return out


def resultset_refresh(*, actor: Actor, force: bool = True) -> ResultSet | None:
    """Recompute every stored result from the database and make it the current set.

    With ``force=False`` nothing happens (None is returned) when the data have
    not changed since the current set. The engine runs outside any transaction;
    the new rows, the status change of the older sets and the audit entry are
    written in one.
    """
    from .queries import current_set

    started = time.monotonic()
    fingerprint = data_fingerprint()
    current = current_set(use_cache=False)
    if not force and current is not None and current.data_fingerprint == fingerprint:
        return None
    tables = export_dataset()
    years = data_years(tables)
    results = engine.evaluate(tables, years) if years else []
    agencies = agency_breakdown(tables, years)
    return _store(actor, fingerprint, years, results, agencies, started)


@transaction.atomic
def _store(
    actor: Actor,
    fingerprint: str,
    years: list[int],
    results: list[engine.Result],
    agencies: list[tuple[str, str, int, str, int, int]],
    started: float,
) -> ResultSet:
    label = actor.label if isinstance(actor, SystemActor) else actor.get_username()
    rs = ResultSet.objects.create(
        computed_at=timezone.now(),
        data_fingerprint=fingerprint,
        status=ResultSet.Status.COMPLETE,
        years=years,
        computed_by=label[:150],
    )
    IndicatorResult.objects.bulk_create(
        (
            IndicatorResult(
                result_set=rs,
                indicator=r.indicator,
                la=r.la,
                year=r.year,
                numerator=float(r.numerator),
                denominator=None if r.denominator is None else float(r.denominator),
                value=r.value,
            )
            for r in results
        ),
        batch_size=BATCH,
    )
    AgencyResult.objects.bulk_create(
        (
            AgencyResult(result_set=rs, indicator=i, la=la, year=y, agency=a, numerator=n, denominator=d)
            for i, la, y, a, n, d in agencies
        ),
        batch_size=BATCH,
    )
    older = ResultSet.objects.filter(status=ResultSet.Status.COMPLETE).exclude(pk=rs.pk)
    older.update(status=ResultSet.Status.SUPERSEDED)
    stale = list(
        ResultSet.objects.filter(status=ResultSet.Status.SUPERSEDED)
        .order_by("-pk")
        .values_list("pk", flat=True)[KEEP_SETS - 1 :]
    )
    if stale:
        IndicatorResult.objects.filter(result_set_id__in=stale).delete()
        AgencyResult.objects.filter(result_set_id__in=stale).delete()
        ResultSet.objects.filter(pk__in=stale).delete()
    rs.duration_ms = int((time.monotonic() - started) * 1000)
    rs.save(update_fields=["duration_ms"])
    audit.record(
        actor=actor,
        event=AuditEvent.EXPORT,
        obj=rs,
        detail={
            "purpose": "performance results refreshed",
            "years": years,
            "results": len(results),
            "fingerprint": fingerprint,
        },
    )
    from .queries import forget_current

    forget_current()
    transaction.on_commit(forget_current)
    return rs


# --- refreshing in the background ------------------------------------------------------------------

_lock = threading.Lock()
_state: dict[str, Any] = {"checked": 0.0, "thread": None}
REFRESH_ACTOR = SystemActor("performance-refresh")


def auto_refresh_enabled() -> bool:
    return os.environ.get("DIOGEL_PERFORMANCE_AUTO_REFRESH", "1") != "0"


def check_seconds() -> float:
    try:
        return float(os.environ.get("DIOGEL_PERFORMANCE_CHECK_SECONDS", "60"))
    except ValueError:
        return 60.0


def _background() -> None:
    try:
        resultset_refresh(actor=REFRESH_ACTOR, force=False)
    except Exception:  # a defect: logged, never shown to a user; the last complete set stays in use
        log.exception("performance refresh failed")
    finally:
        connections.close_all()


def maybe_refresh_in_background() -> bool:
    """Start a background check-and-refresh if one is due and none is running; True when one was started."""
    if not auto_refresh_enabled() or connection.in_atomic_block:
        return False
    now = time.monotonic()
    with _lock:
        running = _state["thread"]
        if (running is not None and running.is_alive()) or now - _state["checked"] < check_seconds():
            return False
        _state["checked"] = now
        thread = threading.Thread(target=_background, name="diogel-performance-refresh", daemon=True)
        _state["thread"] = thread
    thread.start()
    return True


# --- downloads --------------------------------------------------------------------------------------


@transaction.atomic
def performance_download(*, actor: Actor, table: str, fmt: str, params: Mapping[str, Any], rows: int) -> None:
    """Record that ``actor`` downloaded ``table`` (``csv``/``xlsx``) for ``params``."""
    audit.record(
        actor=actor,
        event=AuditEvent.DOWNLOAD,
        detail={"area": "performance", "table": table, "format": fmt, "rows": rows, **params},
    )
