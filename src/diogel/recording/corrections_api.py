"""JSON API of corrections, under ``/api/v1/recording`` (see :mod:`.services.corrections`).

``PUT /children/{child_id}/records/{kind}/{target_id}`` with ``{"version", "reason", ...fields}``: the
fields of the entry's recording flow that change (fields left out keep their saved values), validated by
the same form and saved by :func:`~.services.corrections.correct`:

- ``200`` ``{"id", "type", "version"}``: corrected;
- ``400`` ``{"detail", "errors": {field: [messages]}}``: bad input (or nothing changed), nothing saved;
- ``409`` ``{"detail", "current_version", "changes": [...]}``: the entry changed since ``version``;
- ``404``: no such child, kind or entry, or not visible (the same answer); ``403``: visible but not yours to correct.
"""

from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Router, Schema, Status

from diogel.access.errors import NotAllowedError

from .api import Conflict, Problem, Recorded, _errors, _python_type
from .corrections import CorrectionForm, entry_for
from .flows import FLOWS
from .forms import form_data
from .services._common import StaleEditError
from .services.corrections import KINDS

router = Router(tags=["recording"])

INVALID = "The data is not valid: nothing was saved."


def _body_schema() -> type[Schema]:
    """Every field any kind may correct (each optional), the version and the reason."""
    fields: dict[str, Any] = {"version": (int | None, None), "reason": (str | None, None)}
    for kind in KINDS.values():
        base = FLOWS[kind.flow].form.base_fields
        for name in kind.fields:
            fields.setdefault(name, (_python_type(base[name]), None))
    model: type[Schema] = pydantic.create_model("CorrectionIn", __base__=Schema, **fields)
    return model


CorrectionIn = _body_schema()


def correct_entry(request: HttpRequest, child_id: int, kind: str, target_id: int, payload: Any) -> Any:
    """Correct an entry saved earlier (a visit, a review, a plan …): the fields that change, why, and the version."""
    spec, child, target, allowed = entry_for(request.user, child_id, kind, target_id)
    if not allowed:
        raise NotAllowedError("You can read this record but you cannot correct it.")
    raw = payload.dict(exclude_none=True)
    version, reason = raw.pop("version", None), raw.pop("reason", "")
    unknown = sorted(set(raw) - set(spec.fields))
    if unknown:
        return Status(400, {"detail": INVALID, "errors": {k: ["This entry has no such field."] for k in unknown}})
    probe = CorrectionForm(kind=spec, child=child, target=target)
    data = {**probe.initial_values(), **form_data(probe, raw), "reason": reason}
    if version is not None:
        data["version"] = version
    else:
        data.pop("version", None)
    form = CorrectionForm(data, kind=spec, child=child, target=target)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        return Status(400, {"detail": INVALID, "errors": errors})
    try:
        obj: Model = form.save(actor=request.user)
    except ValidationError as e:
        return Status(400, {"detail": INVALID, "errors": _errors(e)})
    except StaleEditError as e:
        changes = [c.__dict__ for c in e.changes]
        return Status(409, {"detail": str(e), "current_version": e.current, "changes": changes})
    return Status(200, {"id": obj.pk, "type": obj._meta.label_lower, "version": getattr(obj, "version", None)})


correct_entry.__annotations__["payload"] = CorrectionIn
router.put(
    "/children/{child_id}/records/{kind}/{target_id}",
    response={200: Recorded, 400: Problem, 409: Conflict},
    url_name="recording_correct",
    summary="Correct an entry",
    operation_id="recording_correct",
)(correct_entry)
