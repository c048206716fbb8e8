"""Writing case notes: each function takes ``actor`` keyword-only, runs in one transaction, and writes
its audit entry in that transaction (drafts excepted: see :func:`note_save_draft`).

Who may write: a social worker, team manager or IRO (for the LA) or a partner-agency
practitioner (for their agency) who can see the child's chronology. Only the author
edits a note. An edit names the ``version`` it started from; if the note has changed
since, :class:`StaleEditError` refuses it, saying what changed, and nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogel import audit
from diogel.access.errors import NotAllowedError, NotFound
from diogel.access.roles import Role
from diogel.access.sections import Section
from diogel.access.visibility import active_memberships, sections_for, visible_children
from diogel.audit.events import AuditEvent
from diogel.cases.models import Child, PartnerAgency
from diogel.clock import today
from diogel.errors import UserError

from .models import NOTE_MAX_LENGTH, CaseNote, CaseNoteRevision, NoteDraft

User = AbstractBaseUser | AnonymousUser
WRITER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO, Role.PARTNER})
LA_WRITER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.IRO})
NOTE_FIELDS = ("occurred_on", "text")


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    #: The value now stored (what the other person saved).
    now: Any


class StaleEditError(UserError):
    """The note changed after the editor opened it: nothing was saved."""

    def __init__(self, note: CaseNote, changes: list[Change], changed_by: str, changed_at: datetime) -> None:
        super().__init__(
            _("%(who)s changed this note after you opened it. Your changes have not been saved.") % {"who": changed_by}
        )
        self.note = note
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at


def _label(actor: User) -> str:
    return actor.get_username() if actor.is_authenticated else "anonymous"


def _child_for_writing(actor: User, child_id: int | str) -> tuple[Child, PartnerAgency | None]:
    """The child (visible, with its chronology open to ``actor``) and the agency ``actor`` writes for."""
    try:
        pk = int(child_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    child = visible_children(actor).select_related("la").filter(pk=pk).first()
    if child is None or Section.CHRONOLOGY not in sections_for(actor, child):
        raise NotFound()
    memberships = active_memberships(actor)
    if any(mb.role in LA_WRITER_ROLES and mb.la_id == child.la_id for mb in memberships):
        return child, None
    partner = next((mb for mb in memberships if mb.role == Role.PARTNER and mb.agency is not None), None)
    if partner is None:
        raise NotAllowedError(_("You can read this record but not write in it."))
    return child, partner.agency


def _validate(occurred_on: date | None, text: str, child: Child) -> str:
    errors: dict[str, list[str]] = {}
    clean = text.strip()
    if not clean:
        errors["text"] = [_("Write the note.")]
    elif len(clean) > NOTE_MAX_LENGTH:
        errors["text"] = [
            _("The note must be %(max)d characters or fewer; it has %(n)d.") % {"max": NOTE_MAX_LENGTH, "n": len(clean)}
        ]
    if occurred_on is None:
        errors["occurred_on"] = [_("Enter the date of what the note records.")]
    elif occurred_on > today():
        errors["occurred_on"] = [_("The date must not be in the future.")]
    elif child.date_of_birth is not None and occurred_on.year < child.date_of_birth.year - 1:
        errors["occurred_on"] = [_("The date must not be long before the child was born.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _snapshot(note: CaseNote) -> dict[str, Any]:
    return {
        "occurred_on": note.occurred_on,
        "text": note.text,
        "agency": note.agency_id,
        "version": note.version,
    }


@transaction.atomic
def note_save_draft(*, actor: User, child_id: int | str, occurred_on: date | None, text: str) -> NoteDraft:
    """Keep what ``actor`` has typed so far (one draft per author and child).

    Not audited: a draft is the author's unfinished work, seen by no one else and not part of
    the record; publishing it is audited. Nothing is validated but the length.
    """
    child, _agency = _child_for_writing(actor, child_id)
    assert actor.pk is not None
    draft = NoteDraft.objects.select_for_update().filter(author_id=actor.pk, child_id=child.pk).first()
    text = text[:NOTE_MAX_LENGTH]
    now = timezone.now()
    if draft is None:
        return NoteDraft.objects.create(
            author_id=actor.pk, child_id=child.pk, occurred_on=occurred_on, text=text, saved_at=now
        )
    draft.occurred_on, draft.text, draft.saved_at = occurred_on, text, now
    draft.save(update_fields=["occurred_on", "text", "saved_at"])
    return draft


@transaction.atomic
def note_discard_draft(*, actor: User, child_id: int | str) -> None:
    child, _agency = _child_for_writing(actor, child_id)
    NoteDraft.objects.filter(author_id=actor.pk, child_id=child.pk).delete()


@transaction.atomic
def note_publish(*, actor: User, child_id: int | str, occurred_on: date | None, text: str) -> CaseNote:
    """Add a note to the child's record (and remove the author's draft)."""
    child, agency = _child_for_writing(actor, child_id)
    clean = _validate(occurred_on, text, child)
    assert occurred_on is not None and actor.pk is not None
    now = timezone.now()
    note = CaseNote.objects.create(
        child=child,
        author_id=actor.pk,
        author_label=_label(actor),
        agency=agency,
        occurred_on=occurred_on,
        text=clean,
        created_at=now,
        updated_at=now,
    )
    CaseNoteRevision.objects.create(
        note=note, version=1, occurred_on=occurred_on, text=clean, saved_by_label=note.author_label, saved_at=now
    )
    NoteDraft.objects.filter(author_id=actor.pk, child_id=child.pk).delete()
    audit.record(actor=actor, event=AuditEvent.RECORD_CREATED, obj=note, child=child, after=_snapshot(note))
    return note


@transaction.atomic
def note_edit(
    *, actor: User, child_id: int | str, note_id: int | str, version: int, occurred_on: date | None, text: str
) -> CaseNote:
    """Change a note written by ``actor``, if it is still at ``version``; otherwise :class:`StaleEditError`."""
    child, _agency = _child_for_writing(actor, child_id)
    try:
        pk = int(note_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    note = CaseNote.objects.select_for_update().filter(pk=pk, child_id=child.pk).first()
    if note is None:
        raise NotFound()
    if note.author_id != actor.pk:
        raise NotAllowedError(_("Only the author of a note can change it."))
    if note.version != version:
        raise _stale(note, version)
    clean = _validate(occurred_on, text, child)
    if (note.occurred_on, note.text) == (occurred_on, clean):
        return note
    before = _snapshot(note)
    assert occurred_on is not None
    note.occurred_on, note.text = occurred_on, clean
    note.version += 1
    note.updated_at = timezone.now()
    note.save(update_fields=["occurred_on", "text", "version", "updated_at"])
    CaseNoteRevision.objects.create(
        note=note,
        version=note.version,
        occurred_on=occurred_on,
        text=clean,
        saved_by_label=_label(actor),
        saved_at=note.updated_at,
    )
    audit.record(
        actor=actor, event=AuditEvent.RECORD_CHANGED, obj=note, child=child, before=before, after=_snapshot(note)
    )
    return note


def _stale(note: CaseNote, version: int) -> StaleEditError:
    labels = {"occurred_on": _("Date"), "text": _("Note")}
    base = CaseNoteRevision.objects.filter(note_id=note.pk, version=version).first()
    latest = CaseNoteRevision.objects.filter(note_id=note.pk).order_by("-version").first()
    changes = [
        Change(f, str(labels[f]), getattr(note, f))
        for f in NOTE_FIELDS
        if base is None or getattr(base, f) != getattr(note, f)
    ]
    who = latest.saved_by_label if latest is not None else note.author_label
    return StaleEditError(note, changes, who, note.updated_at)
