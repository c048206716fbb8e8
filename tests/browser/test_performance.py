"""The performance pages in a real browser: both languages, 360 px and desktop, axe-clean, no sideways scrolling,
charts drawn without any script or CDN, the child-level list opened through HTMX."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from playwright.sync_api import Page, expect
from tests.performance.conftest import AB, make_stored

from diogel.cases.models import LocalAuthority
from diogel.dataset import schema

pytestmark = pytest.mark.browser

LANGS = ["en", "cy"]
VIEWPORTS = ["desktop", "phone"]
Check = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]


@pytest.fixture
def stored(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DIOGEL_PERFORMANCE_AUTO_REFRESH", "0")
    from diogel.performance import queries

    queries.forget_current()
    # A transactional test flushes every table, the 22 LAs of the data migration included: put them back.
    for la in schema.local_authorities():
        LocalAuthority.objects.get_or_create(code=la.code, defaults={"name_en": la.name_en, "name_cy": la.name_cy})
    return make_stored()


def _open(page: Page, live_server: Any, lang: str, url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_la_page(
    page: Page, live_server: Any, stored: Any, login: Login, check_a11y: Check, check_reflow: Check, lang: str
) -> None:
    login(page, stored.world.users["perf"])
    _open(page, live_server, lang, f"/performance/la/{AB}/?year=2009")
    expect(page.locator("h1")).to_contain_text("Ynys Môn" if lang == "cy" else "Isle of Anglesey")
    expect(page.locator("svg.spark").first).to_be_visible()
    page.locator("details summary").first.click()
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_indicator_page_funnel_and_child_list(
    page: Page, live_server: Any, stored: Any, login: Login, check_a11y: Check, check_reflow: Check, lang: str
) -> None:
    login(page, stored.world.users["perf_granted"])
    _open(page, live_server, lang, f"/performance/la/{AB}/REF_DECIDED_1WD/?year=2009")
    expect(page.locator("svg.chart")).to_have_count(2)  # the trend and the funnel plot
    page.locator("#children-list a.perf-button").click()
    expect(page.locator("#children-list table")).to_be_visible()
    expect(page.locator("#children-list a[href^='/children/']").first).to_be_visible()
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_national_and_board_views(
    page: Page, live_server: Any, stored: Any, login: Login, check_a11y: Check, check_reflow: Check
) -> None:
    login(page, stored.world.users["wg"])
    _open(page, live_server, "en", "/performance/wales/?year=2009")
    expect(page.locator("h1")).to_contain_text("All local authorities")
    check_reflow(page)
    check_a11y(page)
    _open(page, live_server, "cy", "/performance/region/north-wales/?year=2009")
    expect(page.locator("h1")).to_contain_text("Gogledd Cymru")
    check_reflow(page)
    check_a11y(page)
