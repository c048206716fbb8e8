"""Statutory visits to looked-after children and visits to registered children (``visits``)."""

from __future__ import annotations

from django.db import models

from diogel.dataset import schema

from .base import EditableRecord, code_field, flag_field
from .organisation import LocalAuthority, Worker
from .people import Child


class Visit(EditableRecord):
    """A visit of TYPE ``LAC`` or ``CP``, and whether the child was seen alone."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="visits")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField("visited (VISIT_DATE)", null=True, blank=True)
    visit_type = code_field(schema.VISIT_TYPE, "type (TYPE)")
    seen_alone = flag_field("seen alone (SEEN_ALONE)")
    worker = models.ForeignKey(Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits")
