"""Where a due item's link goes: the recording flow that satisfies it, else the child's record.

The mapping from a rule's satisfier to its flow (``/record/children/<id>/<flow>/``)
belongs to the recording area (:func:`diogel.recording.links.flow_url`); where
nothing records the satisfier yet (health assessment, GP registration …) the
link opens the child's record (``record:child``).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from diogel.recording.links import flow_url as recording_flow_url
from diogel.timescales.due import DueItem

#: URL name of a child's record (``record`` area), with kwarg ``child_id``.
RECORD_URL_NAME = "record:child"


def record_url(child_id: int) -> str:
    """The child's record."""
    try:
        return reverse(RECORD_URL_NAME, kwargs={"child_id": child_id})
    except NoReverseMatch:
        return f"/children/{child_id}/"


def due_url(item: DueItem) -> str:
    """The recording flow that satisfies ``item`` (for the record it is about), or the child's record."""
    try:
        url = recording_flow_url(str(item.satisfier), item.child, item.about.kind, item.about.id)
    except NoReverseMatch:
        url = None
    return url or record_url(item.child)
