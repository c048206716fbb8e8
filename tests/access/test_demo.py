"""Demo accounts: one per role, linked to the LA's data, idempotent, fresh passwords each call."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model

from diogel.access.demo import ensure_demo_accounts
from diogel.access.models import Membership, PartnerInvolvement
from diogel.access.roles import Role
from diogel.access.visibility import visible_children
from diogel.audit.chain import verify
from diogel.cases.models import Allocation, Child, Episode, LocalAuthority, Team, Worker

pytestmark = pytest.mark.django_db


def test_demo_accounts(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    la = LocalAuthority.objects.get(code="W06000015")
    team = Team.objects.create(la=la, name="Duty")
    worker = Worker.objects.create(la=la, worker_ref="W1", team=team)
    for i in range(3):
        child = Child.objects.create(la=la, child_ref=f"C{i}")
        Allocation.objects.create(la=la, child=child, worker=worker, start_date=date(2010, 1, 1))
    Episode.objects.create(la=la, child=child, decom=date(2010, 2, 1))

    first = ensure_demo_accounts()
    assert sorted(a.role for a in first) == sorted(Role)
    assert len({a.password for a in first}) == len(first)
    second = ensure_demo_accounts()
    assert [a.username for a in second] == [a.username for a in first]
    assert Membership.objects.count() == len(Role)
    assert PartnerInvolvement.objects.count() == 3
    User = get_user_model()
    sw = User.objects.get(username="demo-social-worker")
    assert authenticate(username=sw.username, password=first[0].password) is None
    assert authenticate(username=sw.username, password=second[0].password) == sw
    worker.refresh_from_db()
    assert worker.user == sw
    for username, expected in [
        ("demo-social-worker", 3),
        ("demo-team-manager", 3),
        ("demo-iro", 1),
        ("demo-partner", 3),
        ("demo-inspector", 3),
        ("demo-la-admin", 0),
        ("demo-wg-analyst", 0),
    ]:
        assert visible_children(User.objects.get(username=username)).count() == expected, username
    assert verify().ok
