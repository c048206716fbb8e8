"""The demo gives nameless children made-up names: deterministic, only the nameless, audited once."""

from __future__ import annotations

import pytest

from access.world import build
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child
from diogel.web.demo import FAMILY_NAMES, GIVEN_NAMES, name_children


@pytest.mark.django_db
def test_nameless_children_get_names_once_and_named_ones_keep_theirs() -> None:
    world = build()
    named = world.children["own"]
    Child.objects.filter(pk=named.pk).update(given_name="Siân", family_name="Ap Rhys")
    nameless = Child.objects.filter(given_name="", family_name="")
    expected = nameless.count()
    assert expected > 0
    before = AuditEntry.objects.filter(event=AuditEvent.DATASET_IMPORTED).count()

    assert name_children() == expected
    assert not Child.objects.filter(given_name="").exists()
    named.refresh_from_db()
    assert (named.given_name, named.family_name) == ("Siân", "Ap Rhys")
    for child in Child.objects.exclude(pk=named.pk):
        assert child.given_name in GIVEN_NAMES.get(child.sex, GIVEN_NAMES["9"])
        assert child.family_name in FAMILY_NAMES
    assert AuditEntry.objects.filter(event=AuditEvent.DATASET_IMPORTED).count() == before + 1

    first = dict(Child.objects.values_list("pk", "given_name"))
    assert name_children() == 0  # nothing nameless is left: a second run changes nothing
    Child.objects.exclude(pk=named.pk).update(given_name="", family_name="")
    name_children()
    assert dict(Child.objects.values_list("pk", "given_name")) == first  # the same names again
