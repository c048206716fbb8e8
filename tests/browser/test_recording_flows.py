"""Every recording flow, end to end in a real browser: in English on a desktop and in Welsh at 360 px.

Each flow's preconditions, the values to record and what the saved record must hold are declared once, in
``CASES`` of ``tests/recording/test_api_every_flow.py``; the API test sends them as JSON, this test types the
same values into the page as a person would: each field found by its label (in the page's language), a
choice by the words shown for it, never by CSS ids. Then it checks the confirmation message, the record in
the database (the same checks as the API test, so the page and the API save the same thing), that the form
page is axe-clean and does not scroll sideways at its width, and, in Welsh, that the title, every label,
hint and choice of the form and the confirmation are translated and no English code word (a referral's
source "POLICE", an assessment's type "INITIAL", a category "NEG") is shown as it is. The harness keeps a
screenshot of the page after saving; this test adds one of the filled form
(``test-artifacts/screenshots/test_flow_in_the_browser-<flow>-<lang>-<size>-form.png``).

``test_every_flow_is_covered_in_the_browser`` fails when a flow is added to ``FLOWS`` without a declaration
in ``CASES``, unless it is named, with the reason, in ``NOT_YET_IN_BROWSER_TESTS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from playwright.sync_api import Locator, Page, expect

from access.world import SYSTEM
from diogel.access import services
from diogel.access.roles import Role
from diogel.audit.models import AuditEntry
from diogel.cases.models import Allocation, Child, LocalAuthority, Referral, Team, Worker
from diogel.clock import today
from diogel.dataset import schema
from diogel.recording import labels
from diogel.recording.flows import FLOWS
from diogel.recording.forms import RecordingForm
from recording.test_api_every_flow import CASES, WRITES, Case

from .conftest import SCREENSHOTS
from .test_sign_in_and_home import switch_language

A11y = Callable[[Page], None]
Login = Callable[[Page, AbstractBaseUser], None]

#: Flows of FLOWS that have no browser test yet, each with the reason. Empty for the 22 flows of the first
#: release: a flow listed here is not proved to work in a browser.
NOT_YET_IN_BROWSER_TESTS: dict[str, str] = {}

#: The flows tested here: every declared flow not (yet) excused above.
BROWSER_FLOWS = [name for name in CASES if name not in NOT_YET_IN_BROWSER_TESTS]

#: Words the Welsh catalogue deliberately keeps as they are in English (its msgstr is the msgid).
SAME_IN_WELSH = frozenset({"Foyers"})

#: English on a desktop, Welsh on a 360 px phone.
RUNS = [("en", "desktop"), ("cy", "phone")]


def test_every_flow_is_covered_in_the_browser() -> None:
    missing = set(FLOWS) - set(BROWSER_FLOWS) - set(NOT_YET_IN_BROWSER_TESTS)
    assert not missing, (
        f"flows without a browser test: declare them in CASES of tests/recording/test_api_every_flow.py "
        f"(or, with a reason, in NOT_YET_IN_BROWSER_TESTS): {sorted(missing)}"
    )
    assert set(NOT_YET_IN_BROWSER_TESTS) <= set(FLOWS), "NOT_YET_IN_BROWSER_TESTS names flows that do not exist"
    assert not set(BROWSER_FLOWS) - set(FLOWS), "CASES names flows that do not exist"


class Typist:
    """Types a flow's values into its page as a person would: each field found by the label it has in the
    page's language (from the flow's own form, built in that language); in Welsh, notes any text met that is
    still in English."""

    def __init__(self, page: Page, form: RecordingForm, lang: str) -> None:
        self.page, self.form, self.lang = page, form, lang
        self.untranslated: list[str] = []

    def say(self, text: Any, *, code: str = "") -> str:
        """``text`` (a translatable string) as the page shows it; in Welsh, noted if it is still the English
        (unless it is a bare code, such as the SSDA903 codes shown as themselves)."""
        with translation.override(self.lang):
            shown = str(text)
        if self.lang != "en" and isinstance(text, Promise):
            with translation.override("en"):
                english = str(text)
            if shown == english and shown != code and shown not in SAME_IN_WELSH:
                self.untranslated.append(shown)
        return shown

    def t(self, literal: str) -> str:
        """A template's ``{% translate %}`` string as the page shows it."""
        return self.say(gettext_lazy(literal))

    def read_everything(self) -> None:
        """Every label, hint and choice the form shows, as the page shows them (noting any still in English)."""
        for name, field in self.form.fields.items():
            if field.widget.is_hidden:
                continue
            self.say(field.label, code=name)
            if field.help_text:
                self.say(field.help_text)
            for code, choice in getattr(field, "choices", ()):
                self.say(choice, code=str(code))

    def group(self, legend: Any) -> Locator:
        return self.page.get_by_role("group", name=self.say(legend), exact=True)

    def fill(self, body: dict[str, Any]) -> None:
        for name, value in body.items():
            if name == "version":
                continue  # hidden: the form carries the version the user saw
            if name == "invitations":  # the conference's table: one box "<agency>: <column>" per cell
                for inv in value:
                    agency = self.say(labels.AGENCY[inv["agency"]])
                    self.page.get_by_label(f"{agency}: {self.t('Invited')}", exact=True).check()
                    if inv.get("attended"):
                        self.page.get_by_label(f"{agency}: {self.t('Attended')}", exact=True).check()
                    if inv.get("report_provided"):
                        self.page.get_by_label(f"{agency}: {self.t('Sent a report')}", exact=True).check()
            elif name == "answers":  # the well-being questions: one group of answers per question
                for question, answer in value.items():
                    choice = self.say(labels.ANSWER[answer])
                    self.group(labels.QUESTION[question]).get_by_label(choice, exact=True).check()
            else:
                self.field(name, value)

    def field(self, name: str, value: Any) -> None:
        field = self.form.fields[name]
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            code = ("Y" if value else "N") if isinstance(value, bool) else str(value)
            choice = dict(field.choices)[code]  # type: ignore[attr-defined]
            self.group(field.label).get_by_label(self.say(choice, code=code), exact=True).check()
            return
        box = self.page.get_by_label(self.say(field.label), exact=True)
        if isinstance(widget, forms.CheckboxInput):
            box.set_checked(bool(value))
        elif isinstance(widget, forms.Select):
            code = str(value)
            choice = {str(k): v for k, v in field.choices}[code]  # type: ignore[attr-defined]
            box.select_option(label=self.say(choice, code=code))
        elif isinstance(widget, forms.DateInput):
            box.fill(date.fromisoformat(value).isoformat())  # what a date input holds, whatever the language
        elif isinstance(widget, forms.TextInput | forms.Textarea):
            box.fill(str(value))
        else:
            raise AssertionError(f"no way to type {value!r} into {name} ({type(widget).__name__})")


def _world(case: Case) -> tuple[AbstractBaseUser, Child, Model | None]:
    """Only what the flow needs (a transactional test starts from empty tables): one LA, the child, and the
    user who records, covering the child as in tests/access/world.py (a social worker the child is allocated
    to, the manager of that worker's team, or the IRO chairing the child's reviews), then the flow's
    preconditions."""
    on = today()
    known = {la.code: la for la in schema.local_authorities()}["W06000001"]
    la, _ = LocalAuthority.objects.get_or_create(code=known.code, defaults={"name_en": known.name_en,
                                                                          "name_cy": known.name_cy})  # fmt: skip
    child = Child.objects.create(la=la, child_ref=case.child)
    user = get_user_model().objects.create_user(case.user)
    if case.user in ("sw", "manager"):
        team = Team.objects.create(la=la, name="A1")
        worker = Worker.objects.create(la=la, worker_ref="SW1", team=team, user_id=user.pk)
        Allocation.objects.create(la=la, child=child, worker=worker, start_date=on - timedelta(days=30))
        if case.user == "sw":
            services.membership_grant(actor=SYSTEM, user=user, role=Role.SOCIAL_WORKER, la=la)
        else:  # the team manager of the child's worker's team
            services.membership_grant(actor=SYSTEM, user=user, role=Role.TEAM_MANAGER, la=la, team=team)
    elif case.user == "iro":
        services.membership_grant(actor=SYSTEM, user=user, role=Role.IRO, la=la)
        services.iro_assign(actor=SYSTEM, user=user, child=child, started_on=on - timedelta(days=5))
    else:
        raise AssertionError(f"{case.user!r}: add how this user covers the child to _world")
    return user, child, case.setup(child)


def _codes_shown_as_codes(page: Page, child: Child, prior: Model | None) -> list[str]:
    """English code words (a referral's source, an assessment's type, a registration's category) shown as
    they are in the page's text, where the page should show their words in the user's language."""
    codes = {r.source for r in Referral.objects.filter(child=child)}
    codes |= {str(getattr(prior, name, "")) for name in ("source", "assessment_type", "category")}
    text = page.locator("main").inner_text()
    return sorted(code for code in codes if code and re.search(rf"\b{re.escape(code)}\b", text))


def _saved(case: Case) -> Model:
    """The record the flow saved: the latest write audited of the type the flow answers with (the API test
    pins that type: the first of ``counted``). The world has one child, so it is about that child."""
    model = case.counted[0]
    entry = AuditEntry.objects.filter(object_type=model._meta.label_lower, event__in=WRITES).order_by("-seq").first()
    assert entry is not None, "nothing was saved"
    return model._default_manager.get(pk=entry.object_id)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "viewport"), RUNS)
@pytest.mark.parametrize("name", BROWSER_FLOWS)
def test_flow_in_the_browser(
    page: Page, name: str, lang: str, viewport: str, login: Login, check_a11y: A11y, check_reflow: A11y
) -> None:
    case, flow = CASES[name], FLOWS[name]
    user, child, prior = _world(case)
    target = flow.target(child, prior.pk if prior is not None else None) if flow.target is not None else None
    with translation.override(lang):  # choices built from the record (a referral's date) are in the page's language
        typist = Typist(page, flow.form(child=child, target=target), lang)

    login(page, user)
    page.goto(f"/record/children/{child.pk}/" + flow.path.replace("<int:target_id>", str(getattr(prior, "pk", ""))))
    if lang != "en":
        switch_language(page, lang)
    expect(page.locator("h1")).to_have_text(typist.say(flow.title))
    check_reflow(page)
    check_a11y(page)
    if lang != "en":
        typist.untranslated += _codes_shown_as_codes(page, child, prior)

    typist.read_everything()
    typist.fill(case.body(child, prior))
    shot = SCREENSHOTS / f"test_flow_in_the_browser-{name}-{lang}-{viewport}-form.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    button = typist.t("Send my answers" if name == "wellbeing" else "Save")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button, exact=True).click()

    expect(page.locator(".messages")).to_contain_text(typist.say(flow.done))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    case.saved(_saved(case), child, prior)
    assert not typist.untranslated, f"English on the Welsh page of {name}: {typist.untranslated}"
