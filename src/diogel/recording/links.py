"""Links from a due item to the flow that satisfies it (for ``diogel.timescales`` and the caseload).

``flow_url(satisfier, child_id, about_kind, about_id)`` is the URL that records what satisfies the item,
or None when nothing in Diogel records it. A health assessment due for a placement opens with that
placement chosen.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

#: Satisfier key (``diogel.timescales.rules.Satisfier``) → URL name of the recording flow.
SATISFIER_FLOWS: dict[str, str] = {
    "referral_decision": "recording:referral_decide",
    "initial_assessment": "recording:assessment_start",
    "single_assessment": "recording:assessment_start",
    "core_assessment": "recording:assessment_complete",
    "initial_conference": "recording:conference",
    "core_group": "recording:core_group",
    "cp_review": "recording:cp_review",
    "cp_visit_seen_alone": "recording:visit",
    "care_plan": "recording:care_plan",
    "lac_visit": "recording:visit",
    "lac_review": "recording:lac_review",
    "pathway_plan_review": "recording:pathway_plan",
    "care_leaver_contact": "recording:care_leaver_contact",
    "health_assessment": "recording:health_assessment",
    "gp_registration": "recording:gp_registration",
    "iro_allocation": "recording:iro_allocation",
    "permanence_plan": "recording:permanence_plan",
    "pathway_assessment": "recording:pathway_assessment",
}


def flow_url(satisfier: str, child_id: int, about_kind: str = "", about_id: int | None = None) -> str | None:
    name = SATISFIER_FLOWS.get(str(satisfier))
    if name is None:
        return None
    if name in ("recording:referral_decide", "recording:assessment_complete"):
        if about_id is None:
            return None
        return reverse(name, kwargs={"child_id": child_id, "target_id": about_id})
    url = reverse(name, kwargs={"child_id": child_id})
    if name == "recording:assessment_start" and about_kind == "referral" and about_id is not None:
        kind = "INITIAL" if satisfier == "initial_assessment" else ""
        query = {"referral": about_id, **({"assessment_type": kind} if kind else {})}
        url += "?" + urlencode(query)
    if name == "recording:health_assessment" and about_kind == "placement" and about_id is not None:
        url += "?" + urlencode({"episode": about_id})
    return url
