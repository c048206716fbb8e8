"""The forms of the recording flows, used by the pages and, with the same validation, by the API.

Each form knows its defaults (:meth:`RecordingForm.defaults`, "fewest fields, sensible defaults") and
saves through its service (:meth:`RecordingForm.save`); the service does the checks that need the record
(dates in order, overlaps, double registration) and raises field-keyed ``ValidationError``s.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from diogel.cases.models import Child, PermanencePlan
from diogel.clock import today
from diogel.dataset import schema

from . import labels, queries, services
from .services._common import Actor
from .services.health import PRACTICE_LENGTH, placements_of
from .services.iro import current_iro, iros_of, name_of
from .services.leaving_care import ACCOMMODATION_TYPES
from .services.plans import SUMMARY_LENGTH
from .services.visits import default_visit_type
from .services.voice import QUESTIONS

YES_NO = [("Y", _("Yes")), ("N", _("No"))]


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


def _yes_no(label: Any, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "Y",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


def _radio(label: Any, choices: list[tuple[str, Any]], *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=required, widget=forms.RadioSelect)


def _select(label: Any, choices: list[tuple[str, Any]], *, required: bool = True, blank: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", blank or _("Choose…")), *choices], required=required, widget=forms.Select
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class RecordingForm(forms.Form):
    """A flow's form: ``child`` is the child being recorded about, ``target`` the record edited (if any)."""

    #: Field names that are not shown as ordinary fields (rendered by the flow's own template).
    special: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, child: Child, target: Model | None = None, **kwargs: Any) -> None:
        self.child, self.target = child, target
        super().__init__(*args, **kwargs)
        self.prepare()

    def prepare(self) -> None:
        """Adjust fields for this child (choices that depend on the record)."""

    def defaults(self) -> dict[str, Any]:
        """Initial values: today for dates the flow records, the target's version for edits."""
        out: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and field.required:
                out[name] = today()
        if "version" in self.fields and self.target is not None:
            out["version"] = self.target.version  # type: ignore[attr-defined]
        return out

    def target_words(self) -> dict[str, str]:
        """The codes of the record edited, in the user's language, for ``_target.html``."""
        t = self.target
        return {
            "source": _source(getattr(t, "source", "")),
            "assessment_type": str(
                labels.ASSESSMENT_TYPE.get(getattr(t, "assessment_type", ""), getattr(t, "assessment_type", ""))
            ),
            "category": str(labels.CP_CATEGORY.get(getattr(t, "category", ""), getattr(t, "category", ""))),
        }

    def save(self, *, actor: Actor) -> Model:
        raise NotImplementedError


# --- referrals -------------------------------------------------------------------------------------


class ReferralRecordForm(RecordingForm):
    referral_date = _date(_("Date the referral was received"))
    source = _select(_("Who made the referral"), labels.choices(schema.REFERRAL_SOURCE, labels.SOURCE))
    primary_need = _select(
        _("Primary need (if known)"),
        labels.coded(schema.PRIMARY_NEED, labels.PRIMARY_NEED),
        required=False,
        blank=_("Not known yet"),
    )

    def save(self, *, actor: Actor) -> Model:
        return services.referral_record(self.child, actor=actor, **self.cleaned_data)


class ReferralDecideForm(RecordingForm):
    version = _version()
    decision = _radio(_("Decision"), labels.choices(schema.REFERRAL_DECISION, labels.DECISION))
    decision_date = _date(_("Date of the decision"))
    primary_need = _select(
        _("Primary need"),
        labels.coded(schema.PRIMARY_NEED, labels.PRIMARY_NEED),
        required=False,
        blank=_("Not known yet"),
    )

    def defaults(self) -> dict[str, Any]:
        out = super().defaults()
        if self.target is not None:
            out.update(decision=self.target.decision, primary_need=self.target.primary_need)  # type: ignore[attr-defined]
            if self.target.decision_date:  # type: ignore[attr-defined]
                out["decision_date"] = self.target.decision_date  # type: ignore[attr-defined]
        return out

    def save(self, *, actor: Actor) -> Model:
        assert self.target is not None
        return services.referral_decide(self.child, self.target.pk, actor=actor, **self.cleaned_data)


# --- assessments -----------------------------------------------------------------------------------


class AssessmentStartForm(RecordingForm):
    referral = forms.TypedChoiceField(label=_("Referral it follows"), coerce=int, choices=[])
    assessment_type = _radio(_("Type of assessment"), labels.choices(schema.ASSESSMENT_TYPE, labels.ASSESSMENT_TYPE))
    start_date = _date(_("Date it started"))
    completed_date = _date(
        _("Date it was completed"), required=False, help_text=_("Leave blank if it is not finished.")
    )
    seen = _yes_no(_("Was the child seen?"), required=False)
    seen_alone = _yes_no(_("Was the child seen alone?"), required=False)

    def prepare(self) -> None:
        self.fields["referral"].choices = [  # type: ignore[attr-defined]
            (r.pk, _("Received %(date)s (%(source)s)") % {"date": _d(r.referral_date), "source": _source(r.source)})
            for r in queries.referrals_for_assessment(self.child)
        ]

    def defaults(self) -> dict[str, Any]:
        out = super().defaults()
        choices = self.fields["referral"].choices  # type: ignore[attr-defined]
        if choices:
            out["referral"] = choices[0][0]
        out["assessment_type"] = "INITIAL"
        return out

    def save(self, *, actor: Actor) -> Model:
        data = dict(self.cleaned_data)
        return services.assessment_start(self.child, actor=actor, referral_id=data.pop("referral"), **data)


class AssessmentCompleteForm(RecordingForm):
    version = _version()
    completed_date = _date(_("Date it was completed"))
    seen = _yes_no(_("Was the child seen?"))
    seen_alone = _yes_no(_("Was the child seen alone?"))

    def save(self, *, actor: Actor) -> Model:
        assert self.target is not None
        return services.assessment_complete(self.child, self.target.pk, actor=actor, **self.cleaned_data)


# --- child protection ------------------------------------------------------------------------------


class StrategyDiscussionForm(RecordingForm):
    held_on = _date(_("Date of the strategy discussion"))
    referral = forms.TypedChoiceField(
        label=_("Referral it follows (if any)"), coerce=int, empty_value=None, required=False, choices=[]
    )
    start_enquiry = forms.BooleanField(
        label=_("A section 47 enquiry starts on the same day"), required=False, initial=True
    )

    def prepare(self) -> None:
        self.fields["referral"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
            (r.pk, _("Received %(date)s (%(source)s)") % {"date": _d(r.referral_date), "source": _source(r.source)})
            for r in queries.referrals_of(self.child)
        ]

    def defaults(self) -> dict[str, Any]:
        out = super().defaults()
        out["start_enquiry"] = True
        return out

    def save(self, *, actor: Actor) -> Model:
        data = dict(self.cleaned_data)
        return services.strategy_discussion_record(self.child, actor=actor, referral_id=data.pop("referral"), **data)


class EnquiryCompleteForm(RecordingForm):
    version = _version()
    end_date = _date(_("Date the enquiry ended"))
    outcome = _radio(_("Outcome"), list(labels.ENQUIRY_OUTCOME.items()))

    def save(self, *, actor: Actor) -> Model:
        assert self.target is not None
        return services.enquiry_complete(self.child, self.target.pk, actor=actor, **self.cleaned_data)


AGENCIES = [code for code in labels.AGENCY if code in schema.AGENCY]


class ConferenceForm(RecordingForm):
    special = tuple(f"{what}_{code}" for code in AGENCIES for what in ("invited", "attended", "report"))
    conference_date = _date(_("Date of the conference"))
    outcome = _radio(_("Outcome"), labels.choices(schema.CONFERENCE_OUTCOME, labels.CONFERENCE_OUTCOME))
    category = _select(
        _("Category of registration"),
        labels.choices(schema.CP_CATEGORY, labels.CP_CATEGORY),
        required=False,
        blank=_("Not registered"),
    )

    def prepare(self) -> None:
        for code in AGENCIES:
            name = labels.AGENCY[code]
            self.fields[f"invited_{code}"] = forms.BooleanField(label=name, required=False)
            self.fields[f"attended_{code}"] = forms.BooleanField(label=name, required=False)
            self.fields[f"report_{code}"] = forms.BooleanField(label=name, required=False)

    def agency_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(labels.AGENCY[c], self[f"invited_{c}"], self[f"attended_{c}"], self[f"report_{c}"]) for c in AGENCIES]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code in AGENCIES:
            if (data.get(f"attended_{code}") or data.get(f"report_{code}")) and not data.get(f"invited_{code}"):
                data[f"invited_{code}"] = True  # an agency that came or sent a report was invited
        return data

    def save(self, *, actor: Actor) -> Model:
        d = self.cleaned_data
        invitations = [
            services.Invitation(c, bool(d.get(f"attended_{c}")), bool(d.get(f"report_{c}")))
            for c in AGENCIES
            if d.get(f"invited_{c}")
        ]
        return services.conference_record(
            self.child,
            actor=actor,
            conference_date=d["conference_date"],
            outcome=d["outcome"],
            category=d.get("category", ""),
            invitations=invitations,
        )


class RegistrationForm(RecordingForm):
    start_date = _date(_("Date of registration"))
    category = _select(_("Category"), labels.choices(schema.CP_CATEGORY, labels.CP_CATEGORY))

    def save(self, *, actor: Actor) -> Model:
        return services.registration_start(self.child, actor=actor, **self.cleaned_data)


class CoreGroupForm(RecordingForm):
    held_on = _date(_("Date of the core group meeting"))

    def save(self, *, actor: Actor) -> Model:
        return services.core_group_record(self.child, actor=actor, **self.cleaned_data)


class CPReviewForm(RecordingForm):
    review_date = _date(_("Date of the review conference"))

    def save(self, *, actor: Actor) -> Model:
        return services.cp_review_record(self.child, actor=actor, **self.cleaned_data)


class DeregistrationForm(RecordingForm):
    version = _version()
    end_date = _date(_("Date of de-registration"))

    def save(self, *, actor: Actor) -> Model:
        return services.registration_end(self.child, actor=actor, **self.cleaned_data)


# --- looked after ----------------------------------------------------------------------------------


def _ls(required: bool = True, blank: Any = "") -> forms.ChoiceField:
    return _select(
        _("Legal status (SSDA903 code)"), labels.choices(schema.LEGAL_STATUS), required=required, blank=blank
    )


def _place() -> forms.ChoiceField:
    return _select(_("Placement (SSDA903 code)"), labels.choices(schema.PLACEMENT))


def _provider() -> forms.ChoiceField:
    return _select(
        _("Placement provider"),
        labels.choices(schema.PLACE_PROVIDER, labels.PLACE_PROVIDER),
        required=False,
        blank=_("Not known"),
    )


class CareStartForm(RecordingForm):
    decom = _date(_("Date the child started to be looked after"))
    legal_status = _ls()
    placement = _place()
    place_provider = _provider()
    cin = _select(
        _("Category of need"),
        labels.coded(schema.PRIMARY_NEED, labels.PRIMARY_NEED),
        required=False,
        blank=_("Not known"),
    )

    def save(self, *, actor: Actor) -> Model:
        return services.care_start(self.child, actor=actor, **self.cleaned_data)


class PlacementChangeForm(RecordingForm):
    version = _version()
    changed_on = _date(_("Date of the move"))
    placement = _place()
    reason = _select(_("Reason for the change"), labels.choices(schema.REASON_PLACE_CHANGE, labels.REASON_PLACE_CHANGE))
    same_carer = forms.BooleanField(label=_("The child stays with the same carer(s)"), required=False)
    place_provider = _provider()
    legal_status = _ls(required=False, blank=_("Unchanged"))

    def save(self, *, actor: Actor) -> Model:
        return services.placement_change(self.child, actor=actor, **self.cleaned_data)


class LegalStatusForm(RecordingForm):
    version = _version()
    changed_on = _date(_("Date of the change"))
    legal_status = _ls()

    def save(self, *, actor: Actor) -> Model:
        return services.legal_status_change(self.child, actor=actor, **self.cleaned_data)


class EpisodeEndForm(RecordingForm):
    version = _version()
    dec = _date(_("Date care ended"))
    rec = _select(_("Reason care ended (SSDA903 code)"), labels.choices(schema.REASON_EPISODE_CEASED - {"X1"}))

    def save(self, *, actor: Actor) -> Model:
        return services.episode_end(self.child, actor=actor, **self.cleaned_data)


class CarePlanForm(RecordingForm):
    plan_type: ClassVar[str] = "CARE_PLAN"
    start_date = _date(_("Date the plan is in place from"))

    def save(self, *, actor: Actor) -> Model:
        return services.plan_start(self.child, actor=actor, plan_type=self.plan_type, **self.cleaned_data)


class PathwayPlanForm(CarePlanForm):
    plan_type: ClassVar[str] = "PATHWAY_PLAN"


class PermanencePlanForm(RecordingForm):
    recorded_on = _date(_("Date the plan was agreed"))
    outcome = _radio(_("The plan"), labels.choices(PermanencePlan.Outcome.values, labels.PERMANENCE))
    summary = forms.CharField(
        label=_("The plan in brief"),
        required=False,
        max_length=SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you choose “other”."),
    )

    def save(self, *, actor: Actor) -> Model:
        return services.permanence_plan_record(self.child, actor=actor, **self.cleaned_data)


class IROAllocationForm(RecordingForm):
    iro = forms.TypedChoiceField(label=_("Independent reviewing officer"), coerce=int, empty_value=None, choices=[])
    started_on = _date(_("Allocated from"))

    def prepare(self) -> None:
        field = self.fields["iro"]
        field.choices = [("", _("Choose…")), *((u.pk, name_of(u)) for u in iros_of(self.child))]  # type: ignore[attr-defined]
        current = current_iro(self.child)
        if current is not None:
            field.help_text = _("Now: %(name)s, since %(date)s. Choosing someone else ends that allocation.") % {
                "name": name_of(current.user),
                "date": _d(current.started_on),
            }

    def save(self, *, actor: Actor) -> Model:
        return services.iro_allocate(self.child, actor=actor, **self.cleaned_data)


class HealthAssessmentForm(RecordingForm):
    assessed_on = _date(_("Date of the health assessment"))
    episode = forms.TypedChoiceField(
        label=_("Placement it was for"), coerce=int, empty_value=None, required=False, choices=[]
    )

    def prepare(self) -> None:
        options: list[tuple[Any, Any]] = [("", _("The placement the child was in on that date"))]
        for first, start, end in reversed(placements_of(self.child)):
            if end is None:
                text = _("Placement from %(start)s (%(place)s)") % {"start": _d(start), "place": first.placement}
            else:
                text = _("Placement from %(start)s to %(end)s (%(place)s)") % {
                    "start": _d(start),
                    "end": _d(end),
                    "place": first.placement,
                }
            options.append((first.id, text))
        self.fields["episode"].choices = options  # type: ignore[attr-defined]

    def save(self, *, actor: Actor) -> Model:
        return services.health_assessment_record(self.child, actor=actor, **self.cleaned_data)


class GPRegistrationForm(RecordingForm):
    registered_on = _date(_("Date the child was registered with the GP"))
    practice = forms.CharField(label=_("GP practice (if known)"), required=False, max_length=PRACTICE_LENGTH)

    def save(self, *, actor: Actor) -> Model:
        return services.gp_registration_record(self.child, actor=actor, **self.cleaned_data)


class PathwayAssessmentForm(RecordingForm):
    completed_on = _date(_("Date the pathway assessment was completed"))

    def save(self, *, actor: Actor) -> Model:
        return services.pathway_assessment_record(self.child, actor=actor, **self.cleaned_data)


class LACReviewForm(RecordingForm):
    review_date = _date(_("Date of the review"))
    participation = _radio(_("How the child took part"), labels.coded(schema.REVIEW_CODE, labels.PARTICIPATION))

    def save(self, *, actor: Actor) -> Model:
        return services.lac_review_record(self.child, actor=actor, **self.cleaned_data)


class VisitForm(RecordingForm):
    visit_date = _date(_("Date of the visit"))
    seen_alone = _yes_no(_("Did you see the child alone?"))
    visit_type = _select(
        _("Type of visit"),
        labels.choices(schema.VISIT_TYPE, labels.VISIT_TYPE),
        required=False,
        blank=_("Work it out from the child's status"),
    )

    def defaults(self) -> dict[str, Any]:
        out = super().defaults()
        out["visit_type"] = default_visit_type(self.child, today())
        return out

    def save(self, *, actor: Actor) -> Model:
        return services.visit_record(self.child, actor=actor, **self.cleaned_data)


class SchoolChangeForm(RecordingForm):
    change_date = _date(_("Date the child changed school"))
    transitional = _yes_no(_("Was it a normal move, such as primary to secondary school?"))

    def save(self, *, actor: Actor) -> Model:
        return services.school_change_record(self.child, actor=actor, **self.cleaned_data)


class CareLeaverContactForm(RecordingForm):
    in_touch = _radio(
        _("Were you in touch on or around the 19th birthday?"), labels.choices(schema.IN_TOUCH, labels.IN_TOUCH)
    )
    activity = _select(
        _("Main activity"), labels.choices(schema.ACTIVITY, labels.ACTIVITY), required=False, blank=_("Not in touch")
    )
    accommodation_type = _select(
        _("Accommodation"),
        labels.choices(ACCOMMODATION_TYPES, labels.ACCOMMODATION_TYPE),
        required=False,
        blank=_("Not in touch"),
    )
    accommodation_suitable = _yes_no(_("Is the accommodation suitable?"), required=False)

    def save(self, *, actor: Actor) -> Model:
        return services.care_leaver_contact_record(self.child, actor=actor, **self.cleaned_data)


# --- the child's voice -----------------------------------------------------------------------------


class WellbeingForm(RecordingForm):
    special = ("safe", "home_happy", "know_who", "listened", "respect")
    anonymous = forms.BooleanField(label=_("Keep my answers anonymous (my name is not kept with them)"), required=False)

    def prepare(self) -> None:
        for code in QUESTIONS:
            self.fields[code.lower()] = _radio(
                labels.QUESTION[code], labels.choices(schema.FEEDBACK_ANSWER, labels.ANSWER), required=False
            )
        self.order_fields([*self.special, "anonymous"])

    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.special]

    def save(self, *, actor: Actor) -> Model:
        d = self.cleaned_data
        answers = {code: d.get(code.lower()) or "" for code in QUESTIONS}
        saved = services.feedback_record(self.child, actor=actor, answers=answers, anonymous=bool(d.get("anonymous")))
        return saved[0]


def _d(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "-"


def _source(code: str) -> str:
    """A referral's source in the user's language (the code itself if it has no words)."""
    return str(labels.SOURCE.get(code, code)) if code else "-"


def form_data(form: forms.Form, payload: Mapping[str, Any]) -> dict[str, Any]:
    """API JSON → data for ``form``: a boolean is a checkbox's value or a yes/no question's Y/N; dates ISO."""
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if value is None:
            continue
        if isinstance(value, bool):
            checkbox = isinstance(form.fields.get(key), forms.BooleanField)
            out[key] = value if checkbox else ("Y" if value else "N")
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out
