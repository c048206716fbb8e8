"""The access data: who holds which role where, agreements with partners, involvements, seals, grants.

Models hold data and constraints only; every change goes through
:mod:`diogel.access.services`, which writes the audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from diogel.cases.models import Child, LocalAuthority, PartnerAgency, Team
from diogel.dataset import schema

from .roles import Role
from .sections import Section


def _in_order(end: str, start: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=_("The end must not be before the start."),
    )


class Membership(models.Model):
    """``user`` holds ``role`` (in an LA, a team, for an agency, a region, or as an inspector of a sample).

    A person may hold several memberships (a manager who also chairs reviews);
    what they see is the union. A revoked membership stays for the record.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    la = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("LA")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    region = models.CharField(_("safeguarding region"), max_length=64, blank=True, default="")
    #: Performance officers: may see child-level lists with names (otherwise pseudonymised).
    identifiable = models.BooleanField(_("identifiable child-level data granted"), default=False)
    window_start = models.DateField(_("inspection starts"), null=True, blank=True)
    window_end = models.DateField(_("inspection ends"), null=True, blank=True)
    sample = models.ManyToManyField(Child, blank=True, related_name="+", verbose_name=_("inspection sample"))
    granted_at = models.DateTimeField(_("granted"))
    granted_by_label = models.CharField(_("granted by"), max_length=150)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("role membership")
        constraints = (
            models.CheckConstraint(
                condition=Q(la__isnull=False) | Q(role__in=[Role.BOARD_MEMBER, Role.WG_ANALYST, Role.INSPECTOR]),
                name="access_membership_la_role_has_la",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PARTNER) | Q(agency__isnull=False), name="access_membership_partner_has_agency"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.TEAM_MANAGER) | Q(team__isnull=False), name="access_membership_manager_has_team"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.INSPECTOR) | (Q(window_start__isnull=False) & Q(window_end__isnull=False)),
                name="access_membership_inspector_has_window",
            ),
            _in_order("window_end", "window_start", "access_membership_window_in_order"),
        )

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class InformationSharingAgreement(models.Model):
    """What a kind of partner agency may see of an LA's records, for which purpose, from when until when."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name=_("LA"))
    agency_kind = models.CharField(_("agency kind"), max_length=16, choices=[(k, k) for k in sorted(schema.AGENCY)])
    purpose = models.TextField(_("purpose"))
    sections = models.JSONField(_("sections of the record"), default=list)
    starts_on = models.DateField(_("in force from"))
    expires_on = models.DateField(_("expires"))
    signed_for_la_by = models.CharField(_("signed for the LA by"), max_length=150)
    signed_for_agency_by = models.CharField(_("signed for the agency by"), max_length=150)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("information-sharing agreement")
        constraints = (_in_order("expires_on", "starts_on", "access_agreement_expires_after_start"),)

    def __str__(self) -> str:
        return f"{self.la.code} {self.agency_kind} {self.starts_on}–{self.expires_on}"

    def in_force(self, on: date) -> bool:
        return self.starts_on <= on <= self.expires_on

    def section_set(self) -> frozenset[str]:
        return frozenset(s for s in self.sections if s in Section.values)


class PartnerInvolvement(models.Model):
    """``agency`` is actively involved with ``child`` from ``started_on`` until ``ended_on`` (blank while active)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, default="")

    class Meta:
        verbose_name = _("partner involvement")
        constraints = (
            _in_order("ended_on", "started_on", "access_involvement_end_after_start"),
            models.UniqueConstraint(
                fields=["child", "agency"], condition=Q(ended_on__isnull=True), name="access_involvement_one_open"
            ),
        )

    def __str__(self) -> str:
        return f"{self.agency} / {self.child}"


class SealedRecord(models.Model):
    """A child's record sealed (adoption, a child of staff, a high-profile case): only ``named_users`` see it."""

    class Reason(models.TextChoices):
        ADOPTION = "ADOPTION", _("adoption")
        STAFF_CHILD = "STAFF_CHILD", _("child of a member of staff")
        HIGH_PROFILE = "HIGH_PROFILE", _("high-profile case")
        OTHER = "OTHER", _("other")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, default="")
    named_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    sealed_at = models.DateTimeField(_("sealed"))
    unsealed_at = models.DateTimeField(_("unsealed"), null=True, blank=True)

    class Meta:
        verbose_name = _("sealed record")
        constraints = (
            models.UniqueConstraint(
                fields=["child"], condition=Q(unsealed_at__isnull=True), name="access_seal_one_open"
            ),
        )

    def __str__(self) -> str:
        return f"sealed {self.child}"


class BreakGlassGrant(models.Model):
    """Emergency access by ``user`` to ``child`` for a stated reason, until ``expires_at``; a manager must review it."""

    class Review(models.TextChoices):
        PENDING = "PENDING", _("awaiting review")
        JUSTIFIED = "JUSTIFIED", _("justified")
        NOT_JUSTIFIED = "NOT_JUSTIFIED", _("not justified")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("from"))
    expires_at = models.DateTimeField(_("until"))
    review = models.CharField(_("review"), max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, default="")

    class Meta:
        verbose_name = _("break-glass grant")
        constraints = (
            models.CheckConstraint(condition=Q(expires_at__gt=F("starts_at")), name="access_breakglass_expires_after"),
            models.CheckConstraint(condition=~Q(reason=""), name="access_breakglass_has_reason"),
        )

    def __str__(self) -> str:
        return f"break-glass {self.user} / {self.child}"

    def active_at(self, when: datetime) -> bool:
        return self.starts_at <= when < self.expires_at


class IROAssignment(models.Model):
    """``user`` is the independent reviewing officer chairing ``child``'s reviews from ``started_on``.

    The case model records no chair on ``LookedAfterReview``/``CPReview``; this
    is the IRO's link to the children whose reviews they chair.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("IRO assignment")
        constraints = (
            _in_order("ended_on", "started_on", "access_iro_end_after_start"),
            models.UniqueConstraint(
                fields=["user", "child"], condition=Q(ended_on__isnull=True), name="access_iro_one_open"
            ),
        )

    def __str__(self) -> str:
        return f"IRO {self.user} / {self.child}"


class Notification(models.Model):
    """A message to a user inside Diogel (break-glass alerts to the allocated worker and managers)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("sent"))
    message = models.TextField(_("message"))
    grant = models.ForeignKey(
        BreakGlassGrant, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.message[:50]
