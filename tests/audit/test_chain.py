"""The audit chain: entries are written in the caller's transaction, cannot be changed through Diogel,
and ``verify`` finds every edit, removal and reordering made behind Diogel's back (raw SQL)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from diogel import audit
from diogel.audit.chain import Problem, SystemActor, verify
from diogel.audit.cli import _verify
from diogel.audit.context import request_scope
from diogel.audit.events import AuditEvent
from diogel.audit.models import AppendOnlyError, AuditEntry, AuditHead
from diogel.cases.models import Child, LocalAuthority
from diogel.cli import main

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def user() -> AbstractBaseUser:
    return get_user_model().objects.create_user("alex", password="not-used-here-123")


@pytest.fixture
def child() -> Child:
    return Child.objects.create(la=LocalAuthority.objects.get(code="W06000001"), child_ref="C1")


@pytest.fixture
def chain(user: AbstractBaseUser, child: Child) -> list[AuditEntry]:
    """Five entries of different kinds."""
    with transaction.atomic():
        return [
            audit.record(actor=user, event=AuditEvent.LOGIN),
            audit.record(actor=user, event=AuditEvent.CHILD_VIEWED, obj=child, detail={"section": "referrals"}),
            audit.record(
                actor=user,
                event=AuditEvent.RECORD_CHANGED,
                obj=child,
                before={"date_of_birth": date(2001, 5, 2)},
                after={"date_of_birth": date(2001, 5, 3)},
            ),
            audit.record(actor=SystemActor("import"), event=AuditEvent.EXPORT, detail={"rows": 3, "ratio": 0.1}),
            audit.record(actor=None, event=AuditEvent.LOGIN_FAILED, detail={"username": "ällex"}),
        ]


@pytest.fixture
def raw() -> Iterator[None]:
    """Raw SQL tampering. On PostgreSQL, the superuser's way round the append-only trigger: replica mode
    (which skips ordinary triggers) for this test's transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")
    yield


def _sql(sql: str, *params: str | int) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_entries_carry_who_what_child_la_and_request(chain: list[AuditEntry], child: Child) -> None:
    viewed = AuditEntry.objects.get(seq=chain[1].seq)
    assert viewed.actor_label == "alex"
    assert viewed.event == AuditEvent.CHILD_VIEWED
    assert (viewed.object_type, viewed.object_id) == ("cases.child", str(child.pk))
    assert viewed.child_id == child.pk
    assert viewed.la_id == child.la_id
    changed = AuditEntry.objects.get(seq=chain[2].seq)
    assert changed.before == {"date_of_birth": "2001-05-02"}
    assert changed.after == {"date_of_birth": "2001-05-03"}
    assert AuditEntry.objects.get(seq=chain[3].seq).actor_label == "system:import"
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (5, chain[-1].hash)


def test_request_id_is_copied_onto_entries(user: AbstractBaseUser) -> None:
    with request_scope("req-12345678") as rid, transaction.atomic():
        entry = audit.record(actor=user, event=AuditEvent.SEARCH, detail={"q": "smith"})
    assert rid == "req-12345678"
    assert entry.request_id == "req-12345678"


def test_clean_chain_verifies(chain: list[AuditEntry]) -> None:
    report = verify(chunk_size=2)
    assert report.ok
    assert (report.checked, report.last_seq) == (5, 5)


def test_empty_chain_verifies() -> None:
    assert verify().ok


def test_diogel_audit_verify_command(chain: list[AuditEntry], raw: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify"]) == 0
    assert "5 entries checked" in capsys.readouterr().out
    _sql(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = 3", "someone-else")
    assert main(["audit", "verify"]) == 1
    assert "entry 3 (edited)" in capsys.readouterr().out
    assert _verify is not None


def test_edited_value_is_found(chain: list[AuditEntry], raw: None) -> None:
    _sql(f"UPDATE {TABLE} SET detail = %s WHERE seq = 2", '{"section": "health"}')
    report = verify()
    assert (report.problem, report.seq) == (Problem.EDITED, 2)
    assert report.checked == 1


def test_edited_value_with_rewritten_hash_is_found(chain: list[AuditEntry], raw: None) -> None:
    """An attacker who recomputes the edited entry's own hash still breaks the next entry's link."""
    entry = AuditEntry.objects.get(seq=3)
    entry.after = {"date_of_birth": "1999-01-01"}
    from diogel.audit.chain import compute_hash

    _sql(
        f"UPDATE {TABLE} SET after = %s, hash = %s WHERE seq = 3",
        '{"date_of_birth": "1999-01-01"}',
        compute_hash(entry),
    )
    report = verify()
    assert (report.problem, report.seq) == (Problem.EDITED, 3)


def test_edited_actor_of_last_entry_with_rewritten_hash_is_found_by_the_head(
    chain: list[AuditEntry], raw: None
) -> None:
    entry = AuditEntry.objects.get(seq=5)
    entry.actor_label = "nobody"
    from diogel.audit.chain import compute_hash

    _sql(f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE seq = 5", "nobody", compute_hash(entry))
    report = verify()
    assert (report.problem, report.seq) == (Problem.EDITED, 5)


def test_removed_entry_is_found(chain: list[AuditEntry], raw: None) -> None:
    _sql(f"DELETE FROM {TABLE} WHERE seq = 3")
    report = verify()
    assert (report.problem, report.seq) == (Problem.REMOVED, 3)


def test_removed_first_entry_is_found(chain: list[AuditEntry], raw: None) -> None:
    _sql(f"DELETE FROM {TABLE} WHERE seq = 1")
    report = verify()
    assert (report.problem, report.seq) == (Problem.REMOVED, 1)


def test_removed_last_entry_is_found(chain: list[AuditEntry], raw: None) -> None:
    _sql(f"DELETE FROM {TABLE} WHERE seq = 5")
    report = verify()
    assert (report.problem, report.seq) == (Problem.REMOVED, 5)


def test_removed_and_renumbered_entries_are_found(chain: list[AuditEntry], raw: None) -> None:
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")
    for seq in (3, 4, 5):
        _sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", seq - 1, seq)
    report = verify()
    assert not report.ok
    assert report.seq in (1, 2)


def test_swapped_entries_are_found(chain: list[AuditEntry], raw: None) -> None:
    _sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = 3", 10**12)
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 4")
    _sql(f"UPDATE {TABLE} SET seq = 4 WHERE seq = %s", 10**12)
    report = verify()
    assert (report.problem, report.seq) == (Problem.REORDERED, 3)


def test_diogel_cannot_change_or_remove_entries(chain: list[AuditEntry]) -> None:
    entry = AuditEntry.objects.get(seq=2)
    entry.actor_label = "someone-else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).update(actor_label="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).delete()
    assert verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_refuses_update_and_delete_on_postgresql(chain: list[AuditEntry]) -> None:
    from django.db import DatabaseError

    for sql in (f"UPDATE {TABLE} SET actor_label = 'x' WHERE seq = 2", f"DELETE FROM {TABLE} WHERE seq = 2"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql(sql)
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(user: AbstractBaseUser) -> None:
    with pytest.raises(AssertionError, match="inside the caller's transaction"):
        audit.record(actor=user, event=AuditEvent.LOGIN)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_entry_vanishes_with_a_rolled_back_change(user: AbstractBaseUser) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=user, event=AuditEvent.RECORD_CHANGED)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()
    with transaction.atomic():
        entry = audit.record(actor=user, event=AuditEvent.RECORD_CHANGED)
    assert entry.seq == 1
    assert verify().ok
