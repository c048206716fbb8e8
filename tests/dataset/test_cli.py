"""``diogel dataset``: exit codes, summary line, plain-line errors (no database needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diogel.cli import main

from .helpers import LA, with_rows, write_dataset


def test_validate_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "validate", str(write_dataset(tmp_path))]) == 0
    assert capsys.readouterr().out.strip() == "0 error(s), 0 warning(s)"


def test_validate_errors_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = write_dataset(tmp_path, with_rows("visits", f"{LA},C7,2009-05-01,LAC,Y"))
    assert main(["dataset", "validate", str(directory), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == 1 and out["by_rule"] == {"CSD-R001": 1}
    assert out["findings"][0]["row"] == 3


def test_validate_caps_printing_but_counts_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [f"{LA},C{i},2009-05-01,LAC,Y" for i in range(10, 15)]  # five unknown children
    directory = write_dataset(tmp_path, with_rows("visits", *rows))
    assert main(["dataset", "validate", str(directory), "--max-per-rule", "2"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("ERROR CSD-R001") for line in lines) == 2
    assert "… CSD-R001: 3 more not shown (5 in all)" in lines
    assert lines[-1] == "5 error(s), 0 warning(s)"


def test_missing_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "validate", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"diogel: error: the folder {tmp_path / 'nope'} does not exist\n"


def test_bad_la_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "from-ssda903", str(tmp_path), "--la", "X", "--out", str(tmp_path / "o")]) == 2
    assert "W06000024" in capsys.readouterr().err
