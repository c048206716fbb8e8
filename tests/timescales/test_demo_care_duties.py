"""The demo's health, IRO and planning records (``diogel.web.demo.add_care_duties``): deterministic, inside the
placement or period they belong to, never after today, once only, and audited as one event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings

from diogel.access.models import IROAssignment
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases import models as m
from diogel.web.demo import add_care_duties

pytestmark = pytest.mark.django_db
TODAY = date(2015, 3, 31)


def build(n: int) -> None:
    la = m.LocalAuthority.objects.get(code="W06000015")
    for k in range(n):
        child = m.Child.objects.create(la=la, child_ref=f"D{k}", date_of_birth=date(1998, 1, 1) + timedelta(days=k))
        start = date(2013, 1, 7) + timedelta(days=7 * k)
        m.Episode.objects.create(la=la, child=child, decom=start, dec=start + timedelta(days=200), rne="S",
                                 legal_status="C2", placement="U4", rec="X1")  # fmt: skip
        m.Episode.objects.create(la=la, child=child, decom=start + timedelta(days=200), rne="P", legal_status="C2",
                                 placement="U1")  # fmt: skip


def snapshot() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    rows += [("H", h.child.child_ref, h.assessed_on, h.episode.decom if h.episode else None)
             for h in m.HealthAssessment.objects.select_related("child", "episode").order_by("child__child_ref", "assessed_on")]  # fmt: skip
    rows += [("G", g.child.child_ref, g.registered_on) for g in m.GPRegistration.objects.select_related("child").order_by("child__child_ref", "registered_on")]  # fmt: skip
    rows += [("P", p.child.child_ref, p.recorded_on, p.outcome) for p in m.PermanencePlan.objects.select_related("child").order_by("child__child_ref")]  # fmt: skip
    rows += [("W", p.child.child_ref, p.completed_on) for p in m.PathwayAssessment.objects.select_related("child").order_by("child__child_ref")]  # fmt: skip
    rows += [("I", a.child.child_ref, a.started_on) for a in IROAssignment.objects.select_related("child").order_by("child__child_ref")]  # fmt: skip
    return rows


@override_settings(DIOGEL_TODAY=TODAY.isoformat())
def test_demo_records_are_plausible_deterministic_and_added_once() -> None:
    build(40)
    added = add_care_duties()
    first = snapshot()
    assert added == len(first) > 0
    assert add_care_duties() == 0 and snapshot() == first  # once only
    [entry] = AuditEntry.objects.filter(event=AuditEvent.DATASET_IMPORTED)
    assert sum(v for k, v in entry.detail.items() if k != "demo") == added
    # Most placements (2 per child) have a health assessment and a GP registration, not all.
    health = m.HealthAssessment.objects.count()
    assert 40 < health < 80 and 40 < m.GPRegistration.objects.count() < 80
    for h in m.HealthAssessment.objects.select_related("episode"):
        assert h.episode is not None and h.episode.decom <= h.assessed_on <= TODAY
        assert h.episode.dec is None or h.assessed_on < h.episode.dec
    for p in m.PermanencePlan.objects.all():
        start = m.Episode.objects.filter(child_id=p.child_id).order_by("decom").first().decom  # type: ignore[union-attr]
        assert start <= p.recorded_on <= TODAY
    assert all(a.started_on <= TODAY and a.ended_on is None for a in IROAssignment.objects.all())
    # The same data again gives the same records (one random stream per child, seeded by LA and CHILD).
    m.HealthAssessment.objects.all().delete()
    m.GPRegistration.objects.all().delete()
    m.PermanencePlan.objects.all().delete()
    m.PathwayAssessment.objects.all().delete()
    IROAssignment.objects.all().delete()
    assert add_care_duties() == added and snapshot() == first
