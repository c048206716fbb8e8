"""The role world of tests/access/world.py, plus helpers that put a child into care or on the register."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from access.world import SYSTEM, World, build, d
from diogel.cases.models import Child, Episode, Referral, Registration

__all__ = ["SYSTEM", "World", "d"]


@pytest.fixture
def world(db: None) -> World:
    return build()


@pytest.fixture
def child(world: World) -> Child:
    """The social worker's own child."""
    return world.children["own"]


def client_for(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def referral(child: Child, received: date, **kw: object) -> Referral:
    return Referral.objects.create(la=child.la, child=child, referral_ref=f"R{Referral.objects.count() + 1}",
                                   referral_date=received, source="POLICE", **kw)  # fmt: skip


def in_care(child: Child, since: date, legal_status: str = "C2", placement: str = "U1") -> Episode:
    return Episode.objects.create(la=child.la, child=child, decom=since, rne="S", legal_status=legal_status,
                                  placement=placement)  # fmt: skip


def registered(child: Child, since: date) -> Registration:
    return Registration.objects.create(la=child.la, child=child, registration_ref=f"G{child.pk}", start_date=since,
                                       category="NEG")  # fmt: skip
