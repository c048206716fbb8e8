"""What each role may do with each kind of child of the security world, derived from the written rules
(``access/visibility.py``, ``performance/scope.py``, ``recording/services/_common.py``,
``record/services.py``, ``docs/child-record.md``) — not recorded from what the app answers.

Outcomes: ``"ok"`` (the page or data), ``"404"`` (not found, the same as a missing id), ``"403"``
(visible, but not theirs to do), ``"405"`` (wrong method: the same answer for everyone signed in).
"""

from __future__ import annotations

from dataclasses import dataclass

from diogel.access.roles import Role
from diogel.access.sections import Section
from diogel.recording.flows import FLOWS

ALL = frozenset(Section.values)
#: The health agreement of LA A opens referrals and health; the police agreement has expired.
HEALTH_AGREEMENT = frozenset({Section.REFERRALS, Section.HEALTH})

#: Sections of each (user, child kind) the rules open; every pair not listed sees nothing.
SEES: dict[tuple[str, str], frozenset[str]] = {
    ("sw", "own"): ALL,  # allocated to the social worker
    ("sw", "sealed"): ALL,  # allocated to them, and they are named on the seal
    ("manager", "own"): ALL,  # allocated to a worker of the managed team (A1)
    ("iro", "other_team"): ALL,  # assigned; other_la is another LA, sealed is sealed
    ("partner", "own"): HEALTH_AGREEMENT,  # health is involved, the agreement is in force in LA A
    ("partner", "other_team"): HEALTH_AGREEMENT,
    ("perf_granted", "own"): ALL,  # identifiable grant: LA A, sealed excepted
    ("perf_granted", "other_team"): ALL,
    ("inspector", "other_team"): ALL,  # the sample, within the window (sealed excepted)
    ("inspector", "other_la"): ALL,
}
#: The role through which each user covers the children listed for them in SEES.
ROLE = {
    "sw": Role.SOCIAL_WORKER,
    "manager": Role.TEAM_MANAGER,
    "iro": Role.IRO,
    "partner": Role.PARTNER,
    "perf_granted": Role.PERFORMANCE_OFFICER,
    "inspector": Role.INSPECTOR,
}
#: Who writes case notes (record/services.py WRITER_ROLES): LA practitioners and partners.
NOTE_WRITERS = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.PARTNER})
#: The author of every case note of the world.
NOTE_AUTHOR = "sw"


def sections(user: str, kind: str) -> frozenset[str]:
    return SEES.get((user, kind), frozenset())


@dataclass(frozen=True)
class Rule:
    """How one entry point decides. ``over``: what its parameter ranges over (child kinds, LAs, nothing)."""

    over: str = "none"  # "child" | "la" | "none"
    public: bool = False  # no sign-in needed
    methods: tuple[str, ...] = ("GET",)  # for pages; the API's come from the OpenAPI document

    def expect(self, user: str, kind: str | None) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Public(Rule):
    public: bool = True

    def expect(self, user: str, kind: str | None) -> str:
        return "ok"


@dataclass(frozen=True)
class SignedIn(Rule):
    """Any signed-in user; what it lists is filtered by visibility (lists, search, home)."""

    def expect(self, user: str, kind: str | None) -> str:
        return "ok"


@dataclass(frozen=True)
class AdminSite(Rule):
    """Django's admin: staff only (no one in the world is staff)."""

    def expect(self, user: str, kind: str | None) -> str:
        return "admin-login"


@dataclass(frozen=True)
class ChildRead(Rule):
    """Reading a child's record; ``section`` None means any section opens it (the overview)."""

    over: str = "child"
    section: str | None = None

    def expect(self, user: str, kind: str | None) -> str:
        seen = sections(user, kind or "")
        if not seen or (self.section is not None and self.section not in seen):
            return "404"
        return "ok"


@dataclass(frozen=True)
class NoteWrite(Rule):
    """Writing a case note or draft: the chronology must be open (else 404), and a writer role (else 403)."""

    over: str = "child"
    author_only: bool = False

    def expect(self, user: str, kind: str | None) -> str:
        if Section.CHRONOLOGY not in sections(user, kind or ""):
            return "404"
        if ROLE[user] not in NOTE_WRITERS:
            return "403"
        if self.author_only and user != NOTE_AUTHOR:
            return "403"
        return "ok"


@dataclass(frozen=True)
class Flow(Rule):
    """A recording flow: its section must be open (else 404); then a covering role the flow allows (else 403).
    Partners record only a school change where their agreement opens education (it does not here)."""

    over: str = "child"
    flow: str = ""

    def expect(self, user: str, kind: str | None) -> str:
        spec = FLOWS[self.flow]
        seen = sections(user, kind or "")
        if spec.section not in seen:
            return "404"
        role = ROLE[user]
        if role in spec.allowed or (role == Role.PARTNER and spec.section == Section.EDUCATION):
            return "ok"
        return "403"


@dataclass(frozen=True)
class AccessLog(Rule):
    """Who looked at the child: LA administrators of the child's LA, managers of the child's team; never a
    sealed record (sealed records are removed from every rule unless the user is named)."""

    over: str = "child"

    def expect(self, user: str, kind: str | None) -> str:
        if kind == "sealed":
            return "404"
        if user == "admin" and kind in ("own", "other_team"):
            return "ok"
        if user == "manager" and kind == "own":
            return "ok"
        return "404"


@dataclass(frozen=True)
class ManagedTeam(Rule):
    """A team's view and allocation: only the team's current manager (team A1: ``manager``)."""

    def expect(self, user: str, kind: str | None) -> str:
        return "ok" if user == "manager" else "404"


@dataclass(frozen=True)
class Allocate(Rule):
    """Allocating a child (in the body): visible (else 404), and the manager of the worker's team (else 403)."""

    over: str = "child"

    def expect(self, user: str, kind: str | None) -> str:
        if not sections(user, kind or ""):
            return "404"
        return "ok" if user == "manager" else "403"


# --- performance (performance/scope.py) -------------------------------------------------------------

LA_STAFF = {"sw", "manager", "iro", "admin", "perf", "perf_granted"}
LIST_USERS = {"sw", "manager", "iro", "perf", "perf_granted"}
#: LA kinds: own (LA A, Anglesey), region (LA B, Gwynedd, same region), far (Swansea, another region).
LA_KINDS = ("own_la", "region_la", "far_la")


@dataclass(frozen=True)
class PerfLA(Rule):
    """An LA's figures: own LA for LA staff; the region's LAs for board members; every LA for WG."""

    over: str = "la"

    def expect(self, user: str, kind: str | None) -> str:
        if user in LA_STAFF and kind == "own_la":
            return "ok"
        if user == "board" and kind in ("own_la", "region_la"):
            return "ok"
        if user == "wg":
            return "ok"
        return "404"


@dataclass(frozen=True)
class PerfChildren(Rule):
    """The child-level list: own LA for performance officers and practitioners (not administrators)."""

    over: str = "la"

    def expect(self, user: str, kind: str | None) -> str:
        return "ok" if user in LIST_USERS and kind == "own_la" else "404"


@dataclass(frozen=True)
class PerfNational(Rule):
    def expect(self, user: str, kind: str | None) -> str:
        return "ok" if user == "wg" else "404"


@dataclass(frozen=True)
class PerfRegion(Rule):
    """The region's (North Wales) board view: its board members and WG."""

    def expect(self, user: str, kind: str | None) -> str:
        return "ok" if user in ("board", "wg") else "404"


# --- the access pages (accessui/queries.py, accessui/views.py) ----------------------------------------

#: The roles each user of the world holds in an LA (all in LA A) through an active membership. Board
#: members, WG analysts and inspectors hold roles in no LA; ``nobody`` holds none; ``revoked``'s is revoked.
LA_ROLES_HELD: dict[str, frozenset[str]] = {
    "sw": frozenset({Role.SOCIAL_WORKER}),
    "manager": frozenset({Role.TEAM_MANAGER}),
    "iro": frozenset({Role.IRO}),
    "admin": frozenset({Role.LA_ADMIN}),
    "partner": frozenset({Role.PARTNER}),
    "partner_expired": frozenset({Role.PARTNER}),  # the membership is active; only the agreement expired
    "perf": frozenset({Role.PERFORMANCE_OFFICER}),
    "perf_granted": frozenset({Role.PERFORMANCE_OFFICER}),
}
#: The recipient of the world's one notification (the manager of the team of the child a grant opened).
NOTIFIED = "manager"


def la_roles(user: str) -> frozenset[str]:
    return LA_ROLES_HELD.get(user, frozenset())


@dataclass(frozen=True)
class ForRoles(Rule):
    """A page for holders of some roles in an LA (break-glass: SW, TM, IRO; reviews: TM); anyone else
    signed in gets 403 with a sentence saying who it is for."""

    roles: frozenset[str] = frozenset()

    def expect(self, user: str, kind: str | None) -> str:
        return "ok" if la_roles(user) & self.roles else "403"


@dataclass(frozen=True)
class Recipient(Rule):
    """One notification: its recipient only; anyone else's is "not found"."""

    def expect(self, user: str, kind: str | None) -> str:
        return "ok" if user == NOTIFIED else "404"


@dataclass(frozen=True)
class LAAdmin(Rule):
    """LA administration: an LA administrator (else 403), of that LA (another LA: 404)."""

    over: str = "la"

    def expect(self, user: str, kind: str | None) -> str:
        if Role.LA_ADMIN not in la_roles(user):
            return "403"
        return "ok" if kind == "own_la" else "404"
