"""A small synthetic Wales shared by the synth tests (scale 0.02, two years: a few seconds)."""

from __future__ import annotations

import polars as pl
import pytest

from diogel.synth import generate

SMALL = {"seed": 7, "scale": 0.02, "years": (2011, 2012)}


@pytest.fixture(scope="session")
def small() -> dict[str, pl.DataFrame]:
    return generate(**SMALL)  # type: ignore[arg-type]
