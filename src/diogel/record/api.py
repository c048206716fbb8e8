"""JSON API of the child's record, mounted at ``/api/v1/children``: the same queries and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from . import queries, services
from .chronology import EventType, Filters
from .queries import child_name

router = Router(tags=["record"])


class ChildSummary(Schema):
    id: int
    ref: str
    name: str
    date_of_birth: date | None


class SearchPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ChildSummary]


class SiblingOut(Schema):
    name: str
    kind: str
    child_id: int | None


class DueOut(Schema):
    rule: int
    what: str
    deadline: date
    status: str


class HeaderOut(Schema):
    id: int
    ref: str
    name: str
    local_authority: str
    date_of_birth: date | None
    age: int | None
    date_of_death: date | None
    sections: list[str]
    legal_status: str | None = Field(None, description="Blank: not looked after; null: not shown to you.")
    placement: str | None = None
    register_category: str | None = Field(None, description="Blank: not registered; null: not shown to you.")
    episode_of_need_since: date | None = None
    allocated_worker: str | None
    siblings: list[SiblingOut]
    alerts: list[str]
    due: list[DueOut] | None = Field(None, description="Null: not shown to you.")


class EntryOut(Schema):
    date: date
    type: str
    title: str
    detail: str
    agency: str
    agency_key: str
    author: str
    source: str
    source_id: int


class ChronologyPage(Schema):
    count: int
    page: int
    page_size: int
    undated: int
    entries: list[EntryOut]


class ChronologyQuery(Schema):
    type: list[EventType] = Field(default_factory=list)
    agency: str = ""
    date_from: date | None = None
    date_to: date | None = None
    order: str = Field("newest", pattern="^(newest|oldest)$")
    page: int = Field(1, ge=1)
    page_size: int = Field(100, ge=1, le=500)


class NoteIn(Schema):
    occurred_on: date | None = None
    text: str = ""


class NoteEditIn(NoteIn):
    version: int


class NoteOut(Schema):
    id: int
    child_id: int
    occurred_on: date
    text: str
    author: str
    agency: str | None
    version: int


class DraftOut(Schema):
    occurred_on: date | None
    text: str
    saved_at: datetime


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ChangeOut(Schema):
    field: str
    now: Any


class StaleOut(Schema):
    detail: str
    version: int
    changed_by: str
    changed_at: datetime
    changes: list[ChangeOut]


def _note(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "child_id": n.child_id,
        "occurred_on": n.occurred_on,
        "text": n.text,
        "author": n.author_label,
        "agency": n.agency.name if n.agency_id else None,
        "version": n.version,
    }


def _invalid(e: ValidationError) -> Status[dict[str, Any]]:
    return Status(
        400,
        {
            "detail": "The note was not saved.",
            "errors": {k: [str(m) for m in v] for k, v in e.message_dict.items()},
        },
    )


@router.get("/", response=SearchPage)
def search(request: HttpRequest, q: str = "", dob: date | None = None, page: int = 1) -> dict[str, Any]:
    """Children you may see, by name, identifier or date of birth (audited as a search)."""
    found = queries.children_search(request.user, q=q, dob=dob, page=page)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "results": [
            {"id": c.pk, "ref": c.child_ref, "name": child_name(c), "date_of_birth": c.date_of_birth} for c in found
        ],
    }


@router.get("/{int:child_id}", response=HeaderOut)
def header(request: HttpRequest, child_id: int) -> dict[str, Any]:
    """The child's header: who, age, legal status, placement, register, worker, siblings, alerts, what is due."""
    child, sections, h = queries.child_header(request.user, child_id)
    return {
        "id": child.pk,
        "ref": h.ref,
        "name": h.name,
        "local_authority": h.la,
        "date_of_birth": h.date_of_birth,
        "age": h.age,
        "date_of_death": h.date_of_death,
        "sections": sorted(sections),
        "legal_status": (h.legal_status if h.episode else "") if h.looked_after_visible else None,
        "placement": (h.placement if h.episode else "") if h.looked_after_visible else None,
        "register_category": (h.category if h.registration else "") if h.protection_visible else None,
        "episode_of_need_since": h.episode_of_need.referral_date if h.episode_of_need else None,
        "allocated_worker": str(h.allocation.worker) if h.allocation else None,
        "siblings": [s.__dict__ for s in h.siblings],
        "alerts": h.alerts,
        "due": None
        if h.due is None
        else [
            {"rule": i.rule.number, "what": str(i.rule.what), "deadline": i.deadline, "status": str(i.status)}
            for i in h.due
        ],
    }


@router.get("/{int:child_id}/chronology", response=ChronologyPage)
def chronology(request: HttpRequest, child_id: int, filters: Query[ChronologyQuery]) -> dict[str, Any]:
    """The chronology (every source the caller may see), filtered and paged."""
    wanted = Filters(
        types=frozenset(str(t) for t in filters.type),
        agency=filters.agency,
        date_from=filters.date_from,
        date_to=filters.date_to,
        newest_first=filters.order == "newest",
    )
    _child, _sections, timeline = queries.child_chronology(request.user, child_id, wanted)
    start = (filters.page - 1) * filters.page_size
    page = timeline.entries[start : start + filters.page_size]
    return {
        "count": len(timeline.entries),
        "page": filters.page,
        "page_size": filters.page_size,
        "undated": timeline.undated,
        "entries": [
            {
                "date": e.on,
                "type": e.type,
                "title": e.title,
                "detail": e.detail,
                "agency": e.agency,
                "agency_key": e.agency_key,
                "author": e.author,
                "source": e.source,
                "source_id": e.source_id,
            }
            for e in page
        ],
    }


@router.get("/{int:child_id}/notes", response=list[NoteOut])
def notes(request: HttpRequest, child_id: int) -> list[dict[str, Any]]:
    _child, found = queries.child_notes(request.user, child_id)
    return [_note(n) for n in found]


@router.post("/{int:child_id}/notes", response={201: NoteOut, 400: ErrorsOut})
def note_publish(request: HttpRequest, child_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    try:
        note = services.note_publish(
            actor=request.user, child_id=child_id, occurred_on=payload.occurred_on, text=payload.text
        )
    except ValidationError as e:
        return _invalid(e)
    return Status(201, _note(note))


@router.put("/{int:child_id}/notes/{int:note_id}", response={200: NoteOut, 400: ErrorsOut, 409: StaleOut})
def note_edit(request: HttpRequest, child_id: int, note_id: int, payload: NoteEditIn) -> Status[dict[str, Any]]:
    """Change your note; ``version`` is the one you started from (409, with what changed, if it is stale)."""
    try:
        note = services.note_edit(
            actor=request.user,
            child_id=child_id,
            note_id=note_id,
            version=payload.version,
            occurred_on=payload.occurred_on,
            text=payload.text,
        )
    except services.StaleEditError as e:
        return Status(
            409,
            {
                "detail": str(e),
                "version": e.note.version,
                "changed_by": e.changed_by,
                "changed_at": e.changed_at,
                "changes": [{"field": c.field, "now": c.now} for c in e.changes],
            },
        )
    except ValidationError as e:
        return _invalid(e)
    return Status(200, _note(note))


@router.get("/{int:child_id}/notes/draft", response={200: DraftOut, 204: None})
def draft(request: HttpRequest, child_id: int) -> Status[Any]:
    """Your unfinished note on this child, if any."""
    _child, _can_write, found = queries.note_context(request.user, child_id)
    if found is None:
        return Status(204, None)
    return Status(200, {"occurred_on": found.occurred_on, "text": found.text, "saved_at": found.saved_at})


@router.put("/{int:child_id}/notes/draft", response=DraftOut)
def draft_save(request: HttpRequest, child_id: int, payload: NoteIn) -> dict[str, Any]:
    """Keep what you have typed so far (call every few seconds while writing)."""
    d = services.note_save_draft(
        actor=request.user, child_id=child_id, occurred_on=payload.occurred_on, text=payload.text
    )
    return {"occurred_on": d.occurred_on, "text": d.text, "saved_at": d.saved_at}
