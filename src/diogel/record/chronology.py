"""The child's chronology: every event from every source table in one timeline.

Built from **one query per source table** (only the tables of sections the actor
may see, and of the event types asked for), merged and sorted in Python, so a
child with hundreds of events renders in a fixed, small number of queries.

Each :class:`Source` says which table it reads, which section of the record it
belongs to (a partner sees only the events of the sections opened by their
information-sharing agreement) and how each row becomes one or more
:class:`Entry` (a referral is received, then decided).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from diogel.access.models import PartnerInvolvement
from diogel.access.sections import Section
from diogel.cases import models as m

from . import labels
from .models import CaseNote

LA_AGENCY = "la"


class EventType(models.TextChoices):
    """The filter "type of event" of the chronology."""

    REFERRAL = "referral", gettext_lazy("referrals")
    ASSESSMENT = "assessment", gettext_lazy("assessments")
    CHILD_PROTECTION = "child_protection", gettext_lazy("child protection")
    LOOKED_AFTER = "looked_after", gettext_lazy("looked after")
    VISIT = "visit", gettext_lazy("visits")
    PLAN = "plan", gettext_lazy("plans")
    EDUCATION = "education", gettext_lazy("education")
    LEAVING_CARE = "leaving_care", gettext_lazy("leaving care")
    ALLOCATION = "allocation", gettext_lazy("allocated workers")
    INVOLVEMENT = "involvement", gettext_lazy("partner agencies' involvement")
    NOTE = "note", gettext_lazy("case notes")


@dataclass(frozen=True)
class Entry:
    """One event in the timeline."""

    on: date
    type: str
    title: str
    detail: str
    agency_key: str
    agency: str
    source: str
    source_id: int
    author: str = ""
    #: The note's version (notes only): the edit form needs it.
    version: int | None = None
    #: The recording flow (``recording:<flow>``) that records events of this kind, if any.
    flow: str = ""

    @property
    def type_label(self) -> str:
        return str(EventType(self.type).label)


@dataclass(frozen=True)
class Filters:
    types: frozenset[str] = frozenset()
    agency: str = ""
    date_from: date | None = None
    date_to: date | None = None
    newest_first: bool = True

    def wants(self, event_type: str) -> bool:
        return not self.types or event_type in self.types

    def keeps(self, e: Entry) -> bool:
        return (
            self.wants(e.type)
            and (not self.agency or e.agency_key == self.agency)
            and (self.date_from is None or e.on >= self.date_from)
            and (self.date_to is None or e.on <= self.date_to)
        )


@dataclass
class Chronology:
    entries: list[Entry]
    #: Records of the visible sections that have no date, so cannot be placed in the timeline.
    undated: int = 0
    #: Every agency that appears in the (unfiltered by agency) timeline: (key, name), for the filter.
    agencies: list[tuple[str, str]] = field(default_factory=list)


Row = Any
Make = Callable[[Row], Iterable[tuple[date | None, str, str]]]


@dataclass(frozen=True)
class Source:
    """A table of the case model (or of Diogel) as events of ``event_type``."""

    event_type: str
    #: The sections a row can belong to; ``section_of`` chooses among them per row.
    sections: frozenset[str]
    queryset: Callable[[m.Child], QuerySet[Any]]
    make: Make
    section_of: Callable[[Row], str] | None = None
    agency: Callable[[Row], tuple[str, str] | None] | None = None
    author: Callable[[Row], str] | None = None
    flow: str = ""

    def section(self, row: Row) -> str:
        if self.section_of is not None:
            return self.section_of(row)
        return next(iter(self.sections))


def _yn(flag: str) -> str:
    return {"Y": _("yes"), "N": _("no")}.get(flag, _("not recorded"))


def _worker(w: m.Worker | None) -> str:
    return str(w) if w is not None else ""


def _referral(r: m.Referral) -> Iterator[tuple[date | None, str, str]]:
    yield (
        r.referral_date,
        _("Referral received"),
        _("Reference %(ref)s; source %(source)s")
        % {
            "ref": r.referral_ref,
            "source": r.source or _("not recorded"),
        },
    )
    if r.decision_date or r.decision:
        yield r.decision_date, _("Referral decided"), labels.with_words(r.decision, labels.REFERRAL_DECISION)
    if r.closure_date:
        yield r.closure_date, _("Episode of need closed"), _("Reference %(ref)s") % {"ref": r.referral_ref}


def _assessment(a: m.Assessment) -> Iterator[tuple[date | None, str, str]]:
    kind = a.assessment_type.lower() or _("not recorded")
    yield (
        a.start_date,
        _("Assessment started"),
        _("Type: %(kind)s; worker: %(worker)s")
        % {
            "kind": kind,
            "worker": _worker(a.worker) or _("not recorded"),
        },
    )
    if a.completed_date:
        yield (
            a.completed_date,
            _("Assessment completed"),
            _("Child seen: %(seen)s; seen alone: %(alone)s")
            % {
                "seen": _yn(a.seen),
                "alone": _yn(a.seen_alone),
            },
        )


def _strategy(s: m.StrategyDiscussion) -> Iterator[tuple[date | None, str, str]]:
    yield s.held_on, _("Strategy discussion"), s.notes


def _s47(e: m.Section47Enquiry) -> Iterator[tuple[date | None, str, str]]:
    yield e.start_date, _("Section 47 enquiry started"), ""
    if e.end_date:
        yield e.end_date, _("Section 47 enquiry ended"), e.get_outcome_display() if e.outcome else ""


def _conference(c: m.ConferenceSubject) -> Iterator[tuple[date | None, str, str]]:
    outcome = {"REGISTER": _("registered"), "NOT_REGISTER": _("not registered")}.get(c.outcome, c.outcome)
    yield (
        c.conference_date,
        _("Child protection conference"),
        _("Conference %(ref)s; outcome: %(outcome)s")
        % {
            "ref": c.conference.conference_ref,
            "outcome": outcome or _("not recorded"),
        },
    )


def _registration(r: m.Registration) -> Iterator[tuple[date | None, str, str]]:
    yield r.start_date, _("Placed on the child protection register"), labels.cp_category(r.category)
    if r.end_date:
        yield r.end_date, _("Removed from the child protection register"), ""


def _core_group(c: m.CoreGroupMeeting) -> Iterator[tuple[date | None, str, str]]:
    yield c.held_on, _("Core group meeting"), ""


def _cp_review(r: m.CPReview) -> Iterator[tuple[date | None, str, str]]:
    yield r.review_date, _("Child protection review"), ""


def _episode(e: m.Episode) -> Iterator[tuple[date | None, str, str]]:
    yield (
        e.decom,
        _("Looked-after episode began"),
        _("Legal status: %(ls)s; placement: %(pl)s")
        % {
            "ls": labels.legal_status(e.legal_status) or _("not recorded"),
            "pl": labels.placement(e.placement) or _("not recorded"),
        },
    )
    if e.dec:
        yield e.dec, _("Looked-after episode ended"), _("Reason: %(rec)s") % {"rec": e.rec or _("not recorded")}


def _lac_review(r: m.LookedAfterReview) -> Iterator[tuple[date | None, str, str]]:
    yield (
        r.review_date,
        _("Looked-after review"),
        _("Participation: %(code)s") % {"code": r.participation or _("not recorded")},
    )


def _visit(v: m.Visit) -> Iterator[tuple[date | None, str, str]]:
    title = _("Statutory visit (looked after)") if v.visit_type == "LAC" else _("Child protection visit")
    yield (
        v.visit_date,
        title,
        _("Seen alone: %(alone)s; worker: %(worker)s")
        % {
            "alone": _yn(v.seen_alone),
            "worker": _worker(v.worker) or _("not recorded"),
        },
    )


def _plan(p: m.CarePlan) -> Iterator[tuple[date | None, str, str]]:
    kind = labels.with_words(p.plan_type, labels.PLAN_TYPE)
    yield p.start_date, _("Plan in place"), kind
    if p.end_date:
        yield p.end_date, _("Plan ended"), kind


def _plan_section(p: m.CarePlan) -> str:
    return {
        "CP_PLAN": Section.CHILD_PROTECTION,
        "CIN_PLAN": Section.ASSESSMENTS,
        "PATHWAY_PLAN": Section.LEAVING_CARE,
    }.get(p.plan_type, Section.LOOKED_AFTER)


def _school(s: m.SchoolChange) -> Iterator[tuple[date | None, str, str]]:
    yield s.change_date, _("Changed school"), _("Normal transition: %(flag)s") % {"flag": _yn(s.transitional)}


def _outcome(o: m.EducationOutcome) -> Iterator[tuple[date | None, str, str]]:
    # Results are known at the end of the academic year (ACADEMIC_YEAR 2008 means 2008/09).
    on = date(o.academic_year + 1, 8, 31) if o.academic_year else None
    yield (
        on,
        _("Education results"),
        _("Point score: %(points)s; no qualification: %(flag)s")
        % {
            "points": "" if o.points is None else f"{o.points:g}",
            "flag": _yn(o.no_qualification),
        },
    )


def _care_leaver(c: m.CareLeaverContact) -> Iterator[tuple[date | None, str, str]]:
    yield (
        c.birthday_19,
        _("Contact at 19th birthday"),
        _("In touch: %(touch)s; activity: %(act)s")
        % {
            "touch": c.in_touch or _("not recorded"),
            "act": c.activity or _("not recorded"),
        },
    )


def _allocation(a: m.Allocation) -> Iterator[tuple[date | None, str, str]]:
    team = a.worker.team.name if a.worker.team else ""
    who = f"{a.worker} ({team})" if team else str(a.worker)
    yield a.start_date, _("Worker allocated"), who
    if a.end_date:
        yield a.end_date, _("Worker allocation ended"), who


def _involvement(i: PartnerInvolvement) -> Iterator[tuple[date | None, str, str]]:
    yield i.started_on, _("Agency became involved"), i.reason
    if i.ended_on:
        yield i.ended_on, _("Agency's involvement ended"), ""


def _note(n: CaseNote) -> Iterator[tuple[date | None, str, str]]:
    yield n.occurred_on, _("Case note"), n.text


def _agency_of(a: m.PartnerAgency | None) -> tuple[str, str] | None:
    return (f"agency-{a.pk}", a.name) if a is not None else None


def _for_child(model: type[models.Model], *related: str) -> Callable[[m.Child], QuerySet[Any]]:
    def qs(child: m.Child) -> QuerySet[Any]:
        rows = model._default_manager.filter(child_id=child.pk)
        return rows.select_related(*related) if related else rows

    return qs


CP = frozenset({Section.CHILD_PROTECTION})
T = EventType
SOURCES: tuple[Source, ...] = (
    Source(T.REFERRAL, frozenset({Section.REFERRALS}), _for_child(m.Referral), _referral, flow="referral_record"),
    Source(
        T.ASSESSMENT,
        frozenset({Section.ASSESSMENTS}),
        _for_child(m.Assessment, "worker"),
        _assessment,
        flow="assessment_complete",
    ),
    Source(T.CHILD_PROTECTION, CP, _for_child(m.StrategyDiscussion), _strategy, flow="strategy_discussion"),
    Source(T.CHILD_PROTECTION, CP, _for_child(m.Section47Enquiry), _s47, flow="enquiry_complete"),
    Source(T.CHILD_PROTECTION, CP, _for_child(m.ConferenceSubject, "conference"), _conference, flow="conference"),
    Source(T.CHILD_PROTECTION, CP, _for_child(m.Registration), _registration, flow="registration"),
    Source(
        T.CHILD_PROTECTION,
        CP,
        lambda child: m.CoreGroupMeeting.objects.filter(registration__child_id=child.pk),
        _core_group,
        flow="core_group",
    ),
    Source(T.CHILD_PROTECTION, CP, _for_child(m.CPReview), _cp_review, flow="cp_review"),
    Source(T.LOOKED_AFTER, frozenset({Section.LOOKED_AFTER}), _for_child(m.Episode), _episode, flow="placement_change"),
    Source(
        T.LOOKED_AFTER,
        frozenset({Section.LOOKED_AFTER}),
        _for_child(m.LookedAfterReview),
        _lac_review,
        flow="lac_review",
    ),
    Source(
        T.VISIT,
        frozenset({Section.LOOKED_AFTER, Section.CHILD_PROTECTION}),
        _for_child(m.Visit, "worker"),
        _visit,
        flow="visit",
        section_of=lambda v: Section.LOOKED_AFTER if v.visit_type == "LAC" else Section.CHILD_PROTECTION,
    ),
    Source(
        T.PLAN,
        frozenset({Section.CHILD_PROTECTION, Section.ASSESSMENTS, Section.LEAVING_CARE, Section.LOOKED_AFTER}),
        _for_child(m.CarePlan),
        _plan,
        flow="care_plan",
        section_of=_plan_section,
    ),
    Source(T.EDUCATION, frozenset({Section.EDUCATION}), _for_child(m.SchoolChange), _school, flow="school_change"),
    Source(T.EDUCATION, frozenset({Section.EDUCATION}), _for_child(m.EducationOutcome), _outcome),
    Source(
        T.LEAVING_CARE,
        frozenset({Section.LEAVING_CARE}),
        _for_child(m.CareLeaverContact),
        _care_leaver,
        flow="care_leaver_contact",
    ),
    Source(T.ALLOCATION, frozenset({Section.CHRONOLOGY}), _for_child(m.Allocation, "worker__team"), _allocation),
    Source(
        T.INVOLVEMENT,
        frozenset({Section.CHRONOLOGY}),
        _for_child(PartnerInvolvement, "agency"),
        _involvement,
        agency=lambda i: _agency_of(i.agency),
    ),
    Source(
        T.NOTE,
        frozenset({Section.CHRONOLOGY}),
        _for_child(CaseNote, "agency"),
        _note,
        agency=lambda n: _agency_of(n.agency),
        author=lambda n: n.author_label,
    ),
)


def build(child: m.Child, sections: frozenset[str], filters: Filters) -> Chronology:
    """The timeline of ``child`` limited to ``sections``, filtered; one query per source table read."""
    la_name = child.la.name_cy if _is_welsh() else child.la.name_en
    entries: list[Entry] = []
    undated = 0
    agencies: dict[str, str] = {LA_AGENCY: la_name}
    for source in SOURCES:
        if not (source.sections & sections) or not filters.wants(source.event_type):
            continue
        rows = source.queryset(child)
        label = rows.model._meta.label_lower
        for row in rows.order_by("pk"):
            if source.section(row) not in sections:
                continue
            agency = (source.agency(row) if source.agency else None) or (LA_AGENCY, la_name)
            agencies.setdefault(*agency)
            for on, title, detail in source.make(row):
                if on is None:
                    undated += 1
                    continue
                entries.append(
                    Entry(
                        on=on,
                        type=source.event_type,
                        title=str(title),
                        detail=detail,
                        agency_key=agency[0],
                        agency=agency[1],
                        source=label,
                        source_id=row.pk,
                        author=source.author(row) if source.author else "",
                        version=getattr(row, "version", None) if source.event_type == T.NOTE else None,
                        flow=source.flow,
                    )
                )
    ranks = {s.event_type: i for i, s in enumerate(SOURCES)}
    kept = [e for e in entries if filters.keeps(e)]
    kept.sort(key=lambda e: (e.on, ranks[e.type], e.source, e.source_id), reverse=filters.newest_first)
    others = sorted(((k, v) for k, v in agencies.items() if k != LA_AGENCY), key=lambda kv: kv[1])
    return Chronology(kept, undated, [(LA_AGENCY, la_name), *others])


def _is_welsh() -> bool:
    return (get_language() or "en").startswith("cy")


def flow_links(child_id: int, entries: Iterable[Entry]) -> dict[str, tuple[str, str]]:
    """``{flow: (url, title)}`` for the recording flows of ``entries`` that exist (built in another area)."""
    try:
        from diogel.recording.flows import FLOWS
    except ImportError:  # pragma: no cover - the recording area is built alongside
        return {}
    links: dict[str, tuple[str, str]] = {}
    for name in {e.flow for e in entries if e.flow}:
        flow = FLOWS.get(name)
        if flow is None:
            continue
        try:
            links[name] = (reverse(f"recording:{name}", kwargs={"child_id": child_id}), str(flow.title))
        except NoReverseMatch:
            continue
    return links
