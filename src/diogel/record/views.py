"""Pages of the child's record. Thin: they read through :mod:`.queries` and write through :mod:`.services`."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from diogel.access.errors import NotAllowedError
from diogel.audit.events import AuditEvent

from . import queries, services
from .chronology import Filters, flow_links
from .forms import ChronologyFilterForm, NoteEditForm, NoteForm, SearchForm

View = Callable[..., HttpResponse]


def error_list(form: Any, first_ids: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary, in the order of the form's fields."""
    anchors = first_ids or {}
    items = [("#" + anchors.get("__all__", "main"), str(e)) for e in form.non_field_errors()]
    for name in form.fields:
        for e in form.errors.get(name, []):
            items.append(("#" + anchors.get(name, f"id_{name}"), str(e)))
    return items


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q, dob = "", None
    if form.is_bound and form.is_valid():
        q, dob = form.cleaned_data["q"] or "", form.cleaned_data["dob"]
    page = queries.children_search(request.user, q=q, dob=dob, page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "record/search.html",
        {"form": form, "page": page, "query": query.urlencode(), "errors": error_list(form) if form.is_bound else []},
    )


@login_required
def child(request: HttpRequest, child_id: int) -> HttpResponse:
    overview = queries.child_overview(request.user, child_id)
    return render(request, "record/child.html", {"o": overview, "child": overview.child, "tab": "record"})


def _filter_form(request: HttpRequest, agencies: list[tuple[str, str]]) -> ChronologyFilterForm:
    return ChronologyFilterForm(request.GET or None, agencies=agencies)


def _filters(request: HttpRequest) -> tuple[Filters, ChronologyFilterForm]:
    # Agencies are not known before the timeline is built: accept any key, check it against the list after.
    form = _filter_form(request, [(request.GET.get("agency", ""), "")] if request.GET.get("agency") else [])
    if form.is_bound:
        form.is_valid()
        return form.filters(), form
    return Filters(), form


@login_required
def chronology(request: HttpRequest, child_id: int) -> HttpResponse:
    filters, form = _filters(request)
    child, sections, timeline = queries.child_chronology(request.user, child_id, filters)
    can_write = queries.can_write_notes(request.user, child, sections)
    form = _filter_form(request, timeline.agencies)
    if form.is_bound:
        form.is_valid()
    query = request.GET.urlencode()
    context = {
        "child": child,
        "form": form,
        "timeline": timeline,
        "query": query,
        "errors": error_list(form, {"type": "id_type_0"}) if form.is_bound else [],
        "printed_at": timezone.localtime(),
        "tab": "chronology",
        "can_write": can_write,
        "links": flow_links(child.pk, timeline.entries) if can_write else {},
    }
    template = "record/_chronology_body.html" if getattr(request, "htmx", False) else "record/chronology.html"
    return render(request, template, context)


_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + value if _FORMULA.match(value) else value


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "child"


@login_required
def chronology_csv(request: HttpRequest, child_id: int) -> HttpResponse:
    filters, _form = _filters(request)
    child, timeline = queries.chronology_export(request.user, child_id, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="chronology-{_safe_name(child.child_ref)}-{stamp}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8 (Welsh letters, dashes)
    writer = csv.writer(response)
    writer.writerow([_("Date"), _("Type of event"), _("Event"), _("Details"), _("Agency"), _("Recorded by")])
    for e in timeline.entries:
        writer.writerow(
            [e.on.isoformat(), e.type_label, _cell(e.title), _cell(e.detail), _cell(e.agency), _cell(e.author)]
        )
    return response


@login_required
def involved(request: HttpRequest, child_id: int) -> HttpResponse:
    data = queries.child_involved(request.user, child_id)
    return render(request, "record/involved.html", {"i": data, "child": data.child, "tab": "involved"})


@login_required
def access_log(request: HttpRequest, child_id: int) -> HttpResponse:
    child, page = queries.access_log(request.user, child_id, page=request.GET.get("page", 1))
    rows = [
        (
            e,
            AuditEvent(e.event).label,
            (e.detail or {}).get("section") or (e.detail or {}).get("view") or (e.detail or {}).get("what") or "",
        )
        for e in page
    ]
    return render(request, "record/access_log.html", {"child": child, "page": page, "rows": rows, "tab": "access"})


@login_required
def access_log_csv(request: HttpRequest, child_id: int) -> HttpResponse:
    child, entries = queries.access_log_export(request.user, child_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{_safe_name(child.child_ref)}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Time"), _("Who"), _("What"), _("Details")])
    for e in entries:
        detail = e.detail or {}
        what = detail.get("section") or detail.get("view") or detail.get("what") or ""
        writer.writerow(
            [
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                _cell(e.actor_label),
                str(AuditEvent(e.event).label),
                _cell(str(what)),
            ]
        )
    return response


# --- notes -----------------------------------------------------------------------------------------


def _note_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    form = context["form"]
    context.setdefault("errors", error_list(form) if form.is_bound else [])
    return render(request, template, context, status=status)


def _writable(request: HttpRequest, child_id: int) -> tuple[Any, Any]:
    """The child (its chronology open to the user, the look audited) and the user's draft; 403 for a reader."""
    child_obj, can_write, draft = queries.note_context(request.user, child_id)
    if not can_write:
        raise PermissionDenied(_("You can read this record but not write in it."))
    return child_obj, draft


@login_required
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, child_id: int) -> HttpResponse:
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.note_publish(
                    actor=request.user,
                    child_id=child_id,
                    occurred_on=form.cleaned_data["occurred_on"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            except NotAllowedError as e:
                raise PermissionDenied(str(e)) from None
            else:
                return redirect("record:chronology", child_id=child_id)
        child_obj, _draft = _writable(request, child_id)
        return _note_page(
            request, "record/note_form.html", {"form": form, "child": child_obj, "tab": "chronology"}, 400
        )
    child_obj, draft = _writable(request, child_id)
    initial = {"occurred_on": timezone.localdate()}
    if draft is not None:
        initial = {"occurred_on": draft.occurred_on, "text": draft.text}
    form = NoteForm(initial=initial)
    return _note_page(
        request, "record/note_form.html", {"form": form, "child": child_obj, "draft": draft, "tab": "chronology"}
    )


def _draft_status(request: HttpRequest, message: str, *, problem: bool = False, status: int = 200) -> HttpResponse:
    return render(request, "record/_draft_status.html", {"message": message, "problem": problem}, status=status)


@require_POST
def note_draft(request: HttpRequest, child_id: int) -> HttpResponse:
    """Autosave (HTMX, every few seconds): keeps the text; answers a line for the status area."""
    if not request.user.is_authenticated:
        # A 200 so HTMX shows it; the text stays in the page, and is saved when the person signs in again.
        return _draft_status(
            request,
            _(
                "You have been signed out, so this draft was not saved. Keep this page open, sign in again in another tab, and it will be saved."
            ),
            problem=True,
        )
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        draft = services.note_save_draft(
            actor=request.user,
            child_id=child_id,
            occurred_on=form.cleaned_data.get("occurred_on"),
            text=request.POST.get("text", ""),
        )
    except NotAllowedError as e:
        return _draft_status(request, str(e), problem=True, status=403)
    saved = date_format(timezone.localtime(draft.saved_at), "H:i")
    return _draft_status(request, _("Draft saved at %(time)s.") % {"time": saved})


@login_required
@require_POST
def note_draft_discard(request: HttpRequest, child_id: int) -> HttpResponse:
    try:
        services.note_discard_draft(actor=request.user, child_id=child_id)
    except NotAllowedError as e:
        raise PermissionDenied(str(e)) from None
    return redirect("record:note_new", child_id=child_id)


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, child_id: int, note_id: int) -> HttpResponse:
    try:
        child_obj, note = queries.note_for_edit(request.user, child_id, note_id)
    except NotAllowedError as e:
        raise PermissionDenied(str(e)) from None
    context: dict[str, Any] = {"child": child_obj, "note": note, "tab": "chronology"}
    if request.method == "POST":
        form = NoteEditForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                services.note_edit(
                    actor=request.user,
                    child_id=child_id,
                    note_id=note_id,
                    version=form.cleaned_data["version"],
                    occurred_on=form.cleaned_data["occurred_on"],
                    text=form.cleaned_data["text"],
                )
            except services.StaleEditError as e:
                # Keep what they typed; offer to save it over the new version once they have read the changes.
                data = request.POST.copy()
                data["version"] = str(e.note.version)
                context["form"] = NoteEditForm(data)
                context["form"].is_valid()
                context["stale"] = e
                context["errors"] = [("#stale", str(e))]
                return _note_page(request, "record/note_edit.html", context, 409)
            except ValidationError as e:
                form.add_error(None, e)
            except NotAllowedError as e:
                raise PermissionDenied(str(e)) from None
            else:
                return redirect("record:chronology", child_id=child_id)
        return _note_page(request, "record/note_edit.html", context, 400)
    context["form"] = NoteEditForm(
        initial={"occurred_on": note.occurred_on, "text": note.text, "version": note.version}
    )
    return _note_page(request, "record/note_edit.html", context)
