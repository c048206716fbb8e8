"""The front door's pages: step 1 (search) and step 2 (the new child and the referral). Reads go through
:mod:`.queries`, the write through :func:`.services.new_child_referral` (via the form)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diogel.access.errors import NotAllowedError
from diogel.clock import today
from diogel.errors import UserError

from . import queries
from .forms import CHILD_FIELDS, SEX, NewChildForm, SearchForm, add_errors
from .services import NewChildReferral

SEX_LABELS = dict(SEX)


def _refused(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "recording/refused.html", {"message": message or str(queries.refused())}, status=403)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}
    return {"__all__": list(error.messages)}


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Step 1: is this child already known? (POST keeps the child's name out of addresses and logs.)"""
    if not queries.may_take_referrals(request.user):
        return _refused(request)
    las = queries.intake_las(request.user)
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = SearchForm(request.POST, las=las)
        if form.is_valid():
            try:
                context["matches"] = queries.find_matches(
                    request.user, form.criteria(), la_id=form.cleaned_data.get("la")
                )
            except NotAllowedError as e:
                return _refused(request, str(e))
            context["rows"] = [(child, SEX_LABELS.get(child.sex, "")) for child in context["matches"].visible]
            context["carry"] = [(n, form.data.get(n, "")) for n in ("la", *CHILD_FIELDS) if form.data.get(n)]
    else:
        form = SearchForm(las=las)
    context["form"] = form
    return render(request, "intake/search.html", context)


def _done(request: HttpRequest, result: NewChildReferral) -> HttpResponse:
    child, referral = result.child, result.referral
    if result.repeated:
        messages.info(request, _("This referral had already been saved: nothing was saved twice."))
    else:
        decide = reverse("recording:referral_decide", kwargs={"child_id": child.pk, "target_id": referral.pk})
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("New record created for this child (%(ref)s) and the referral recorded.") % {"ref": child.child_ref},
                decide,
                _("Next: record the decision on the referral (due within 1 working day)."),
            ),
        )
    return HttpResponseRedirect(reverse("record:child", kwargs={"child_id": child.pk}))


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Step 2: create the child and record the referral (prefilled from the search when it comes from there)."""
    if not queries.may_take_referrals(request.user):
        return _refused(request)
    las = queries.intake_las(request.user)
    initial: dict[str, Any] = {"token": uuid.uuid4().hex, "referral_date": today()}
    if request.method == "POST" and request.POST.get("prefill"):
        initial.update({n: request.POST[n] for n in ("la", *CHILD_FIELDS) if request.POST.get(n)})
        form = NewChildForm(initial=initial, las=las)
    elif request.method == "POST":
        form = NewChildForm(request.POST, las=las)
        if form.is_valid():
            try:
                return _done(request, form.save(actor=request.user))
            except ValidationError as e:
                add_errors(form, _errors(e))
            except NotAllowedError as e:
                return _refused(request, str(e))
            except UserError as e:
                form.add_error(None, str(e))
    else:
        form = NewChildForm(initial=initial, las=las)
    return render(request, "intake/new.html", {"form": form})
