"""Reads of the front door: who may use it, in which LAs, and the check for existing records.

The check looks at every child of the actor's LA (a duplicate record is a safeguarding risk whoever holds
it), but gives back only the children :func:`~diogel.access.visibility.visible_children` lets the actor see;
of the others it gives back a **count**, nothing else. Every check is audited (``SEARCH``: who searched,
for what, how many visible and how many hidden matches).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotAllowedError
from diogel.access.models import Membership
from diogel.access.roles import Role
from diogel.access.visibility import active_memberships, visible_children
from diogel.audit.events import AuditEvent
from diogel.cases.models import Child, LocalAuthority
from diogel.clock import today

from .matching import Criteria

User = AbstractBaseUser | AnonymousUser
#: Who takes referrals at the front door.
INTAKE_ROLES: frozenset[str] = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
#: At most this many visible matches are listed (the count says how many there are).
MAX_LISTED = 50


def refused() -> NotAllowedError:
    return NotAllowedError(
        _("Only social workers and team managers of a local authority can record a referral for a new child.")
    )


def intake_memberships(actor: User | None) -> list[Membership]:
    """The actor's active social worker and team manager memberships (each in one LA)."""
    return [m for m in active_memberships(actor) if m.role in INTAKE_ROLES and m.la_id is not None]


def intake_las(actor: User | None) -> list[LocalAuthority]:
    """The LAs in which the actor may take a referral for a new child, by name; none: refused."""
    ids = {m.la_id for m in intake_memberships(actor) if m.la_id is not None}
    return list(LocalAuthority.objects.filter(pk__in=ids).order_by("name_en"))


def may_take_referrals(actor: User | None) -> bool:
    return bool(intake_memberships(actor))


def choose_la(actor: User | None, la_id: int | str | None) -> LocalAuthority:
    """The LA the actor works in for this referral: ``la_id`` when given (it must be one of theirs), else
    their only one. Refused (NotAllowedError) when they have none."""
    las = intake_las(actor)
    if not las:
        raise refused()
    if la_id in (None, ""):
        return las[0]
    for la in las:
        if str(la.pk) == str(la_id):
            return la
    raise refused()


@dataclass
class Matches:
    """The result of a check: the matching children the actor may open, and how many others match."""

    criteria: Criteria
    la: LocalAuthority
    visible: list[Child] = field(default_factory=list)
    visible_count: int = 0
    hidden: int = 0

    @property
    def total(self) -> int:
        return self.visible_count + self.hidden


def _candidates(la: LocalAuthority, criteria: Criteria) -> QuerySet[Child]:
    children = Child.objects.filter(la_id=la.pk)
    window = criteria.birth_window(today())
    if window is not None:
        children = children.filter(date_of_birth__gte=window[0], date_of_birth__lte=window[1])
    return children


def find_matches(actor: User, criteria: Criteria, *, la_id: int | str | None = None) -> Matches:
    """Children of the actor's LA who may be the child of ``criteria`` (the rule: :mod:`.matching`), the
    check audited. Refused (NotAllowedError) for anyone but a social worker or team manager of an LA."""
    la = choose_la(actor, la_id)
    on = today()
    rows = _candidates(la, criteria).values_list("pk", "given_name", "family_name", "sex", "date_of_birth")
    matched = [
        pk
        for pk, given, family, sex, dob in rows.iterator(chunk_size=2000)
        if criteria.matches(given_name=given, family_name=family, sex=sex, date_of_birth=dob, on=on)
    ]
    seen = visible_children(actor).filter(pk__in=matched)
    visible_ids = set(seen.values_list("pk", flat=True))
    result = Matches(criteria=criteria, la=la, visible_count=len(visible_ids), hidden=len(matched) - len(visible_ids))
    result.visible = list(
        Child.objects.filter(pk__in=visible_ids).order_by("family_name", "given_name", "date_of_birth", "pk")[
            :MAX_LISTED
        ]
    )
    with transaction.atomic():
        audit.record(
            actor=actor,
            event=AuditEvent.SEARCH,
            la=la,
            detail={
                "search": "intake",
                "family_name": criteria.family_name,
                "given_name": criteria.given_name,
                "date_of_birth": criteria.date_of_birth,
                "unborn": criteria.unborn,
                "approximate_age": criteria.approximate_age,
                "sex": criteria.sex,
                "results": result.visible_count,
                "hidden_matches": result.hidden,
            },
        )
    return result
