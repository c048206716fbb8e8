"""The front door's two forms, used by the pages and, with the same validation, by the API.

:class:`SearchForm` ("Is this child already known?") and :class:`NewChildForm` ("Create the child and record
the referral"). The referral's fields are the referral flow's own (:class:`ReferralRecordForm`); the checks
that need more than one field are the service's (:func:`.services.check_child`, :func:`.services.new_child_referral`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diogel.cases.models import LocalAuthority
from diogel.clock import today
from diogel.dataset import schema
from diogel.recording.forms import ReferralRecordForm
from diogel.recording.services._common import Errors

from . import services
from .matching import Criteria
from .queries import User

SEX = [("1", _("Male")), ("2", _("Female")), ("9", _("Not known"))]
ETHNICITY = {
    "WBRI": _("White British"),
    "WIRI": _("White Irish"),
    "WIRT": _("Traveller of Irish heritage"),
    "WOTH": _("Any other White background"),
    "WROM": _("Gypsy or Roma"),
    "MWBC": _("White and Black Caribbean"),
    "MWBA": _("White and Black African"),
    "MWAS": _("White and Asian"),
    "MOTH": _("Any other mixed background"),
    "AIND": _("Indian"),
    "APKN": _("Pakistani"),
    "ABAN": _("Bangladeshi"),
    "AOTH": _("Any other Asian background"),
    "BCRB": _("Black Caribbean"),
    "BAFR": _("Black African"),
    "BOTH": _("Any other Black background"),
    "CHNE": _("Chinese"),
    "OOTH": _("Any other ethnic group"),
    "REFU": _("Refused to say"),
    "NOBT": _("Information not yet obtained"),
}
assert set(ETHNICITY) == set(schema.ETHNIC)
YES_NO = [("Y", _("Yes")), ("N", _("No"))]
CHILD_FIELDS = ("family_name", "given_name", "unborn", "date_of_birth", "sex")
REFERRAL_FIELDS = ("referral_date", "source", "primary_need")


def _name(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=100, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


def _date(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


def add_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Messages keyed by field onto ``form`` (those of fields it does not show at the top)."""
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class ChildForm(forms.Form):
    """Who the child is: the fields the search and the new record share, and the LA when the user has several."""

    family_name = _name(_("Family name"))
    given_name = _name(_("Given name"))
    unborn = forms.BooleanField(label=_("Not born yet (unborn child)"), required=False)
    date_of_birth = _date(_("Date of birth"), _("For an unborn child, the expected date of birth."))

    def __init__(self, *args: Any, las: list[LocalAuthority] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.las = las or []
        if len(self.las) > 1:
            self.fields["la"] = forms.TypedChoiceField(
                label=_("Local authority"),
                coerce=int,
                choices=[(la.pk, la.name_en) for la in self.las],
            )
            self.order_fields(["la"])

    def check_child(self) -> None:
        if self.errors:
            return
        errors = Errors()
        data = self.cleaned_data
        services.check_child(
            errors,
            family_name=data.get("family_name", ""),
            given_name=data.get("given_name", ""),
            date_of_birth=data.get("date_of_birth"),
            unborn=bool(data.get("unborn")),
            on=today(),
        )
        add_errors(self, errors.by_field)


class SearchForm(ChildForm):
    """Step 1: "Is this child already known?"."""

    approximate_age = forms.IntegerField(
        label=_("Approximate age in years"),
        help_text=_("Only if the date of birth is not known."),
        required=False,
        min_value=0,
        max_value=25,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX, required=False, widget=forms.RadioSelect)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age = data.get("approximate_age")
        if age is not None:
            if data.get("date_of_birth") is not None or data.get("unborn"):
                self.add_error("approximate_age", _("Give the date of birth or an approximate age, not both."))
            elif not (data.get("family_name", "").strip() or data.get("given_name", "").strip()):
                self.add_error("approximate_age", _("An approximate age alone is too little: enter a name too."))
        return data

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.errors:
            self.check_child()

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            family_name=data.get("family_name", "").strip(),
            given_name=data.get("given_name", "").strip(),
            date_of_birth=data.get("date_of_birth"),
            unborn=bool(data.get("unborn")),
            approximate_age=data.get("approximate_age"),
            sex=data.get("sex", ""),
        )


_referral = ReferralRecordForm.base_fields


class NewChildForm(ChildForm):
    """Step 2: "Create the child and record the referral"."""

    sex = forms.ChoiceField(label=_("Sex"), choices=SEX, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity (if known)"),
        choices=[("", _("Not known yet")), *((code, label) for code, label in ETHNICITY.items())],
        required=False,
    )
    upn = forms.CharField(
        label=_("Unique pupil number (if known)"),
        max_length=20,
        required=False,
        help_text=_("13 characters, for example A123456789012."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    disability = forms.TypedChoiceField(
        label=_("Is the child disabled?"),
        choices=YES_NO,
        coerce=lambda v: v == "Y",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    referral_date = _referral["referral_date"]
    source = _referral["source"]
    primary_need = _referral["primary_need"]
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def child_part(self) -> list[forms.BoundField]:
        names = [n for n in ("la", *CHILD_FIELDS, "ethnicity", "upn", "disability") if n in self.fields]
        return [self[n] for n in names]

    def referral_part(self) -> list[forms.BoundField]:
        return [self[n] for n in REFERRAL_FIELDS]

    def save(self, *, actor: User) -> services.NewChildReferral:
        data = dict(self.cleaned_data)
        data["la_id"] = data.pop("la", None)
        data["unborn"] = bool(data.get("unborn"))
        return services.new_child_referral(actor=actor, **data)
