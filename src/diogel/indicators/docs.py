"""Generates ``docs/indicators/<ID>.md`` and the index from the registry.

The pages are never edited by hand: ``python -m diogel.indicators.docs DIR``
rewrites them, and a test fails when the files in the repository differ from
what :func:`pages` produces (so the docs cannot go stale). ``README.md`` in the
same folder (the readings of the spec) is hand-written and not touched.
"""

from __future__ import annotations

import sys
from pathlib import Path

from diogel.indicators.registry import REGISTRY, Group, Indicator

INDEX = "index.md"
_GENERATED = "<!-- Generated from src/diogel/indicators/registry.py by diogel.indicators.docs; do not edit. -->"


def page(ind: Indicator) -> str:
    """The Markdown page of one indicator."""
    code = ind.code or "—"
    return (
        f"{_GENERATED}\n\n"
        f"# {ind.id}: {ind.title_en}\n\n"
        f"*{ind.title_cy}*\n\n"
        f"{ind.description_en}\n\n"
        f"*{ind.description_cy}*\n\n"
        "| | |\n|---|---|\n"
        f"| Legacy code | {code} |\n"
        f"| Group | {ind.group.value} / {ind.group.welsh} |\n"
        f"| Kind | {ind.kind.value} |\n"
        f"| Better | {ind.better.value} |\n"
        f"| Unit | {ind.unit.value} |\n\n"
        "## Definition (indicators.md, version 1)\n\n"
        f"{ind.definition}\n\n"
        "## Check a number\n\n"
        "```\n"
        f"diogel indicators --dataset DIR --year 2008 --indicator {ind.id} --la W06000015 --children\n"
        "```\n\n"
        "lists every unit in the denominator, whether it is in the numerator, and why. "
        "See [the readings of the spec](README.md#readings-of-the-spec) for the points the spec leaves open.\n"
    )


def index() -> str:
    """The index page: every indicator by group, with links."""
    lines = [
        _GENERATED,
        "",
        "# Indicators / Dangosyddion",
        "",
        "Every indicator of `shared/spec/indicators.md`, by group. Readings of the spec: [README](README.md).",
    ]
    for group in Group:
        lines += [
            "",
            f"## {group.value} / {group.welsh}",
            "",
            "| id | code | title | teitl | kind | better |",
            "|---|---|---|---|---|---|",
        ]
        for ind in REGISTRY:
            if ind.group is group:
                lines.append(
                    f"| [{ind.id}]({ind.id}.md) | {ind.code or '—'} | {ind.title_en} | {ind.title_cy} "
                    f"| {ind.kind.value} | {ind.better.value} |"
                )
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """File name → content of every generated page."""
    out = {f"{ind.id}.md": page(ind) for ind in REGISTRY}
    out[INDEX] = index()
    return out


def stale(directory: Path) -> list[str]:
    """The generated files in ``directory`` that are missing or differ from the registry."""
    return [
        name
        for name, text in pages().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text
    ]


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (directory / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/indicators"))
