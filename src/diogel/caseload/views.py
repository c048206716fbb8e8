"""The home page by role, and the allocation form of the team view.

Thin: every read is a query function of :mod:`.queries` (visibility applied,
audited) and every write a service of :mod:`.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diogel.errors import UserError
from diogel.timescales.from_models import today

from . import queries, services
from .forms import AllocationForm
from .queries import Card, HomeTab, Tab, TeamView


def _user(request: HttpRequest) -> Any:
    return request.user


def _pick(tabs: list[HomeTab], wanted: str | None) -> HomeTab | None:
    return next((t for t in tabs if t.param == wanted), tabs[0] if tabs else None)


def _admin_url() -> str:
    """The LA administrator's pages: roles, agreements, involvements, seals (``diogel.accessui``)."""
    return reverse("accessui:admin")


def _form(card: Card, team: TeamView, data: Any = None) -> AllocationForm:
    initial = {
        "child": card.child_id,
        "allocation": card.allocation_id,
        "version": card.allocation_version,
        "start": today(),
    }
    return AllocationForm(data, initial=initial, choices=team.choices, auto_id=f"id_c{card.child_id}_%s")


@dataclass(frozen=True)
class _Shown:
    """A field of an unbound allocation form, as ``caseload/_allocate_form.html`` reads it: its widget's HTML
    (``{{ form.start }}``), label, id and no errors."""

    html: SafeString
    id_for_label: str = ""
    label: str = ""
    html_name: str = ""
    errors: tuple[str, ...] = ()

    def __html__(self) -> SafeString:
        return self.html

    def __str__(self) -> str:
        return self.html


@dataclass(frozen=True)
class _ShownForm:
    """An unbound :class:`AllocationForm` for the team view's cards, without building one per card.

    The page shows one form per child (25 unallocated and every child of the team); a Django form per card and
    four widget templates each were a third of the page's cost. The HTML is the widgets' own (checked against
    a real form in ``tests/caseload``); a form that was posted and failed is a real :class:`AllocationForm`."""

    child: _Shown
    allocation: _Shown
    version: _Shown
    worker: _Shown
    start: _Shown
    errors: tuple[str, ...] = ()
    is_bound: bool = False


def _hidden(name: str, value: int | None, prefix: str) -> SafeString:
    if value is None:
        return format_html('<input type="hidden" name="{}" id="{}{}">', name, prefix, name)
    return format_html('<input type="hidden" name="{}" value="{}" id="{}{}">', name, value, prefix, name)


def _shown_forms(cards: tuple[Card, ...]) -> list[_ShownForm]:
    fields = AllocationForm.base_fields
    worker_label, start_label = str(fields["worker"].label), str(fields["start"].label)
    start = today().isoformat()
    forms = []
    for card in cards:
        prefix = f"id_c{card.child_id}_"
        forms.append(
            _ShownForm(
                child=_Shown(_hidden("child", card.child_id, prefix)),
                allocation=_Shown(_hidden("allocation", card.allocation_id, prefix)),
                version=_Shown(_hidden("version", card.allocation_version, prefix)),
                worker=_Shown(SafeString(), f"{prefix}worker", worker_label, "worker"),
                start=_Shown(
                    format_html('<input type="date" name="start" value="{}" required id="{}start">', start, prefix),
                    f"{prefix}start",
                    start_label,
                    "start",
                ),
            )
        )
    return forms


def _worker_options(team: TeamView) -> str:
    """The ``<option>``s of the worker select, rendered once for every card's form (the LA's workers)."""
    return (
        str(_form(Card(0, "", "", None, None, "", False, False, (), ""), team)["worker"])
        .split(">", 1)[1]
        .rsplit("</select>", 1)[0]
    )


def _team_context(
    request: HttpRequest,
    team_id: int,
    failed: AllocationForm | None = None,
    failed_child: int | None = None,
    page: Any = None,
) -> dict[str, Any]:
    team = queries.team_view(_user(request), team_id, page)

    def rows(cards: tuple[Card, ...]) -> list[tuple[Card, AllocationForm | _ShownForm]]:
        shown = _shown_forms(cards)
        return [
            (c, failed if failed is not None and c.child_id == failed_child else form)
            for c, form in zip(cards, shown, strict=True)
        ]

    return {
        "team": team,
        "unallocated_rows": rows(team.unallocated),
        "allocated_rows": rows(team.cards),
        "worker_options": mark_safe(_worker_options(team)),  # Django's own escaped widget output
        "team_url": f"{reverse('caseload:home')}?tab={Tab.TEAM}-{team.team_id}",
        "failed": failed,
    }


def _panel(request: HttpRequest, tab: HomeTab | None) -> dict[str, Any]:
    user = _user(request)
    if tab is None:
        return {}
    if tab.key == Tab.CASELOAD:
        cards = queries.my_caseload(user)
        return {
            "cards": cards,
            "overdue": sum(c.overdue for c in cards),
            "due_soon": sum(c.due_soon for c in cards),
        }
    if tab.key == Tab.TEAM and tab.team_id is not None:
        return _team_context(request, tab.team_id, page=request.GET.get("page"))
    if tab.key == Tab.IRO:
        return {"entries": queries.iro_schedule(user), "horizon_weeks": queries.IRO_HORIZON.days // 7}
    if tab.key == Tab.PARTNER:
        return {"cards": queries.partner_children(user)}
    if tab.key == Tab.INSPECTION:
        return {"cards": queries.inspection_sample(user)}
    if tab.key == Tab.PERFORMANCE:
        return {"performance_url": "/performance/"}
    if tab.key == Tab.ADMIN:
        return {"admin_url": _admin_url()}
    return {}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home: one tab per kind of work they do (caseload, team, reviews …)."""
    tabs = queries.home_tabs(_user(request))
    selected = _pick(tabs, request.GET.get("tab"))
    context = {"tabs": tabs, "selected": selected, "today": today(), **_panel(request, selected)}
    if request.htmx and selected is not None and selected.key == Tab.TEAM:  # type: ignore[attr-defined]
        return render(request, "caseload/_team.html", context)  # another page of the unallocated children
    return render(request, "caseload/home.html", context)


@login_required
@require_POST
def allocate(request: HttpRequest, team_id: int) -> HttpResponse:
    """Allocate (no ``allocation``) or reassign (with the current allocation's id and ``version``) one child."""
    user = _user(request)
    team = queries.managed_team(user, team_id)  # NotFound unless the user manages the team
    child_id = request.POST.get("child", "")
    form = AllocationForm(
        request.POST,
        choices=queries.worker_choices(team.la_id),
        auto_id=f"id_c{child_id if child_id.isdigit() else 'x'}_%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["allocation"] is None:
                services.allocation_assign(data["child"], data["worker"], actor=user, start=data["start"])
            else:
                services.allocation_reassign(
                    data["child"],
                    data["worker"],
                    actor=user,
                    start=data["start"],
                    allocation_id=data["allocation"],
                    expected_version=data["version"] if data["version"] is not None else -1,
                )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except UserError as e:
            form.add_error(None, str(e))
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("The allocation has been saved."))
                return redirect(f"{reverse('caseload:home')}?tab={Tab.TEAM}-{team.pk}")
            context = _team_context(request, team.pk, page=request.POST.get("page"))
            return render(request, "caseload/_team.html", {**context, "saved": True})
    failed_child = int(child_id) if child_id.isdigit() else None
    context = _team_context(request, team.pk, failed=form, failed_child=failed_child, page=request.POST.get("page"))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "caseload/_team.html", context)
    tabs = queries.home_tabs(user)
    selected = _pick(tabs, f"{Tab.TEAM}-{team.pk}")
    return render(request, "caseload/home.html", {"tabs": tabs, "selected": selected, "today": today(), **context})
