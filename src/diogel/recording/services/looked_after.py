"""Periods of care, kept as SSDA903 episodes.

- :func:`care_start`: a new period of care, an episode with RNE ``S``.
- :func:`placement_change`: the open episode ends with REC ``X1`` and the next one opens the same day with
  RNE ``P`` (new placement and carer), ``B`` (new placement, same carer), or, when the legal status changes
  too, ``T`` / ``U``; the reason for the change is on the new episode (REASON_PLACE_CHANGE).
- :func:`legal_status_change`: the same, with RNE ``L`` and the placement carried over.
- :func:`episode_end`: care ends: DEC and REC (any reason but ``X1``, which means another episode follows).

Every change of the open episode carries the version the user saw.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from diogel.access.sections import Section
from diogel.cases.models import Child, Episode
from diogel.dataset import schema

from ._common import (
    CASEWORK,
    Actor,
    Errors,
    authorise,
    change,
    check_version,
    code_in,
    create,
    lock_child,
    not_in_future,
    open_episode,
    required,
    show,
)

SECTION = Section.LOOKED_AFTER
#: Episode columns carried from one episode to the next unless the change replaces them.
CARRIED = ("legal_status", "cin", "placement", "place_provider", "home_post", "pl_post", "urn")


def _require_open(errors: Errors, child: Child, field: str) -> Episode | None:
    episode = open_episode(child)
    if episode is None:
        errors.add(field, _("This child is not looked after: start a period of care first."))
    return episode


def _not_before_open(errors: Errors, field: str, episode: Episode | None, d: date | None) -> None:
    if episode is not None and episode.decom is not None and d is not None and d < episode.decom:
        errors.add(
            field,
            _("This cannot be before the current episode began (%(date)s).") % {"date": show(episode.decom)},
        )


def _next_episode(
    child: Child, current: Episode, *, actor: Actor, on: date, rne: str, **values: str
) -> tuple[Episode, Episode]:
    """End ``current`` on ``on`` with X1 and open the next episode the same day, with ``values`` replacing
    the carried columns."""
    closed = change(current, {"dec": on, "rec": "X1"}, actor=actor, child=child)
    carried = {name: getattr(current, name) for name in CARRIED}
    carried.update(values)
    carried.setdefault("reason_place_change", "")
    opened = create(
        Episode,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        decom=on,
        rne=rne,
        **carried,
    )
    return closed, opened


@transaction.atomic
def care_start(
    child: Child,
    *,
    actor: Actor,
    decom: date | None,
    legal_status: str,
    placement: str,
    place_provider: str = "",
    cin: str = "",
) -> Episode:
    """Start a period of care: the first episode, RNE ``S``."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    required(errors, "decom", decom)
    not_in_future(errors, "decom", decom)
    code_in(errors, "legal_status", legal_status, schema.LEGAL_STATUS)
    code_in(errors, "placement", placement, schema.PLACEMENT)
    code_in(errors, "place_provider", place_provider, schema.PLACE_PROVIDER, blank=True)
    code_in(errors, "cin", cin, schema.PRIMARY_NEED, blank=True)
    if decom is not None:
        clash = (
            Episode.objects.filter(child_id=child.pk)
            .filter(Q(dec__isnull=True) | Q(dec__gt=decom))
            .order_by("decom")
            .first()
        )
        if clash is not None:
            errors.add(
                "decom",
                _("This overlaps the child's episode that began on %(date)s: the child is already looked after.")
                % {"date": show(clash.decom)},
            )
    errors.raise_if_any()
    return create(
        Episode,
        actor=actor,
        child=child,
        la_id=child.la_id,
        child_id=child.pk,
        decom=decom,
        rne="S",
        legal_status=legal_status,
        placement=placement,
        place_provider=place_provider,
        cin=cin,
    )


@transaction.atomic
def placement_change(
    child: Child,
    *,
    actor: Actor,
    version: int | None,
    changed_on: date | None,
    placement: str,
    reason: str,
    same_carer: bool = False,
    place_provider: str = "",
    legal_status: str = "",
) -> Episode:
    """Move the child to a new placement (see the module docstring for RNE); returns the new episode."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    current = _require_open(errors, child, "changed_on")
    errors.raise_if_any()
    assert current is not None
    check_version(current, version)
    required(errors, "changed_on", changed_on)
    not_in_future(errors, "changed_on", changed_on)
    _not_before_open(errors, "changed_on", current, changed_on)
    code_in(errors, "placement", placement, schema.PLACEMENT)
    code_in(errors, "reason", reason, schema.REASON_PLACE_CHANGE)
    code_in(errors, "place_provider", place_provider, schema.PLACE_PROVIDER, blank=True)
    code_in(errors, "legal_status", legal_status, schema.LEGAL_STATUS, blank=True)
    errors.raise_if_any()
    assert changed_on is not None
    status_changes = legal_status not in ("", current.legal_status)
    rne = ("U" if same_carer else "T") if status_changes else ("B" if same_carer else "P")
    _closed, opened = _next_episode(
        child,
        current,
        actor=actor,
        on=changed_on,
        rne=rne,
        placement=placement,
        place_provider=place_provider,
        legal_status=legal_status or current.legal_status,
        pl_post="",
        urn="",
        reason_place_change=reason,
    )
    return opened


@transaction.atomic
def legal_status_change(
    child: Child, *, actor: Actor, version: int | None, changed_on: date | None, legal_status: str
) -> Episode:
    """Change the legal status only (RNE ``L``); the placement is carried over. Returns the new episode."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    current = _require_open(errors, child, "changed_on")
    errors.raise_if_any()
    assert current is not None
    check_version(current, version)
    required(errors, "changed_on", changed_on)
    not_in_future(errors, "changed_on", changed_on)
    _not_before_open(errors, "changed_on", current, changed_on)
    code_in(errors, "legal_status", legal_status, schema.LEGAL_STATUS)
    if legal_status and legal_status == current.legal_status:
        errors.add("legal_status", _("This is already the child's legal status."))
    errors.raise_if_any()
    assert changed_on is not None
    _closed, opened = _next_episode(child, current, actor=actor, on=changed_on, rne="L", legal_status=legal_status)
    return opened


@transaction.atomic
def episode_end(child: Child, *, actor: Actor, version: int | None, dec: date | None, rec: str) -> Episode:
    """End the period of care: the open episode ceases on ``dec`` for reason ``rec``."""
    authorise(actor, child, section=SECTION, allowed=CASEWORK)
    child = lock_child(child)
    errors = Errors()
    current = _require_open(errors, child, "dec")
    errors.raise_if_any()
    assert current is not None
    check_version(current, version)
    required(errors, "dec", dec)
    not_in_future(errors, "dec", dec)
    if current.decom is not None and dec is not None and dec < current.decom:
        errors.add(
            "dec",
            _("The episode cannot end before it starts (%(date)s).") % {"date": show(current.decom)},
        )
    code_in(errors, "rec", rec, schema.REASON_EPISODE_CEASED)
    if rec == "X1":
        errors.add("rec", _("X1 means another episode follows: record a change of placement or legal status instead."))
    errors.raise_if_any()
    return change(current, {"dec": dec, "rec": rec}, actor=actor, child=child)
