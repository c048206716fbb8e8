"""JSON API of the front door, under ``/api/v1/intake``: the same forms, queries and service as the pages.

- ``POST /search``: the search fields → ``200`` ``{la, matches: [...], visible_count, hidden_matches}``
  (only children the user may open are listed; of the others, only how many); ``400`` bad input.
- ``POST /children``: the new child and the referral → ``201`` ``{child, referral, allocation, url,
  decide_url, repeated: false}``; the same ``idempotency_key`` sent again → ``200`` with the first ids and
  ``repeated: true``; ``400`` ``{detail, errors: {field: [..]}}``, nothing saved.
- ``403`` for anyone but a social worker or team manager of an LA (checked before the body is read).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from diogel.recording.forms import form_data

from . import queries
from .forms import NewChildForm, SearchForm
from .views import SEX_LABELS

router = Router(tags=["intake"])
INVALID = "The data is not valid: nothing was saved."


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] = pydantic.Field(default_factory=dict)


class Refused(Schema):
    detail: str


class SearchIn(Schema):
    family_name: str | None = None
    given_name: str | None = None
    date_of_birth: date | str | None = None
    unborn: bool | None = None
    approximate_age: int | str | None = None
    sex: str | None = None
    la: int | None = None


class MatchOut(Schema):
    id: int
    child_ref: str
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    sex: str
    sex_label: str
    url: str
    referral_url: str


class SearchOut(Schema):
    la: str
    matches: list[MatchOut]
    visible_count: int
    hidden_matches: int
    hidden_message: str = ""


class NewChildIn(SearchIn):
    ethnicity: str | None = None
    upn: str | None = None
    disability: bool | None = None
    referral_date: date | str | None = None
    source: str | None = None
    primary_need: str | None = None
    idempotency_key: str | None = None


class Created(Schema):
    child: int
    referral: int
    allocation: int | None = None
    url: str
    decide_url: str
    repeated: bool = False


def _form_errors(form: Any) -> dict[str, list[str]]:
    errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
    if "token" in errors:
        errors["idempotency_key"] = errors.pop("token")
    return errors


def _data(form_class: type[Any], body: Schema, las: list[Any]) -> dict[str, Any]:
    raw = body.dict(exclude_none=True)
    if "idempotency_key" in raw:
        raw["token"] = raw.pop("idempotency_key")
    if isinstance(raw.get("approximate_age"), int):
        raw["approximate_age"] = str(raw["approximate_age"])
    return form_data(form_class(las=las), raw)


@router.post("/search", response={200: SearchOut, 400: Problem, 403: Refused})
def search(request: HttpRequest, payload: SearchIn) -> Any:
    """Is this child already known? Children of the user's LA who may be the child: those the user may open,
    and how many others (nothing else about them). Audited."""
    if not queries.may_take_referrals(request.user):
        raise queries.refused()
    las = queries.intake_las(request.user)
    form = SearchForm(_data(SearchForm, payload, las), las=las)
    if not form.is_valid():
        return Status(400, {"detail": "The search is not valid.", "errors": _form_errors(form)})
    matches = queries.find_matches(request.user, form.criteria(), la_id=form.cleaned_data.get("la"))
    hidden = ""
    if matches.hidden:
        hidden = (
            f"{matches.hidden} possible match(es) in records you cannot open: ask your team manager or the duty "
            "manager before creating a new record."
        )
    return {
        "la": matches.la.code,
        "matches": [
            {
                "id": c.pk,
                "child_ref": c.child_ref,
                "given_name": c.given_name,
                "family_name": c.family_name,
                "date_of_birth": c.date_of_birth,
                "sex": c.sex,
                "sex_label": str(SEX_LABELS.get(c.sex, "")),
                "url": reverse("record:child", kwargs={"child_id": c.pk}),
                "referral_url": reverse("recording:referral_record", kwargs={"child_id": c.pk}),
            }
            for c in matches.visible
        ],
        "visible_count": matches.visible_count,
        "hidden_matches": matches.hidden,
        "hidden_message": hidden,
    }


@router.post("/children", response={200: Created, 201: Created, 400: Problem, 403: Refused})
def create(request: HttpRequest, payload: NewChildIn) -> Any:
    """Create a child Diogel does not know yet and record the referral received about them (allocated to
    the social worker creating it; a team manager's waits for allocation). Nothing is saved on a 400."""
    if not queries.may_take_referrals(request.user):
        raise queries.refused()
    las = queries.intake_las(request.user)
    form = NewChildForm(_data(NewChildForm, payload, las), las=las)
    if not form.is_valid():
        return Status(400, {"detail": INVALID, "errors": _form_errors(form)})
    try:
        result = form.save(actor=request.user)
    except ValidationError as e:
        errors = (
            {k: [m for x in v for m in x.messages] for k, v in e.error_dict.items()}
            if hasattr(e, "error_dict")
            else {"__all__": list(e.messages)}
        )
        if "token" in errors:
            errors["idempotency_key"] = errors.pop("token")
        return Status(400, {"detail": INVALID, "errors": errors})
    body = {
        "child": result.child.pk,
        "referral": result.referral.pk,
        "allocation": result.allocation.pk if result.allocation is not None else None,
        "url": reverse("record:child", kwargs={"child_id": result.child.pk}),
        "decide_url": reverse(
            "recording:referral_decide", kwargs={"child_id": result.child.pk, "target_id": result.referral.pk}
        ),
        "repeated": result.repeated,
    }
    return Status(200 if result.repeated else 201, body)
