"""Child protection: strategy discussion and s47 enquiry, initial conference (agencies invited, attended,
sent a report), registration, core groups, review conferences and de-registration."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import (
    Child,
    Conference,
    ConferenceInvitation,
    ConferenceSubject,
    CoreGroupMeeting,
    CPReview,
    Referral,
    Registration,
    Section47Enquiry,
    StrategyDiscussion,
)
from diogel.dataset import schema

from ._common import (
    CASEWORK,
    REVIEWING,
    Actor,
    Errors,
    authorise,
    change,
    check_version,
    code_in,
    create,
    flag,
    get_for_child,
    lock_child,
    new_ref,
    not_in_future,
    required,
    show,
)

SECTION = Section.CHILD_PROTECTION


@dataclass(frozen=True)
class Invitation:
    """An agency invited to a conference, whether it attended and whether it sent a report."""

    agency: str
    attended: bool
    report_provided: bool


@transaction.atomic
def strategy_discussion_record(
    child: Child,
    *,
    actor: Actor,
    held_on: date | None,
    referral_id: int | None = None,
    start_enquiry: bool = True,
    notes: str = "",
) -> StrategyDiscussion:
    """Record a strategy discussion and (by default) the s47 enquiry it starts on the same day."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
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
    errors.raise_if_any()
    discussion = create(
        StrategyDiscussion,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        referral=referral,
        held_on=held_on,
        notes=notes,
    )
    if start_enquiry:
        create(
            Section47Enquiry,
            actor=actor,
            child=child,
            la_id=child.la_id,
            child_id=child.pk,
            strategy_discussion=discussion,
            start_date=held_on,
        )
    return discussion


@transaction.atomic
def enquiry_complete(
    child: Child, enquiry_id: int, *, actor: Actor, version: int | None, end_date: date | None, outcome: str
) -> Section47Enquiry:
    """Record the end of an s47 enquiry and its outcome (conference, no further action, child in need plan)."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    enquiry = get_for_child(Section47Enquiry, child, enquiry_id)
    check_version(enquiry, version)
    errors = Errors()
    required(errors, "end_date", end_date)
    not_in_future(errors, "end_date", end_date)
    if end_date is not None and end_date < enquiry.start_date:
        errors.add(
            "end_date",
            _("The enquiry cannot end before it started (%(date)s).") % {"date": show(enquiry.start_date)},
        )
    code_in(errors, "outcome", outcome, Section47Enquiry.Outcome.values)
    errors.raise_if_any()
    return change(enquiry, {"end_date": end_date, "outcome": outcome}, actor=actor, child=child)


def _registration_errors(errors: Errors, child: Child, start_date: date | None, field: str) -> None:
    open_reg = Registration.objects.filter(child_id=child.pk, end_date__isnull=True).first()
    if open_reg is not None:
        errors.add(
            field,
            _("This child is already on the child protection register (since %(date)s).")
            % {"date": show(open_reg.start_date)},
        )
    elif start_date is not None:
        later = Registration.objects.filter(child_id=child.pk, end_date__gt=start_date).order_by("-end_date").first()
        if later is not None:
            errors.add(
                field,
                _("The child was on the register until %(date)s: a new registration cannot start before then.")
                % {"date": show(later.end_date)},
            )


def _register(
    child: Child, *, actor: Actor, start_date: date, category: str, subject: ConferenceSubject | None
) -> Registration:
    return create(
        Registration,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        registration_ref=new_ref("REG"),
        start_date=start_date,
        category=category,
        conference_subject=subject,
    )


@transaction.atomic
def conference_record(
    child: Child,
    *,
    actor: Actor,
    conference_date: date | None,
    outcome: str,
    category: str = "",
    invitations: Iterable[Invitation] = (),
) -> ConferenceSubject:
    """Record an initial child protection conference about ``child``: the agencies invited (whether each
    attended and sent a report) and the outcome. ``REGISTER`` puts the child on the register on the
    conference date under ``category``. The strategy date is that of the child's latest strategy
    discussion on or before the conference."""
    authorise(actor, child, section=SECTION, allowed=REVIEWING)
    child = lock_child(child)
    invitations = list(invitations)
    errors = Errors()
    required(errors, "conference_date", conference_date)
    not_in_future(errors, "conference_date", conference_date)
    code_in(errors, "outcome", outcome, schema.CONFERENCE_OUTCOME)
    if outcome == "REGISTER":
        code_in(errors, "category", category, schema.CP_CATEGORY)
        _registration_errors(errors, child, conference_date, "outcome")
    elif category:
        errors.add("category", _("A category is given only when the child is registered."))
    for inv in invitations:
        code_in(errors, "invitations", inv.agency, schema.AGENCY)
    if len({inv.agency for inv in invitations}) != len(invitations):
        errors.add("invitations", _("Each agency is listed once."))
    discussions = StrategyDiscussion.objects.filter(child_id=child.pk).order_by("-held_on")
    latest = discussions.first()
    discussion = None
    if latest is None:
        errors.add("conference_date", _("Record the strategy discussion first: a conference follows one."))
    elif conference_date is not None:
        discussion = discussions.filter(held_on__lte=conference_date).first()
        if discussion is None:
            errors.add(
                "conference_date",
                _("The conference cannot be before the strategy discussion (%(date)s).")
                % {"date": show(latest.held_on)},
            )
    errors.raise_if_any()
    assert conference_date is not None and discussion is not None
    conference = create(Conference, actor=actor, child=child, la_id=child.la_id, conference_ref=new_ref("CONF"))
    subject = create(
        ConferenceSubject,
        actor=actor,
        child=child,
        la_id=child.la_id,
        conference=conference,
        child_id=child.pk,
        conference_type="INITIAL",
        strategy_date=discussion.held_on,
        conference_date=conference_date,
        outcome=outcome,
        strategy_discussion=discussion,
    )
    for inv in invitations:
        create(
            ConferenceInvitation,
            actor=actor,
            child=child,
            la_id=child.la_id,
            conference=conference,
            agency=inv.agency,
            attended=flag(inv.attended),
            report_provided=flag(inv.report_provided),
        )
    if outcome == "REGISTER":
        _register(child, actor=actor, start_date=conference_date, category=category, subject=subject)
    return subject


@transaction.atomic
def registration_start(child: Child, *, actor: Actor, start_date: date | None, category: str) -> Registration:
    """Put the child on the register without an initial conference recorded here (e.g. a transfer in)."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "start_date", start_date)
    not_in_future(errors, "start_date", start_date)
    code_in(errors, "category", category, schema.CP_CATEGORY)
    _registration_errors(errors, child, start_date, "start_date")
    errors.raise_if_any()
    assert start_date is not None
    return _register(child, actor=actor, start_date=start_date, category=category, subject=None)


def _open_registration(child: Child, errors: Errors, field: str) -> Registration | None:
    reg = Registration.objects.select_for_update().filter(child_id=child.pk, end_date__isnull=True).first()
    if reg is None:
        errors.add(field, _("This child is not on the child protection register."))
    return reg


def _within(errors: Errors, field: str, reg: Registration | None, d: date | None, message: str) -> None:
    """``message`` (with ``%(date)s``, the registration date) when ``d`` is before the registration."""
    if reg is not None and d is not None and reg.start_date is not None and d < reg.start_date:
        errors.add(field, message % {"date": show(reg.start_date)})


@transaction.atomic
def core_group_record(child: Child, *, actor: Actor, held_on: date | None) -> CoreGroupMeeting:
    """Record a core group meeting of the open registration (the first one is also FIRST_CORE_GROUP)."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    reg = _open_registration(child, errors, "held_on")
    required(errors, "held_on", held_on)
    not_in_future(errors, "held_on", held_on)
    _within(errors, "held_on", reg, held_on, _("The core group cannot be before the registration (%(date)s)."))
    errors.raise_if_any()
    assert reg is not None and held_on is not None
    meeting = create(CoreGroupMeeting, actor=actor, child=child, registration=reg, held_on=held_on)
    if reg.first_core_group is None or held_on < reg.first_core_group:
        change(reg, {"first_core_group": held_on}, actor=actor, child=child)
    return meeting


@transaction.atomic
def cp_review_record(child: Child, *, actor: Actor, review_date: date | None) -> CPReview:
    """Record a child protection review conference of the open registration."""
    authorise(actor, child, section=SECTION, allowed=REVIEWING)
    child = lock_child(child)
    errors = Errors()
    reg = _open_registration(child, errors, "review_date")
    required(errors, "review_date", review_date)
    not_in_future(errors, "review_date", review_date)
    _within(errors, "review_date", reg, review_date, _("The review cannot be before the registration (%(date)s)."))
    errors.raise_if_any()
    return create(
        CPReview,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        registration=reg,
        review_date=review_date,
    )


@transaction.atomic
def registration_end(child: Child, *, actor: Actor, version: int | None, end_date: date | None) -> Registration:
    """De-register: end the open registration on ``end_date``."""
    authorise(actor, child, section=SECTION, allowed=REVIEWING)
    child = lock_child(child)
    errors = Errors()
    reg = _open_registration(child, errors, "end_date")
    errors.raise_if_any()
    assert reg is not None
    check_version(reg, version)
    required(errors, "end_date", end_date)
    not_in_future(errors, "end_date", end_date)
    _within(errors, "end_date", reg, end_date, _("De-registration cannot be before the registration (%(date)s)."))
    errors.raise_if_any()
    return change(reg, {"end_date": end_date}, actor=actor, child=child)
