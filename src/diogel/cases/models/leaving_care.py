"""Care leavers: the contact at the young person's 19th birthday (SSDA903 OC3, ``care_leavers``)."""

from __future__ import annotations

from django.db import models

from diogel.dataset import schema

from .base import EditableRecord, code_field
from .organisation import LocalAuthority
from .people import Child


class CareLeaverContact(EditableRecord):
    """Whether the LA was in touch at 19, and the young person's activity and accommodation."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="care_leaver_contacts")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_leaver_contacts")
    birthday_19 = models.DateField("19th birthday (BIRTHDAY_19)", null=True, blank=True)
    in_touch = code_field(schema.IN_TOUCH, "in touch (IN_TOUCH)")
    activity = code_field(schema.ACTIVITY, "main activity (ACTIV)")
    # Free-form in the standard (SSDA903 letter + 1/2, or 0), checked by pattern, not a code list.
    accommodation = models.CharField("accommodation (ACCOM)", max_length=4, blank=True, default="")
