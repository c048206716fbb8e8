"""The record area's own Welsh catalogue is complete, not fuzzy, and compiled."""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "src" / "diogel" / "record" / "locale" / "cy" / "LC_MESSAGES" / "django.po"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_translations import parse_po  # noqa: E402


def test_record_catalogue_is_complete_and_compiled() -> None:
    entries, fuzzy = parse_po(PO.read_text("utf-8"))
    assert len(entries) > 100
    assert [k for k, v in entries.items() if not v.strip()] == []
    assert fuzzy == []
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert [msgid for (_c, msgid), v in entries.items() if compiled.gettext(msgid) != v] == []
