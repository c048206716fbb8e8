"""The Frictionless Table Schemas committed in docs/schemas are what schema.py generates today."""

from __future__ import annotations

from pathlib import Path

from diogel.dataset.frictionless import render, table_schema, write_schemas
from diogel.dataset.schema import TABLES

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in COMMITTED.glob("*.json")}
    assert committed == generated, "docs/schemas is stale: run 'diogel dataset schemas docs/schemas'"


def test_keys_and_constraints() -> None:
    assessments = table_schema(TABLES["assessments"])
    assert assessments["primaryKey"] == ["LA", "ASSESSMENT_ID"]
    assert {
        "fields": ["LA", "REFERRAL_ID", "CHILD"],
        "reference": {"resource": "referrals", "fields": ["LA", "REFERRAL_ID", "CHILD"]},
    } in assessments["foreignKeys"]
    la = assessments["fields"][0]
    assert la["constraints"]["required"] is True and len(la["constraints"]["enum"]) == 22
    # Deterministic: two renders are identical.
    assert render() == render()
