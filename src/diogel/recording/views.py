"""The recording pages: one generic view for every flow (see :mod:`.flows`), the child's recording
page, and the thank-you page of the well-being questions. Reads go through :mod:`.queries` and
``get_child_for``; writes through the forms' services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from diogel.access.errors import NotAllowedError
from diogel.access.visibility import get_child_for, sections_for
from diogel.errors import UserError

from . import queries
from .flows import FLOWS, GROUPS, Flow
from .forms import RecordingForm
from .services._common import StaleEditError, may_record
from .services.corrections import KINDS, may_correct, recent_entries


def add_errors(form: RecordingForm, error: ValidationError) -> None:
    """Put a service's field-keyed messages on the form's fields (others at the top)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields and field not in form.special else None
        for e in errors:
            for message in e.messages:
                form.add_error(target, message)


def _next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


def _refused(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "recording/refused.html", {"message": message}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def flow_view(request: HttpRequest, child_id: int, flow: str, target_id: int | None = None) -> HttpResponse:
    spec: Flow = FLOWS[flow]
    child = get_child_for(request.user, child_id, section=spec.section)
    if not may_record(
        queries.roles_over(request.user, child),
        sections_for(request.user, child),
        section=spec.section,
        allowed=spec.allowed,
    ):
        return _refused(request)
    target = spec.target(child, target_id) if spec.target is not None else None
    hub = reverse("recording:child", kwargs={"child_id": child.pk})
    context: dict[str, Any] = {"flow": spec, "child": child, "target": target, "hub": hub}
    if spec.target is not None and target is None:
        context["missing"] = spec.missing
        return render(request, spec.template, context)
    conflict: StaleEditError | None = None
    if request.method == "POST":
        form = spec.form(request.POST, child=child, target=target)
        if form.is_valid():
            try:
                form.save(actor=request.user)
            except ValidationError as e:
                add_errors(form, e)
            except StaleEditError as e:
                conflict = e
                data: QueryDict = request.POST.copy()
                data["version"] = str(e.current)  # a deliberate second save, after reading the changes, goes through
                form = spec.form(data, child=child, target=target)
            except NotAllowedError as e:
                return _refused(request, str(e))
            except UserError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, str(spec.done))
                if spec.name == "wellbeing":
                    return HttpResponseRedirect(reverse("recording:wellbeing_thanks", kwargs={"child_id": child.pk}))
                return HttpResponseRedirect(_next(request, hub))
    else:
        form = spec.form(child=child, target=target)
        initial = form.defaults()
        initial.update({k: v for k, v in request.GET.items() if k in form.fields and k != "version"})
        form = spec.form(initial=initial, child=child, target=target)
    context.update(form=form, conflict=conflict, next=_next(request, ""))
    return render(request, spec.template, context)


@login_required
@require_GET
def child_view(request: HttpRequest, child_id: int) -> HttpResponse:
    """The child's recording page: what can be recorded, and the open records a flow continues."""
    child, sections = queries.child_for_recording(request.user, child_id)
    roles = queries.roles_over(request.user, child)
    allowed = {
        name for name, spec in FLOWS.items() if may_record(roles, sections, section=spec.section, allowed=spec.allowed)
    }
    items = queries.open_items(child)
    groups = [(title, [FLOWS[n] for n in names if n in allowed]) for title, names in GROUPS]
    return render(
        request,
        "recording/child.html",
        {
            "child": child,
            "groups": [(title, flows) for title, flows in groups if flows],
            "items": items,
            "allowed": allowed,
            "corrections": recent_entries(child, [k for k in KINDS.values() if may_correct(roles, sections, k)]),
        },
    )


@login_required
@require_GET
def wellbeing_thanks(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id, section=FLOWS["wellbeing"].section)
    return render(request, "recording/wellbeing_thanks.html", {"child": child})
