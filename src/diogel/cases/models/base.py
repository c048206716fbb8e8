"""Building blocks shared by every case-record model.

- :class:`Record`: ``created_at`` / ``updated_at`` timestamps.
- :class:`EditableRecord`: adds ``version``, the counter that services will use
  for optimistic locking (compare-and-increment on every write).
- :func:`code_choices`: Django ``choices`` from a code list of the dataset
  standard, so codes are stored exactly as the dataset writes them.
- :func:`in_order`: the CHECK constraint "end is not before start" used for
  every dated pair of the standard.

Models hold data and constraints only: no ``save()`` logic, no signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import F, Q

CODE_LENGTH = 16  # longest code in the standard is 12 characters (LA_SERVICES, PATHWAY_PLAN)
REF_LENGTH = 64  # identifiers supplied by an LA's own system (CHILD, REFERRAL_ID …)

FLAG_CHOICES = [("Y", "Yes"), ("N", "No")]


def code_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """``choices`` for a code list: each code is its own label, in sorted order."""
    return [(c, c) for c in sorted(codes)]


def in_order(end: str, start: str, name: str) -> models.CheckConstraint:
    """CHECK that ``end`` is not before ``start`` when both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=f"{end} must not be before {start}.",
    )


def code_field(codes: Iterable[str], verbose_name: str) -> models.CharField:
    """An optional code of the standard (blank = not known)."""
    return models.CharField(verbose_name, max_length=CODE_LENGTH, choices=code_choices(codes), blank=True, default="")


def flag_field(verbose_name: str) -> models.CharField:
    """An optional Y/N flag of the standard (blank = not known)."""
    return models.CharField(verbose_name, max_length=1, choices=FLAG_CHOICES, blank=True, default="")


class Record(models.Model):
    """Every stored row knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EditableRecord(Record):
    """A row users edit: ``version`` is incremented by the service on each write."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
