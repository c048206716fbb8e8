"""Welsh is shipped, complete and current.

- every message in the Welsh catalogue has a translation, none is marked fuzzy;
- the compiled catalogue (.mo) says what the source (.po) says;
- every translatable string in the code and templates is in the catalogue
  (checked by running Django's ``makemessages`` on a copy of the package).
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "diogel"
#: The package's own catalogue, and one per area that keeps its own (``<area>/locale``).
CATALOGUES = sorted(PACKAGE.glob("**/locale/cy/LC_MESSAGES/django.po"))
AREAS_WITH_OWN = sorted(p.parents[3] for p in CATALOGUES if p.parents[3] != PACKAGE)


def parse_po(text: str) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Return {(context, msgid): msgstr} and the msgids flagged fuzzy. Plural forms keep msgstr[0]."""
    entries: dict[tuple[str, str], str] = {}
    fuzzy: list[str] = []
    fields: dict[str, str] = {}
    flags = ""
    current: str | None = None

    def flush() -> None:
        nonlocal fields, flags
        if fields.get("msgid"):
            key = (fields.get("msgctxt", ""), fields["msgid"])
            entries[key] = fields.get("msgstr", fields.get("msgstr[0]", ""))
            if "fuzzy" in flags:
                fuzzy.append(fields["msgid"])
        fields, flags = {}, ""

    for line in [*text.splitlines(), ""]:
        if not line.strip():
            flush()
            current = None
        elif line.startswith("#,"):
            flags += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert current is not None
            fields[current] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current = key
            fields[key] = ast.literal_eval(value)
    return entries, fuzzy


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(PACKAGE)) for p in paths]


def test_the_package_catalogue_exists() -> None:
    assert PACKAGE / "locale" / "cy" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=_ids(CATALOGUES))
def test_every_welsh_message_is_translated(po: Path) -> None:
    entries, fuzzy = parse_po(po.read_text("utf-8"))
    assert entries, "the Welsh catalogue is empty"
    untranslated = [msgid for (_, msgid), msgstr in entries.items() if not msgstr.strip()]
    assert untranslated == [], f"messages without Welsh: {untranslated[:20]}"
    assert fuzzy == [], f"fuzzy (unchecked) translations: {fuzzy[:20]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=_ids(CATALOGUES))
def test_compiled_catalogue_matches_source(po: Path) -> None:
    entries, _ = parse_po(po.read_text("utf-8"))
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for (context, msgid), msgstr in entries.items():
        got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        if got != msgstr:
            stale.append(msgid)
    assert stale == [], f"{po.name} is stale against its .mo; run compilemessages. First: {stale[:10]}"


def _collect(root: Path, ignore: list[str]) -> dict[tuple[str, str], str]:
    """Run makemessages on a copy of ``root`` and return the catalogue it writes."""
    args = [sys.executable, "-m", "django", "makemessages", "-l", "cy", "--no-location", "--no-obsolete"]
    for pattern in ignore:
        args += ["--ignore", pattern]
    subprocess.run(
        args,
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "diogel.config.settings"},
    )
    fresh, _ = parse_po((root / "locale" / "cy" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    return fresh


@pytest.mark.parametrize("area", [PACKAGE, *AREAS_WITH_OWN], ids=["diogel", *(a.name for a in AREAS_WITH_OWN)])
def test_catalogue_covers_every_translatable_string(area: Path, tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext (gettext) is needed in CI to check the catalogues")
        pytest.skip("xgettext is not installed")
    copy = tmp_path / area.name
    shutil.copytree(area, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # The package catalogue holds every string outside the areas that keep their own.
    ignore = [f"{a.name}/*" for a in AREAS_WITH_OWN] if area == PACKAGE else []
    fresh = _collect(copy, ignore)
    shipped, _ = parse_po((area / "locale" / "cy" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    missing = sorted(key[1] for key in fresh.keys() - shipped.keys())
    assert missing == [], f"strings in {area.name} but not in its Welsh catalogue: {missing[:20]}"
