"""Reading a child's record: every function starts from the actor's visible set (:mod:`diogel.access.visibility`).

- :func:`children_search`: children by name, identifier or date of birth, over
  ``visible_children(actor)`` only (sealed records never appear), audited as a search;
- :func:`child_overview`: the header and one block per section the actor may see;
- :func:`child_chronology` / :func:`chronology_export`: the timeline (the export audited as an export);
- :func:`child_involved`: who else is involved and how to reach them;
- :func:`access_log` / :func:`access_log_export`: who has looked at this child
  (team managers of the child and administrators of the child's LA), audited itself;
- :func:`own_draft`: the note the actor was writing.

"Not found" and "not allowed" are the same :class:`~diogel.access.errors.NotFound`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.models import IROAssignment, Membership, PartnerInvolvement
from diogel.access.roles import Role
from diogel.access.sections import ALL_SECTIONS, Section
from diogel.access.visibility import (
    active_memberships,
    get_child_for,
    open_child_for,
    sealed_from,
    team_manager_rule,
    visible_children,
)
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases import models as m
from diogel.clock import today

from . import chronology as chron
from . import labels
from .models import CaseNote, NoteDraft

User = AbstractBaseUser | AnonymousUser
SEARCH_PAGE_SIZE = 25
ACCESS_LOG_PAGE_SIZE = 50
#: The section a look at the whole record is recorded against: the first of these the actor may see.
OVERVIEW_ORDER = (
    Section.CHRONOLOGY,
    Section.REFERRALS,
    Section.ASSESSMENTS,
    Section.CHILD_PROTECTION,
    Section.LOOKED_AFTER,
    Section.LEAVING_CARE,
    Section.EDUCATION,
    Section.HEALTH,
)
SIBLING_KINDS = (m.FamilyRelationship.Kind.SIBLING, m.FamilyRelationship.Kind.HALF_SIBLING)


def _pk(child_id: int | str) -> int:
    try:
        return int(child_id)
    except (TypeError, ValueError):
        raise NotFound() from None


def child_name(child: m.Child) -> str:
    return f"{child.given_name} {child.family_name}".strip() or _("Name not recorded")


def age_on(dob: date | None, on: date) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def la_name(la: m.LocalAuthority) -> str:
    return la.name_cy if (get_language() or "en").startswith("cy") else la.name_en


# --- search ----------------------------------------------------------------------------------------


def children_search(actor: User, *, q: str = "", dob: date | None = None, page: int | str = 1) -> Page[m.Child]:
    """Visible children matching every word of ``q`` (name or identifier) and ``dob``; one page, audited."""
    children = visible_children(actor).select_related("la")
    words = q.split()
    for word in words:
        children = children.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(child_ref__icontains=word)
            | Q(upn__iexact=word)
        )
    if dob is not None:
        children = children.filter(date_of_birth=dob)
    children = children.order_by("family_name", "given_name", "pk")
    result = Paginator(children, SEARCH_PAGE_SIZE).get_page(page)
    with transaction.atomic():
        if words or dob is not None:
            detail = {"q": q, "dob": dob, "page": result.number, "results": result.paginator.count}
            audit.record(actor=actor, event=AuditEvent.SEARCH, detail=detail)
        else:
            detail = {"page": result.number, "results": result.paginator.count}
            audit.record(actor=actor, event=AuditEvent.CHILD_LIST_VIEWED, detail=detail)
    return result


# --- opening a child -------------------------------------------------------------------------------


def open_child(actor: User, child_id: int | str, *, view: str = "record") -> tuple[m.Child, frozenset[str]]:
    """The child and the sections ``actor`` may see of it, the look audited (against the first visible
    section of :data:`OVERVIEW_ORDER`); :class:`NotFound` when the child is missing or not visible."""
    pk = _pk(child_id)
    return open_child_for(
        actor, pk, lambda sections: next((s for s in OVERVIEW_ORDER if s in sections), Section.CHRONOLOGY)
    )


def _chronology(sections: frozenset[str]) -> str:
    """For :func:`open_child_for`: the pages that need the chronology section, whatever else is visible."""
    return Section.CHRONOLOGY


# --- the header and sections ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sibling:
    name: str
    kind: str
    #: The sibling's id when the actor may open their record; None otherwise.
    child_id: int | None


@dataclass
class Header:
    name: str
    ref: str
    la: str
    date_of_birth: date | None
    age: int | None
    sex: str
    date_of_death: date | None
    #: None: this section is not open to the actor; False-y episode: not looked after.
    looked_after_visible: bool
    episode: m.Episode | None
    legal_status: str
    placement: str
    protection_visible: bool
    registration: m.Registration | None
    category: str
    referrals_visible: bool
    episode_of_need: m.Referral | None
    allocation: m.Allocation | None
    siblings: list[Sibling]
    alerts: list[str]
    #: Outstanding timescales (None: not shown to this actor, who does not see every section).
    due: list[Any] | None
    overdue: int = 0


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    @property
    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        """Each cell with its column's header (the label a stacked table shows on a phone)."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass
class Block:
    section: str
    title: str
    tables: list[Table] = field(default_factory=list)
    text: str = ""


@dataclass
class Overview:
    child: m.Child
    sections: frozenset[str]
    header: Header
    blocks: list[Block]
    draft: NoteDraft | None
    can_write: bool


def _current_allocation(child: m.Child, on: date) -> m.Allocation | None:
    return (
        m.Allocation.objects.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            child_id=child.pk,
        )
        .select_related("worker__team", "worker__user")
        .order_by("-start_date", "-pk")
        .first()
    )


def _siblings(actor: User, child: m.Child) -> list[Sibling]:
    rels = m.FamilyRelationship.objects.filter(
        Q(child_id=child.pk, related_child__isnull=False) | Q(related_child_id=child.pk), kind__in=SIBLING_KINDS
    ).select_related("child", "related_child")
    others: dict[int, tuple[m.Child, str]] = {}
    for r in rels:
        other = r.related_child if r.child_id == child.pk else r.child
        if other is not None and other.pk != child.pk:
            others.setdefault(other.pk, (other, r.get_kind_display()))
    if not others:
        return []
    visible = set(visible_children(actor).filter(pk__in=list(others)).values_list("pk", flat=True))
    kinds = {m.FamilyRelationship.Kind.SIBLING.label: _("sibling"), "half-sibling": _("half-sibling")}
    result = []
    for pk, (other, kind) in sorted(others.items(), key=lambda kv: (kv[1][0].date_of_birth or date.min, kv[0])):
        if pk in visible:
            result.append(Sibling(child_name(other), kinds.get(kind, kind), pk))
        else:
            result.append(Sibling(_("A sibling whose record you cannot see"), kinds.get(kind, kind), None))
    return result


def _due(child: m.Child, sections: frozenset[str]) -> list[Any] | None:
    if sections != ALL_SECTIONS:
        return None
    try:
        from diogel.timescales.from_models import due_for_child
    except ImportError:  # pragma: no cover - the timescales area is a colleague's, built alongside
        return None
    items = [i for i in due_for_child(child) if i.is_open]
    return sorted(items, key=lambda i: (i.deadline, i.rule.number))


def can_write_notes(actor: User, child: m.Child, sections: frozenset[str]) -> bool:
    from .services import WRITER_ROLES

    return Section.CHRONOLOGY in sections and any(mb.role in WRITER_ROLES for mb in active_memberships(actor))


def child_header(actor: User, child_id: int | str) -> tuple[m.Child, frozenset[str], Header]:
    """The child, the sections ``actor`` may see and the header alone (the API's header: no section blocks);
    the look audited as :func:`child_overview` audits it."""
    child, sections = open_child(actor, child_id)
    header, _rows = _header(actor, child, sections)
    return child, sections, header


def _header(
    actor: User, child: m.Child, sections: frozenset[str]
) -> tuple[Header, tuple[list[m.Episode], list[m.Registration], list[m.Referral]]]:
    """The header, and the episodes, registrations and referrals read for it (the blocks show them too)."""
    on = today()
    end = child.date_of_death if child.date_of_death and child.date_of_death < on else on
    lac = Section.LOOKED_AFTER in sections
    cp = Section.CHILD_PROTECTION in sections
    refs = Section.REFERRALS in sections
    episodes = list(m.Episode.objects.filter(child_id=child.pk).order_by("decom", "pk")) if lac else []
    registrations = list(m.Registration.objects.filter(child_id=child.pk).order_by("start_date")) if cp else []
    referrals = list(m.Referral.objects.filter(child_id=child.pk).order_by("referral_date", "pk")) if refs else []
    open_episode = next((e for e in episodes if e.dec is None), None)
    open_registration = next((r for r in registrations if r.end_date is None), None)
    need = next(
        (
            r
            for r in reversed(referrals)
            if r.closure_date is None and r.decision and r.decision != "NFA" and r.referral_date
        ),
        None,
    )
    due = _due(child, sections)
    overdue = sum(1 for i in due or [] if i.status == "overdue")
    alerts: list[str] = []
    if child.date_of_death:
        alerts.append(_("Died on %(date)s.") % {"date": _fmt(child.date_of_death)})
    if open_registration is not None:
        alerts.append(_("On the child protection register."))
    if overdue:
        alerts.append(_("%(n)d statutory timescale(s) overdue.") % {"n": overdue})
    header = Header(
        name=child_name(child),
        ref=child.child_ref,
        la=la_name(child.la),
        date_of_birth=child.date_of_birth,
        age=age_on(child.date_of_birth, end),
        sex=labels.with_words(child.sex, labels.SEX) if child.sex else "",
        date_of_death=child.date_of_death,
        looked_after_visible=lac,
        episode=open_episode,
        legal_status=labels.legal_status(open_episode.legal_status) if open_episode else "",
        placement=labels.placement(open_episode.placement) if open_episode else "",
        protection_visible=cp,
        registration=open_registration,
        category=labels.cp_category(open_registration.category) if open_registration else "",
        referrals_visible=refs,
        episode_of_need=need,
        allocation=_current_allocation(child, on),
        siblings=_siblings(actor, child),
        alerts=alerts,
        due=due,
        overdue=overdue,
    )
    return header, (episodes, registrations, referrals)


def child_overview(actor: User, child_id: int | str) -> Overview:
    child, sections = open_child(actor, child_id)
    header, (episodes, registrations, referrals) = _header(actor, child, sections)
    lac = Section.LOOKED_AFTER in sections
    cp = Section.CHILD_PROTECTION in sections
    refs = Section.REFERRALS in sections
    blocks: list[Block] = []
    nr = _("not recorded")
    if refs:
        blocks.append(
            Block(
                Section.REFERRALS,
                _("Referrals"),
                [
                    Table(
                        _("Referrals"),
                        (_("Received"), _("Reference"), _("Decision"), _("Episode of need closed")),
                        [
                            (
                                r.referral_date,
                                r.referral_ref,
                                labels.with_words(r.decision, labels.REFERRAL_DECISION) or nr,
                                r.closure_date,
                            )
                            for r in referrals
                        ],
                    )
                ],
            )
        )
    if Section.ASSESSMENTS in sections:
        rows = m.Assessment.objects.filter(child_id=child.pk).order_by("start_date", "pk")
        blocks.append(
            Block(
                Section.ASSESSMENTS,
                _("Assessments"),
                [
                    Table(
                        _("Assessments"),
                        (_("Started"), _("Type"), _("Completed"), _("Child seen")),
                        [(a.start_date, a.assessment_type.lower() or nr, a.completed_date, a.seen or nr) for a in rows],
                    )
                ],
            )
        )
    if cp:
        reviews = m.CPReview.objects.filter(child_id=child.pk).order_by("review_date")
        blocks.append(
            Block(
                Section.CHILD_PROTECTION,
                _("Child protection"),
                [
                    Table(
                        _("Periods on the register"),
                        (_("Registered"), _("Category"), _("De-registered")),
                        [(r.start_date, labels.cp_category(r.category) or nr, r.end_date) for r in registrations],
                    ),
                    Table(_("Child protection reviews"), (_("Held"),), [(r.review_date,) for r in reviews]),
                ],
            )
        )
    if lac:
        lac_reviews = m.LookedAfterReview.objects.filter(child_id=child.pk).order_by("review_date")
        blocks.append(
            Block(
                Section.LOOKED_AFTER,
                _("Looked after"),
                [
                    Table(
                        _("Episodes of care"),
                        (_("Began"), _("Legal status"), _("Placement"), _("Ended")),
                        [
                            (
                                e.decom,
                                labels.legal_status(e.legal_status) or nr,
                                labels.placement(e.placement) or nr,
                                e.dec,
                            )
                            for e in episodes
                        ],
                    ),
                    Table(_("Looked-after reviews"), (_("Held"),), [(r.review_date,) for r in lac_reviews]),
                ],
            )
        )
    if Section.EDUCATION in sections:
        changes = m.SchoolChange.objects.filter(child_id=child.pk).order_by("change_date")
        blocks.append(
            Block(
                Section.EDUCATION,
                _("Education"),
                [
                    Table(
                        _("Changes of school"),
                        (_("Changed"), _("Normal transition")),
                        [(s.change_date, s.transitional or nr) for s in changes],
                    )
                ],
            )
        )
    if Section.HEALTH in sections:
        notes = CaseNote.objects.filter(child_id=child.pk, agency__kind="HEALTH").select_related("agency")
        blocks.append(
            Block(
                Section.HEALTH,
                _("Health"),
                [
                    Table(
                        _("Notes from health agencies"),
                        (_("Date"), _("Agency"), _("Note")),
                        [
                            (n.occurred_on, n.agency.name if n.agency else "", n.text)
                            for n in notes.order_by("-occurred_on")
                        ],
                    )
                ],
                _("Health records are held by the health board; its practitioners' notes appear here."),
            )
        )
    if Section.LEAVING_CARE in sections:
        contacts = m.CareLeaverContact.objects.filter(child_id=child.pk).order_by("birthday_19")
        blocks.append(
            Block(
                Section.LEAVING_CARE,
                _("Leaving care"),
                [
                    Table(
                        _("Contact at 19"),
                        (_("19th birthday"), _("In touch"), _("Activity"), _("Accommodation")),
                        [(c.birthday_19, c.in_touch or nr, c.activity or nr, c.accommodation or nr) for c in contacts],
                    )
                ],
            )
        )
    draft = own_draft(actor, child)
    return Overview(child, sections, header, blocks, draft, can_write_notes(actor, child, sections))


def _fmt(d: date) -> str:
    from django.utils.formats import date_format

    return date_format(d, "DATE_FORMAT")


# --- chronology ------------------------------------------------------------------------------------


def child_chronology(
    actor: User, child_id: int | str, filters: chron.Filters
) -> tuple[m.Child, frozenset[str], chron.Chronology]:
    """The timeline of the sections ``actor`` may see (the chronology section itself is required)."""
    child, sections = open_child_for(actor, child_id, _chronology)
    return child, sections, chron.build(child, sections, filters)


def chronology_export(actor: User, child_id: int | str, filters: chron.Filters) -> tuple[m.Child, chron.Chronology]:
    """The timeline for the court, audited as an export (with the filters used and the number of entries)."""
    child, _sections, timeline = child_chronology(actor, child_id, filters)
    with transaction.atomic():
        audit.record(
            actor=actor,
            event=AuditEvent.EXPORT,
            obj=child,
            detail={
                "what": "chronology",
                "format": "csv",
                "entries": len(timeline.entries),
                "types": sorted(filters.types),
                "agency": filters.agency,
                "from": filters.date_from,
                "to": filters.date_to,
            },
        )
    return child, timeline


# --- who else is involved -------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str = ""
    since: date | None = None


@dataclass
class AgencyInvolved:
    name: str
    kind: str
    since: date
    reason: str
    professionals: list[Contact] = field(default_factory=list)


@dataclass
class Involved:
    child: m.Child
    sections: frozenset[str]
    la_contacts: list[Contact]
    agencies: list[AgencyInvolved]
    conference_agencies: list[tuple[str, str, str]]


def _user_name(u: Any) -> str:
    full = f"{u.first_name} {u.last_name}".strip() if hasattr(u, "first_name") else ""
    return full or u.get_username()


def child_involved(actor: User, child_id: int | str) -> Involved:
    child, sections = open_child(actor, child_id, view="involved")
    on = today()
    contacts: list[Contact] = []
    allocation = _current_allocation(child, on)
    if allocation is not None:
        w = allocation.worker
        role = _("Allocated social worker")
        if w.team is not None:
            role = _("Allocated social worker, %(team)s") % {"team": w.team.name}
        email = w.user.email if w.user is not None else ""
        contacts.append(Contact(str(w), role, email, allocation.start_date))
        if w.team_id is not None:
            managers = Membership.objects.filter(
                role=Role.TEAM_MANAGER, team_id=w.team_id, revoked_at__isnull=True
            ).select_related("user")
            for mb in managers:
                contacts.append(Contact(_user_name(mb.user), _("Team manager"), mb.user.email))
    iros = IROAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on), child_id=child.pk, started_on__lte=on
    ).select_related("user")
    for a in iros:
        contacts.append(Contact(_user_name(a.user), _("Independent reviewing officer"), a.user.email, a.started_on))
    involvements = PartnerInvolvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on), child_id=child.pk, started_on__lte=on
    ).select_related("agency")
    agencies = {
        i.agency_id: AgencyInvolved(i.agency.name, labels.agency_kind(i.agency.kind), i.started_on, i.reason)
        for i in involvements.order_by("agency__name")
    }
    if Section.CHRONOLOGY in sections and agencies:
        authors = (
            CaseNote.objects.filter(child_id=child.pk, agency_id__in=list(agencies))
            .select_related("author")
            .order_by("agency_id", "author_id", "-occurred_on")
        )
        seen: set[tuple[int | None, int]] = set()
        for n in authors:
            if (n.agency_id, n.author_id) in seen or n.agency_id is None:
                continue
            seen.add((n.agency_id, n.author_id))
            agencies[n.agency_id].professionals.append(
                Contact(_user_name(n.author), _("Practitioner"), getattr(n.author, "email", ""))
            )
    conference_agencies: list[tuple[str, str, str]] = []
    if Section.CHILD_PROTECTION in sections:
        invitations = (
            m.ConferenceInvitation.objects.filter(conference__subjects__child_id=child.pk)
            .select_related("partner_agency", "conference")
            .order_by("conference__conference_ref", "agency")
            .distinct()
        )
        conference_agencies = [
            (
                i.partner_agency.name if i.partner_agency else labels.agency_kind(i.agency),
                i.conference.conference_ref,
                {"Y": _("yes"), "N": _("no")}.get(i.attended, _("not recorded")),
            )
            for i in invitations
        ]
    return Involved(child, sections, contacts, list(agencies.values()), conference_agencies)


# --- who has looked at this child -----------------------------------------------------------------


def _may_read_access_log(actor: User, child: m.Child) -> bool:
    """The child's team managers and the LA's administrators; a sealed record only for its named users."""
    if sealed_from(actor).filter(child_id=child.pk).exists():
        return False
    memberships = active_memberships(actor)
    if any(mb.role == Role.LA_ADMIN and mb.la_id == child.la_id for mb in memberships):
        return True
    managed = [team_manager_rule(mb, today()) for mb in memberships if mb.role == Role.TEAM_MANAGER]
    if not managed or actor.pk is None:
        return False
    q = managed[0]
    for other in managed[1:]:
        q |= other
    return m.Child.objects.filter(q, pk=child.pk).exists()


def _open_access_log(actor: User, child_id: int | str, *, event: AuditEvent, detail: dict[str, Any]) -> m.Child:
    pk = _pk(child_id)
    child = m.Child.objects.select_related("la").filter(pk=pk).first()
    allowed = child is not None and _may_read_access_log(actor, child)
    with transaction.atomic():
        if allowed:
            audit.record(actor=actor, event=event, obj=child, detail=detail)
        else:
            audit.record(actor=actor, event=AuditEvent.ACCESS_REFUSED, child=child, detail={"child_id": pk, **detail})
    if not allowed or child is None:
        raise NotFound()
    return child


def access_log(actor: User, child_id: int | str, *, page: int | str = 1) -> tuple[m.Child, Page[AuditEntry]]:
    """Every audit entry about the child, newest first; for the child's team managers and LA administrators."""
    child = _open_access_log(actor, child_id, event=AuditEvent.CHILD_VIEWED, detail={"view": "access_log"})
    entries = AuditEntry.objects.filter(child_id=child.pk).order_by("-seq")
    return child, Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(page)


def access_log_export(actor: User, child_id: int | str) -> tuple[m.Child, list[AuditEntry]]:
    """The whole access log (for a subject-access request), audited as an export."""
    child = _open_access_log(actor, child_id, event=AuditEvent.EXPORT, detail={"what": "access_log", "format": "csv"})
    return child, list(AuditEntry.objects.filter(child_id=child.pk).order_by("seq"))


# --- drafts ----------------------------------------------------------------------------------------


def own_draft(actor: User, child: m.Child) -> NoteDraft | None:
    if actor.pk is None:
        return None
    return NoteDraft.objects.filter(author_id=actor.pk, child_id=child.pk).first()


def note_for_edit(actor: User, child_id: int | str, note_id: int | str) -> tuple[m.Child, CaseNote]:
    """The note, for its author to edit: anyone else who can read the record is refused, as the save is."""
    child = get_child_for(actor, child_id, section=Section.CHRONOLOGY)
    note = CaseNote.objects.select_related("agency").filter(pk=_pk(note_id), child_id=child.pk).first()
    if note is None:
        raise NotFound()
    if note.author_id != actor.pk:
        raise NotAllowedError(_("Only the author of a note can change it."))
    return child, note


def note_context(actor: User, child_id: int | str) -> tuple[m.Child, bool, NoteDraft | None]:
    """For the note form: the child (chronology section, the look audited), whether ``actor`` may write
    notes on it, and their draft."""
    child, sections = open_child_for(actor, child_id, _chronology)
    return child, can_write_notes(actor, child, sections), own_draft(actor, child)


def child_notes(actor: User, child_id: int | str) -> tuple[m.Child, list[CaseNote]]:
    child = get_child_for(actor, child_id, section=Section.CHRONOLOGY)
    notes = CaseNote.objects.filter(child_id=child.pk).select_related("agency").order_by("-occurred_on", "-pk")
    return child, list(notes)
