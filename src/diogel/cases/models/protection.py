"""Child protection: strategy discussions, section 47 enquiries, conferences, the register.

Dataset tables: ``cp_conferences`` → :class:`Conference` (the meeting, one per
CONFERENCE_ID) + :class:`ConferenceSubject` (one per child discussed);
``conference_agencies`` → :class:`ConferenceInvitation`; ``cp_registrations``
→ :class:`Registration`; ``cp_reviews`` → :class:`CPReview`.
:class:`StrategyDiscussion`, :class:`Section47Enquiry` and
:class:`CoreGroupMeeting` are casework records with no dataset table of their
own (the dataset carries only their dates, on the rows above).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from diogel.dataset import schema

from .base import REF_LENGTH, EditableRecord, code_field, flag_field, in_order
from .organisation import LocalAuthority, PartnerAgency, Worker
from .people import Child
from .referrals import Referral


class StrategyDiscussion(EditableRecord):
    """A strategy discussion about a child, usually following an S47 referral decision."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="strategy_discussions")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="strategy_discussions")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="strategy_discussions"
    )
    held_on = models.DateField()
    notes = models.TextField(blank=True, default="")


class Section47Enquiry(EditableRecord):
    """A child protection enquiry (Children Act 1989 s.47) started by a strategy discussion."""

    class Outcome(models.TextChoices):
        CONFERENCE = "CONFERENCE", "initial child protection conference"
        NO_FURTHER_ACTION = "NFA", "no further action"
        CHILD_IN_NEED = "CIN", "child in need plan"

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="section47_enquiries")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="section47_enquiries")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")

    class Meta:
        verbose_name_plural = "section 47 enquiries"
        constraints = (in_order("end_date", "start_date", "cases_s47_end_after_start"),)


class Conference(EditableRecord):
    """A child protection conference (the meeting), shared by the siblings it discusses."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="conferences")
    conference_ref = models.CharField("conference identifier (CONFERENCE_ID)", max_length=REF_LENGTH)
    chair = models.ForeignKey(Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="chaired")

    class Meta:
        ordering = ("la", "conference_ref")
        constraints = (
            models.UniqueConstraint(fields=["la", "conference_ref"], name="cases_conference_unique_ref_in_la"),
        )

    def __str__(self) -> str:
        return self.conference_ref


class ConferenceSubject(EditableRecord):
    """One child discussed at a conference: a row of ``cp_conferences``.

    Type, dates and outcome are kept per child, as the dataset reports them.
    """

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="conference_subjects")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="subjects")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conferences")
    conference_type = code_field(schema.CONFERENCE_TYPE, "type (TYPE)")
    strategy_date = models.DateField("strategy discussion (STRATEGY_DATE)", null=True, blank=True)
    conference_date = models.DateField("held (CONFERENCE_DATE)", null=True, blank=True)
    outcome = code_field(schema.CONFERENCE_OUTCOME, "outcome (OUTCOME)")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.SET_NULL, null=True, blank=True, related_name="conference_subjects"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["conference", "child"], name="cases_conference_subject_unique_child"),
            in_order("conference_date", "strategy_date", "cases_conference_after_strategy"),
        )


class ConferenceInvitation(EditableRecord):
    """An agency invited to a conference, whether it attended and sent a report (``conference_agencies``)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="conference_invitations")
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    agency = code_field(schema.AGENCY, "agency (AGENCY)")
    partner_agency = models.ForeignKey(
        PartnerAgency, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    attended = flag_field("attended (ATTENDED)")
    report_provided = flag_field("report provided (REPORT_PROVIDED)")


class Registration(EditableRecord):
    """A period on the child protection register (``cp_registrations``)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="registrations")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="registrations")
    registration_ref = models.CharField("registration identifier (REGISTRATION_ID)", max_length=REF_LENGTH)
    start_date = models.DateField("registered (START_DATE)", null=True, blank=True)
    category = code_field(schema.CP_CATEGORY, "category (CATEGORY)")
    first_core_group = models.DateField("first core group (FIRST_CORE_GROUP)", null=True, blank=True)
    end_date = models.DateField("de-registered (END_DATE)", null=True, blank=True)
    conference_subject = models.ForeignKey(
        ConferenceSubject, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )

    class Meta:
        ordering = ("la", "start_date", "registration_ref")
        constraints = (
            models.UniqueConstraint(fields=["la", "registration_ref"], name="cases_registration_unique_ref_in_la"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="cases_registration_one_open_per_child"
            ),
            in_order("end_date", "start_date", "cases_registration_end_after_start"),
            in_order("first_core_group", "start_date", "cases_registration_core_group_after_start"),
        )

    def __str__(self) -> str:
        return self.registration_ref


class CoreGroupMeeting(EditableRecord):
    """A core group meeting for a registration (the first one's date is also FIRST_CORE_GROUP)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="core_group_meetings")
    held_on = models.DateField()


class CPReview(EditableRecord):
    """A child protection review conference (``cp_reviews``)."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="cp_reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cp_reviews")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="reviews")
    review_date = models.DateField("held (REVIEW_DATE)", null=True, blank=True)

    class Meta:
        verbose_name = "child protection review"
