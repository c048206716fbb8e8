"""The one write of the front door: :func:`new_child_referral` creates a child Diogel did not know, the
referral received about them and (for a social worker) their allocation, in one transaction, audited.

- **Who**: a social worker or team manager of the LA (else :class:`~diogel.access.errors.NotAllowedError`).
- **The child** gets a new ``child_ref`` (``CHILD-`` and 16 hex digits, unique within the LA).
- **Allocation**: a social worker with a worker record in the LA is allocated from today. A team manager's
  new child is left unallocated, so it waits in the team view's "awaiting allocation" list (the open
  referral makes it an open case: :func:`~diogel.access.visibility.awaiting_allocation`). Someone who would
  not be able to see the child afterwards (a social worker with no worker record, a manager of no team) is
  refused before anything is saved.
- **The referral** is recorded by the referral flow's own service
  (:func:`diogel.recording.services.referrals.referral_record`) when the actor can see the child through
  the allocation. A new child a manager leaves unallocated is not visible to anyone until the referral
  exists, so for that case the referral row is created with the recording flows' own ``create`` (the same
  fields, identifier style and audit entry) after the same checks (:func:`_check_referral` runs the
  referral flow's validation helpers for every path, so all problems are reported at once).
- **Sent twice**: ``token`` (the form's one-time token, the API's idempotency key) is stored with what
  it created; the same actor sending the same token again gets the first result back (``repeated``) and
  nothing is created twice, also when the two requests race (a unique constraint decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from diogel.access.roles import Role
from diogel.access.visibility import visible_children
from diogel.cases.models import Allocation, Child, LocalAuthority, Referral, Worker
from diogel.clock import today
from diogel.dataset import schema
from diogel.errors import UserError
from diogel.recording.services import _common as common
from diogel.recording.services.referrals import referral_record

from . import upn as upns
from .matching import normalise
from .models import Submission
from .queries import User, choose_la, intake_memberships

#: An unborn child's expected date may be this far ahead (a pregnancy is about 40 weeks) …
UNBORN_AHEAD_DAYS = 300
#: … or this far past (an overdue baby is still unborn).
UNBORN_OVERDUE_DAYS = 42
#: Children and young people (care leavers up to 25): a date of birth further back is a typing mistake.
OLDEST_YEARS = 26
TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class NewChildReferral:
    child: Child
    referral: Referral
    allocation: Allocation | None
    #: True when this was the same form (token) sent again: nothing new was created.
    repeated: bool = False


def check_child(
    errors: common.Errors,
    *,
    family_name: str,
    given_name: str,
    date_of_birth: date | None,
    unborn: bool,
    on: date,
) -> None:
    """The checks on who the child is that the search and the new record share."""
    if not (normalise(family_name) or normalise(given_name)) and date_of_birth is None:
        errors.add("family_name", _("Enter the child's name or their date of birth (at least one of them)."))
    for name, value in (("family_name", family_name), ("given_name", given_name)):
        if len(value) > 100:
            errors.add(name, _("A name can be at most 100 characters long."))
    if unborn:
        if date_of_birth is None:
            errors.add("date_of_birth", _("Enter the expected date of birth of the unborn child."))
        elif date_of_birth > on + timedelta(days=UNBORN_AHEAD_DAYS):
            errors.add("date_of_birth", _("The expected date of birth is more than 43 weeks away: check it."))
        elif date_of_birth < on - timedelta(days=UNBORN_OVERDUE_DAYS):
            errors.add(
                "date_of_birth",
                _("The expected date of birth is more than 6 weeks ago: if the child has been born, untick "
                  "“Not born yet” and give the date of birth."),
            )  # fmt: skip
    elif date_of_birth is not None:
        if date_of_birth > on:
            errors.add(
                "date_of_birth",
                _("The date of birth must not be in the future. If the child is not born yet, tick “Not born "
                  "yet” and give the expected date."),
            )  # fmt: skip
        elif date_of_birth.year < on.year - OLDEST_YEARS:
            errors.add("date_of_birth", _("This date of birth is too long ago for a child or young person."))


def _check_referral(
    errors: common.Errors, *, referral_date: date | None, source: str, primary_need: str,
    date_of_birth: date | None, unborn: bool,
) -> None:  # fmt: skip
    """The referral flow's checks (the same helpers), and: received no earlier than the birth."""
    common.required(errors, "referral_date", referral_date)
    common.not_in_future(errors, "referral_date", referral_date)
    common.code_in(errors, "source", source, schema.REFERRAL_SOURCE)
    common.code_in(errors, "primary_need", primary_need, schema.PRIMARY_NEED, blank=True)
    if referral_date is not None and date_of_birth is not None and not unborn and referral_date < date_of_birth:
        errors.add(
            "referral_date",
            _("The referral cannot be received before the child was born (%(date)s). For a referral before "
              "birth, tick “Not born yet”.") % {"date": common.show(date_of_birth)},
        )  # fmt: skip


def _new_child_ref(la: LocalAuthority) -> str:
    for _attempt in range(5):
        ref = common.new_ref("CHILD")
        if not Child.objects.filter(la_id=la.pk, child_ref=ref).exists():
            return ref
    raise UserError(_("A new identifier could not be made for the child. Please try again."))  # pragma: no cover


def _repeat(user_id: int, token: str) -> NewChildReferral | None:
    sub = Submission.objects.filter(user_id=user_id, token=token, child__isnull=False).first()
    if sub is None or sub.child is None or sub.referral is None:
        return None
    allocation = Allocation.objects.filter(child=sub.child).order_by("pk").first()
    return NewChildReferral(sub.child, sub.referral, allocation, repeated=True)


def _claim(user_id: int, token: str) -> Submission | NewChildReferral:
    """Claim ``token`` for this submission, or give back what an earlier one with it created."""
    earlier = _repeat(user_id, token)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return Submission.objects.create(user_id=user_id, token=token)
    except IntegrityError:
        # The same form is being saved by another request right now (or was, and failed): its
        # transaction has ended by the time the constraint answers.
        earlier = _repeat(user_id, token)
        if earlier is not None:
            return earlier
        raise UserError(_("This form is already being saved. Wait a moment, then look for the child.")) from None


@transaction.atomic
def new_child_referral(
    *,
    actor: User,
    family_name: str = "",
    given_name: str = "",
    date_of_birth: date | None = None,
    unborn: bool = False,
    sex: str = "",
    ethnicity: str = "",
    upn: str = "",
    disability: bool | None = None,
    referral_date: date | None = None,
    source: str = "",
    primary_need: str = "",
    la_id: int | str | None = None,
    token: str = "",
) -> NewChildReferral:
    """Create a child Diogel does not know yet, the referral received about them and (for a social worker)
    the allocation to them, in one transaction with an audit entry for each (see the module docstring).

    Raises ValidationError (field-keyed, nothing saved) for bad input, NotAllowedError for anyone who may not
    use the front door, UserError when the actor would not be able to see the child afterwards."""
    la = choose_la(actor, la_id)
    user_id: int = actor.pk  # type: ignore[assignment]  # signed in: choose_la refuses anyone else
    memberships = [m for m in intake_memberships(actor) if m.la_id == la.pk]
    if token and not TOKEN.match(token):
        raise ValidationError({"token": [ValidationError(_("The form's token is not valid: reload the page."))]})
    on = today()
    family_name, given_name, upn = family_name.strip(), given_name.strip(), upns.normalise(upn)
    errors = common.Errors()
    check_child(
        errors, family_name=family_name, given_name=given_name, date_of_birth=date_of_birth, unborn=unborn, on=on
    )
    common.code_in(errors, "sex", sex, schema.SEX)
    common.code_in(errors, "ethnicity", ethnicity, schema.ETHNIC, blank=True)
    if upn and not upns.well_formed(upn):
        errors.add(
            "upn",
            _("A unique pupil number is 13 characters: a letter, 11 digits, then a digit or letter "
              "(for example A123456789012)."),
        )  # fmt: skip
    elif upn and not upns.valid(upn):
        errors.add("upn", _("The first letter of this unique pupil number is not its check letter: check it."))
    _check_referral(
        errors, referral_date=referral_date, source=source, primary_need=primary_need,
        date_of_birth=date_of_birth, unborn=unborn,
    )  # fmt: skip
    errors.raise_if_any()

    worker = None
    if any(m.role == Role.SOCIAL_WORKER for m in memberships):
        worker = Worker.objects.filter(user_id=user_id, la_id=la.pk, active=True).order_by("pk").first()
    manages_team = any(m.role == Role.TEAM_MANAGER and m.team_id is not None for m in memberships)
    if worker is None and not manages_team:
        raise UserError(
            _("You have no worker record in %(la)s, so the child could not be allocated to you and you would "
              "not see their record. Ask your team manager to record this referral, or to add your worker "
              "record.") % {"la": la.name_en}
        )  # fmt: skip

    if token:
        claimed = _claim(user_id, token)
        if isinstance(claimed, NewChildReferral):
            return claimed
        submission: Submission | None = claimed
    else:
        submission = None

    child = common.create(
        Child,
        actor=actor,
        child=None,
        la_id=la.pk,
        child_ref=_new_child_ref(la),
        given_name=given_name,
        family_name=family_name,
        sex=sex,
        date_of_birth=date_of_birth,
        ethnicity=ethnicity,
        upn=upn,
        disability=common.flag(disability),
    )
    allocation = None
    if worker is not None:
        allocation = common.create(
            Allocation, actor=actor, child=child, la_id=la.pk, child_id=child.pk, worker_id=worker.pk, start_date=on
        )
        referral = referral_record(
            child, actor=actor, referral_date=referral_date, source=source, primary_need=primary_need
        )
    else:
        referral = common.create(
            Referral,
            actor=actor,
            child=child,
            la_id=la.pk,
            child_id=child.pk,
            referral_ref=common.new_ref("REF"),
            referral_date=referral_date,
            source=source,
            primary_need=primary_need,
        )
    if not visible_children(actor).filter(pk=child.pk).exists():
        # Safety net: never leave behind a record its author cannot open (rolls everything back).
        raise UserError(_("You would not be able to see this child's record afterwards, so nothing was saved."))
    if submission is not None:
        submission.child, submission.referral = child, referral
        submission.save(update_fields=["child", "referral"])
    return NewChildReferral(child, referral, allocation)
