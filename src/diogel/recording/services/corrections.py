"""Corrections: changing an entry after it was saved, with versions, a reason and the audit trail.

:data:`KINDS` is the one table of what can be corrected: for each kind (its URL slug) the model, the
section of the record and who may correct it (the same as who may record it), the fields that can be
changed (the names of the recording flow's form fields), how the saved row reads as those fields, and a
validator that applies the rules of recording that entry (the same helpers and messages as the create
services), with the row itself left out of overlap-type checks.

:func:`correct` authorises exactly as recording does (:func:`~._common.authorise`), locks the child and
the row, refuses a stale ``version`` (:class:`~._common.StaleEditError`, nothing saved), validates, and
saves: the version goes up and one ``RECORD_CHANGED`` audit entry keeps what it was, what it is now and
the reason given, in the same transaction. Dates that other records copied from the entry follow it
(a registration's first core group, the end of the plan a corrected plan replaced, the start of the
enquiry a strategy discussion started and the conference's strategy date), each audited too.

Who may correct: anyone who may record that kind of entry for the child, whoever recorded it. A social
worker may correct a colleague's visit and a team manager their team's entries: casework is shared, and
the audit trail shows who changed what, when and why. Inspectors, performance officers, administrators
and others who never record never correct; partners correct only what they may record (a school change
where their agreement opens the education section).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diogel.access.errors import NotFound
from diogel.access.sections import Section
from diogel.cases.models import (
    CareLeaverContact,
    CarePlan,
    Child,
    ConferenceSubject,
    CoreGroupMeeting,
    CPReview,
    LookedAfterReview,
    Referral,
    Registration,
    SchoolChange,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from diogel.clock import today
from diogel.dataset import schema
from diogel.workdays import add_months

from ._common import (
    CASEWORK,
    REVIEWING,
    Actor,
    Errors,
    authorise,
    change,
    check_version,
    code_in,
    flag,
    lock_child,
    looked_after_on,
    may_record,
    not_in_future,
    registered_on,
    required,
    show,
)
from .leaving_care import ACCOMMODATION_TYPES, birthday_19
from .protection import _within
from .reviews import under_four
from .visits import default_visit_type

#: The longest reason kept with a correction.
REASON_MAX = 500

Values = dict[str, Any]
#: (child, the locked row, the values to check, errors) → the model fields to save.
Validator = Callable[[Child, Any, Values, Errors], Values]
#: (child, the row after saving, its values before, actor, audit detail): keep copies of its dates in step.
Follow = Callable[[Child, Any, Values, Actor, dict[str, Any]], None]


def _yn(value: str) -> bool | None:
    return {"Y": True, "N": False}.get(value)


@dataclass(frozen=True)
class Kind:
    """One kind of entry that can be corrected."""

    slug: str
    #: What the entry is, for lists ("Visit").
    label: Promise
    #: The correction page's heading ("Correct a visit").
    title: Promise
    model: type[models.Model]
    section: str
    allowed: frozenset[str]
    #: The recording flow whose form fields are reused (``recording.flows.FLOWS``).
    flow: str
    fields: tuple[str, ...]
    #: The date the entry is about (lists are newest first by it).
    date_field: str
    load: Callable[[Any], Values]
    validate: Validator
    follow: Follow | None = None
    #: Rows of this kind: extra filters, and how a row belongs to the child.
    filters: Mapping[str, Any] = field(default_factory=dict)
    by_registration: bool = False

    def rows(self, child: Child) -> models.QuerySet[Any]:
        qs = self.model._default_manager.filter(**self.filters)
        if self.by_registration:
            return qs.filter(registration_id__in=Registration.objects.filter(child_id=child.pk).values("pk"))
        return qs.filter(child_id=child.pk)


# --- validators: the rules of the create services, with the same helpers and messages ----------------


def _visit(child: Child, obj: Visit, v: Values, errors: Errors) -> Values:
    """As :func:`~.visits.visit_record`."""
    visit_date, seen_alone, visit_type = v.get("visit_date"), v.get("seen_alone"), v.get("visit_type") or ""
    required(errors, "visit_date", visit_date)
    not_in_future(errors, "visit_date", visit_date)
    if seen_alone is None:
        errors.add("seen_alone", _("Say whether you saw the child alone."))
    if visit_date is not None and "visit_date" not in errors:
        visit_type = visit_type or default_visit_type(child, visit_date)
        if visit_type == "":
            errors.add("visit_date", _("The child was neither looked after nor registered on this date."))
        elif visit_type == "LAC" and not looked_after_on(child, visit_date):
            errors.add("visit_type", _("The child was not looked after on this date."))
        elif visit_type == "CP" and not registered_on(child, visit_date):
            errors.add("visit_type", _("The child was not on the child protection register on this date."))
        else:
            code_in(errors, "visit_type", visit_type, schema.VISIT_TYPE)
    return {"visit_date": visit_date, "visit_type": visit_type, "seen_alone": flag(seen_alone)}


def _strategy(child: Child, obj: StrategyDiscussion, v: Values, errors: Errors) -> Values:
    """As :func:`~.protection.strategy_discussion_record`; and not after the enquiry it started ended, nor
    after the conference that followed it."""
    held_on: date | None = v.get("held_on")
    referral_id = v.get("referral")
    referral = None
    if referral_id:
        referral = Referral.objects.filter(child_id=child.pk, pk=referral_id).first()
        if referral is None:
            errors.add("referral", _("Choose one of this child's referrals."))
    required(errors, "held_on", held_on)
    not_in_future(errors, "held_on", held_on)
    if referral is not None and referral.referral_date and held_on and held_on < referral.referral_date:
        errors.add(
            "held_on",
            _("The strategy discussion cannot be before the referral was received (%(date)s).")
            % {"date": show(referral.referral_date)},
        )
    if held_on is not None:
        ended = obj.enquiries.filter(end_date__lt=held_on).order_by("end_date").first()
        if ended is not None:
            errors.add(
                "held_on",
                _("The enquiry this discussion started ended on %(date)s: the discussion cannot be after that.")
                % {"date": show(ended.end_date)},
            )
        held = obj.conference_subjects.filter(conference_date__lt=held_on).order_by("conference_date").first()
        if held is not None:
            errors.add(
                "held_on",
                _("The conference that followed was held on %(date)s: the discussion cannot be after that.")
                % {"date": show(held.conference_date)},
            )
    return {"held_on": held_on, "referral": referral}


def _registration_window(errors: Errors, name: str, reg: Registration, d: date | None, before: str, after: str) -> None:
    _within(errors, name, reg, d, before)
    if reg.end_date is not None and d is not None and d > reg.end_date:
        errors.add(name, after % {"date": show(reg.end_date)})


def _core_group(child: Child, obj: CoreGroupMeeting, v: Values, errors: Errors) -> Values:
    """As :func:`~.protection.core_group_record`, within its registration (which may have ended since)."""
    held_on = v.get("held_on")
    required(errors, "held_on", held_on)
    not_in_future(errors, "held_on", held_on)
    _registration_window(
        errors, "held_on", obj.registration, held_on,
        _("The core group cannot be before the registration (%(date)s)."),
        _("The core group cannot be after the child was de-registered (%(date)s)."),
    )  # fmt: skip
    return {"held_on": held_on}


def _cp_review(child: Child, obj: CPReview, v: Values, errors: Errors) -> Values:
    """As :func:`~.protection.cp_review_record`, within its registration (which may have ended since)."""
    review_date = v.get("review_date")
    required(errors, "review_date", review_date)
    not_in_future(errors, "review_date", review_date)
    _registration_window(
        errors, "review_date", obj.registration, review_date,
        _("The review cannot be before the registration (%(date)s)."),
        _("The review cannot be after the child was de-registered (%(date)s)."),
    )  # fmt: skip
    return {"review_date": review_date}


def _lac_review(child: Child, obj: LookedAfterReview, v: Values, errors: Errors) -> Values:
    """As :func:`~.reviews.lac_review_record`."""
    review_date, participation = v.get("review_date"), v.get("participation") or ""
    required(errors, "review_date", review_date)
    not_in_future(errors, "review_date", review_date)
    code_in(errors, "participation", participation, schema.REVIEW_CODE)
    if review_date is not None and "review_date" not in errors:
        if not looked_after_on(child, review_date):
            errors.add("review_date", _("The child was not looked after on this date."))
        young = under_four(child, review_date)
        if young is True and participation not in ("", "PN0"):
            errors.add("participation", _("The child was under 4 at the review: choose PN0."))
        if young is False and participation == "PN0":
            errors.add("participation", _("PN0 is only for a child under 4 at the review."))
    return {"review_date": review_date, "participation": participation}


def _replaced_plan(obj: CarePlan) -> CarePlan | None:
    """The plan of the same type that ``obj`` replaced (it ended on the day ``obj`` started)."""
    if obj.start_date is None:
        return None
    return (
        CarePlan.objects.select_for_update()
        .filter(child_id=obj.child_id, plan_type=obj.plan_type, end_date=obj.start_date)
        .exclude(pk=obj.pk)
        .order_by("-start_date", "-pk")
        .first()
    )


def _plan(child: Child, obj: CarePlan, v: Values, errors: Errors) -> Values:
    """As :func:`~.plans.plan_start`: not before the plan it replaced started, and (when a newer plan
    replaced it) not after the newer plan started."""
    start_date = v.get("start_date")
    required(errors, "start_date", start_date)
    not_in_future(errors, "start_date", start_date)
    previous = _replaced_plan(obj)
    if previous is not None and previous.start_date and start_date and start_date < previous.start_date:
        errors.add(
            "start_date",
            _("The plan it replaced started on %(date)s: this plan cannot start before it.")
            % {"date": show(previous.start_date)},
        )
    if obj.end_date is not None and start_date is not None and start_date > obj.end_date:
        errors.add(
            "start_date",
            _("A newer plan replaced this one on %(date)s: it cannot start after that.") % {"date": show(obj.end_date)},
        )
    return {"start_date": start_date}


def _school_change(child: Child, obj: SchoolChange, v: Values, errors: Errors) -> Values:
    """As :func:`~.education.school_change_record`."""
    change_date, transitional = v.get("change_date"), v.get("transitional")
    required(errors, "change_date", change_date)
    not_in_future(errors, "change_date", change_date)
    required(errors, "transitional", transitional)
    return {"change_date": change_date, "transitional": flag(transitional)}


def _care_leaver(child: Child, obj: CareLeaverContact, v: Values, errors: Errors) -> Values:
    """As :func:`~.leaving_care.care_leaver_contact_record` (this row is the contact already recorded)."""
    in_touch, activity = v.get("in_touch") or "", v.get("activity") or ""
    accommodation_type, accommodation_suitable = v.get("accommodation_type") or "", v.get("accommodation_suitable")
    code_in(errors, "in_touch", in_touch, schema.IN_TOUCH)
    accommodation = ""
    if in_touch == "YES":
        code_in(errors, "activity", activity, schema.ACTIVITY)
        code_in(errors, "accommodation_type", accommodation_type, ACCOMMODATION_TYPES)
        if accommodation_type and accommodation_suitable is None:
            errors.add("accommodation_suitable", _("Say whether the accommodation is suitable."))
        if accommodation_type and accommodation_suitable is not None:
            accommodation = accommodation_type + ("1" if accommodation_suitable else "2")
            if not re.match(schema.ACCOMMODATION_PATTERN, accommodation):
                errors.add("accommodation_type", _("This accommodation code is not valid."))
    elif activity or accommodation_type:
        errors.add("activity", _("Activity and accommodation are recorded only when the young person is in touch."))
    birthday = birthday_19(child) or obj.birthday_19
    if birthday is not None and birthday > add_months(today(), 3):
        errors.add(
            "in_touch", _("The 19th birthday is %(date)s: it is too early to record this.") % {"date": show(birthday)}
        )
    return {"in_touch": in_touch, "activity": activity if in_touch == "YES" else "", "accommodation": accommodation}


def _care_leaver_load(obj: CareLeaverContact) -> Values:
    accom = obj.accommodation or ""
    letter = accom[:1] if accom[:1] in ACCOMMODATION_TYPES else ""
    suitable = {"1": True, "2": False}.get(accom[1:2]) if letter else None
    return {
        "in_touch": obj.in_touch,
        "activity": obj.activity,
        "accommodation_type": letter,
        "accommodation_suitable": suitable,
    }


# --- dates copied elsewhere follow the entry ------------------------------------------------------


def _core_group_follow(child: Child, obj: CoreGroupMeeting, old: Values, actor: Actor, detail: dict[str, Any]) -> None:
    """The registration's first core group is the earliest meeting's date."""
    reg = Registration.objects.select_for_update().get(pk=obj.registration_id)
    first = reg.core_group_meetings.order_by("held_on").values_list("held_on", flat=True).first()
    apply(reg, {"first_core_group": first}, actor=actor, child=child, detail=detail)


def _strategy_follow(child: Child, obj: StrategyDiscussion, old: Values, actor: Actor, detail: dict[str, Any]) -> None:
    """The enquiry it started (on the same day) and the conference's strategy date move with the discussion."""
    before: date = old["held_on"]
    if before == obj.held_on:
        return
    for enquiry in Section47Enquiry.objects.select_for_update().filter(strategy_discussion=obj, start_date=before):
        apply(enquiry, {"start_date": obj.held_on}, actor=actor, child=child, detail=detail)
    for subject in ConferenceSubject.objects.select_for_update().filter(strategy_discussion=obj, strategy_date=before):
        apply(subject, {"strategy_date": obj.held_on}, actor=actor, child=child, detail=detail)


def _plan_follow(child: Child, obj: CarePlan, old: Values, actor: Actor, detail: dict[str, Any]) -> None:
    """The plan this one replaced ends on the day this one starts."""
    before = old.get("start_date")
    if before is None or before == obj.start_date:
        return
    previous = (
        CarePlan.objects.select_for_update()
        .filter(child_id=obj.child_id, plan_type=obj.plan_type, end_date=before)
        .exclude(pk=obj.pk)
        .order_by("-start_date", "-pk")
        .first()
    )
    if previous is not None:
        apply(previous, {"end_date": obj.start_date}, actor=actor, child=child, detail=detail)


#: The table's labels and titles are translated when shown.
KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind("visit", gettext_lazy("Visit"), gettext_lazy("Correct a visit"), Visit, Section.CHRONOLOGY, CASEWORK, "visit",
             ("visit_date", "seen_alone", "visit_type"), "visit_date",
             lambda o: {"visit_date": o.visit_date, "seen_alone": _yn(o.seen_alone), "visit_type": o.visit_type},
             _visit),
        Kind("strategy-discussion", gettext_lazy("Strategy discussion"), gettext_lazy("Correct a strategy discussion"),
             StrategyDiscussion, Section.CHILD_PROTECTION, CASEWORK, "strategy_discussion", ("held_on", "referral"),
             "held_on", lambda o: {"held_on": o.held_on, "referral": o.referral_id}, _strategy, _strategy_follow),
        Kind("core-group", gettext_lazy("Core group meeting"), gettext_lazy("Correct a core group meeting"), CoreGroupMeeting,
             Section.CHILD_PROTECTION, CASEWORK, "core_group", ("held_on",), "held_on",
             lambda o: {"held_on": o.held_on}, _core_group, _core_group_follow, by_registration=True),
        Kind("cp-review", gettext_lazy("Child protection review conference"), gettext_lazy("Correct a child protection review conference"),
             CPReview, Section.CHILD_PROTECTION, REVIEWING, "cp_review", ("review_date",), "review_date",
             lambda o: {"review_date": o.review_date}, _cp_review),
        Kind("lac-review", gettext_lazy("Looked-after review"), gettext_lazy("Correct a looked-after review"), LookedAfterReview,
             Section.LOOKED_AFTER, REVIEWING, "lac_review", ("review_date", "participation"), "review_date",
             lambda o: {"review_date": o.review_date, "participation": o.participation}, _lac_review),
        Kind("care-plan", gettext_lazy("Care plan"), gettext_lazy("Correct a care plan"), CarePlan, Section.LOOKED_AFTER, CASEWORK,
             "care_plan", ("start_date",), "start_date", lambda o: {"start_date": o.start_date}, _plan, _plan_follow,
             filters={"plan_type": "CARE_PLAN"}),
        Kind("pathway-plan", gettext_lazy("Pathway plan"), gettext_lazy("Correct a pathway plan"), CarePlan, Section.LEAVING_CARE,
             CASEWORK, "pathway_plan", ("start_date",), "start_date", lambda o: {"start_date": o.start_date}, _plan,
             _plan_follow, filters={"plan_type": "PATHWAY_PLAN"}),
        Kind("school-change", gettext_lazy("Change of school"), gettext_lazy("Correct a change of school"), SchoolChange,
             Section.EDUCATION, CASEWORK, "school_change", ("change_date", "transitional"), "change_date",
             lambda o: {"change_date": o.change_date, "transitional": _yn(o.transitional)}, _school_change),
        Kind("care-leaver-contact", gettext_lazy("Contact at 19"), gettext_lazy("Correct the contact at 19"), CareLeaverContact,
             Section.LEAVING_CARE, CASEWORK, "care_leaver_contact",
             ("in_touch", "activity", "accommodation_type", "accommodation_suitable"), "birthday_19",
             _care_leaver_load, _care_leaver),
    )
}  # fmt: skip


def kind_of(slug: str) -> Kind:
    """The kind called ``slug``; NotFound (the same answer as a missing record) when there is none."""
    spec = KINDS.get(slug)
    if spec is None:
        raise NotFound()
    return spec


def may_correct(roles: Iterable[str], sections: Iterable[str], spec: Kind) -> bool:
    """Whether memberships of ``roles`` covering the child, seeing ``sections``, may correct ``spec`` entries."""
    return may_record(roles, sections, section=spec.section, allowed=spec.allowed)


def apply(obj: models.Model, values: Mapping[str, Any], *, actor: Actor, child: Child, detail: dict[str, Any]) -> bool:
    """:func:`~._common.change` with the reason kept in the audit entry: whether anything changed."""
    version = obj.version  # type: ignore[attr-defined]
    change(obj, values, actor=actor, child=child, detail=detail)
    return bool(obj.version != version)  # type: ignore[attr-defined]


def _row(spec: Kind, child: Child, pk: int | str | None) -> Any:
    try:
        key = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = spec.rows(child).select_for_update().filter(pk=key).first()
    if obj is None:
        raise NotFound()
    return obj


def saved_values(child: Child, kind: str, pk: int | str | None) -> tuple[Any, Values]:
    """The entry (not locked) and its saved values as the correction form's fields; NotFound when it is
    not one of ``child``'s entries of that kind. The caller got ``child`` through visibility."""
    spec = kind_of(kind)
    try:
        key = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = spec.rows(child).filter(pk=key).first()
    if obj is None:
        raise NotFound()
    return obj, spec.load(obj)


@transaction.atomic
def correct(
    child: Child, kind: str, pk: int | str | None, *, actor: Actor, version: int | None, reason: str = "", **values: Any
) -> Any:
    """Correct entry ``pk`` of ``kind``: ``values`` are the changed fields (others keep their saved values),
    ``reason`` says why (kept in the audit entry). Raises NotFound / NotAllowedError as recording does,
    :class:`~._common.StaleEditError` when ``version`` is not the current one, and a field-keyed
    ``ValidationError`` (nothing saved) when a value breaks a rule of recording that entry."""
    spec = kind_of(kind)
    authorise(actor, child, section=spec.section, allowed=spec.allowed)
    child = lock_child(child)
    obj = _row(spec, child, pk)
    check_version(obj, version)
    unknown = sorted(set(values) - set(spec.fields))
    if unknown:
        raise ValidationError({name: [ValidationError(_("This entry has no such field."))] for name in unknown})
    errors = Errors()
    reason = " ".join((reason or "").split())
    if not reason:
        errors.add("reason", _("Say why you are correcting this entry."))
    elif len(reason) > REASON_MAX:
        errors.add("reason", _("Keep the reason to %(n)s characters or fewer.") % {"n": REASON_MAX})
    new = spec.validate(child, obj, {**spec.load(obj), **values}, errors)
    errors.raise_if_any()
    old = {name: getattr(obj, name) for name in new}
    detail = {"reason": reason, "correction": f"{obj._meta.label_lower}:{obj.pk}"}
    if not apply(obj, new, actor=actor, child=child, detail=detail):
        raise ValidationError(_("Nothing has changed: change an answer, or go back without saving."))
    if spec.follow is not None:
        spec.follow(child, obj, old, actor, detail)
    return obj


@dataclass(frozen=True)
class Entry:
    """One entry the user may correct, for the child's recording page."""

    kind: Kind
    pk: int
    on: date | None
    version: int


def recent_entries(child: Child, kinds: Iterable[Kind], limit: int = 10) -> list[Entry]:
    """The ``limit`` most recent entries of ``kinds`` on ``child``'s record, newest first, in one query
    whatever the size of the record. The caller got ``child`` through visibility and chose the kinds the
    user may correct."""
    specs = {spec.slug: spec for spec in kinds}
    parts = [
        spec.rows(child)
        .annotate(kind=models.Value(spec.slug, output_field=models.CharField()), on=models.F(spec.date_field))
        .values_list("kind", "pk", "on", "version")
        .order_by()
        for spec in specs.values()
    ]
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True).order_by(models.F("on").desc(nulls_last=True), "-pk")[:limit]
    return [Entry(specs[kind], pk, on, version) for kind, pk, on, version in rows]
