"""Case notes written on a child's record, their revisions, and the drafts that keep unsaved work.

- :class:`CaseNote`: a note by a practitioner (of the LA, or of a partner agency),
  shown in the child's chronology. Edited only through
  :func:`diogel.record.services.note_edit`, which checks ``version``.
- :class:`CaseNoteRevision`: what each version of a note said, so a stale edit can
  be shown exactly what changed since the version it started from.
- :class:`NoteDraft`: the note an author is writing, saved every few seconds;
  one per author and child, removed when the note is published.

Models hold data and constraints only: every change goes through :mod:`.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diogel.cases.models import Child, PartnerAgency

NOTE_MAX_LENGTH = 20_000


class CaseNote(models.Model):
    """What happened on ``occurred_on``, written by ``author`` for ``agency`` (blank: the local authority)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    author_label = models.CharField(_("author"), max_length=150)
    agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    occurred_on = models.DateField(_("date"))
    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("case note")
        indexes = (models.Index(fields=["child", "occurred_on"], name="record_note_child_date"),)
        constraints = (models.CheckConstraint(condition=~Q(text=""), name="record_note_has_text"),)

    def __str__(self) -> str:
        return f"note {self.pk} ({self.occurred_on})"


class CaseNoteRevision(models.Model):
    """The note as it stood at ``version`` (one row per published version)."""

    note = models.ForeignKey(CaseNote, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    occurred_on = models.DateField()
    text = models.TextField()
    saved_by_label = models.CharField(max_length=150)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=["note", "version"], name="record_revision_unique_version"),)

    def __str__(self) -> str:
        return f"note {self.note_id} v{self.version}"


class NoteDraft(models.Model):
    """An unpublished note: what ``author`` has typed so far about ``child``. Only its author sees it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occurred_on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True, default="", max_length=NOTE_MAX_LENGTH)
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("note draft")
        constraints = (models.UniqueConstraint(fields=["author", "child"], name="record_draft_one_per_author"),)

    def __str__(self) -> str:
        return f"draft {self.author_id}/{self.child_id}"
