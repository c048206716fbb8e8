"""Findings: what the dataset validator (and the reader) tell a person about a dataset.

A :class:`Finding` names the file, the row (header = row 1; ``None`` for a
problem with the whole file), the column, a stable rule code (listed in
``docs/dataset.md``), the severity and one sentence a performance officer
understands. :class:`DatasetInvalid` is the :class:`~diogel.errors.UserError`
raised when a dataset with errors is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from diogel.errors import UserError

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Finding:
    """One thing noticed about a dataset.

    ``message`` is the whole line as a person reads it, location first, e.g.
    ``episodes.csv row 18 DEC: episode ends (2009-03-01) before it starts (2009-04-02)``.
    """

    file: str | None
    row: int | None
    column: str | None
    rule: str
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, str | int | None]:
        return asdict(self)

    def __str__(self) -> str:
        return self.message


def location(file: str | None, row: int | None, column: str | None) -> str:
    """The location prefix of a finding's message: ``episodes.csv row 18 DEC``."""
    parts = [file or "dataset"]
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(column)
    return " ".join(parts)


def make(file: str | None, row: int | None, column: str | None, rule: str, severity: Severity, text: str) -> Finding:
    """Build a finding whose message is ``<location>: <text>``."""
    return Finding(file, row, column, rule, severity, f"{location(file, row, column)}: {text}")


def errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


class DatasetInvalid(UserError):  # noqa: N818 (name given by the design)
    """The dataset has at least one error finding; nothing was loaded."""

    def __init__(self, directory: str, findings: Sequence[Finding]) -> None:
        self.findings: list[Finding] = list(findings)
        errs = errors(self.findings)
        first = errs[0].message if errs else "no details"
        more = f" (and {len(errs) - 1} more; run 'diogel dataset validate' to see them all)" if len(errs) > 1 else ""
        super().__init__(f"the dataset in {directory} has {len(errs)} error(s) and was not loaded: {first}{more}")
