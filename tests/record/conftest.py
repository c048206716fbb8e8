"""The access test world (tests/access/world.py) with a case history for the child "own"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from access.world import World, build, d
from diogel.cases import models as m


@pytest.fixture
def world(db: None) -> World:
    return build()


@pytest.fixture
def as_user(world: World) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


def looked_after(child: m.Child) -> m.Episode:
    return m.Episode.objects.create(la=child.la, child=child, decom=d(-200), legal_status="C2", placement="U1", rne="S")


def registered(child: m.Child) -> m.Registration:
    return m.Registration.objects.create(
        la=child.la, child=child, registration_ref=f"R-{child.pk}", start_date=d(-60), category="NEG"
    )


def in_need(child: m.Child) -> m.Referral:
    return m.Referral.objects.create(
        la=child.la,
        child=child,
        referral_ref=f"REF-{child.pk}",
        referral_date=d(-90),
        decision_date=d(-89),
        decision="IA",
        source="1A",
    )


def history(child: m.Child, events: int = 0) -> None:
    """A referral, an assessment, an episode and ``events`` visits: 5 + ``events`` chronology entries."""
    ref = in_need(child)
    m.Assessment.objects.create(
        la=child.la, child=child, referral=ref, assessment_ref=f"A-{child.pk}", assessment_type="INITIAL",
        start_date=d(-88), completed_date=d(-80), seen="Y",
    )  # fmt: skip
    looked_after(child)
    worker = m.Worker.objects.filter(la=child.la).first()
    m.Visit.objects.bulk_create(
        m.Visit(la=child.la, child=child, visit_date=d(-(i % 150) - 1), visit_type="LAC", worker=worker)
        for i in range(events)
    )


def sibling_of(child: m.Child, other: m.Child) -> None:
    m.FamilyRelationship.objects.create(child=child, kind="SIBLING", related_child=other)


@pytest.fixture
def own(world: World) -> m.Child:
    child = world.children["own"]
    on = d(-10)
    child.given_name, child.family_name, child.date_of_birth = "Megan", "Jones", on.replace(year=on.year - 9)
    child.save()
    return child


User = AbstractBaseUser
__all__ = ["d", "history", "in_need", "looked_after", "registered", "sibling_of", "timedelta"]
