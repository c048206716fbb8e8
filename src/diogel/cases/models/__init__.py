"""The case model: the relational record of a child's whole journey.

Split by area (see ``docs/case-model.md``); everything is re-exported here so
callers write ``from diogel.cases.models import Child``.
"""

from .allocations import Allocation
from .assessments import Assessment
from .education import EducationOutcome, SchoolChange
from .health import GPRegistration, HealthAssessment
from .leaving_care import CareLeaverContact
from .looked_after import Episode, LookedAfterReview
from .organisation import LocalAuthority, PartnerAgency, Team, Worker
from .pathway import PathwayAssessment
from .people import Address, Child, FamilyRelationship, Person
from .permanence import PermanencePlan
from .plans import CarePlan
from .population import PopulationEstimate
from .protection import (
    Conference,
    ConferenceInvitation,
    ConferenceSubject,
    CoreGroupMeeting,
    CPReview,
    Registration,
    Section47Enquiry,
    StrategyDiscussion,
)
from .referrals import Referral
from .visits import Visit
from .voice import FeedbackAnswer

__all__ = [
    "Address",
    "Allocation",
    "Assessment",
    "CPReview",
    "CareLeaverContact",
    "CarePlan",
    "Child",
    "Conference",
    "ConferenceInvitation",
    "ConferenceSubject",
    "CoreGroupMeeting",
    "EducationOutcome",
    "Episode",
    "FamilyRelationship",
    "FeedbackAnswer",
    "GPRegistration",
    "HealthAssessment",
    "LocalAuthority",
    "LookedAfterReview",
    "PartnerAgency",
    "PathwayAssessment",
    "PermanencePlan",
    "Person",
    "PopulationEstimate",
    "Referral",
    "Registration",
    "SchoolChange",
    "Section47Enquiry",
    "StrategyDiscussion",
    "Team",
    "Visit",
    "Worker",
]
