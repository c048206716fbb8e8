"""The recording services: every write of a recording flow, one module per part of the journey.

Each function takes the child first, the acting user as the keyword-only ``actor``, runs in one
transaction, validates before writing (``ValidationError`` keyed by field), checks the ``version``
of a record it edits, and writes its audit entries in that transaction. See ``docs/recording.md``.
"""

from ._common import StaleEditError
from .assessments import assessment_complete, assessment_start
from .education import school_change_record
from .health import gp_registration_record, health_assessment_record
from .iro import iro_allocate
from .leaving_care import care_leaver_contact_record, pathway_assessment_record
from .looked_after import care_start, episode_end, legal_status_change, placement_change
from .plans import permanence_plan_record, plan_start
from .protection import (
    Invitation,
    conference_record,
    core_group_record,
    cp_review_record,
    enquiry_complete,
    registration_end,
    registration_start,
    strategy_discussion_record,
)
from .referrals import referral_decide, referral_record
from .reviews import lac_review_record
from .visits import visit_record
from .voice import feedback_record

__all__ = [
    "Invitation",
    "StaleEditError",
    "assessment_complete",
    "assessment_start",
    "care_leaver_contact_record",
    "care_start",
    "conference_record",
    "core_group_record",
    "cp_review_record",
    "enquiry_complete",
    "episode_end",
    "feedback_record",
    "gp_registration_record",
    "health_assessment_record",
    "iro_allocate",
    "lac_review_record",
    "legal_status_change",
    "pathway_assessment_record",
    "permanence_plan_record",
    "placement_change",
    "plan_start",
    "referral_decide",
    "referral_record",
    "registration_end",
    "registration_start",
    "school_change_record",
    "strategy_discussion_record",
    "visit_record",
]
