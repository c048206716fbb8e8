"""Education of looked-after children: school changes and outcomes at 16.

Dataset tables: ``school_changes`` → :class:`SchoolChange`;
``education_outcomes`` → :class:`EducationOutcome`.
"""

from __future__ import annotations

from django.db import models

from .base import EditableRecord, flag_field
from .organisation import LocalAuthority
from .people import Child


class SchoolChange(EditableRecord):
    """A change of school; ``transitional`` is Y for a normal transition."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="school_changes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="school_changes")
    change_date = models.DateField("changed (CHANGE_DATE)", null=True, blank=True)
    transitional = flag_field("normal transition (TRANSITIONAL)")


class EducationOutcome(EditableRecord):
    """The final-year results of a looked-after child (ACADEMIC_YEAR 2008 means 2008/09)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="education_outcomes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="education_outcomes")
    academic_year = models.IntegerField("academic year (ACADEMIC_YEAR)", null=True, blank=True)
    points = models.FloatField("point score (POINTS)", null=True, blank=True)
    no_qualification = flag_field("no qualification (NO_QUALIFICATION)")
