"""The forms of the access pages. Each marks its invalid fields (``aria-invalid``, ``aria-describedby``
pointing at the error and the hint) and lists its errors for the page's error summary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from diogel.access.models import SealedRecord
from diogel.access.roles import LA_ROLES, Role
from diogel.access.sections import Section
from diogel.access.services import BREAK_GLASS_HOURS
from diogel.dataset import schema

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a real date, for example 2025-03-31.")}
HOURS = (1, 2, 4, 8, 12, BREAK_GLASS_HOURS)
AGENCY_LABELS = {
    "HEALTH": _("health"),
    "POLICE": _("police"),
    "EDUCATION": _("education"),
    "YOUTH_JUSTICE": _("youth justice"),
    "PROBATION": _("probation"),
    "HOUSING": _("housing"),
    "OTHER": _("other"),
}


def agency_kind_label(kind: str) -> str:
    return str(AGENCY_LABELS.get(kind, kind))


class AccessibleForm(forms.Form):
    """Links hints and errors to their inputs, and gives the error summary its list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = " ".join(described)
                attrs["aria-invalid"] = "true"

    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for each error, in the order of the fields; form-wide errors first."""
        items: list[tuple[str, str]] = []
        visible = [name for name in self.fields if not self[name].is_hidden]
        anchor = self._anchor(visible[0]) if visible else "#main"
        items += [(anchor, str(e)) for e in self.non_field_errors()]
        for name in self.fields:
            items += [(self._anchor(name), str(e)) for e in self.errors.get(name, [])]
        return items

    def _anchor(self, name: str) -> str:
        """The first input of the field: a group of radios or checkboxes is anchored at its first one."""
        grouped = isinstance(self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        return f"#{self[name].auto_id}{'_0' if grouped else ''}"


class BreakGlassForm(AccessibleForm):
    la = forms.TypedChoiceField(label=_("Local authority"), coerce=int, choices=())
    child_ref = forms.CharField(
        label=_("Child's identifier"),
        max_length=64,
        help_text=_("The identifier your local authority gives the child (CHILD), exactly as recorded."),
        error_messages={"required": _("Enter the child's identifier.")},
    )
    reason = forms.CharField(
        label=_("Why you need the record now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Say what the emergency is. The manager who reviews this reads it."),
        error_messages={"required": _("Give the reason for emergency access.")},
    )
    hours = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        initial=BREAK_GLASS_HOURS,
        choices=(),
    )

    def __init__(self, *args: Any, las: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].choices = [  # type: ignore[attr-defined]
            (h, ngettext("%(hours)s hour", "%(hours)s hours", h) % {"hours": h}) for h in HOURS
        ]
        choices = list(las)
        self.fields["la"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.fields["la"].widget = forms.HiddenInput()
            self.fields["la"].initial = choices[0][0]

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for emergency access."))
        return reason


class ReviewForm(AccessibleForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("justified", _("Justified")), ("not_justified", _("Not justified: end the access now"))],
        error_messages={"required": _("Choose whether the emergency access was justified.")},
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What you checked, and any follow-up."),
        error_messages={"required": _("Write a note about your decision.")},
    )

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise forms.ValidationError(_("Write a note about your decision."))
        return note


ROLE_CHOICES = [(r.value, r.label) for r in Role if r in LA_ROLES]


class MembershipForm(AccessibleForm):
    user = forms.TypedChoiceField(
        label=_("Person"),
        coerce=int,
        choices=(),
        help_text=_("People who hold or held a role in your local authority, or are among its workers."),
        error_messages={"required": _("Choose a person.")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *ROLE_CHOICES],
        error_messages={"required": _("Choose a role.")},
    )
    team = forms.TypedChoiceField(
        label=_("Team (team managers)"), coerce=int, required=False, empty_value=None, choices=()
    )
    agency = forms.TypedChoiceField(
        label=_("Agency (partner-agency practitioners)"), coerce=int, required=False, empty_value=None, choices=()
    )
    identifiable = forms.BooleanField(
        label=_("May see children's names in child-level lists (performance officers)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        users: Iterable[tuple[int, str]] = (),
        teams: Iterable[tuple[int, str]] = (),
        agencies: Iterable[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Choose a person")), *users]  # type: ignore[attr-defined]
        self.fields["team"].choices = [("", _("No team")), *teams]  # type: ignore[attr-defined]
        self.fields["agency"].choices = [("", _("No agency")), *agencies]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == Role.TEAM_MANAGER and not data.get("team"):
            self.add_error("team", _("A team manager needs a team."))
        if role == Role.PARTNER and not data.get("agency"):
            self.add_error("agency", _("A partner-agency practitioner needs an agency."))
        return data


class AgreementForm(AccessibleForm):
    agency_kind = forms.ChoiceField(
        label=_("Kind of partner agency"),
        choices=(),
        error_messages={"required": _("Choose the kind of partner agency.")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Enter the purpose of the agreement.")},
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections of the record the agency may see"),
        widget=forms.CheckboxSelectMultiple,
        choices=Section.choices,
        error_messages={"required": _("Choose at least one section of the record.")},
    )
    starts_on = forms.DateField(
        label=_("In force from"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Enter the date the agreement comes into force.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Enter the date the agreement expires.")},
    )
    signed_for_la_by = forms.CharField(
        label=_("Signed for the local authority by"),
        max_length=150,
        error_messages={"required": _("Enter who signed for the local authority.")},
    )
    signed_for_agency_by = forms.CharField(
        label=_("Signed for the agency by"),
        max_length=150,
        error_messages={"required": _("Enter who signed for the agency.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(k, agency_kind_label(k)) for k in sorted(schema.AGENCY)]
        self.fields["agency_kind"].choices = [("", _("Choose a kind")), *kinds]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, expires = data.get("starts_on"), data.get("expires_on")
        if starts and expires and expires < starts:
            self.add_error("expires_on", _("The agreement must not expire before it starts."))
        for name in ("purpose", "signed_for_la_by", "signed_for_agency_by"):
            if name in data and not str(data[name]).strip():
                self.add_error(name, self.fields[name].error_messages["required"])
        return data


class InvolvementStartForm(AccessibleForm):
    child_ref = forms.CharField(
        label=_("Child's identifier"),
        max_length=64,
        error_messages={"required": _("Enter the child's identifier.")},
    )
    agency = forms.TypedChoiceField(
        label=_("Partner agency"), coerce=int, choices=(), error_messages={"required": _("Choose an agency.")}
    )
    started_on = forms.DateField(
        label=_("Involved from"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Enter the date the involvement started.")},
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, agencies: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Choose an agency")), *agencies]  # type: ignore[attr-defined]


class InvolvementEndForm(AccessibleForm):
    ended_on = forms.DateField(
        label=_("Ended on"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Enter the date the involvement ended.")},
    )


class SealForm(AccessibleForm):
    child_ref = forms.CharField(
        label=_("Child's identifier"),
        max_length=64,
        error_messages={"required": _("Enter the child's identifier.")},
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *SealedRecord.Reason.choices],
        error_messages={"required": _("Choose the reason for sealing.")},
    )
    named_users = forms.TypedMultipleChoiceField(
        label=_("People who may still see the record"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=(),
        help_text=_(
            "Everyone else loses access, the allocated worker included, and break-glass cannot open it. "
            "Sealing a record that is already sealed replaces the names."
        ),
    )
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, users: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_users"].choices = list(users)  # type: ignore[attr-defined]


class TwoFactorResetForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason for the reset"),
        help_text=_("For example: lost phone, new phone, app deleted. It is kept in the audit trail."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": _("Give the reason for the reset."),
            "max_length": _("Keep the reason to 500 characters or fewer."),
        },
    )
