"""Children, the people around them, their family relationships and addresses.

``Child`` is the centre of the record: every case row points at one. Its
``child_ref`` is the dataset's CHILD, unique within the LA (``la``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from diogel.dataset import schema

from .base import REF_LENGTH, EditableRecord, code_field, flag_field, in_order
from .organisation import LocalAuthority


class Child(EditableRecord):
    """A child known to an LA (dataset table ``children``)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="children")
    child_ref = models.CharField("child identifier (CHILD)", max_length=REF_LENGTH)
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    sex = code_field(schema.SEX, "sex (SEX)")
    date_of_birth = models.DateField("date of birth (DOB)", null=True, blank=True)
    ethnicity = code_field(schema.ETHNIC, "ethnicity (ETHNIC)")
    upn = models.CharField("unique pupil number (UPN)", max_length=20, blank=True, default="")
    disability = flag_field("disabled (DISABILITY)")
    date_of_death = models.DateField("date of death (DOD)", null=True, blank=True)

    class Meta:
        ordering = ("la", "child_ref")
        verbose_name_plural = "children"
        constraints = (models.UniqueConstraint(fields=["la", "child_ref"], name="cases_child_unique_ref_in_la"),)

    def __str__(self) -> str:
        return self.child_ref


class Person(EditableRecord):
    """An adult in a child's life (parent, carer, relative) recorded by the LA."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("family_name", "given_name")
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or f"person {self.pk}"


class FamilyRelationship(EditableRecord):
    """``child`` is related to exactly one of ``related_child`` (e.g. a sibling) or ``related_person``."""

    class Kind(models.TextChoices):
        PARENT = "PARENT", "parent"
        STEP_PARENT = "STEP_PARENT", "step-parent"
        SIBLING = "SIBLING", "sibling"
        HALF_SIBLING = "HALF_SIBLING", "half-sibling"
        GRANDPARENT = "GRANDPARENT", "grandparent"
        OTHER_RELATIVE = "OTHER_RELATIVE", "other relative"
        CARER = "CARER", "carer"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    related_child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="related_as_child"
    )
    related_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="related_as_person"
    )
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=(Q(related_child__isnull=False) & Q(related_person__isnull=True))
                | (Q(related_child__isnull=True) & Q(related_person__isnull=False)),
                name="cases_relationship_exactly_one_relative",
            ),
            models.CheckConstraint(
                condition=~Q(related_child=models.F("child")), name="cases_relationship_not_to_self"
            ),
        )


class Address(EditableRecord):
    """Where a child lived from ``start_date`` to ``end_date`` (blank while current)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=150, blank=True, default="")
    line_2 = models.CharField(max_length=150, blank=True, default="")
    town = models.CharField(max_length=100, blank=True, default="")
    postcode = models.CharField(max_length=10, blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        constraints = (in_order("end_date", "start_date", "cases_address_end_after_start"),)
