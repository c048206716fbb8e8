"""Browser test harness: Debian's Chromium driven by Playwright against pytest-django's live server.

- One Chromium per test session (per xdist worker), launched from ``/usr/bin/chromium``;
  Playwright never downloads a browser.
- ``page``: a fresh browser context (no cookies) per test, on the live server, at the size named by
  the ``viewport`` fixture ("desktop" 1280×800 by default). Choose the size by parametrizing it:
  ``@pytest.mark.parametrize("viewport", ["desktop", "phone"])``.
  Every request that would leave the live server (a CDN, a web font) is blocked and fails the test.
  A screenshot of every test is saved as ``test-artifacts/screenshots/<test>-<lang>-<viewport>.png``.
- ``login(page, user)``: signs ``user`` in by giving the page a real session cookie (fast;
  the sign-in form itself is tested by keyboard in test_pages.py).
- ``check_a11y(page)``: runs axe-core (WCAG 2.0, 2.1, 2.2 A and AA rules) and fails with a readable
  list of violations. axe-core comes from npm (``scripts/setup-browser``, into ``var/node/``) and is
  injected as inline script text, never from a URL.
- ``check_reflow(page)``: no horizontal scrolling at the current width (WCAG 1.4.10).

Without Chromium or axe-core the browser tests are skipped, except when ``CI`` is set: then they fail.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, Page, Playwright, Request, Route, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SETUP_SCRIPT = REPO / "scripts" / "setup-browser"
AXE_JS = REPO / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

VIEWPORTS: dict[str, dict[str, int]] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
TIMEOUT_MS = 15_000  # generous: CI runs two workers on two cores
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

PASSWORD = "correct horse battery staple"  # the password of the `user` fixture


def _unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where a missing browser must never pass silently."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe.min.js, installing it with scripts/setup-browser --axe if it is missing."""
    if not AXE_JS.is_file() and shutil.which("npm"):
        AXE_JS.parents[2].mkdir(parents=True, exist_ok=True)
        # xdist workers share var/node/: one installs while the others wait.
        with (AXE_JS.parents[2] / ".install.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not AXE_JS.is_file():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    subprocess.run([str(SETUP_SCRIPT), "--axe"], check=False, timeout=300)
    if not AXE_JS.is_file():
        _unavailable(f"axe-core is not installed at {AXE_JS.relative_to(REPO)}: run scripts/setup-browser")
    return AXE_JS.read_text(encoding="utf-8")


class _Chromium:
    """The one Chromium of a run of consecutive browser tests (normally the whole session).

    Playwright's sync API leaves its asyncio loop marked as running in the test's thread while it is
    started, and Django then refuses ORM calls ("SynchronousOnlyOperation"). So Chromium is started by
    the first browser test, Django's check is relaxed (DJANGO_ALLOW_ASYNC_UNSAFE) only while it runs,
    and both are undone after the last browser test in a row (see pytest_runtest_teardown below):
    tests outside tests/browser/ never see either, also when xdist mixes them on one worker.
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.saved_env: str | None = None

    def get(self) -> Browser:
        if self.browser is None:
            if not os.access(CHROMIUM, os.X_OK):
                _unavailable(f"Chromium is not installed at {CHROMIUM}: run scripts/setup-browser")
            playwright = sync_playwright().start()
            self.playwright = playwright
            self.saved_env = os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"
            try:
                self.browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
            except BaseException:
                self.stop()
                raise
        return self.browser

    def stop(self) -> None:
        if self.playwright is None:
            return
        try:
            if self.browser is not None:
                self.browser.close()
            self.playwright.stop()
        finally:
            self.browser = self.playwright = None
            if self.saved_env is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self.saved_env


_CHROMIUM = _Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the fixtures of the last browser test in a row are torn down, stop Chromium."""
    try:
        return (yield)
    finally:
        if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
            _CHROMIUM.stop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _CHROMIUM.stop()


@pytest.fixture
def browser() -> Browser:
    """The shared headless Chromium (started once, see _Chromium)."""
    return _CHROMIUM.get()


@pytest.fixture
def viewport() -> str:
    """The size of `page`: "desktop" or "phone". Override with @pytest.mark.parametrize("viewport", [...])."""
    return "desktop"


def _screenshot_path(request: pytest.FixtureRequest, lang: str, viewport: str) -> Path:
    node = request.node
    params: dict[str, Any] = getattr(getattr(node, "callspec", None), "params", {})
    parts = [getattr(node, "originalname", node.name)]
    parts += [str(value) for key, value in params.items() if key not in {"viewport", "lang"}]
    parts += [str(params.get("lang") or lang or "none"), viewport]
    return SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(parts)) + ".png")


@pytest.fixture
def page(
    browser: Browser,
    live_server: Any,
    transactional_db: None,
    viewport: str,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A new page in a fresh context, on the live server, at `viewport` size; screenshot at the end."""
    phone = viewport == "phone"
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    # No CDN anywhere: anything not served by the app is blocked and reported.
    outside: list[str] = []

    def block(route: Route, req: Request) -> None:
        outside.append(req.url)
        route.abort("blockedbyclient")

    context.route(re.compile(r"^(?!" + re.escape(live_server.url) + r"/)"), block)
    problems: list[str] = []  # server errors, console errors (a CSP refusal, a missing file), uncaught exceptions
    tab = context.new_page()
    tab.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    try:
        yield tab
    finally:
        try:
            lang = str(tab.evaluate("document.documentElement.lang"))
        except Exception:
            lang = ""
        path = _screenshot_path(request, lang, viewport)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            tab.screenshot(path=str(path), full_page=True)
        finally:
            context.close()
    assert not outside, f"requests that left the app (no CDN, no internet): {outside}"
    assert not problems, "the page reported problems:\n" + "\n".join(problems)


@functools.cache
def _password_hash() -> str:
    # Hashed once per session with the real (Argon2) hasher: hashing costs a noticeable fraction of a second.
    return make_password(PASSWORD)


@pytest.fixture
def user(django_user_model: type[User]) -> User:
    """An ordinary (not staff) account, "sam.jones", password `PASSWORD`."""
    return django_user_model.objects.create(username="sam.jones", password=_password_hash())


@pytest.fixture
def login(live_server: Any) -> Callable[[Page, User], None]:
    """login(page, user): sign `user` in by giving the page's context a real session cookie."""

    def sign_in(page: Page, user: User) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "secure": bool(settings.SESSION_COOKIE_SECURE),
                    "sameSite": "Lax",
                }
            ]
        )

    return sign_in


def _format_violations(page: Page, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {page.url} (axe-core, {', '.join(WCAG_TAGS)}):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact') or 'n/a'}]: {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(str(t) for t in node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary}")
        lines.append(f"    see {v['helpUrl']}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(axe_source: str) -> Callable[[Page], None]:
    """check_a11y(page): fail with a readable list if axe-core finds any WCAG 2.x A/AA violation."""

    def check(page: Page) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
            # (script-src 'self') does not govern; add_script_tag(content=...) would be refused by it,
            # and bypassing the CSP for the whole context would hide the app's own CSP mistakes.
            page.evaluate(axe_source)
            assert page.evaluate("typeof window.axe !== 'undefined'"), "axe-core did not load"
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        violations = results["violations"]
        if violations:
            pytest.fail(_format_violations(page, violations), pytrace=False)

    return check


@pytest.fixture
def check_reflow() -> Callable[[Page], None]:
    """check_reflow(page): the page does not scroll sideways at its current width (WCAG 1.4.10)."""

    def check(page: Page) -> None:
        width = page.viewport_size["width"] if page.viewport_size else 0
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at a {width} px viewport"

    return check
