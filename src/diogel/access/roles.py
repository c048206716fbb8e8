"""The roles a person can hold. Each has exactly one visibility rule in :mod:`diogel.access.visibility`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "SOCIAL_WORKER", _("social worker")
    TEAM_MANAGER = "TEAM_MANAGER", _("team manager")
    IRO = "IRO", _("independent reviewing officer")
    LA_ADMIN = "LA_ADMIN", _("local authority administrator")
    PARTNER = "PARTNER", _("partner-agency practitioner")
    PERFORMANCE_OFFICER = "PERFORMANCE_OFFICER", _("performance officer")
    BOARD_MEMBER = "BOARD_MEMBER", _("safeguarding board member")
    WG_ANALYST = "WG_ANALYST", _("Welsh Government analyst")
    INSPECTOR = "INSPECTOR", _("inspector")


#: Roles that can see identifiable case content, so must use two-factor authentication.
CASE_CONTENT_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.PARTNER, Role.INSPECTOR, Role.PERFORMANCE_OFFICER}
)
#: Roles that see aggregates only, with small numbers suppressed.
AGGREGATE_ONLY_ROLES = frozenset({Role.BOARD_MEMBER, Role.WG_ANALYST})
#: Roles that may ask for emergency (break-glass) access to a child of their own LA.
BREAK_GLASS_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO})
#: Roles held within one LA (``Membership.la`` is required).
LA_ROLES = frozenset(set(Role) - {Role.BOARD_MEMBER, Role.WG_ANALYST, Role.INSPECTOR})
