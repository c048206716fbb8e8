"""A looked-after child's health: the health assessment of a placement (timescale rule 11) and the GP
registration (rule 12). Both are recorded only for a day the child was looked after."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Child, Episode, GPRegistration, HealthAssessment
from diogel.timescales.due import placement_of, placements
from diogel.timescales.records import ChildRecord, EpisodeRec

from ._common import (
    CASEWORK,
    Actor,
    Errors,
    authorise,
    create,
    lock_child,
    looked_after_on,
    not_before_birth,
    not_in_future,
    required,
    show,
)

#: The longest GP practice name kept.
PRACTICE_LENGTH = 200


def placements_of(child: Child) -> list[tuple[EpisodeRec, date, date | None]]:
    """Each placement of ``child`` as the timescales read it: (first episode, start, end), oldest first."""
    episodes = tuple(
        EpisodeRec(e.pk, e.decom, e.dec, e.rne, e.legal_status, e.placement, e.pl_post)
        for e in Episode.objects.filter(child_id=child.pk).order_by("decom", "pk")
    )
    return placements(ChildRecord(id=child.pk, episodes=episodes))


def _check_looked_after(errors: Errors, child: Child, field: str, d: date | None) -> None:
    if d is not None and field not in errors and not looked_after_on(child, d):
        errors.add(
            field, _("The child was not looked after on this date: this is recorded only for a looked-after child.")
        )


@transaction.atomic
def health_assessment_record(
    child: Child, *, actor: Actor, assessed_on: date | None, episode: int | None = None
) -> HealthAssessment:
    """Record a health assessment done on ``assessed_on``; ``episode`` (the id of the episode that starts a
    placement) says which placement it was for, else it counts for the placement of that day."""
    authorise(actor, child, section=Section.HEALTH, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "assessed_on", assessed_on)
    not_in_future(errors, "assessed_on", assessed_on)
    not_before_birth(errors, "assessed_on", assessed_on, child)
    _check_looked_after(errors, child, "assessed_on", assessed_on)
    chosen: Episode | None = None
    if episode is not None:
        chosen = Episode.objects.filter(child_id=child.pk, pk=episode).first()
        found = placements_of(child)
        start_id = placement_of(found, EpisodeRec(chosen.pk, chosen.decom)) if chosen is not None else None
        if start_id is None:
            errors.add("episode", _("Choose one of this child's placements."))
        elif assessed_on is not None and "assessed_on" not in errors:
            [(start, end)] = [(s, e) for first, s, e in found if first.id == start_id]
            if assessed_on < start or (end is not None and assessed_on > end):
                errors.add(
                    "assessed_on",
                    _("This date is outside the placement you chose (%(start)s to %(end)s).")
                    % {"start": show(start), "end": show(end) if end else _("now")},
                )
    errors.raise_if_any()
    return create(
        HealthAssessment,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        assessed_on=assessed_on,
        episode_id=chosen.pk if chosen is not None else None,
    )


@transaction.atomic
def gp_registration_record(
    child: Child, *, actor: Actor, registered_on: date | None, practice: str = ""
) -> GPRegistration:
    """Record that the child was registered with a GP practice on ``registered_on``."""
    authorise(actor, child, section=Section.HEALTH, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    practice = (practice or "").strip()
    required(errors, "registered_on", registered_on)
    not_in_future(errors, "registered_on", registered_on)
    not_before_birth(errors, "registered_on", registered_on, child)
    _check_looked_after(errors, child, "registered_on", registered_on)
    if len(practice) > PRACTICE_LENGTH:
        errors.add("practice", _("Keep this to %(n)s characters or fewer.") % {"n": PRACTICE_LENGTH})
    errors.raise_if_any()
    return create(
        GPRegistration,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        registered_on=registered_on,
        practice=practice,
    )
