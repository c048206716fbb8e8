"""The allocation form: one per child card on the team view (prefixed by the child's id)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .queries import WorkerChoice


def grouped_choices(choices: Iterable[WorkerChoice]) -> list[tuple[str, Any]]:
    """Workers grouped by team, for ``<optgroup>``s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for c in choices:
        groups.setdefault(c.team_name, []).append((str(c.worker_id), c.name))
    return [("", _("Choose a worker")), *groups.items()]


class AllocationForm(forms.Form):
    child = forms.IntegerField(widget=forms.HiddenInput)
    allocation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    worker = forms.ChoiceField(label=_("Worker"), choices=())
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, for example 2025-03-31.")},
    )

    def __init__(self, *args: Any, choices: Iterable[WorkerChoice] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = grouped_choices(choices)  # type: ignore[attr-defined]
        self.fields["worker"].error_messages["required"] = _("Choose a worker.")
        self.fields["start"].error_messages["required"] = _("Enter the date the allocation starts.")
