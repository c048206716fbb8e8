"""The role world of tests/access/world.py, with names and dates of birth on some children for the check."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from access.world import SYSTEM, World, build
from diogel.access import services as access_services
from diogel.access.roles import Role
from diogel.cases.models import Child

DOB = date(2015, 3, 14)


@pytest.fixture
def world(db: None) -> World:
    w = build()
    named = {
        "own": ("Siân", "Ap-Rhys", "2", DOB),  # the social worker's own child
        "other_team": ("Sian", "ap Rhys", "2", DOB),  # LA A, allocated in team A2: hidden from sw
        "other_la": ("Siân", "Ap-Rhys", "2", DOB),  # LA B: never counted for LA A's staff
        "sealed": ("", "", "1", DOB),  # nameless, a boy: sex excludes him from a search for a girl
    }
    for kind, (given, family, sex, dob) in named.items():
        Child.objects.filter(pk=w.children[kind].pk).update(
            given_name=given, family_name=family, sex=sex, date_of_birth=dob
        )
    return w


def client_for(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])  # type: ignore[arg-type]
    return client


def social_worker_without_worker(world: World) -> AbstractBaseUser:
    user = get_user_model().objects.create_user("sw_no_worker")
    assert world.la_a is not None
    access_services.membership_grant(actor=SYSTEM, user=user, role=Role.SOCIAL_WORKER, la=world.la_a)
    return user
