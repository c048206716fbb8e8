"""The dataset ⇄ database bridge: round trip, all-or-nothing, conflicts and clear refusals."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import polars as pl
import pytest
from django.utils import timezone
from polars.testing import assert_frame_equal

from diogel.cases import models as m
from diogel.dataset import db
from diogel.dataset.schema import TABLE_ORDER, TABLES
from diogel.errors import UserError

from .dataset import AB, GW, canonical, frame, typed_dataset

pytestmark = pytest.mark.django_db

# Every model a dataset import writes, children last so PROTECT allows deleting in this order.
_WRITTEN = (
    m.CPReview,
    m.Assessment,
    m.Allocation,
    m.ConferenceInvitation,
    m.ConferenceSubject,
    m.Conference,
    m.Registration,
    m.Referral,
    m.Episode,
    m.CarePlan,
    m.LookedAfterReview,
    m.SchoolChange,
    m.EducationOutcome,
    m.CareLeaverContact,
    m.Visit,
    m.FeedbackAnswer,
    m.PopulationEstimate,
    m.Worker,
    m.Child,
)


def _wipe() -> None:
    for model in _WRITTEN:
        model._default_manager.all().delete()


def _stored_rows() -> int:
    return sum(model._default_manager.count() for model in _WRITTEN)


def test_round_trip_equals_the_dataset_up_to_row_order() -> None:
    data = typed_dataset()
    db.import_dataset(data)
    out = db.export_dataset()
    assert list(out) == list(TABLE_ORDER)
    for name in TABLE_ORDER:
        # Same columns in schema order, same dtypes, same rows (blanks back as nulls, not "").
        assert out[name].columns == list(TABLES[name].column_names), name
        assert_frame_equal(canonical(out[name]), canonical(data[name]), check_dtypes=True)


def test_export_import_export_is_identical() -> None:
    db.import_dataset(typed_dataset())
    first = db.export_dataset()
    _wipe()
    assert db.database_is_empty()
    db.import_dataset(first)
    second = db.export_dataset()
    for name in TABLE_ORDER:
        # Identical including row order: export sorts by every column.
        assert_frame_equal(second[name], first[name], check_dtypes=True)


def test_summary_counts_rows_per_table_and_new_workers() -> None:
    data = typed_dataset()
    summary = db.import_dataset(data)
    assert summary.rows == {name: data[name].height for name in TABLE_ORDER}
    # SW7 in Anglesey (two children share it) and SW7 in Gwynedd: two workers, one per LA.
    assert summary.workers_created == 2
    assert m.Worker.objects.count() == 2
    assert summary.total == sum(f.height for f in data.values())


def test_links_point_at_the_right_rows() -> None:
    db.import_dataset(typed_dataset())
    # Anglesey's C1 and C2 were discussed at one conference K1, which has two invitations.
    k1 = m.Conference.objects.get(la__code=AB, conference_ref="K1")
    assert sorted(k1.subjects.values_list("child__child_ref", flat=True)) == ["C1", "C2"]
    assert sorted(k1.invitations.values_list("agency", flat=True)) == ["HEALTH", "POLICE"]
    # Both Anglesey allocations point at the one worker SW7 of Anglesey, not Gwynedd's SW7.
    sw7 = m.Worker.objects.get(la__code=AB, worker_ref="SW7")
    assert sw7.allocations.count() == 2
    # Assessment A2 points at referral R1 of the same child in the same LA.
    a2 = m.Assessment.objects.get(la__code=AB, assessment_ref="A2")
    assert (a2.referral.referral_ref, a2.referral.child_id, a2.referral.la.code) == ("R1", a2.child_id, AB)


def test_imported_rows_get_defaults_version_and_timestamps() -> None:
    # The fast insert path must fill the fields the dataset does not carry as bulk_create would.
    before = timezone.now()
    db.import_dataset(typed_dataset())
    after = timezone.now()
    child = m.Child.objects.get(la__code=AB, child_ref="C2")
    assert child.version == 1
    assert (child.given_name, child.family_name, child.ethnicity, child.upn) == ("", "", "", "")
    assert before <= child.created_at <= after
    assert child.updated_at == child.created_at
    worker = m.Worker.objects.get(la__code=GW, worker_ref="SW7")
    assert (worker.name, worker.active, worker.user_id, worker.team_id) == ("", True, None, None)
    assert m.Referral.objects.get(la__code=AB, referral_ref="R1").decided_by_id is None


def test_export_of_one_la() -> None:
    db.import_dataset(typed_dataset())
    out = db.export_dataset(la=GW)
    # Gwynedd has one child, one referral and two population years in the hand-made dataset.
    assert out["children"].get_column("CHILD").to_list() == ["C1"]
    assert out["referrals"].height == 1
    assert out["population"].get_column("YEAR").to_list() == [2009, 2010]
    assert set(out["feedback"].get_column("LA").to_list()) == {GW}


def test_export_of_an_unknown_la_is_a_user_error() -> None:
    with pytest.raises(UserError, match="W99999999"):
        db.export_dataset(la="W99999999")


def test_empty_database_exports_empty_typed_tables() -> None:
    assert db.database_is_empty()
    out = db.export_dataset()
    assert all(out[name].height == 0 for name in TABLE_ORDER)
    assert out["episodes"].schema["DECOM"] == pl.Date
    assert out["education_outcomes"].schema["POINTS"] == pl.Float64


def test_missing_tables_are_empty() -> None:
    data = typed_dataset()
    summary = db.import_dataset({"children": data["children"], "population": data["population"]})
    assert summary.rows["children"] == 4
    assert summary.rows["episodes"] == 0


def test_failure_halfway_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database refuses the last table after every other table has been written: all is rolled back."""
    data = typed_dataset()
    gwynedd = m.LocalAuthority.objects.get(code=GW)
    original = db._check_stored

    def check_then_store(tables: Mapping[str, pl.DataFrame], la_ids: Mapping[str, int]) -> None:
        # Runs inside the import's transaction, after its conflict check: Gwynedd's 2010 population
        # is stored now, so the import's own 2010 row (last table of all) hits the unique constraint.
        original(tables, la_ids)
        m.PopulationEstimate.objects.create(la=gwynedd, year=2010, age_0_17=1)

    monkeypatch.setattr(db, "_check_stored", check_then_store)
    with pytest.raises(UserError, match="nothing was imported"):
        db.import_dataset(data)
    # Children, referrals … episodes were written before population failed; nothing remains,
    # not even the row stored inside the transaction.
    assert _stored_rows() == 0


def test_a_child_already_stored_is_refused_naming_it() -> None:
    data = typed_dataset()
    db.import_dataset({"children": data["children"].filter(pl.col("CHILD") == "C3")})
    before = _stored_rows()
    with pytest.raises(UserError) as info:
        db.import_dataset(data)
    # C3 of Anglesey is the third row of children (row 4 counting the header).
    assert str(info.value) == f"children.csv row 4 CHILD: CHILD C3 of LA {AB} is already in the database."
    assert _stored_rows() == before


def test_a_stored_referral_id_is_refused() -> None:
    data = typed_dataset()
    db.import_dataset(data)
    more = {
        "children": frame("children", [(AB, "C9", None, None, None, None, None, None)]),
        "referrals": frame("referrals", [(AB, "C9", "R2", None, None, None, None, None, None)]),
    }
    with pytest.raises(UserError, match=r"referrals.csv row 2 REFERRAL_ID: REFERRAL_ID R2 of LA W06000001 is already"):
        db.import_dataset(more)


def test_known_sw_id_is_reused() -> None:
    data = typed_dataset()
    db.import_dataset(data)
    more = {
        "children": frame("children", [(AB, "C9", None, None, None, None, None, None)]),
        "social_worker_episodes": frame("social_worker_episodes", [(AB, "C9", "SW7", None, None)]),
    }
    summary = db.import_dataset(more)
    assert summary.workers_created == 0
    assert m.Worker.objects.get(la__code=AB, worker_ref="SW7").allocations.count() == 3


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        # An end before its start: the second episode row (CSV row 3) is made to cease before it began.
        (
            "episodes",
            lambda f: f.with_columns(
                pl.when(pl.col("REC") == "E8").then(pl.lit(date(2008, 12, 1))).otherwise(pl.col("DEC")).alias("DEC")
            ),
            "episodes.csv row 4 DEC: DEC (2008-12-01) is before DECOM (2009-01-01).",
        ),
        # A code not in its list.
        (
            "children",
            lambda f: f.with_columns(pl.col("SEX").replace("9", "3")),
            "children.csv row 4 SEX: '3' is not one of the codes of SEX.",
        ),
        # Overlap: Anglesey C1's first episode is left open, so the second begins inside it.
        (
            "episodes",
            lambda f: f.with_columns(pl.when(pl.col("REC") == "X1").then(None).otherwise(pl.col("DEC")).alias("DEC")),
            "episodes.csv row 3 DECOM: child C1's episode beginning 2010-08-01 overlaps the episode that began 2010-05-01.",
        ),
        # Two open registrations for Anglesey C1 (G1 loses its END_DATE).
        (
            "cp_registrations",
            lambda f: f.with_columns(
                pl.when((pl.col("LA") == AB) & (pl.col("REGISTRATION_ID") == "G1"))
                .then(None)
                .otherwise(pl.col("END_DATE"))
                .alias("END_DATE")
            ),
            "cp_registrations.csv row 3 END_DATE: child C1 of LA W06000001 has more than one open registration.",
        ),
        # An assessment pointing at another child's referral.
        (
            "assessments",
            lambda f: f.with_columns(pl.col("REFERRAL_ID").replace("R2", "R1")),
            "assessments.csv row 4 REFERRAL_ID: R1 belongs to child C1, not C2.",
        ),
        # A reference that does not resolve.
        (
            "cp_reviews",
            lambda f: f.with_columns(pl.col("REGISTRATION_ID").replace("G1", "G9")),
            "cp_reviews.csv row 2 REGISTRATION_ID: G9 is not in cp_registrations of LA W06000001.",
        ),
        # A row for a child not in children.
        (
            "visits",
            lambda f: f.with_columns(pl.col("CHILD").replace("C1", "C7")),
            "visits.csv row 2 CHILD: child C7 of LA W06000001 is not in children.",
        ),
        # A duplicate identifier within an LA (C1 exists in both LAs, which is fine; twice in one is not).
        (
            "children",
            lambda f: f.with_columns(pl.col("CHILD").replace("C2", "C1")),
            "children.csv row 3 CHILD: CHILD C1 appears more than once in LA W06000001.",
        ),
        # A key longer than the database can store.
        (
            "care_plans",
            lambda f: f.with_columns(pl.col("PLAN_ID").replace("P2", "P" * 65)),
            "care_plans.csv row 3 PLAN_ID: is longer than the 64 characters that can be stored.",
        ),
        # Values a database cannot hold faithfully (PostgreSQL refuses NUL; SQLite turns NaN into NULL).
        (
            "children",
            lambda f: f.with_columns(pl.col("UPN").replace("A123456789012", "A1\x00")),
            "children.csv row 2 UPN: contains a NUL character, which cannot be stored.",
        ),
        (
            "population",
            lambda f: f.with_columns(pl.col("AGE_0_17").replace(24100, 2**31)),
            "population.csv row 4 AGE_0_17: 2147483648 is too large a number to store.",
        ),
        (
            "education_outcomes",
            lambda f: f.with_columns(pl.col("POINTS").replace(212.5, float("nan"))),
            "education_outcomes.csv row 2 POINTS: nan is not a finite number.",
        ),
    ],
)
def test_bad_rows_are_refused_with_file_row_column_and_reason(
    table: str, change: Callable[[pl.DataFrame], pl.DataFrame], message: str
) -> None:
    data = typed_dataset()
    data[table] = change(data[table])
    with pytest.raises(UserError) as info:
        db.import_dataset(data)
    assert str(info.value) == message
    assert _stored_rows() == 0


def test_malformed_frames_are_refused() -> None:
    data = typed_dataset()
    bad_dtype = dict(data, children=data["children"].with_columns(pl.col("DOB").cast(pl.String)))
    with pytest.raises(UserError, match="children: column DOB holds String values where date values are expected"):
        db.import_dataset(bad_dtype)
    extra = dict(data, visits=data["visits"].with_columns(pl.lit("x").alias("VISITOR")))
    with pytest.raises(UserError, match="visits: column VISITOR is not part of the dataset standard"):
        db.import_dataset(extra)
    with pytest.raises(UserError, match="placements is not a table"):
        db.import_dataset(dict(data, placements=data["visits"]))


def test_an_import_is_one_audit_entry_in_its_own_transaction() -> None:
    from diogel.audit.events import AuditEvent
    from diogel.audit.models import AuditEntry

    data = typed_dataset()
    summary = db.import_dataset(data, actor="system:test-import")
    [entry] = AuditEntry.objects.filter(event=AuditEvent.DATASET_IMPORTED)
    assert entry.actor_label == "system:test-import"
    assert entry.detail["rows"] == summary.rows
    assert entry.detail["las"] == sorted(data["children"].get_column("LA").unique().to_list())


def test_a_refused_import_leaves_no_audit_entry() -> None:
    from diogel.audit.models import AuditEntry

    data = dict(typed_dataset())
    db.import_dataset(data)
    before = AuditEntry.objects.count()
    with pytest.raises(UserError):
        db.import_dataset(data)  # the same children again: refused, nothing stored
    assert AuditEntry.objects.count() == before
