"""JSON API of the recording flows, under ``/api/v1/recording``.

Every flow of :mod:`.flows` is a ``POST`` to ``/children/{child_id}/<path>`` whose body has the
fields of the flow's form (validated by that same form, saved by the same service as the page):

- ``201`` ``{"id", "type", "version"}``: recorded;
- ``400`` ``{"detail", "errors": {field: [messages]}}``: bad input, nothing saved;
- ``409`` ``{"detail", "current_version", "changes": [...]}``: the record changed since ``version``;
- ``404``: no such child, or not visible (the same answer); ``403``: visible but not yours to record.

``GET /children/{child_id}`` lists the flows the user may record and the open records with their versions.
"""

from datetime import date
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BooleanField, DateField, IntegerField, TypedChoiceField
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from diogel.access.errors import NotAllowedError
from diogel.access.visibility import get_child_for, sections_for

from . import queries
from .flows import FLOWS, Flow
from .forms import AGENCIES, RecordingForm, form_data
from .services._common import StaleEditError, may_record
from .services.voice import QUESTIONS

router = Router(tags=["recording"])


class Recorded(Schema):
    id: int
    type: str
    version: int | None = None


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] = pydantic.Field(default_factory=dict)


class ChangeOut(Schema):
    who: str
    at: Any
    field: str
    before: Any = None
    after: Any = None


class Conflict(Schema):
    detail: str
    current_version: int
    changes: list[ChangeOut]


class InvitationIn(Schema):
    agency: str
    attended: bool = False
    report_provided: bool = False


def _python_type(field: Any) -> Any:
    if isinstance(field, BooleanField):
        return bool | None
    if isinstance(field, TypedChoiceField) and field.coerce is int:
        return int | None
    if isinstance(field, TypedChoiceField):  # yes/no questions
        return bool | None
    if isinstance(field, IntegerField):
        return int | None
    if isinstance(field, DateField):
        return date | str | None
    return str | None


def _schema(flow: Flow) -> type[Schema]:
    fields: dict[str, Any] = {
        name: (_python_type(field), None)
        for name, field in flow.form.base_fields.items()
        if name not in flow.form.special
    }
    if flow.name == "conference":
        fields["invitations"] = (list[InvitationIn], [])
    if flow.name == "wellbeing":
        fields["answers"] = (dict[str, str], {})
        fields["anonymous"] = (bool | None, None)
    model: type[Schema] = pydantic.create_model(
        "".join(part.title() for part in flow.name.split("_")) + "In", __base__=Schema, **fields
    )
    return model


def _payload(flow: Flow, form: RecordingForm, body: Schema) -> dict[str, Any]:
    raw = body.dict(exclude_none=True)
    if flow.name == "conference":
        for inv in raw.pop("invitations", []):
            agency = str(inv.get("agency", ""))
            if agency not in AGENCIES:
                raise ValidationError({"invitations": [f"“{agency}” is not a known code here."]})
            raw[f"invited_{agency}"] = True
            raw[f"attended_{agency}"] = bool(inv.get("attended"))
            raw[f"report_{agency}"] = bool(inv.get("report_provided"))
    if flow.name == "wellbeing":
        answers = raw.pop("answers", {})
        unknown = sorted(set(answers) - set(QUESTIONS))
        if unknown:
            raise ValidationError({"answers": [f"“{code}” is not a known code here." for code in unknown]})
        raw.update({q.lower(): a for q, a in answers.items()})
    return form_data(form, raw)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}
    return {"__all__": list(error.messages)}


def _record(request: HttpRequest, flow: Flow, child_id: int, target_id: int | None, body: Schema) -> Any:
    child = get_child_for(request.user, child_id, section=flow.section)
    if not may_record(
        queries.roles_over(request.user, child), sections_for(request.user, child), section=flow.section,
        allowed=flow.allowed,
    ):  # fmt: skip
        raise NotAllowedError("You can read this record but you cannot add to it.")
    target = flow.target(child, target_id) if flow.target is not None else None
    if flow.target is not None and target is None:
        return Status(400, {"detail": str(flow.missing), "errors": {"__all__": [str(flow.missing)]}})
    probe = flow.form(child=child, target=target)
    try:
        data = _payload(flow, probe, body)
    except ValidationError as e:
        return Status(400, {"detail": "The data is not valid: nothing was saved.", "errors": _errors(e)})
    form = flow.form(data, child=child, target=target)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        return Status(400, {"detail": "The data is not valid: nothing was saved.", "errors": errors})
    try:
        obj: Model = form.save(actor=request.user)
    except ValidationError as e:
        return Status(400, {"detail": "The data is not valid: nothing was saved.", "errors": _errors(e)})
    except StaleEditError as e:
        changes = [c.__dict__ for c in e.changes]
        return Status(409, {"detail": str(e), "current_version": e.current, "changes": changes})
    return Status(201, {"id": obj.pk, "type": obj._meta.label_lower, "version": getattr(obj, "version", None)})


def _register(flow: Flow) -> None:
    body_schema = _schema(flow)
    responses = {201: Recorded, 400: Problem, 409: Conflict}
    summary = str(flow.title)
    if flow.by_id:

        def by_id(request: HttpRequest, child_id: int, target_id: int, payload: Any) -> Any:
            return _record(request, flow, child_id, target_id, payload)

        by_id.__annotations__["payload"] = body_schema
        router.post(
            flow.api_path,
            response=responses,
            url_name=f"recording_{flow.name}",
            summary=summary,
            operation_id=f"recording_{flow.name}",
        )(by_id)
    else:

        def plain(request: HttpRequest, child_id: int, payload: Any) -> Any:
            return _record(request, flow, child_id, None, payload)

        plain.__annotations__["payload"] = body_schema
        router.post(
            flow.api_path,
            response=responses,
            url_name=f"recording_{flow.name}",
            summary=summary,
            operation_id=f"recording_{flow.name}",
        )(plain)


for _flow in FLOWS.values():
    _register(_flow)


class OpenRecord(Schema):
    kind: str
    id: int
    version: int
    url: str


class FlowOut(Schema):
    name: str
    title: str
    url: str


class ChildRecording(Schema):
    child: int
    flows: list[FlowOut]
    open: list[OpenRecord]


@router.get("/children/{child_id}", response=ChildRecording, url_name="recording_child")
def child_recording(request: HttpRequest, child_id: int) -> dict[str, Any]:
    """What the user may record for the child, and the open records (with versions) flows continue."""
    child, sections = queries.child_for_recording(request.user, child_id)
    roles = queries.roles_over(request.user, child)
    allowed = [f for f in FLOWS.values() if may_record(roles, sections, section=f.section, allowed=f.allowed)]
    names = {f.name for f in allowed}
    items = queries.open_items(child)
    open_records: list[dict[str, Any]] = []

    def add(kind: str, obj: Any, flow: str) -> None:
        if flow in names:
            kwargs = {"child_id": child.pk, **({"target_id": obj.pk} if FLOWS[flow].by_id else {})}
            open_records.append(
                {
                    "kind": kind,
                    "id": obj.pk,
                    "version": obj.version,
                    "url": reverse(FLOWS[flow].url_name, kwargs=kwargs),
                }
            )

    for r in items.undecided_referrals:
        add("referral", r, "referral_decide")
    for a in items.open_assessments:
        add("assessment", a, "assessment_complete")
    for e in items.open_enquiries:
        add("enquiry", e, "enquiry_complete")
    if items.registration is not None:
        add("registration", items.registration, "deregistration")
    if items.episode is not None:
        add("episode", items.episode, "placement_change")
    flows = [
        {"name": f.name, "title": str(f.title), "url": reverse(f.url_name, kwargs={"child_id": child.pk})}
        for f in allowed
        if not f.by_id
    ]
    return {"child": child.pk, "flows": flows, "open": open_records}
