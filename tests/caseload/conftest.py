"""Fixtures of the caseload tests: the access test world, built on a fixed "today"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from access.world import World, build

TODAY = date(2012, 3, 14)  # a Wednesday in the dataset's era: the 2008 rule set applies


@pytest.fixture
def fixed_today(settings: Any) -> date:
    settings.DIOGEL_TODAY = TODAY.isoformat()
    return TODAY


@pytest.fixture
def world(db: None, fixed_today: date) -> World:
    return build()
