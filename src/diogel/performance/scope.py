"""Who may see which performance figures: the one place this is decided for the performance pages.

Built from the actor's active memberships (:func:`diogel.access.visibility.active_memberships`):

=====================  ===========================  ======================  =========================
role                   aggregates, unsuppressed     aggregates, suppressed  child-level list
=====================  ===========================  ======================  =========================
performance officer    own LA                       every LA (comparisons)  own LA: identifiable when
                                                                            ``Membership.identifiable``,
                                                                            otherwise pseudonymised
social worker, team    own LA                       every LA (comparisons)  own LA, only the children of
manager, IRO                                                                ``visible_children(actor)``
LA administrator       own LA                       every LA (comparisons)  none
board member           none                         LAs of their region     none
Welsh Government       none                         every LA; national view none
=====================  ===========================  ======================  =========================

Partners and inspectors have no performance pages. "Comparisons" are the other
LAs on an indicator's funnel plot and trend: published-grade figures, with
small numbers suppressed (:mod:`diogel.performance.suppression`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from diogel.access.roles import Role
from diogel.access.visibility import active_memberships
from diogel.cases.models import LocalAuthority
from diogel.dataset import schema

from .regions import REGIONS, Region, region_for_label

LA_STAFF = frozenset({Role.PERFORMANCE_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.LA_ADMIN})
LIST_ROLES = frozenset({Role.PERFORMANCE_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO})


@dataclass(frozen=True)
class Scope:
    full_las: frozenset[str] = frozenset()  # unsuppressed aggregates
    suppressed_las: frozenset[str] = frozenset()  # aggregates with small numbers suppressed
    regions: tuple[Region, ...] = ()  # board views open to the actor
    national: bool = False  # the all-LAs national view
    list_las: frozenset[str] = frozenset()  # LAs whose child-level lists the actor may open
    pseudonymised_las: frozenset[str] = frozenset()  # performance officers without the identifiable grant
    own_staff: bool = field(default=False)

    @property
    def las(self) -> frozenset[str]:
        """Every LA whose LA page the actor may open."""
        return self.full_las | self.suppressed_las

    @property
    def any(self) -> bool:
        return bool(self.las)

    def suppressed(self, la: str) -> bool:
        """True when ``la``'s figures are shown to the actor with small numbers suppressed."""
        return la not in self.full_las

    def may_compare(self) -> bool:
        """Every role with a performance page sees the other LAs on funnel plots (suppressed)."""
        return self.any


def scope_for(actor: AbstractBaseUser | AnonymousUser | None) -> Scope:
    """What ``actor`` may see of the performance figures (nothing for anonymous or role-less users)."""
    full: set[str] = set()
    suppressed: set[str] = set()
    regions: list[Region] = []
    national = False
    lists: set[str] = set()
    pseudonymised: set[str] = set()
    memberships = active_memberships(actor)
    codes = {la.pk: la.code for la in _las({m.la_id for m in memberships if m.la_id is not None})}
    for m in memberships:
        la = codes.get(m.la_id) if m.la_id is not None else None
        if m.role in LA_STAFF and la is not None:
            full.add(la)
            if m.role in LIST_ROLES:
                lists.add(la)
            if m.role == Role.PERFORMANCE_OFFICER and not m.identifiable:
                pseudonymised.add(la)
        elif m.role == Role.BOARD_MEMBER:
            region = region_for_label(m.region)
            if region is not None and region not in regions:
                regions.append(region)
                suppressed.update(region.las)
        elif m.role == Role.WG_ANALYST:
            national = True
            suppressed.update(schema.la_codes())
            regions = list(REGIONS)
    return Scope(
        full_las=frozenset(full),
        suppressed_las=frozenset(suppressed - full),
        regions=tuple(r for r in REGIONS if r in regions),
        national=national,
        list_las=frozenset(lists),
        pseudonymised_las=frozenset(pseudonymised),
        own_staff=bool(full),
    )


def _las(ids: set[int]) -> list[LocalAuthority]:
    return list(LocalAuthority.objects.filter(pk__in=ids).only("pk", "code"))
