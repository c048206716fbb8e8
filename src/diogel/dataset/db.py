"""The bridge between the Children's Services Dataset and the case records in the database.

- :func:`import_dataset` stores a typed dataset (the frames of
  ``diogel.dataset.io.to_typed``) as case records, all or nothing, in one
  transaction, with ``bulk_create`` in batches.
- :func:`export_dataset` writes the case records back out as typed frames, the
  same columns and dtypes, rows sorted by every column.
- :func:`database_is_empty` says whether any child is stored yet.

How each dataset table maps onto the models is declared once, in
:data:`MAPPINGS`; ``docs/case-model.md`` explains it. A dataset is
self-contained: every (LA, CHILD) and every REFERRAL_ID, REGISTRATION_ID or
CONFERENCE_ID it refers to must be in the dataset itself, and none of its
children, identifiers or population years may already be stored (the import
refuses, naming the first conflict). Social workers (SW_ID) are the exception:
an SW_ID already known in the LA is reused, an unknown one becomes a new
:class:`~diogel.cases.models.Worker`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone

from diogel import audit
from diogel.audit.chain import SystemActor
from diogel.audit.events import AuditEvent
from diogel.cases import models as m
from diogel.dataset import schema
from diogel.dataset.schema import TABLE_ORDER, TABLES, ColumnType, Table
from diogel.errors import UserError

__all__ = ["MAPPINGS", "ImportSummary", "Link", "TableMap", "database_is_empty", "export_dataset", "import_dataset"]

BATCH = 5000  # rows per bulk_create call (Django splits further where SQLite needs it)

DTYPES: dict[ColumnType, type[pl.DataType]] = {
    ColumnType.DATE: pl.Date,
    ColumnType.INTEGER: pl.Int64,
    ColumnType.NUMBER: pl.Float64,
    ColumnType.STRING: pl.String,
    ColumnType.FLAG: pl.String,
}


@dataclass(frozen=True)
class Link:
    """A dataset column stored as a foreign key ``field``, found through the target's ``key`` field."""

    field: str
    key: str


LA = Link("la", "code")
CHILD = Link("child", "child_ref")


@dataclass(frozen=True)
class TableMap:
    """Where each column of one dataset table lives: a model field name, or a :class:`Link`."""

    table: str
    model: type[models.Model]
    columns: dict[str, str | Link]

    def path(self, column: str) -> str:
        """The ORM lookup that reads ``column`` back (``child__child_ref`` for CHILD)."""
        target = self.columns[column]
        return f"{target.field}__{target.key}" if isinstance(target, Link) else target


MAPPINGS: dict[str, TableMap] = {
    t.table: t
    for t in (
        TableMap(
            "children",
            m.Child,
            {
                "LA": LA,
                "CHILD": "child_ref",
                "SEX": "sex",
                "DOB": "date_of_birth",
                "ETHNIC": "ethnicity",
                "UPN": "upn",
                "DISABILITY": "disability",
                "DOD": "date_of_death",
            },
        ),
        TableMap(
            "referrals",
            m.Referral,
            {
                "LA": LA,
                "CHILD": CHILD,
                "REFERRAL_ID": "referral_ref",
                "REFERRAL_DATE": "referral_date",
                "SOURCE": "source",
                "DECISION_DATE": "decision_date",
                "DECISION": "decision",
                "PRIMARY_NEED": "primary_need",
                "CLOSURE_DATE": "closure_date",
            },
        ),
        TableMap(
            "assessments",
            m.Assessment,
            {
                "LA": LA,
                "CHILD": CHILD,
                "ASSESSMENT_ID": "assessment_ref",
                "REFERRAL_ID": Link("referral", "referral_ref"),
                "TYPE": "assessment_type",
                "START_DATE": "start_date",
                "COMPLETED_DATE": "completed_date",
                "SEEN": "seen",
                "SEEN_ALONE": "seen_alone",
            },
        ),
        TableMap(
            "cp_conferences",
            m.ConferenceSubject,
            {
                "LA": LA,
                "CHILD": CHILD,
                "CONFERENCE_ID": Link("conference", "conference_ref"),
                "TYPE": "conference_type",
                "STRATEGY_DATE": "strategy_date",
                "CONFERENCE_DATE": "conference_date",
                "OUTCOME": "outcome",
            },
        ),
        TableMap(
            "conference_agencies",
            m.ConferenceInvitation,
            {
                "LA": LA,
                "CONFERENCE_ID": Link("conference", "conference_ref"),
                "AGENCY": "agency",
                "ATTENDED": "attended",
                "REPORT_PROVIDED": "report_provided",
            },
        ),
        TableMap(
            "cp_registrations",
            m.Registration,
            {
                "LA": LA,
                "CHILD": CHILD,
                "REGISTRATION_ID": "registration_ref",
                "START_DATE": "start_date",
                "CATEGORY": "category",
                "FIRST_CORE_GROUP": "first_core_group",
                "END_DATE": "end_date",
            },
        ),
        TableMap(
            "cp_reviews",
            m.CPReview,
            {
                "LA": LA,
                "CHILD": CHILD,
                "REGISTRATION_ID": Link("registration", "registration_ref"),
                "REVIEW_DATE": "review_date",
            },
        ),
        TableMap(
            "episodes",
            m.Episode,
            {
                "LA": LA,
                "CHILD": CHILD,
                "DECOM": "decom",
                "RNE": "rne",
                "LS": "legal_status",
                "CIN": "cin",
                "PLACE": "placement",
                "PLACE_PROVIDER": "place_provider",
                "DEC": "dec",
                "REC": "rec",
                "REASON_PLACE_CHANGE": "reason_place_change",
                "HOME_POST": "home_post",
                "PL_POST": "pl_post",
                "URN": "urn",
            },
        ),
        TableMap(
            "care_plans",
            m.CarePlan,
            {
                "LA": LA,
                "CHILD": CHILD,
                "PLAN_ID": "plan_ref",
                "PLAN_TYPE": "plan_type",
                "START_DATE": "start_date",
                "END_DATE": "end_date",
            },
        ),
        TableMap(
            "lac_reviews",
            m.LookedAfterReview,
            {"LA": LA, "CHILD": CHILD, "REVIEW_DATE": "review_date", "REVIEW_CODE": "participation"},
        ),
        TableMap(
            "school_changes",
            m.SchoolChange,
            {"LA": LA, "CHILD": CHILD, "CHANGE_DATE": "change_date", "TRANSITIONAL": "transitional"},
        ),
        TableMap(
            "education_outcomes",
            m.EducationOutcome,
            {
                "LA": LA,
                "CHILD": CHILD,
                "ACADEMIC_YEAR": "academic_year",
                "POINTS": "points",
                "NO_QUALIFICATION": "no_qualification",
            },
        ),
        TableMap(
            "care_leavers",
            m.CareLeaverContact,
            {
                "LA": LA,
                "CHILD": CHILD,
                "BIRTHDAY_19": "birthday_19",
                "IN_TOUCH": "in_touch",
                "ACTIV": "activity",
                "ACCOM": "accommodation",
            },
        ),
        TableMap(
            "social_worker_episodes",
            m.Allocation,
            {
                "LA": LA,
                "CHILD": CHILD,
                "SW_ID": Link("worker", "worker_ref"),
                "SW_DECOM": "start_date",
                "SW_DEC": "end_date",
            },
        ),
        TableMap(
            "visits",
            m.Visit,
            {"LA": LA, "CHILD": CHILD, "VISIT_DATE": "visit_date", "TYPE": "visit_type", "SEEN_ALONE": "seen_alone"},
        ),
        TableMap(
            "feedback",
            m.FeedbackAnswer,
            {"LA": LA, "CHILD": CHILD, "RESPONSE_DATE": "response_date", "QUESTION": "question", "ANSWER": "answer"},
        ),
        TableMap("population", m.PopulationEstimate, {"LA": LA, "YEAR": "year", "AGE_0_17": "age_0_17"}),
    )
}

# Tables whose rows carry an identifier that must not already be stored: (dataset key columns, model, ORM paths).
_STORED_KEYS: tuple[tuple[str, tuple[str, ...], type[models.Model], tuple[str, ...]], ...] = (
    ("children", ("CHILD",), m.Child, ("child_ref",)),
    ("referrals", ("REFERRAL_ID",), m.Referral, ("referral_ref",)),
    ("assessments", ("ASSESSMENT_ID",), m.Assessment, ("assessment_ref",)),
    ("cp_conferences", ("CONFERENCE_ID",), m.Conference, ("conference_ref",)),
    ("cp_registrations", ("REGISTRATION_ID",), m.Registration, ("registration_ref",)),
    ("care_plans", ("PLAN_ID",), m.CarePlan, ("plan_ref",)),
    ("population", ("YEAR",), m.PopulationEstimate, ("year",)),
)

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # the range of a portable integer column

# "At most one open row per child": (table, end column, what an open row is called).
_ONE_OPEN = (("cp_registrations", "END_DATE", "open registration"), ("episodes", "DEC", "open episode"))


@dataclass
class ImportSummary:
    """What an import stored: rows per dataset table (every table, 0 when empty) and workers created."""

    rows: dict[str, int] = field(default_factory=dict)
    workers_created: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def __str__(self) -> str:
        parts = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n)
        return f"Imported {self.total} rows ({parts or 'none'})."


# --------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------


def _empty(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema={c.name: DTYPES[c.type] for c in table.columns})


def _conform(name: str, frame: pl.DataFrame | None) -> pl.DataFrame:
    """The frame with exactly the schema's columns, in order, of the typed dtypes; else a UserError."""
    table = TABLES[name]
    if frame is None:
        return _empty(table)
    unknown = [c for c in frame.columns if c not in table.column_names]
    if unknown:
        raise UserError(f"{name}: column {unknown[0]} is not part of the dataset standard.")
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise UserError(f"{name}: column {missing[0]} is missing.")
    out = []
    for col in table.columns:
        series = frame.get_column(col.name)
        want = DTYPES[col.type]
        if series.dtype == pl.Null:
            series = series.cast(want)
        elif series.dtype != want:
            raise UserError(
                f"{name}: column {col.name} holds {series.dtype} values where {col.type} values are expected."
            )
        out.append(series)
    return pl.DataFrame(out)


# --------------------------------------------------------------------------
# Checks on the dataset itself (the import never trusts that it was validated)
# --------------------------------------------------------------------------


def _where(name: str, frame: pl.DataFrame, mask: pl.Expr, column: str, why: Any) -> None:
    """Raise a UserError for the first row of ``frame`` where ``mask`` holds (rows numbered as in the CSV)."""
    hits = frame.with_row_index("_row").filter(mask)
    if hits.height:
        row = hits.row(0, named=True)
        reason = why(row) if callable(why) else why
        raise UserError(f"{name}.csv row {row['_row'] + 2} {column}: {reason}")


def _related(tmap: TableMap, link: Link) -> type[models.Model]:
    """The model a :class:`Link` column of ``tmap`` points at."""
    related = tmap.model._meta.get_field(link.field).related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    return related


def _max_length(model: type[models.Model], name: str) -> int | None:
    """The stored length limit of a text field of ``model`` (None when there is none)."""
    f = model._meta.get_field(name)
    return f.max_length if isinstance(f, models.Field) else None


def _check_values(name: str, frame: pl.DataFrame, tmap: TableMap) -> None:
    table = TABLES[name]
    las = sorted(schema.la_codes())
    _where(name, frame, pl.col("LA").is_null(), "LA", "is blank but is required.")
    _where(name, frame, ~pl.col("LA").is_in(las), "LA",
           lambda r: f"{r['LA']!r} is not the code of a Welsh local authority.")  # fmt: skip
    for col in table.columns:
        c = pl.col(col.name)
        if col.required:
            _where(name, frame, c.is_null(), col.name, "is blank but is required.")
        if col.codes is not None:
            codes = sorted(col.codes)
            _where(name, frame, c.is_not_null() & ~c.is_in(codes), col.name,
                   lambda r, n=col.name: f"{r[n]!r} is not one of the codes of {n}.")  # fmt: skip
        if col.pattern is not None:
            _where(name, frame, c.is_not_null() & ~c.str.contains(col.pattern), col.name,
                   lambda r, n=col.name: f"{r[n]!r} is not in the form required for {n}.")  # fmt: skip
        target = tmap.columns[col.name]
        if col.type is ColumnType.STRING and target is not LA:
            model, attr = (_related(tmap, target), target.key) if isinstance(target, Link) else (tmap.model, target)
            limit = _max_length(model, attr)
            if limit is not None:
                _where(name, frame, c.str.len_chars() > limit, col.name,
                       f"is longer than the {limit} characters that can be stored.")  # fmt: skip
        if DTYPES[col.type] == pl.String:
            _where(name, frame, c.str.contains("\x00", literal=True), col.name,
                   "contains a NUL character, which cannot be stored.")  # fmt: skip
        elif col.type is ColumnType.INTEGER:
            _where(name, frame, (c < _INT_MIN) | (c > _INT_MAX), col.name,
                   lambda r, n=col.name: f"{r[n]} is too large a number to store.")  # fmt: skip
        elif col.type is ColumnType.NUMBER:
            _where(name, frame, c.is_nan() | c.is_infinite(), col.name,
                   lambda r, n=col.name: f"{r[n]} is not a finite number.")  # fmt: skip
    for order in table.date_orders:
        _where(name, frame, pl.col(order.end) < pl.col(order.start), order.end,
               lambda r, o=order: f"{o.end} ({r[o.end]}) is before {o.start} ({r[o.start]}).")  # fmt: skip
    for key in table.unique:
        cols = ["LA", *key]
        _where(name, frame, ~pl.struct(cols).is_first_distinct(), key[0],
               lambda r, k=key: f"{', '.join(f'{c} {r[c]}' for c in k)} appears more than once in LA {r['LA']}.")  # fmt: skip


def _check_links(name: str, frame: pl.DataFrame, tables: Mapping[str, pl.DataFrame]) -> None:
    table = TABLES[name]
    indexed = frame.with_row_index("_row")
    if table.has_child and name != "children":
        children = tables["children"].select("LA", "CHILD").unique()
        orphans = indexed.filter(pl.col("CHILD").is_not_null()).join(children, on=["LA", "CHILD"], how="anti")
        if orphans.height:
            r = orphans.sort("_row").row(0, named=True)
            raise UserError(
                f"{name}.csv row {r['_row'] + 2} CHILD: child {r['CHILD']} of LA {r['LA']} is not in children."
            )
    for ref in table.references:
        target = tables[ref.target].select("LA", pl.col(ref.key).alias(ref.column), pl.col("CHILD").alias("_child"))
        target = target.unique(subset=["LA", ref.column], keep="first")
        joined = indexed.filter(pl.col(ref.column).is_not_null()).join(target, on=["LA", ref.column], how="left")
        bad = joined.filter(pl.col("_child").is_null())
        if bad.height:
            r = bad.sort("_row").row(0, named=True)
            raise UserError(
                f"{name}.csv row {r['_row'] + 2} {ref.column}: {r[ref.column]} is not in {ref.target} of LA {r['LA']}."
            )
        if ref.same_child:
            other = joined.filter(pl.col("_child") != pl.col("CHILD"))
            if other.height:
                r = other.sort("_row").row(0, named=True)
                raise UserError(
                    f"{name}.csv row {r['_row'] + 2} {ref.column}: {r[ref.column]} belongs to child {r['_child']}, not {r['CHILD']}."
                )


def _check_one_open(tables: Mapping[str, pl.DataFrame]) -> None:
    for name, end, what in _ONE_OPEN:
        key = pl.struct("LA", "CHILD")
        dup = tables[name].with_row_index("_row").filter(pl.col(end).is_null()).filter(~key.is_first_distinct())
        if dup.height:
            r = dup.row(0, named=True)
            raise UserError(
                f"{name}.csv row {r['_row'] + 2} {end}: child {r['CHILD']} of LA {r['LA']} has more than one {what}."
            )


def _check_overlaps(episodes: pl.DataFrame) -> None:
    """A child's episodes overlap when one begins before the one before it has ceased."""
    ordered = (
        episodes.with_row_index("_row")
        .filter(pl.col("DECOM").is_not_null())
        .sort("LA", "CHILD", "DECOM", pl.col("DEC").fill_null(pl.date(9999, 12, 31)))
        .with_columns(
            pl.col("DEC").shift(1).over("LA", "CHILD").alias("_prev_dec"),
            pl.col("DECOM").shift(1).over("LA", "CHILD").alias("_prev_decom"),
        )
    )
    bad = ordered.filter(
        pl.col("_prev_decom").is_not_null() & (pl.col("_prev_dec").is_null() | (pl.col("DECOM") < pl.col("_prev_dec")))
    )
    if bad.height:
        r = bad.sort("_row").row(0, named=True)
        raise UserError(
            f"episodes.csv row {r['_row'] + 2} DECOM: child {r['CHILD']}'s episode beginning {r['DECOM']} overlaps "
            f"the episode that began {r['_prev_decom']}."
        )


def _check_dataset(tables: Mapping[str, pl.DataFrame]) -> None:
    for name in TABLE_ORDER:
        _check_values(name, tables[name], MAPPINGS[name])
    for name in TABLE_ORDER:
        _check_links(name, tables[name], tables)
    _check_overlaps(tables["episodes"])
    _check_one_open(tables)


# --------------------------------------------------------------------------
# Conflicts with what is stored
# --------------------------------------------------------------------------


def _la_ids() -> dict[str, int]:
    return dict(m.LocalAuthority._default_manager.values_list("code", "id"))


def _check_stored(tables: Mapping[str, pl.DataFrame], la_ids: Mapping[str, int]) -> None:
    """Refuse a dataset that would add a child, identifier or population year already stored."""
    for name, key, model, paths in _STORED_KEYS:
        frame = tables[name]
        if frame.is_empty():
            continue
        las = frame.get_column("LA").unique().to_list()
        stored = list(model._default_manager.filter(la__code__in=las).values_list("la__code", *paths).order_by())
        if not stored:
            continue
        key_schema: dict[str, Any] = {"LA": pl.String, **{k: frame.schema[k] for k in key}}
        existing = pl.DataFrame(stored, schema=key_schema, orient="row")
        clash = frame.with_row_index("_row").join(existing, on=["LA", *key], how="semi")
        if clash.height:
            r = clash.sort("_row").row(0, named=True)
            what = ", ".join(f"{k} {r[k]}" for k in key)
            raise UserError(
                f"{name}.csv row {r['_row'] + 2} {key[0]}: {what} of LA {r['LA']} is already in the database."
            )


# --------------------------------------------------------------------------
# Storing
# --------------------------------------------------------------------------


def _keys(model: type[models.Model], key: str, la_ids: list[int]) -> pl.DataFrame:
    """(LA id, key, id) of the stored rows of ``model`` in those LAs: one query."""
    rows = list(model._default_manager.filter(la_id__in=la_ids).values_list("la_id", key, "id").order_by())
    return pl.DataFrame(rows, schema={"_la_id": pl.Int64, "_key": pl.String, "_id": pl.Int64}, orient="row")


def _resolve(tmap: TableMap, frame: pl.DataFrame, la_ids: Mapping[str, int]) -> pl.DataFrame:
    """Add ``<field>_id`` columns for every :class:`Link` column of the table."""
    ids = pl.DataFrame(
        {"LA": list(la_ids), "la_id": list(la_ids.values())}, schema={"LA": pl.String, "la_id": pl.Int64}
    )
    frame = frame.with_row_index("_row").join(ids, on="LA", how="left")
    wanted = frame.get_column("la_id").unique().to_list()
    for column, target in tmap.columns.items():
        if not isinstance(target, Link) or target is LA:
            continue
        keys = _keys(_related(tmap, target), target.key, wanted).rename(
            {"_la_id": "la_id", "_key": column, "_id": f"{target.field}_id"}
        )
        frame = frame.join(keys, on=["la_id", column], how="left")
        missing = frame.filter(pl.col(column).is_not_null() & pl.col(f"{target.field}_id").is_null())
        if missing.height:
            r = missing.sort("_row").row(0, named=True)
            raise UserError(f"{tmap.table}.csv row {r['_row'] + 2} {column}: {r[column]} is not known in LA {r['LA']}.")
    return frame.sort("_row")


def _columns_and_rows(tmap: TableMap, frame: pl.DataFrame) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Model attribute names and the value tuples of a resolved frame (blank strings stored as "")."""
    names: list[str] = []
    exprs: list[pl.Expr] = []
    for column, target in tmap.columns.items():
        if isinstance(target, Link):
            names.append(f"{target.field}_id")
            exprs.append(pl.col(f"{target.field}_id") if target is not LA else pl.col("la_id"))
        else:
            names.append(target)
            expr = pl.col(column)
            exprs.append(expr.fill_null("") if frame.schema[column] == pl.String else expr)
    return names, frame.select(exprs).iter_rows()


def _db_column(f: object) -> str:
    """The table column of a concrete model field."""
    column = getattr(f, "column", None)
    assert isinstance(column, str), f
    return column


def _insert(model: type[models.Model], names: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """Insert ``rows`` (values of the attributes ``names``): COPY on PostgreSQL, else batched prepared INSERTs.

    This is ``bulk_create`` without building a model instance and compiling
    SQL for every value, which is most of its cost: Django's own work per row
    is what made a Wales-sized import slow. Every other concrete field gets
    what ``bulk_create`` would give it: ``auto_now``/``auto_now_add`` the time
    of the import, the rest its default.
    """
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    now = timezone.now()
    columns = [_db_column(model._meta.get_field(n)) for n in names]
    extra_values: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in names:
            continue
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        columns.append(_db_column(f))
        extra_values.append(f.get_db_prep_save(value, connection))
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    extra = tuple(extra_values)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY is PostgreSQL's bulk load, many times faster than INSERTs
            copy_sql = "COPY {} ({}) FROM STDIN".format(qn(model._meta.db_table), ", ".join(qn(c) for c in columns))
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row + extra)
                    count += 1
            return count
        while batch := [row + extra for row in itertools.islice(rows, BATCH)]:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _bulk(model: type[models.Model], objects: Iterator[models.Model]) -> int:
    count = 0
    batch: list[models.Model] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH:
            model._default_manager.bulk_create(batch, batch_size=BATCH)
            count += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_create(batch, batch_size=BATCH)
        count += len(batch)
    return count


def _create_parents(name: str, frame: pl.DataFrame, la_ids: Mapping[str, int]) -> int:
    """Create the conferences (CONFERENCE_ID) and workers (SW_ID) that rows of ``name`` point at."""
    if name == "cp_conferences":
        model: type[models.Model] = m.Conference
        column, key = "CONFERENCE_ID", "conference_ref"
    elif name == "social_worker_episodes":
        model, column, key = m.Worker, "SW_ID", "worker_ref"
    else:
        return 0
    wanted = frame.select("LA", column).unique().sort("LA", column)
    stored = set(
        model._default_manager.filter(la__code__in=wanted.get_column("LA").unique().to_list()).values_list(
            "la__code", key
        )
    )
    new = [(la, ref) for la, ref in wanted.iter_rows() if (la, ref) not in stored]
    return _bulk(model, (model(la_id=la_ids[la], **{key: ref}) for la, ref in new))


def import_dataset(tables: Mapping[str, pl.DataFrame], *, actor: str = "system:import") -> ImportSummary:
    """Store a typed dataset as case records, all or nothing.

    ``actor`` names who imported; the import is one DATASET_IMPORTED entry of the audit trail, in the
    same transaction. The database's planner statistics are refreshed afterwards (ANALYZE).
    Raises :class:`UserError`, storing nothing, when a table is malformed, when
    the dataset breaks a rule the database relies on (blank key, unknown code,
    end before start, unresolved reference, overlapping episodes …) or when it
    conflicts with what is already stored.
    """
    unknown = sorted(set(tables) - set(TABLE_ORDER))
    if unknown:
        raise UserError(f"{unknown[0]} is not a table of the dataset standard.")
    frames = {name: _conform(name, tables.get(name)) for name in TABLE_ORDER}
    _check_dataset(frames)
    summary = ImportSummary()
    try:
        with transaction.atomic():
            la_ids = _la_ids()
            _check_stored(frames, la_ids)
            for name in TABLE_ORDER:
                frame = frames[name]
                tmap = MAPPINGS[name]
                if frame.is_empty():
                    summary.rows[name] = 0
                    continue
                created = _create_parents(name, frame, la_ids)
                if tmap.model is m.Allocation:
                    summary.workers_created = created
                resolved = _resolve(tmap, frame, la_ids)
                summary.rows[name] = _insert(tmap.model, *_columns_and_rows(tmap, resolved))
            audit.record(
                actor=SystemActor(actor.removeprefix("system:")),
                event=AuditEvent.DATASET_IMPORTED,
                detail={"rows": summary.rows, "las": sorted(frames["children"].get_column("LA").unique().to_list())},
            )
        # The planner's statistics must know about a bulk load, or PostgreSQL guesses badly for every query after it.
        with connections[router.db_for_write(m.Child)].cursor() as cursor:
            cursor.execute("ANALYZE")
    except DatabaseError as exc:  # a rule the checks above missed: refuse in one line, store nothing
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"The database refused the dataset, so nothing was imported: {reason}") from exc
    return summary


# --------------------------------------------------------------------------
# Reading back
# --------------------------------------------------------------------------


def _export_table(name: str, la: str | None) -> pl.DataFrame:
    table = TABLES[name]
    tmap = MAPPINGS[name]
    query = tmap.model._default_manager.all()
    if la is not None:
        query = query.filter(la__code=la)
    rows = list(query.values_list(*(tmap.path(c) for c in table.column_names)).order_by())
    frame_schema = {c.name: DTYPES[c.type] for c in table.columns}
    frame = pl.DataFrame(rows, schema=frame_schema, orient="row")
    blanks = [pl.col(c.name).replace("", None) for c in table.columns if DTYPES[c.type] == pl.String]
    frame = frame.with_columns(blanks)
    return frame.sort(frame.columns, nulls_last=False, maintain_order=True)


def export_dataset(*, la: str | None = None) -> dict[str, pl.DataFrame]:
    """Every table of the standard from the case records (of one LA when ``la`` is given), sorted by all columns."""
    if la is not None and la not in schema.la_codes():
        raise UserError(f"{la!r} is not the code of a Welsh local authority.")
    connection = connections[router.db_for_read(m.Child)]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=connection.alias):
        if outermost and connection.vendor == "postgresql":
            # Every table read from one snapshot, even while others write (SQLite's transaction is one already).
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return {name: _export_table(name, la) for name in TABLE_ORDER}


def database_is_empty() -> bool:
    """True when no child is stored yet."""
    return not m.Child._default_manager.exists()
