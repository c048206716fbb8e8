"""The sign-in and home pages in a real browser: both languages, desktop and 360 px, axe-clean, keyboard only.

Welsh wording is checked by the page tests (tests/web/); here Welsh means `lang="cy"` and a working page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

LANGS = ["en", "cy"]
VIEWPORTS = ["desktop", "phone"]
SWITCH_LABEL = {"cy": "Cymraeg", "en": "English"}  # the button names each language in itself

A11y = Callable[[Page], None]
Login = Callable[[Page, User], None]


def switch_language(page: Page, lang: str) -> None:
    """Press the language button (Django's set_language) and wait for the page to come back in `lang`."""
    button = page.get_by_role("button", name=SWITCH_LABEL[lang], exact=True)
    expect(button).to_have_attribute("lang", lang)
    with page.expect_navigation():
        button.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    other = "en" if lang == "cy" else "cy"
    expect(page.get_by_role("button", name=SWITCH_LABEL[other], exact=True)).to_have_attribute("lang", other)


def settle(page: Page) -> None:
    """Wait as a person would before pressing a key: until the page has loaded and any `autofocus` has taken
    effect (Chromium applies it a few frames after loading, so a key pressed at once would win the race)."""
    page.wait_for_load_state("load")
    page.wait_for_function("(el => !el || document.activeElement === el)(document.querySelector('[autofocus]'))")


def tab_to(page: Page, selector: str, most: int = 12) -> None:
    """Press Tab until `selector` has the focus (it may have it already), checking every stop shows its focus."""
    target = page.locator(selector)
    for _ in range(most):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
        assert focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
    expect(target).to_be_focused()


def focus_is_visible(page: Page) -> bool:
    """The focused element draws an outline (WCAG 2.4.7)."""
    return bool(page.evaluate("getComputedStyle(document.activeElement).outlineStyle !== 'none'"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_page(page: Page, lang: str, check_a11y: A11y, check_reflow: A11y) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if lang != "en":
        switch_language(page, lang)
    expect(page).to_have_url("/accounts/login/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    check_reflow(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_home_page(page: Page, lang: str, user: User, login: Login, check_a11y: A11y, check_reflow: A11y) -> None:
    login(page, user)
    page.goto("/")
    expect(page).to_have_url("/")
    if lang != "en":
        switch_language(page, lang)
        page.goto("/")  # the choice persists to the next page
        expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".site-header")).to_contain_text("sam.jones")
    expect(page.get_by_role("button", name=SWITCH_LABEL["cy" if lang == "en" else "en"], exact=True)).to_be_visible()
    check_reflow(page)
    check_a11y(page)


def test_welsh_chosen_before_sign_in_persists_after_it(page: Page, user: User) -> None:
    page.goto("/accounts/login/")
    switch_language(page, "cy")
    page.locator("#id_username").fill("sam.jones")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    expect(page).to_have_url("/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    switch_language(page, "en")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("where", ["sign-in", "home"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, where: str, user: User, login: Login
) -> None:
    if where == "home":
        login(page, user)
    page.goto("/" if where == "home" else "/accounts/login/")
    settle(page)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    # Checked at once, not retried: focus only moves when a key is pressed.
    assert skip.evaluate("el => el === document.activeElement"), page.evaluate("document.activeElement.outerHTML")
    expect(skip).to_be_in_viewport()
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert focus_is_visible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_sign_in_by_keyboard_only(page: Page, user: User) -> None:
    page.goto("/")  # the home page asks for sign-in first, and comes back after it
    expect(page).to_have_url("/accounts/login/?next=/")
    settle(page)
    keys = page.keyboard
    tab_to(page, "#id_username")
    keys.type("sam.jones")
    keys.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    assert focus_is_visible(page)
    keys.type(PASSWORD)
    keys.press("Tab")
    expect(page.locator("button.primary")).to_be_focused()
    assert focus_is_visible(page)
    with page.expect_navigation():
        keys.press("Enter")
    expect(page).to_have_url("/")
    expect(page.locator(".site-header")).to_contain_text("sam.jones")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_failed_sign_in_shows_one_error_summary_for_wrong_password_and_unknown_user(
    page: Page, user: User, check_a11y: A11y, check_reflow: A11y
) -> None:
    texts = []
    for username in ("sam.jones", "nobody.by.this.name"):
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill("not the password")
        with page.expect_navigation():
            page.locator("#id_password").press("Enter")
        expect(page).to_have_url("/accounts/login/")
        summary = page.locator(".error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_have_attribute("role", "alert")
        expect(summary).to_have_attribute("tabindex", "-1")
        summary.focus()
        expect(summary).to_be_focused()
        assert focus_is_visible(page)
        expect(page.locator("#id_username")).to_have_value(username)
        expect(page.locator("#id_password")).to_have_value("")
        check_reflow(page)
        check_a11y(page)
        texts.append(summary.inner_text())
    # The same words whether or not the account exists: no user enumeration.
    assert texts[0] == texts[1]
    assert "The username or password is not right." in texts[0]
