"""A small stored world for the performance pages: the hand-made dataset of tests/cases plus the access world."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from tests.cases.dataset import typed_dataset

from access.world import SYSTEM, World, build
from diogel.access import services as access
from diogel.access.models import SealedRecord
from diogel.cases.models import Allocation, Child, Worker
from diogel.dataset.db import import_dataset
from diogel.performance import queries
from diogel.performance.models import ResultSet
from diogel.performance.services import resultset_refresh

AB = "W06000001"  # Isle of Anglesey: the world's LA A (North Wales)
GW = "W06000002"  # Gwynedd: LA B (North Wales)
SWANSEA = "W06000011"  # Western Bay


@pytest.fixture(autouse=True)
def _no_background_refresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DIOGEL_PERFORMANCE_AUTO_REFRESH", "0")
    queries.forget_current()
    yield
    queries.forget_current()


@dataclass
class Stored:
    world: World
    result_set: ResultSet

    def client(self, name: str) -> Client:
        c = Client()
        c.force_login(self.world.users[name])  # type: ignore[arg-type]
        return c


def make_stored() -> Stored:
    """The dataset imported, the access world built, AB/C1 sealed, AB/C2 allocated to the social worker, refreshed."""
    import_dataset(typed_dataset())
    world = build()
    c1 = Child.objects.get(la__code=AB, child_ref="C1")
    access.record_seal(actor=SYSTEM, child=c1, reason=SealedRecord.Reason.ADOPTION, named_users=[])
    c2 = Child.objects.get(la__code=AB, child_ref="C2")
    Allocation.objects.create(
        la_id=c2.la_id, child=c2, worker=Worker.objects.get(la__code=AB, worker_ref="SW1", user__isnull=False)
    )
    rs = resultset_refresh(actor=SYSTEM)
    assert rs is not None
    return Stored(world, rs)


@pytest.fixture
def stored(db: None) -> Stored:
    return make_stored()
