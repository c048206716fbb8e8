"""Frictionless Table Schemas and a Data Package descriptor, generated from :mod:`diogel.dataset.schema`.

``diogel dataset schemas DIR`` writes one ``<table>.json`` Table Schema per
table and a ``datapackage.json`` that names them, so that any Frictionless
tool can check a CSD folder. The committed copies live in ``docs/schemas/``;
a test fails when they differ from what this module generates. Output is
deterministic (code lists sorted, keys in a fixed order, ``\\n`` line ends).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from diogel.dataset.schema import TABLE_ORDER, TABLES, VERSION, Column, ColumnType, Table, la_codes
from diogel.dataset.validate import ERROR_KEYS
from diogel.errors import UserError

_TYPES = {
    ColumnType.STRING: "string",
    ColumnType.FLAG: "string",
    ColumnType.DATE: "date",
    ColumnType.INTEGER: "integer",
    ColumnType.NUMBER: "number",
}


def field(column: Column) -> dict[str, Any]:
    """The Table Schema field descriptor of one column."""
    out: dict[str, Any] = {"name": column.name, "type": _TYPES[column.type], "description": column.description}
    if column.type == ColumnType.DATE:
        out["format"] = "default"  # ISO YYYY-MM-DD
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.name == "LA":
        constraints["enum"] = sorted(la_codes())
    elif column.codes is not None:
        constraints["enum"] = sorted(column.codes)
    if column.pattern is not None:
        constraints["pattern"] = column.pattern
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of one CSD table."""
    out: dict[str, Any] = {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": table.name,
        "description": table.description,
        "fields": [field(c) for c in table.columns],
        "missingValues": [""],
    }
    key = ERROR_KEYS.get(table.name)
    if key is not None:
        out["primaryKey"] = ["LA", *key]
    foreign: list[dict[str, Any]] = []
    if table.has_child and table.name != "children":
        foreign.append({"fields": ["LA", "CHILD"], "reference": {"resource": "children", "fields": ["LA", "CHILD"]}})
    for ref in table.references:
        fields, target = ["LA", ref.column], ["LA", ref.key]
        if ref.same_child:
            fields, target = [*fields, "CHILD"], [*target, "CHILD"]
        foreign.append({"fields": fields, "reference": {"resource": ref.target, "fields": target}})
    if foreign:
        out["foreignKeys"] = foreign
    return out


def data_package() -> dict[str, Any]:
    """The Data Package descriptor of a CSD folder (CSV form)."""
    return {
        "profile": "tabular-data-package",
        "name": "childrens-services-dataset",
        "title": "Children's Services Dataset (CSD)",
        "version": VERSION,
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": TABLES[name].description,
                "schema": f"{name}.json",
            }
            for name in TABLE_ORDER
        ],
    }


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def render() -> dict[str, str]:
    """File name → text of every generated file."""
    files = {f"{name}.json": _dump(table_schema(TABLES[name])) for name in TABLE_ORDER}
    files["datapackage.json"] = _dump(data_package())
    return files


def write_schemas(directory: Path) -> list[Path]:
    """Write the Table Schemas and ``datapackage.json`` into ``directory``; return the paths written."""
    directory = Path(directory)
    written: list[Path] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in render().items():
            path = directory / name
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
    except OSError as exc:
        raise UserError(f"the schemas cannot be written to {directory} ({exc.strerror})") from exc
    return written
