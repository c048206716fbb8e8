"""Forms of the child's record: they parse what was typed; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .chronology import EventType, Filters
from .models import NOTE_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Enter a real date, for example 2024-03-27.")}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or identifier"),
        required=False,
        max_length=100,
        help_text=_("Given or family name, child identifier or unique pupil number."),
    )
    dob = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)


class ChronologyFilterForm(forms.Form):
    type = forms.MultipleChoiceField(
        label=_("Type of event"), required=False, choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("newest", _("newest first")), ("oldest", _("oldest first"))],
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("all agencies")), *agencies]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range must not be before its start."))
        return data

    def filters(self) -> Filters:
        """The filters asked for (only the fields that are valid)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return Filters(
            types=frozenset(data.get("type") or ()),
            agency=data.get("agency") or "",
            date_from=data.get("date_from") if "date_to" not in self.errors else None,
            date_to=data.get("date_to"),
            newest_first=(data.get("order") or "newest") == "newest",
        )


class NoteForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        help_text=_("The day of what the note records."),
    )
    text = forms.CharField(
        label=_("Note"),
        required=False,
        strip=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class NoteEditForm(NoteForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
