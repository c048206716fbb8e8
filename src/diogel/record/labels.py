"""Words for the codes of the dataset standard, as a person reads them on the child's record.

The case model stores codes exactly as the dataset writes them (``C2``, ``NEG``);
these are the English (and, through the catalogue, Welsh) words shown beside them.
A code without words here is shown as the code alone.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LEGAL_STATUS: dict[str, Promise] = {
    "C1": _("interim care order"),
    "C2": _("full care order"),
    "D1": _("freeing order granted"),
    "E1": _("placement order granted"),
    "J1": _("remanded to local authority accommodation"),
    "J2": _("detained in local authority accommodation under PACE"),
    "J3": _("sentenced to a supervision order with a residence requirement"),
    "L1": _("under police protection, in local authority accommodation"),
    "L2": _("emergency protection order"),
    "L3": _("child assessment order, in local authority accommodation"),
    "V1": _("accommodated under section 20"),
    "V2": _("single period of accommodation under section 20"),
    "V3": _("agreed series of short-term breaks (episodes recorded)"),
    "V4": _("agreed series of short-term breaks (agreements recorded)"),
}

#: Placement types by the letter they start with (SSDA903 groups).
PLACEMENT_GROUP: dict[str, Promise] = {
    "A": _("placed for adoption"),
    "F": _("foster placement"),
    "U": _("foster placement with a relative or friend"),
    "H": _("residential placement"),
    "K": _("secure or residential placement"),
    "R": _("residential placement"),
    "S": _("residential school"),
    "M": _("missing from placement"),
    "P": _("placed with parents or living independently"),
    "T": _("temporary placement"),
    "Z": _("other placement"),
}

CP_CATEGORY: dict[str, Promise] = {
    "NEG": _("neglect"),
    "PHY": _("physical abuse"),
    "SEX": _("sexual abuse"),
    "EMO": _("emotional abuse"),
    "MUL": _("more than one category"),
}

AGENCY_KIND: dict[str, Promise] = {
    "HEALTH": _("health"),
    "POLICE": _("police"),
    "EDUCATION": _("education"),
    "YOUTH_JUSTICE": _("youth justice"),
    "PROBATION": _("probation"),
    "HOUSING": _("housing"),
    "OTHER": _("other agency"),
}

REFERRAL_DECISION: dict[str, Promise] = {
    "NFA": _("no further action"),
    "INFO": _("information and advice"),
    "IA": _("initial assessment"),
    "S47": _("strategy discussion (section 47)"),
}

PLAN_TYPE: dict[str, Promise] = {
    "CARE_PLAN": _("care plan"),
    "PATHWAY_PLAN": _("pathway plan"),
    "CP_PLAN": _("child protection plan"),
    "CIN_PLAN": _("child in need plan"),
}

SEX: dict[str, Promise] = {"1": _("male"), "2": _("female"), "9": _("not known")}


def with_words(code: str, words: dict[str, Promise]) -> str:
    """``C2 — full care order``; the code alone when it has no words; empty for a blank code."""
    if not code:
        return ""
    label = words.get(code)
    return f"{code} — {label}" if label is not None else code


def legal_status(code: str) -> str:
    return with_words(code, LEGAL_STATUS)


def placement(code: str) -> str:
    if not code:
        return ""
    label = PLACEMENT_GROUP.get(code[0])
    return f"{code} — {label}" if label is not None else code


def cp_category(code: str) -> str:
    return with_words(code, CP_CATEGORY)


def agency_kind(code: str) -> str:
    label = AGENCY_KIND.get(code)
    return str(label) if label is not None else code
