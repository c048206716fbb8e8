"""The performance pages per role: allowed and refused, suppression, pseudonyms, downloads, bad input, Welsh."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.performance import queries
from diogel.performance.models import ResultSet

from .conftest import AB, GW, SWANSEA, Stored

pytestmark = pytest.mark.django_db


def get(client: Client, url: str) -> tuple[int, str]:
    r = client.get(url)
    return r.status_code, r.content.decode()


@pytest.mark.parametrize(
    ("user", "la", "status"),
    [
        ("perf", AB, 200),
        ("perf", GW, 404),
        ("perf_granted", AB, 200),
        ("sw", AB, 200),
        ("manager", AB, 200),
        ("iro", AB, 200),
        ("admin", AB, 200),
        ("sw", GW, 404),
        ("board", AB, 200),  # North Wales
        ("board", GW, 200),
        ("board", SWANSEA, 404),  # Western Bay
        ("wg", AB, 200),
        ("wg", SWANSEA, 200),
        ("partner", AB, 404),
        ("inspector", AB, 404),
        ("nobody", AB, 404),
        ("revoked", AB, 404),
    ],
)
def test_la_page_per_role(stored: Stored, user: str, la: str, status: int) -> None:
    code, page = get(stored.client(user), f"/performance/la/{la}/?year=2009")
    assert code == status
    if status == 404:
        assert "Page not found" in page
        assert "Traceback" not in page


def test_anonymous_is_sent_to_sign_in(stored: Stored) -> None:
    r = Client().get(f"/performance/la/{AB}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_la_page_shows_every_indicator_with_wales_and_trend(stored: Stored) -> None:
    code, page = get(stored.client("perf"), f"/performance/la/{AB}/?year=2009")
    assert code == 200
    assert "Isle of Anglesey: performance in 2009-10" in page
    assert page.count('class="perf-card"') == 40
    assert "Child protection" in page and "Higher is better" in page
    assert 'class="spark"' in page and 'role="img"' in page
    assert "Figures computed on" in page
    assert "style=" not in page and "<script>" not in page


def test_suppression_for_aggregate_roles(stored: Stored) -> None:
    # AB had 3 referrals in 2009: shown to its own staff, suppressed for the board and the Welsh Government.
    own = queries.la_overview(stored.world.users["perf"], AB, 2009)
    board = queries.la_overview(stored.world.users["board"], AB, 2009)
    row = lambda o: next(r for _g, rows in o.groups for r in rows if r.indicator.id == "REFERRALS")  # noqa: E731
    assert row(own).la.numerator == 3 and not row(own).la.suppressed
    assert row(board).la.suppressed and row(board).la.value is None and row(board).la.numerator is None
    _code, page = get(stored.client("wg"), f"/performance/la/{AB}/?year=2009")
    assert "[c]" in page and "could identify a child" in page


def test_indicator_page_with_funnel_and_comparison(stored: Stored) -> None:
    code, page = get(stored.client("perf"), f"/performance/la/{AB}/REF_DECIDED_1WD/?year=2009")
    assert code == 200
    assert "The 22 local authorities in 2009-10" in page
    assert "Funnel plot" in page and "99.8%" in page
    assert page.count("<tr") >= 24  # 22 LAs + Wales + header
    assert "The children behind the number" in page
    # other LAs are comparisons: suppressed for small numbers even for the LA's own staff
    detail = queries.indicator_detail(stored.world.users["perf"], AB, "REF_DECIDED_1WD", 2009)
    assert next(c for c in detail.comparison if c.la == GW).cell.suppressed is False  # Gwynedd had 0 referrals
    assert next(c for c in detail.comparison if c.own).cell.denominator == 3


def test_no_funnel_for_counts_and_averages(stored: Stored) -> None:
    _code, page = get(stored.client("perf"), f"/performance/la/{AB}/REFERRALS/?year=2009")
    assert "No funnel plot" in page


def test_aggregate_roles_get_no_child_list(stored: Stored) -> None:
    for user in ("board", "wg", "admin"):
        page = get(stored.client(user), f"/performance/la/{AB}/REFERRALS/?year=2009")[1]
        assert "The children behind the number" not in page
        code, page = get(stored.client(user), f"/performance/la/{AB}/REFERRALS/children/?year=2009")
        assert code == 404
        code, _p = get(stored.client(user), f"/performance/la/{AB}/REFERRALS/children/download.csv?year=2009")
        assert code == 404


def test_child_list_identifiable_pseudonymised_and_sealed(stored: Stored) -> None:
    url = f"/performance/la/{AB}/REFERRALS/children/?year=2009"
    granted = queries.child_list(stored.world.users["perf_granted"], AB, "REFERRALS", 2009)
    assert sorted(u.child_label for u in granted.units) == ["C2", "C3"]  # C1 is sealed
    assert granted.hidden == 1 and all(u.child_id for u in granted.units)

    plain = queries.child_list(stored.world.users["perf"], AB, "REFERRALS", 2009)
    assert plain.pseudonymised and plain.hidden == 1
    assert all(u.pseudonymised and u.child_id is None and u.child_label.startswith("P-") for u in plain.units)
    page = get(stored.client("perf"), url)[1]
    assert "/children/" not in page.split("<main", 1)[1].split("download")[0] or 'href="/children/' not in page
    assert ">C2<" not in page and ">C3<" not in page

    sw = queries.child_list(stored.world.users["sw"], AB, "REFERRALS", 2009)
    assert [u.child_label for u in sw.units] == ["C2"] and sw.hidden == 2
    page = get(stored.client("sw"), url)[1]
    assert f'href="/children/{sw.units[0].child_id}/"' in page

    assert AuditEntry.objects.filter(event=AuditEvent.CHILD_LIST_VIEWED, actor_id=stored.world.users["sw"].pk).exists()


def test_htmx_child_list_is_a_fragment(stored: Stored) -> None:
    r = stored.client("perf_granted").get(
        f"/performance/la/{AB}/REFERRALS/children/?year=2009", headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    assert "<html" not in r.content.decode() and "units shown" in r.content.decode()


def test_national_view_only_for_the_welsh_government(stored: Stored) -> None:
    code, page = get(stored.client("wg"), "/performance/wales/?year=2009")
    assert code == 200 and "All local authorities, 2009-10" in page and "Merthyr Tydfil" in page
    assert "[c]" in page
    for user in ("perf", "board", "sw"):
        assert get(stored.client(user), "/performance/wales/")[0] == 404


def test_board_view_for_its_region_only(stored: Stored) -> None:
    code, page = get(stored.client("board"), "/performance/region/north-wales/?year=2009")
    assert code == 200
    assert "North Wales safeguarding board, 2009-10" in page
    assert "Agencies at initial child protection conferences" in page and "HEALTH" in page
    assert "Wrexham" in page and "Swansea" not in page
    assert get(stored.client("board"), "/performance/region/western-bay/")[0] == 404
    assert get(stored.client("perf"), "/performance/region/north-wales/")[0] == 404
    assert get(stored.client("wg"), "/performance/region/western-bay/")[0] == 200


def test_index_lists_what_the_role_may_open(stored: Stored) -> None:
    page = get(stored.client("wg"), "/performance/")[1]
    assert "All local authorities side by side" in page and "Cwm Taf" in page
    page = get(stored.client("partner"), "/performance/")[1]
    assert "Your role does not include the performance figures." in page


def test_bad_input_gives_a_clear_page(stored: Stored) -> None:
    c = stored.client("perf")
    code, page = get(c, f"/performance/la/{AB}/?year=1999")
    assert code == 404 and "There are no figures for the year you asked for." in page and "2009-10" in page
    code, page = get(c, f"/performance/la/{AB}/?year=abc")
    assert code == 404 and "Years with figures" in page
    code, page = get(c, f"/performance/la/{AB}/NO_SUCH_INDICATOR/")
    assert code == 404 and "Page not found" in page
    code, page = get(c, "/performance/la/XYZ/")
    assert code == 404 and "Page not found" in page
    assert get(c, "/performance/region/atlantis/")[0] == 404


def test_before_the_first_refresh(db: None) -> None:
    from access.world import build

    world = build()
    c = Client()
    c.force_login(world.users["perf"])  # type: ignore[arg-type]
    code, page = get(c, f"/performance/la/{AB}/")
    assert code == 404 and "have not been computed yet" in page
    assert not ResultSet.objects.exists()


def test_csv_download_is_audited(stored: Stored) -> None:
    r = stored.client("perf").get(f"/performance/la/{AB}/download.csv?year=2009")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert 'filename="performance-W06000001-2009.csv"' in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Group", "Indicator", "Code", "Title"]
    referrals = next(row for row in rows if row[1] == "REFERRALS")
    assert referrals[4] == "3.0"
    entry = AuditEntry.objects.filter(event=AuditEvent.DOWNLOAD).latest("seq")
    assert entry.detail is not None
    assert entry.actor_id == stored.world.users["perf"].pk
    assert entry.detail["format"] == "csv" and entry.detail["la"] == AB and entry.detail["year"] == 2009


def test_xlsx_download_has_a_definitions_sheet_and_suppression(stored: Stored) -> None:
    r = stored.client("wg").get(f"/performance/la/{AB}/REFERRALS/download.xlsx?year=2009")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Table", "Definitions"]
    table = list(wb["Table"].iter_rows(values_only=True))
    anglesey = next(row for row in table if row[0] == AB)
    assert anglesey[2:5] == ("[c]", "[c]", "[c]")
    defs = list(wb["Definitions"].iter_rows(values_only=True))
    assert defs[1][0] == "REFERRALS" and "REFERRAL_DATE" in defs[1][6]
    assert any(row[0] == "[c]" for row in defs if row)
    assert AuditEntry.objects.filter(event=AuditEvent.DOWNLOAD, actor_id=stored.world.users["wg"].pk).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/performance/wales/download.csv",
        "/performance/region/north-wales/download.xlsx",
        f"/performance/la/{AB}/REFERRALS/children/download.xlsx",
    ],
)
def test_every_table_downloads(stored: Stored, url: str) -> None:
    user = "perf_granted" if "children" in url else ("board" if "region" in url else "wg")
    r = stored.client(user).get(url + "?year=2009")
    assert r.status_code == 200
    assert AuditEntry.objects.filter(event=AuditEvent.DOWNLOAD, actor_id=stored.world.users[user].pk).exists()


def test_welsh_pages(stored: Stored) -> None:
    c = stored.client("perf")
    c.cookies["django_language"] = "cy"
    _code, page = get(c, f"/performance/la/{AB}/?year=2009")
    assert '<html lang="cy">' in page
    assert "Ynys Môn" in page and "Amddiffyn plant" in page and "Adroddiadau asiantaethau" in page
    assert "Higher is better" not in page and "Figures computed" not in page


def test_api_uses_the_same_scope(stored: Stored) -> None:
    r = stored.client("perf").get(f"/api/v1/performance/la/{AB}?year=2009")
    assert r.status_code == 200
    body = r.json()
    assert body["year"] == 2009 and len(body["results"]) == 40
    assert stored.client("perf").get(f"/api/v1/performance/la/{GW}").status_code == 404
    r = stored.client("board").get(f"/api/v1/performance/la/{AB}/REFERRALS?year=2009")
    anglesey = next(c for c in r.json()["comparison"] if c["la"] == AB)
    assert anglesey["cell"] == {"numerator": None, "denominator": None, "value": None, "suppressed": True}
