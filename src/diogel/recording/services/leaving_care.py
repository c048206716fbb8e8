"""Care leavers: the pathway assessment of an eligible young person (from 16) and the contact at the 19th
birthday (SSDA903 OC3)."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import CareLeaverContact, Child, Episode, PathwayAssessment
from diogel.clock import today
from diogel.dataset import schema
from diogel.errors import UserError
from diogel.workdays import add_months

from ._common import CASEWORK, Actor, Errors, authorise, code_in, create, lock_child, not_in_future, required, show

#: SSDA903 OC3 accommodation letters (the ACCOM code is the letter then 1 suitable / 2 unsuitable).
ACCOMMODATION_TYPES = frozenset("BCDEGHKRSTUVWXYZ")


def birthday_19(child: Child) -> date | None:
    return add_months(child.date_of_birth, 12 * 19) if child.date_of_birth else None


@transaction.atomic
def care_leaver_contact_record(
    child: Child,
    *,
    actor: Actor,
    in_touch: str,
    activity: str = "",
    accommodation_type: str = "",
    accommodation_suitable: bool | None = None,
) -> CareLeaverContact:
    """Record whether the LA was in touch at 19 and, if so, the young person's activity and accommodation."""
    authorise(actor, child, section=Section.LEAVING_CARE, allowed=CASEWORK)
    child = lock_child(child)
    birthday = birthday_19(child)
    if birthday is None:
        raise UserError(_("The young person's date of birth is not recorded, so their 19th birthday is not known."))
    errors = Errors()
    existing = CareLeaverContact.objects.filter(child_id=child.pk).first()
    if existing is not None:
        errors.add("in_touch", _("The contact at 19 is already recorded for this young person."))
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
    if birthday > add_months(today(), 3):
        errors.add(
            "in_touch", _("The 19th birthday is %(date)s: it is too early to record this.") % {"date": show(birthday)}
        )
    errors.raise_if_any()
    return create(
        CareLeaverContact,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        birthday_19=birthday,
        in_touch=in_touch,
        activity=activity if in_touch == "YES" else "",
        accommodation=accommodation,
    )


def birthday_16(child: Child) -> date | None:
    return add_months(child.date_of_birth, 12 * 16) if child.date_of_birth else None


@transaction.atomic
def pathway_assessment_record(child: Child, *, actor: Actor, completed_on: date | None) -> PathwayAssessment:
    """Record that the pathway assessment of a young person aged 16 or over was completed (timescale rule 20)."""
    authorise(actor, child, section=Section.LEAVING_CARE, allowed=CASEWORK)
    child = lock_child(child)
    birthday = birthday_16(child)
    if birthday is None:
        raise UserError(_("The young person's date of birth is not recorded, so their 16th birthday is not known."))
    errors = Errors()
    required(errors, "completed_on", completed_on)
    not_in_future(errors, "completed_on", completed_on)
    if completed_on is not None and "completed_on" not in errors:
        if completed_on < birthday:
            errors.add(
                "completed_on",
                _("A pathway assessment is for a young person aged 16 or over: the 16th birthday is %(date)s.")
                % {"date": show(birthday)},
            )
        elif not Episode.objects.filter(child_id=child.pk, decom__lte=completed_on).exists():
            errors.add("completed_on", _("The young person had not been looked after by this date."))
    errors.raise_if_any()
    return create(
        PathwayAssessment,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        completed_on=completed_on,
    )
