"""The correction pages: change an entry after it was saved (see :mod:`.services.corrections`).

The form has the fields of the entry's recording flow (the same labels, choices and checks), filled with
the saved values, plus the version the user opened and a reason. A stale save shows what changed since
and keeps what the user typed; a refused value shows its message on the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from diogel.access.errors import NotAllowedError
from diogel.access.visibility import get_child_for, sections_for
from diogel.cases.models import Child
from diogel.errors import UserError

from . import queries
from .flows import FLOWS
from .forms import form_data
from .services._common import Actor, StaleEditError
from .services.corrections import REASON_MAX, Kind, correct, kind_of, may_correct, saved_values
from .views import _next, _refused, add_errors


class CorrectionForm(forms.Form):
    """The entry's fields from its flow's form, the version the user opened, and why they are correcting it."""

    #: Nothing is rendered specially (``views.add_errors`` reads this).
    special: tuple[str, ...] = ()

    def __init__(self, *args: Any, kind: Kind, child: Child, target: Model, **kwargs: Any) -> None:
        self.kind, self.child, self.target = kind, child, target
        super().__init__(*args, **kwargs)
        flow_form = FLOWS[kind.flow].form(child=child, target=target)
        self.fields = {name: flow_form.fields[name] for name in kind.fields}
        self.fields["version"] = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
        self.fields["reason"] = forms.CharField(
            label=gettext_lazy("Why are you correcting this?"),
            max_length=REASON_MAX,
            widget=forms.Textarea,  # rendered by correct.html (hint and message described)
        )

    def initial_values(self) -> dict[str, Any]:
        """The saved values (as the form shows them) and the current version."""
        _obj, values = saved_values(self.child, self.kind.slug, self.target.pk)
        out = form_data(self, values)
        out["version"] = self.target.version  # type: ignore[attr-defined]
        return out

    def save(self, *, actor: Actor) -> Model:
        data = dict(self.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        saved: Model = correct(
            self.child, self.kind.slug, self.target.pk, actor=actor, version=version, reason=reason, **data
        )
        return saved


def entry_for(actor: Any, child_id: int, kind: str, target_id: int) -> tuple[Kind, Child, Model, bool]:
    """The kind, the child (through visibility, audited as viewed), the entry, and whether ``actor`` may
    correct it. NotFound for an unknown kind, a child not visible with the kind's section, or an entry
    that is not that child's."""
    spec = kind_of(kind)
    child = get_child_for(actor, child_id, section=spec.section)
    target, _values = saved_values(child, spec.slug, target_id)
    allowed = may_correct(queries.roles_over(actor, child), sections_for(actor, child), spec)
    return spec, child, target, allowed


@login_required
@require_http_methods(["GET", "POST"])
def correct_view(request: HttpRequest, child_id: int, kind: str, target_id: int) -> HttpResponse:
    spec, child, target, allowed = entry_for(request.user, child_id, kind, target_id)
    if not allowed:
        return _refused(request, _("You can read this record but you cannot correct it."))
    hub = reverse("recording:child", kwargs={"child_id": child.pk})
    conflict: StaleEditError | None = None
    if request.method == "POST":
        form = CorrectionForm(request.POST, kind=spec, child=child, target=target)
        if form.is_valid():
            try:
                form.save(actor=request.user)
            except ValidationError as e:
                add_errors(form, e)  # type: ignore[arg-type]
            except StaleEditError as e:
                conflict = e
                data: QueryDict = request.POST.copy()
                data["version"] = str(e.current)  # a deliberate second save, after reading the changes, goes through
                form = CorrectionForm(data, kind=spec, child=child, target=target)
            except NotAllowedError as e:
                return _refused(request, str(e))
            except UserError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Correction saved: %(what)s.") % {"what": spec.label})
                return HttpResponseRedirect(_next(request, hub))
    else:
        blank = CorrectionForm(kind=spec, child=child, target=target)
        form = CorrectionForm(initial=blank.initial_values(), kind=spec, child=child, target=target)
    context = {
        "kind": spec,
        "child": child,
        "target": target,
        "when": getattr(target, spec.date_field),
        "hub": hub,
        "form": form,
        "conflict": conflict,
        "next": _next(request, ""),
    }
    return render(request, "recording/correct.html", context)
