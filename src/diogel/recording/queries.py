"""Reads for the recording pages and API. Every function starts from a child the caller obtained through
:func:`diogel.access.visibility.get_child_for` (or :func:`child_for_recording`), so visibility is applied first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Model, Q

from diogel.access.errors import NotFound
from diogel.access.sections import Section
from diogel.access.visibility import User, get_child_for, sections_for, visible_children
from diogel.cases.models import (
    Assessment,
    Child,
    Episode,
    Referral,
    Registration,
    Section47Enquiry,
)
from diogel.clock import today

from .services._common import looked_after_on, recording_roles, registered_on


def child_for_recording(actor: User | None, child_id: int | str) -> tuple[Child, frozenset[str]]:
    """The child (audited as viewed) and the sections ``actor`` sees of it; NotFound when not visible."""
    visible = visible_children(actor).filter(pk=int(child_id)).first() if str(child_id).isdigit() else None
    if visible is None:
        get_child_for(actor, child_id, section=Section.CHRONOLOGY)  # raises NotFound and audits the refusal
        raise NotFound()
    sections = sections_for(actor, visible)
    section = Section.CHRONOLOGY if Section.CHRONOLOGY in sections else min(sections)
    return get_child_for(actor, child_id, section=section), sections


def roles_over(actor: User | None, child: Child) -> frozenset[str]:
    """The roles through which ``actor`` covers ``child`` (what they may record follows from these)."""
    return recording_roles(actor, child)


def _one(model: type[Model], child: Child, pk: int | str | None) -> Model:
    obj = model._default_manager.filter(child_id=child.pk, pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise NotFound()
    return obj


def referral_of(child: Child, pk: int | str | None) -> Referral:
    return _one(Referral, child, pk)  # type: ignore[return-value]


def assessment_of(child: Child, pk: int | str | None) -> Assessment:
    return _one(Assessment, child, pk)  # type: ignore[return-value]


def enquiry_of(child: Child, pk: int | str | None) -> Section47Enquiry:
    return _one(Section47Enquiry, child, pk)  # type: ignore[return-value]


def open_episode_of(child: Child) -> Episode | None:
    return Episode.objects.filter(child_id=child.pk, dec__isnull=True).first()


def open_registration_of(child: Child) -> Registration | None:
    return Registration.objects.filter(child_id=child.pk, end_date__isnull=True).first()


def referrals_for_assessment(child: Child) -> list[Referral]:
    """The child's referrals an assessment may follow (not closed with NFA or INFO), newest first."""
    return list(
        Referral.objects.filter(child_id=child.pk)
        .exclude(decision__in=["NFA", "INFO"])
        .order_by("-referral_date", "-pk")
    )


def referrals_of(child: Child) -> list[Referral]:
    return list(Referral.objects.filter(child_id=child.pk).order_by("-referral_date", "-pk"))


@dataclass(frozen=True)
class OpenItems:
    """What is open on a child's record that a recording flow continues."""

    undecided_referrals: list[Referral]
    open_assessments: list[Assessment]
    open_enquiries: list[Section47Enquiry]
    registration: Registration | None
    episode: Episode | None
    looked_after: bool
    registered: bool


def open_items(child: Child, on: date | None = None) -> OpenItems:
    """A fixed number of queries, whatever the size of the record."""
    on = on or today()
    return OpenItems(
        undecided_referrals=list(
            Referral.objects.filter(child_id=child.pk).filter(Q(decision="") | Q(decision_date__isnull=True))
        ),
        open_assessments=list(Assessment.objects.filter(child_id=child.pk, completed_date__isnull=True)),
        open_enquiries=list(Section47Enquiry.objects.filter(child_id=child.pk, end_date__isnull=True)),
        registration=open_registration_of(child),
        episode=open_episode_of(child),
        looked_after=looked_after_on(child, on),
        registered=registered_on(child, on),
    )
