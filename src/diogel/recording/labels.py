"""What each code of the dataset standard is called on the recording pages (English, translated to Welsh).

SSDA903 lists with many technical codes (legal status, placement, reason ceased) are shown as their code:
practitioners record them from the SSDA903 guidance, and their full wording belongs in the data standard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diogel.cases.models import Section47Enquiry
from diogel.dataset import schema

Label = str | Promise

DECISION = {
    "NFA": _("No further action"),
    "INFO": _("Information or advice only"),
    "IA": _("Initial assessment"),
    "S47": _("Strategy discussion (child protection enquiry)"),
}
SOURCE = {
    "POLICE": _("Police"),
    "HEALTH": _("Health"),
    "EDUCATION": _("Education"),
    "LA_SERVICES": _("Local authority services"),
    "OTHER_LA": _("Another local authority"),
    "INDIVIDUAL": _("An individual"),
    "ANONYMOUS": _("Anonymous"),
    "OTHER": _("Other"),
}
PRIMARY_NEED = {
    "N1": _("Abuse or neglect"),
    "N2": _("Child's disability"),
    "N3": _("Parental illness or disability"),
    "N4": _("Family in acute stress"),
    "N5": _("Family dysfunction"),
    "N6": _("Socially unacceptable behaviour"),
    "N7": _("Low income"),
    "N8": _("Absent parenting"),
    "N9": _("Not stated"),
}
ASSESSMENT_TYPE = {"INITIAL": _("Initial assessment"), "CORE": _("Core assessment")}
AGENCY = {
    "HEALTH": _("Health"),
    "POLICE": _("Police"),
    "EDUCATION": _("Education"),
    "YOUTH_JUSTICE": _("Youth justice"),
    "PROBATION": _("Probation"),
    "HOUSING": _("Housing"),
    "OTHER": _("Other agency"),
}
CONFERENCE_OUTCOME = {"REGISTER": _("Register the child"), "NOT_REGISTER": _("Do not register")}
CP_CATEGORY = {
    "NEG": _("Neglect"),
    "PHY": _("Physical abuse"),
    "SEX": _("Sexual abuse"),
    "EMO": _("Emotional abuse"),
    "MUL": _("More than one category"),
}
ENQUIRY_OUTCOME = {
    Section47Enquiry.Outcome.CONFERENCE: _("Initial child protection conference"),
    Section47Enquiry.Outcome.NO_FURTHER_ACTION: _("No further action"),
    Section47Enquiry.Outcome.CHILD_IN_NEED: _("Child in need plan"),
}
PLACE_PROVIDER = {
    "PR0": _("Parent or other person with parental responsibility"),
    "PR1": _("Own local authority"),
    "PR2": _("Another local authority"),
    "PR3": _("Other public provision"),
    "PR4": _("Private provision"),
    "PR5": _("Voluntary or third sector provision"),
}
REASON_PLACE_CHANGE = {
    "CARPL": _("Change to or carrying out the care plan"),
    "CLOSE": _("Provider resigned or the provision closed"),
    "ALLEG": _("Allegation (section 47 enquiry)"),
    "STAND": _("Concerns about the standard of care"),
    "APPRR": _("Carer's approval removed"),
    "CREQB": _("Carer asked for the placement to end because of the child's behaviour"),
    "CREQO": _("Carer asked for the placement to end for another reason"),
    "CHILD": _("The child asked for the placement to end"),
    "LAREQ": _("The local authority asked for the placement to end"),
    "PLACE": _("Change in the status of the placement only"),
    "CUSTOD": _("Custody arrangement"),
    "OTHER": _("Other"),
}
PARTICIPATION = {
    "PN0": _("Child under 4 at the time of the review"),
    "PN1": _("Attended and spoke for themselves"),
    "PN2": _("Attended, and an advocate spoke for them"),
    "PN3": _("Attended and conveyed their views without words"),
    "PN4": _("Attended but did not convey their views"),
    "PN5": _("Did not attend, but briefed an advocate to speak for them"),
    "PN6": _("Did not attend, but conveyed their views another way"),
    "PN7": _("Did not attend, and their views were not conveyed"),
}
IN_TOUCH = {
    "YES": _("In touch"),
    "NO": _("Not in touch"),
    "DIED": _("Died"),
    "REFU": _("Refuses contact"),
    "NREQ": _("No longer needs services"),
    "RHOM": _("Returned home to parents for 6 months or more"),
}
ACTIVITY = {
    "F1": _("Higher education, full time"),
    "P1": _("Higher education, part time"),
    "F2": _("Other education, full time"),
    "P2": _("Other education, part time"),
    "F3": _("Training or employment, full time"),
    "P3": _("Training or employment, part time"),
    "G4": _("Not in education, training or employment: illness or disability"),
    "G5": _("Not in education, training or employment: other reasons"),
    "G6": _("Not in education, training or employment: pregnancy or parenting"),
    "0": _("Not known"),
}
ACCOMMODATION_TYPE = {
    "B": _("With parents or relatives"),
    "C": _("Community home or other residential care"),
    "D": _("Semi-independent, transitional accommodation"),
    "E": _("Supported lodgings"),
    "G": _("Gone abroad"),
    "H": _("Deported"),
    "K": _("Ordinary lodgings"),
    "R": _("Residence not known"),
    "S": _("No fixed abode or homeless"),
    "T": _("Foyers"),
    "U": _("Independent living"),
    "V": _("Emergency accommodation"),
    "W": _("Bed and breakfast"),
    "X": _("In custody"),
    "Y": _("Other accommodation"),
    "Z": _("With former foster carers"),
}
VISIT_TYPE = {"LAC": _("Statutory visit to a looked-after child"), "CP": _("Visit to a registered child")}
#: The well-being questions as a child reads them.
QUESTION = {
    "SAFE": _("I feel safe"),
    "HOME_HAPPY": _("I live in a home where I am happy"),
    "KNOW_WHO": _("I know who to speak to about my care and support"),
    "LISTENED": _("My views about my care and support have been listened to"),
    "RESPECT": _("I have been treated with respect"),
}
ANSWER = {"YES": _("Yes"), "SOMETIMES": _("Sometimes"), "NO": _("No")}
#: The permanence plan in brief (``PermanencePlan.Outcome``), in the order a worker weighs them.
PERMANENCE = {
    "HOME": _("Return home to parents"),
    "FAMILY": _("Live with relatives or friends (child arrangements order)"),
    "SGO": _("Special guardianship"),
    "ADOPTION": _("Adoption"),
    "LTF": _("Long-term fostering"),
    "RESIDENTIAL": _("Long-term residential care"),
    "INDEPENDENCE": _("Supported move to independence"),
    "OTHER": _("Other (say what below)"),
}


def choices(codes: Iterable[str], labels: Mapping[str, Label] | None = None) -> list[tuple[str, Label]]:
    """Choices for a code list: in the order of ``labels`` when given (code-only, sorted, otherwise)."""
    if labels is None:
        return [(c, c) for c in sorted(codes)]
    known = set(codes)
    return [(c, label) for c, label in labels.items() if c in known]


def coded(codes: Iterable[str], labels: Mapping[str, Label]) -> list[tuple[str, Label]]:
    """Choices showing the code before its label ("PN1 – attended …"), for codes practitioners know by name."""
    from django.utils.text import format_lazy

    return [(c, format_lazy("{} – {}", c, label)) for c, label in choices(codes, labels)]


__all__ = ["choices", "coded", "schema"]
