"""The access pages' own Welsh catalogue is complete, current and compiled."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_translations import parse_po

APP = Path(__file__).resolve().parents[2] / "src" / "diogel" / "accessui"
PO = APP / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_compiled() -> None:
    entries, fuzzy = parse_po(PO.read_text("utf-8"))
    assert entries and fuzzy == []
    assert [msgid for (_, msgid), msgstr in entries.items() if not msgstr.strip()] == []
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert [msgid for (_, msgid), msgstr in entries.items() if compiled.gettext(msgid) != msgstr] == []


def test_catalogue_covers_every_string(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext is not installed")
    copy = tmp_path / "accessui"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "cy", "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "diogel.config.settings"},
    )
    fresh, _ = parse_po((copy / "locale" / "cy" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    ours, _ = parse_po(PO.read_text("utf-8"))
    assert sorted(set(fresh) - set(ours)) == []
