"""JSON API of the ``caseload`` area, mounted under ``/api/v1/caseload``.

- ``GET /`` — the signed-in worker's caseload (the children allocated to them), overdue first;
- ``GET /reviews`` — an IRO's review schedule;
- ``GET /team/{team_id}?page=`` — a team manager's team: load per worker, children, one page of unallocated children;
- ``POST /allocations`` — allocate a child (no ``allocation``) or reassign it (``allocation`` and
  ``version`` of the current allocation, for optimistic locking).

The same query functions and services as the pages: visibility applied, every list audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from diogel.timescales.from_models import today

from . import queries, services

router = Router(tags=["caseload"])


class DueOut(Schema):
    rule: int
    what: str
    status: str
    due: date
    deadline: date
    trigger_date: date
    guidance: bool
    breach: bool
    satisfied_by: str
    url: str


class WorkerRef(Schema):
    id: int
    name: str


class AllocationRef(Schema):
    id: int
    version: int


class CardOut(Schema):
    id: int
    ref: str
    name: str
    date_of_birth: date | None
    age: int | None
    legal_status: str
    looked_after: bool
    registered: bool
    worker: WorkerRef | None
    allocation: AllocationRef | None
    overdue: int
    due_soon: int
    items: list[DueOut]
    url: str


class CaseloadOut(Schema):
    today: date
    children: list[CardOut]


class ReviewOut(Schema):
    child: CardOut
    review: DueOut


class ScheduleOut(Schema):
    today: date
    reviews: list[ReviewOut]


class LoadOut(Schema):
    worker: WorkerRef
    children: int
    overdue: int
    due_soon: int


class TeamOut(Schema):
    today: date
    id: int
    name: str
    workers: list[LoadOut]
    children: list[CardOut]
    #: One page of the unallocated children (oldest open case first), ``unallocated_total`` in all.
    unallocated: list[CardOut]
    unallocated_total: int
    page: int
    pages: int


class AllocationIn(Schema):
    child: int
    worker: int
    start: date | None = None
    #: The current allocation and its version (from the team view): give both to reassign;
    #: leave them out to allocate an unallocated child.
    allocation: int | None = None
    version: int | None = None


class AllocationOut(Schema):
    id: int
    child: int
    worker: int
    start_date: date | None
    end_date: date | None
    version: int


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


@router.get("/", response=CaseloadOut, summary="My caseload")
def caseload(request: HttpRequest) -> dict[str, Any]:
    cards = queries.my_caseload(request.user)
    return {"today": today(), "children": [c.as_json() for c in cards]}


@router.get("/reviews", response=ScheduleOut, summary="My review schedule (IRO)")
def reviews(request: HttpRequest) -> dict[str, Any]:
    entries = queries.iro_schedule(request.user)
    return {"today": today(), "reviews": [{"child": e.card.as_json(), "review": e.due.as_json()} for e in entries]}


@router.get("/team/{team_id}", response=TeamOut, summary="A team's load and unallocated children (team manager)")
def team(request: HttpRequest, team_id: int, page: int = 1) -> dict[str, Any]:
    view = queries.team_view(request.user, team_id, page)
    return {
        "today": today(),
        "id": view.team_id,
        "name": view.team_name,
        "workers": [
            {
                "worker": {"id": w.worker_id, "name": w.name},
                "children": w.children,
                "overdue": w.overdue,
                "due_soon": w.due_soon,
            }
            for w in view.loads
        ],
        "children": [c.as_json() for c in view.cards],
        "unallocated": [c.as_json() for c in view.unallocated],
        "unallocated_total": view.unallocated_total,
        "page": view.page,
        "pages": view.pages,
    }


@router.post("/allocations", response={201: AllocationOut, 400: ErrorOut}, summary="Allocate or reassign a child")
def allocate(request: HttpRequest, payload: AllocationIn) -> Status[dict[str, Any]]:
    try:
        if payload.allocation is None:
            a = services.allocation_assign(payload.child, payload.worker, actor=request.user, start=payload.start)
        else:
            a = services.allocation_reassign(
                payload.child,
                payload.worker,
                actor=request.user,
                start=payload.start,
                allocation_id=payload.allocation,
                expected_version=payload.version if payload.version is not None else -1,
            )
    except ValidationError as e:
        errors = {k: [str(m) for m in v] for k, v in e.message_dict.items()}
        return Status(400, {"detail": " ".join(m for msgs in errors.values() for m in msgs), "errors": errors})
    allocation = {
        "id": a.pk,
        "child": a.child_id,
        "worker": a.worker_id,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "version": a.version,
    }
    return Status(201, allocation)
