"""The recording flows: one declaration each (URL, section, who records it, form, what it edits).

The URL name of each flow is ``recording:<name>``; ``docs/recording.md`` lists them, and
:mod:`diogel.recording.links` maps the due-items engine's satisfiers onto them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diogel.access.sections import Section
from diogel.cases.models import Child

from . import forms as f
from . import queries
from .services._common import CASEWORK, REVIEWING
from .services.iro import ALLOCATING

TargetGetter = Callable[[Child, int | None], Model | None]


def _by_id(getter: Callable[[Child, int | None], Model]) -> TargetGetter:
    return getter


def _open_registration(child: Child, _pk: int | None) -> Model | None:
    return queries.open_registration_of(child)


def _open_episode(child: Child, _pk: int | None) -> Model | None:
    return queries.open_episode_of(child)


@dataclass(frozen=True)
class Flow:
    name: str
    title: Promise
    done: Promise
    section: str
    allowed: frozenset[str]
    form: type[f.RecordingForm]
    #: ``<child_id>/`` + this path (``<int:target_id>`` when the flow edits a record chosen by id).
    path: str
    #: The record edited or continued: by id (from the URL) or the child's open one; None creates.
    target: TargetGetter | None = None
    #: Shown instead of the form when the flow continues an open record that does not exist.
    missing: Promise | None = None
    template: str = "recording/flow.html"

    @property
    def url_name(self) -> str:
        return f"recording:{self.name}"

    @property
    def by_id(self) -> bool:
        return "<int:target_id>" in self.path

    @property
    def api_path(self) -> str:
        return "/children/{child_id}/" + self.path.replace("<int:target_id>", "{target_id}").rstrip("/")


NOT_REGISTERED = _("This child is not on the child protection register.")
NOT_LOOKED_AFTER = _("This child is not looked after: start a period of care first.")

FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (
        Flow("referral_record", _("Record a referral"), _("Referral recorded."), Section.REFERRALS, CASEWORK,
             f.ReferralRecordForm, "referral/"),
        Flow("referral_decide", _("Record the decision on a referral"), _("Decision recorded."), Section.REFERRALS,
             CASEWORK, f.ReferralDecideForm, "referrals/<int:target_id>/decision/", _by_id(queries.referral_of)),
        Flow("assessment_start", _("Record an assessment"), _("Assessment recorded."), Section.ASSESSMENTS,
             CASEWORK, f.AssessmentStartForm, "assessment/"),
        Flow("assessment_complete", _("Complete an assessment"), _("Assessment completed."), Section.ASSESSMENTS,
             CASEWORK, f.AssessmentCompleteForm, "assessments/<int:target_id>/completion/",
             _by_id(queries.assessment_of)),
        Flow("strategy_discussion", _("Record a strategy discussion"), _("Strategy discussion recorded."),
             Section.CHILD_PROTECTION, CASEWORK, f.StrategyDiscussionForm, "strategy-discussion/"),
        Flow("enquiry_complete", _("Record the outcome of a section 47 enquiry"), _("Enquiry outcome recorded."),
             Section.CHILD_PROTECTION, CASEWORK, f.EnquiryCompleteForm, "enquiries/<int:target_id>/completion/",
             _by_id(queries.enquiry_of)),
        Flow("conference", _("Record an initial child protection conference"), _("Conference recorded."),
             Section.CHILD_PROTECTION, REVIEWING, f.ConferenceForm, "conference/",
             template="recording/conference.html"),
        Flow("registration", _("Register the child (child protection)"), _("Registration recorded."),
             Section.CHILD_PROTECTION, CASEWORK, f.RegistrationForm, "registration/"),
        Flow("core_group", _("Record a core group meeting"), _("Core group recorded."), Section.CHILD_PROTECTION,
             CASEWORK, f.CoreGroupForm, "core-group/", _open_registration, NOT_REGISTERED),
        Flow("cp_review", _("Record a child protection review conference"), _("Review recorded."),
             Section.CHILD_PROTECTION, REVIEWING, f.CPReviewForm, "cp-review/", _open_registration, NOT_REGISTERED),
        Flow("deregistration", _("De-register the child"), _("De-registration recorded."), Section.CHILD_PROTECTION,
             REVIEWING, f.DeregistrationForm, "deregistration/", _open_registration, NOT_REGISTERED),
        Flow("care_start", _("Start a period of care"), _("Period of care started."), Section.LOOKED_AFTER,
             CASEWORK, f.CareStartForm, "care-start/"),
        Flow("placement_change", _("Change of placement"), _("Change of placement recorded."), Section.LOOKED_AFTER,
             CASEWORK, f.PlacementChangeForm, "placement-change/", _open_episode, NOT_LOOKED_AFTER),
        Flow("legal_status_change", _("Change of legal status"), _("Change of legal status recorded."),
             Section.LOOKED_AFTER, CASEWORK, f.LegalStatusForm, "legal-status/", _open_episode, NOT_LOOKED_AFTER),
        Flow("episode_end", _("End the period of care"), _("End of care recorded."), Section.LOOKED_AFTER,
             CASEWORK, f.EpisodeEndForm, "care-end/", _open_episode, NOT_LOOKED_AFTER),
        Flow("care_plan", _("Record the care plan"), _("Care plan recorded."), Section.LOOKED_AFTER, CASEWORK,
             f.CarePlanForm, "care-plan/"),
        Flow("health_assessment", _("Record a health assessment"), _("Health assessment recorded."),
             Section.HEALTH, CASEWORK, f.HealthAssessmentForm, "health-assessment/"),
        Flow("gp_registration", _("Record the GP registration"), _("GP registration recorded."), Section.HEALTH,
             CASEWORK, f.GPRegistrationForm, "gp-registration/"),
        Flow("permanence_plan", _("Record the permanence plan"), _("Permanence plan recorded."),
             Section.LOOKED_AFTER, CASEWORK, f.PermanencePlanForm, "permanence-plan/"),
        Flow("iro_allocation", _("Allocate an independent reviewing officer"), _("IRO allocated."),
             Section.LOOKED_AFTER, ALLOCATING, f.IROAllocationForm, "iro/"),
        Flow("pathway_assessment", _("Record the pathway assessment"), _("Pathway assessment recorded."),
             Section.LEAVING_CARE, CASEWORK, f.PathwayAssessmentForm, "pathway-assessment/"),
        Flow("pathway_plan", _("Record a pathway plan or its review"), _("Pathway plan recorded."),
             Section.LEAVING_CARE, CASEWORK, f.PathwayPlanForm, "pathway-plan/"),
        Flow("lac_review", _("Record a looked-after review"), _("Looked-after review recorded."),
             Section.LOOKED_AFTER, REVIEWING, f.LACReviewForm, "lac-review/"),
        Flow("visit", _("Record a visit"), _("Visit recorded."), Section.CHRONOLOGY, CASEWORK, f.VisitForm,
             "visit/"),
        Flow("school_change", _("Record a change of school"), _("Change of school recorded."), Section.EDUCATION,
             CASEWORK, f.SchoolChangeForm, "school-change/"),
        Flow("care_leaver_contact", _("Record contact at 19"), _("Contact at 19 recorded."), Section.LEAVING_CARE,
             CASEWORK, f.CareLeaverContactForm, "care-leaver-contact/"),
        Flow("wellbeing", _("How are things?"), _("Thank you for your answers."), Section.CHRONOLOGY, REVIEWING,
             f.WellbeingForm, "wellbeing/", template="recording/wellbeing.html"),
    )
}  # fmt: skip

#: The hub's groups, in the order of a child's journey (flows continuing an open record are listed there).
GROUPS: list[tuple[Promise, list[str]]] = [
    (_("Referral and assessment"), ["referral_record", "assessment_start"]),
    (_("Child protection"), ["strategy_discussion", "conference", "registration", "core_group", "cp_review",
                             "deregistration"]),
    (_("Looked after"), ["care_start", "placement_change", "legal_status_change", "episode_end", "care_plan",
                         "iro_allocation", "lac_review", "permanence_plan"]),
    (_("Health"), ["health_assessment", "gp_registration"]),
    (_("Visits, education and leaving care"), ["visit", "school_change", "pathway_assessment", "pathway_plan",
                                               "care_leaver_contact"]),
    (_("The child's voice"), ["wellbeing"]),
]  # fmt: skip
