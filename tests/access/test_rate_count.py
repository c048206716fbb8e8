"""The rate-limit counter: one atomic statement per request, a fresh count in each window, old rows pruned."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diogel.access.auth import middleware
from diogel.access.auth.middleware import over_limit
from diogel.access.auth.models import RateCount

pytestmark = pytest.mark.django_db


def at(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setattr(middleware.time, "time", lambda: seconds)


def test_counts_up_to_the_limit_then_says_how_long_to_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 6000 * 60 + 15)  # 15 s into window 6000 of 60 s
    assert [over_limit("api", "10.0.0.1", 3, 60) for _ in range(3)] == [0, 0, 0]
    assert over_limit("api", "10.0.0.1", 3, 60) == 45
    assert RateCount.objects.get(key="api:10.0.0.1").hits == 4
    assert over_limit("api", "10.0.0.2", 3, 60) == 0  # another address has its own count
    assert over_limit("sign_in", "10.0.0.1", 3, 60) == 0  # and another limit too


def test_a_new_window_starts_again_and_prunes_old_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 100 * 60)
    for _ in range(5):
        over_limit("api", "10.0.0.1", 3, 60)
    over_limit("api", "10.0.0.9", 3, 60)
    at(monkeypatch, 101 * 60 + 1)  # the next window: counts restart, the previous window is kept
    assert over_limit("api", "10.0.0.1", 3, 60) == 0
    assert RateCount.objects.get(key="api:10.0.0.1").hits == 1
    assert RateCount.objects.filter(key="api:10.0.0.9").exists()
    at(monkeypatch, 102 * 60)  # window 102's first request prunes rows of windows before 101 (10.0.0.9's)
    over_limit("api", "10.0.0.2", 3, 60)
    assert set(RateCount.objects.values_list("key", flat=True)) == {"api:10.0.0.1", "api:10.0.0.2"}


def test_one_query_per_counted_request_after_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 7000 * 60)
    over_limit("api", "10.0.0.1", 3, 60)
    with CaptureQueriesContext(connection) as queries:
        over_limit("api", "10.0.0.1", 3, 60)
    assert len(queries) == 1
