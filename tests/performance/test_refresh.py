"""The stored results: equal to a direct engine evaluation, swapped in atomically, refreshed only on change."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from access.world import SYSTEM
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child, LocalAuthority
from diogel.dataset.db import export_dataset
from diogel.indicators import engine
from diogel.indicators.cli import data_years
from diogel.performance import queries, services
from diogel.performance.models import AgencyResult, IndicatorResult, ResultSet
from diogel.performance.services import KEEP_SETS, resultset_refresh

from .conftest import AB, Stored


def test_stored_results_equal_a_direct_engine_evaluation(stored: Stored) -> None:
    tables = export_dataset()
    years = data_years(tables)
    assert stored.result_set.years == years
    expected = {
        (r.indicator, r.la, r.year): (
            float(r.numerator),
            None if r.denominator is None else float(r.denominator),
            r.value,
        )
        for r in engine.evaluate(tables, years)
    }
    got = {
        (r.indicator, r.la, r.year): (r.numerator, r.denominator, r.value)
        for r in IndicatorResult.objects.filter(result_set=stored.result_set)
    }
    assert got == expected


def test_agency_breakdown_adds_up_to_the_partnership_measures(stored: Stored) -> None:
    rs = stored.result_set
    for ind in services.AGENCY_INDICATORS:
        for r in IndicatorResult.objects.filter(result_set=rs, indicator=ind).exclude(la="WALES"):
            parts = AgencyResult.objects.filter(result_set=rs, indicator=ind, la=r.la, year=r.year)
            assert sum(p.numerator for p in parts) == r.numerator
            assert sum(p.denominator for p in parts) == (r.denominator or 0)
    # the hand-made data: AB conference K1 (2009) invited HEALTH (report Y) and POLICE (report N)
    health = AgencyResult.objects.get(result_set=rs, indicator="ICPC_AGENCY_REPORTS", la=AB, year=2009, agency="HEALTH")
    assert (health.numerator, health.denominator) == (1, 1)


def test_refresh_is_audited_once(stored: Stored) -> None:
    entries = AuditEntry.objects.filter(event=AuditEvent.EXPORT, object_id=str(stored.result_set.pk))
    assert entries.count() == 1
    detail = entries.get().detail
    assert detail is not None
    assert detail["purpose"] == "performance results refreshed"


def test_a_new_set_replaces_the_old_one_and_old_sets_are_pruned(stored: Stored) -> None:
    sets = [stored.result_set]
    for _ in range(KEEP_SETS + 1):
        rs = resultset_refresh(actor=SYSTEM)
        assert rs is not None
        sets.append(rs)
    assert queries.current_set(use_cache=False) == sets[-1]
    assert ResultSet.objects.filter(status=ResultSet.Status.COMPLETE).count() == 1
    assert ResultSet.objects.count() == KEEP_SETS
    assert not IndicatorResult.objects.filter(result_set_id=sets[0].pk).exists()


def test_a_failed_refresh_leaves_the_last_complete_set_in_place(
    stored: Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = IndicatorResult.objects.count()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(AgencyResult.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        resultset_refresh(actor=SYSTEM)
    assert queries.current_set(use_cache=False) == stored.result_set
    assert ResultSet.objects.count() == 1
    assert IndicatorResult.objects.count() == before  # the new rows were rolled back with the set


def test_refresh_if_changed_does_nothing_until_the_data_change(stored: Stored) -> None:
    assert resultset_refresh(actor=SYSTEM, force=False) is None
    Child.objects.create(la=LocalAuthority.objects.get(code=AB), child_ref="NEW")
    rs = resultset_refresh(actor=SYSTEM, force=False)
    assert rs is not None and rs.pk != stored.result_set.pk


def test_the_fingerprint_changes_when_a_row_is_saved(stored: Stored) -> None:
    first = services.data_fingerprint()
    child = Child.objects.get(la__code=AB, child_ref="C3")
    child.given_name = "changed"
    child.save()
    assert services.data_fingerprint() != first


def test_background_refresh_is_off_in_tests_and_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    assert services.maybe_refresh_in_background() is False  # DIOGEL_PERFORMANCE_AUTO_REFRESH=0 (conftest)
    started: list[bool] = []
    monkeypatch.setenv("DIOGEL_PERFORMANCE_AUTO_REFRESH", "1")
    monkeypatch.setattr(services, "_background", lambda: started.append(True))
    monkeypatch.setitem(services._state, "checked", 0.0)
    monkeypatch.setitem(services._state, "thread", None)
    monkeypatch.setattr(services, "connection", SimpleNamespace(in_atomic_block=False))  # as outside a test
    assert services.maybe_refresh_in_background() is True
    services._state["thread"].join()
    assert services.maybe_refresh_in_background() is False  # checked a moment ago
    assert started == [True]
