"""The authorisation matrix: every entry point × every role (and anonymous) × every kind of child.

The entry points are GENERATED: pages from the URL resolver, API operations from the OpenAPI
document. Each must be classified in :data:`PAGES` / :data:`API` below (which parameter is the child,
which rule of ``rules.py`` decides); a new page or endpoint that is not fails
``test_every_entry_point_is_classified`` and its own matrix case, with a message saying where to add it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Sum
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from access.world import d
from diogel.access.roles import BREAK_GLASS_ROLES, Role
from diogel.api import api as ninja_api
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Worker
from diogel.record.models import NoteDraft
from diogel.recording.flows import FLOWS

from .conftest import ANONYMOUS, KINDS, ROLES, SecurityWorld
from .rules import (
    LA_KINDS,
    AccessLog,
    AdminSite,
    Allocate,
    ChildRead,
    Flow,
    ForRoles,
    LAAdmin,
    ManagedTeam,
    NoteWrite,
    PerfChildren,
    PerfLA,
    PerfNational,
    PerfRegion,
    Public,
    Recipient,
    Rule,
    SignedIn,
)

CHRONOLOGY = "chronology"
GP = ("GET", "POST")
POST = ("POST",)

#: Every page, by URL name ("admin:*": the whole of Django's admin).
PAGES: dict[str, Rule] = {
    "home": SignedIn(),
    "healthz": Public(),
    "ping": SignedIn(),
    "login": Public(methods=GP),
    "login-code": Public(methods=GP),
    "login-enrol": Public(methods=GP),
    "login-recovery": Public(methods=GP),
    "login-setup": Public(methods=GP),
    "login-setup-link": Public(),
    "two-factor": SignedIn(methods=GP),
    "logout": Public(methods=POST),
    "set_language": Public(methods=POST),
    "admin:*": AdminSite(),
    "caseload:home": SignedIn(),
    "caseload:allocate": ManagedTeam(methods=POST),
    "record:search": SignedIn(),
    "record:child": ChildRead(),
    "record:chronology": ChildRead(section=CHRONOLOGY),
    "record:chronology_csv": ChildRead(section=CHRONOLOGY),
    "record:involved": ChildRead(),
    "record:access_log": AccessLog(),
    "record:access_log_csv": AccessLog(),
    "record:note_new": NoteWrite(methods=GP),
    "record:note_draft": NoteWrite(methods=POST),
    "record:note_draft_discard": NoteWrite(methods=POST),
    "record:note_edit": NoteWrite(methods=GP, author_only=True),
    "recording:child": ChildRead(),
    "recording:wellbeing_thanks": ChildRead(section=CHRONOLOGY),
    "recording:correct": Flow(flow="visit", methods=GP),  # correcting a visit: whoever may record one
    **{f"recording:{name}": Flow(flow=name, methods=GP) for name in FLOWS},
    "performance:index": SignedIn(),
    "performance:national": PerfNational(),
    "performance:national_download": PerfNational(),
    "performance:board": PerfRegion(),
    "performance:board_download": PerfRegion(),
    "performance:la": PerfLA(),
    "performance:la_download": PerfLA(),
    "performance:indicator": PerfLA(),
    "performance:indicator_download": PerfLA(),
    "performance:children": PerfChildren(),
    "performance:children_download": PerfChildren(),
    # The access pages (accessui): a page for another role is 403, another LA's or another person's record 404.
    "accessui:break_glass": ForRoles(roles=BREAK_GLASS_ROLES, methods=GP),
    "accessui:reviews": ForRoles(roles=frozenset({Role.TEAM_MANAGER})),
    "accessui:review": ForRoles(roles=frozenset({Role.TEAM_MANAGER}), methods=POST),
    "accessui:notifications": SignedIn(),
    # The front door (intake): social workers and team managers of an LA; anyone else 403.
    "intake:search": ForRoles(roles=frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER}), methods=GP),
    "intake:new": ForRoles(roles=frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER}), methods=GP),
    "accessui:notifications_read_all": SignedIn(methods=POST),
    "accessui:notification": Recipient(),
    "accessui:admin": ForRoles(roles=frozenset({Role.LA_ADMIN})),
    "accessui:memberships": LAAdmin(methods=GP),
    "accessui:membership_revoke": LAAdmin(methods=POST),
    "accessui:agreements": LAAdmin(methods=GP),
    "accessui:involvements": LAAdmin(methods=GP),
    "accessui:involvement_end": LAAdmin(methods=POST),
    "accessui:seals": LAAdmin(methods=GP),
    "accessui:unseal": LAAdmin(methods=POST),
    "accessui:two_factor": LAAdmin(),
    "accessui:two_factor_person": LAAdmin(methods=GP),
    # The API's own views: the document and its viewer are public; operations are classified in API.
    "api-v1:openapi-json": Public(),
    "api-v1:openapi-view": Public(),
}
#: Every API operation, by operationId.
API: dict[str, Rule] = {
    "diogel_caseload_api_caseload": SignedIn(),
    "diogel_caseload_api_reviews": SignedIn(),
    "diogel_caseload_api_team": ManagedTeam(),
    "diogel_caseload_api_allocate": Allocate(),  # the child is body.child
    "diogel_record_api_search": SignedIn(),
    "diogel_record_api_header": ChildRead(),
    "diogel_record_api_chronology": ChildRead(section=CHRONOLOGY),
    "diogel_record_api_notes": ChildRead(section=CHRONOLOGY),
    "diogel_record_api_note_publish": NoteWrite(),
    "diogel_record_api_note_edit": NoteWrite(author_only=True),
    "diogel_record_api_draft": ChildRead(section=CHRONOLOGY),
    "diogel_record_api_draft_save": NoteWrite(),
    "diogel_recording_api_child_recording": ChildRead(),
    "recording_correct": Flow(flow="visit"),  # PUT …/records/visit/{id}
    **{f"recording_{name}": Flow(flow=name) for name in FLOWS},
    "diogel_intake_api_search": ForRoles(roles=frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})),
    "diogel_intake_api_create": ForRoles(roles=frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})),
    "diogel_performance_api_la_results": PerfLA(),
    "diogel_performance_api_indicator_results": PerfLA(),
}
HOW_TO_CLASSIFY = (
    "is not in the authorisation matrix: add it to {table} in tests/security/test_matrix.py with the rule "
    "(tests/security/rules.py) that decides who may use it, and which parameter is the child."
)

# --- discovering the entry points -------------------------------------------------------------------


def walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    """(URL name with namespaces, route) of every URL pattern, recursively."""
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ":".join(x for x in (ns, p.namespace or "") if x)
            yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else (p.name or f"<unnamed {prefix}{p.pattern}>")
            yield name, prefix + str(p.pattern)


def pages() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, route in walk(get_resolver().url_patterns):
        if route.startswith("admin/") and name != "admin:index":
            continue  # the admin is one entry ("admin:*"), probed at its index
        found[name] = route
    return found


def api_operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (method, path, operation) from the OpenAPI document."""
    ops: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in ninja_api.get_openapi_schema()["paths"].items():
        for method, op in item.items():
            ops[op["operationId"]] = (method.upper(), path, op)
    return ops


def _api_route_to_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).rstrip("/")


def page_rule(name: str) -> Rule | None:
    return PAGES.get("admin:*" if name.startswith("admin:") else name)


PAGE_NAMES = sorted(pages())
API_OPS = sorted(api_operations())


def test_every_entry_point_is_classified(client_for: Any) -> None:
    unclassified = [n for n in PAGE_NAMES if page_rule(n) is None and not n.startswith("api-v1:")]
    unclassified += [op for op in API_OPS if op not in API]
    # The served document is the one the matrix was generated from.
    served = client_for(ANONYMOUS).get("/api/v1/openapi.json").json()
    served_ops = {op["operationId"] for item in served["paths"].values() for op in item.values()}
    assert served_ops == set(API_OPS)
    # Every ninja route is an operation of the document (nothing hidden with include_in_schema=False).
    doc_paths = {path.rstrip("/") for _m, path, _o in api_operations().values()}
    for name, route in pages().items():
        if name.startswith("api-v1:") and page_rule(name) is None:
            path = _api_route_to_path(route)
            if path.rstrip("/") not in doc_paths and path != "/api/v1":
                unclassified.append(f"{name} ({route})")
    messages = [f"{n} " + HOW_TO_CLASSIFY.format(table="API" if n in API_OPS else "PAGES") for n in unclassified]
    assert not messages, "\n".join(messages)


# --- filling parameters -----------------------------------------------------------------------------

TARGETS = {"referral_decide": "referral", "assessment_complete": "assessment", "enquiry_complete": "enquiry",
           "correct": "visit"}  # fmt: skip
LA_CODES = {"own_la": "W06000001", "region_la": "W06000002", "far_la": "W06000011"}
INDICATOR = "REFERRALS"


def fill(sec: SecurityWorld, entry: str, params: list[str], kind: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for p in params:
        if p == "child_id":
            values[p] = sec.child(kind or "own").pk
        elif p == "target_id":
            flow = entry.split(":")[-1].removeprefix("recording_")
            values[p] = sec.ids[kind or "own"][TARGETS[flow]]
        elif p == "kind":
            values[p] = "visit"  # the correction pages: an entry of the kind held in TARGETS["correct"]
        elif p == "note_id":
            values[p] = sec.ids[kind or "own"]["note"]
        elif p == "team_id":
            values[p] = sec.team_a1
        elif p == "la":
            values[p] = LA_CODES[kind or "own_la"]
        elif p == "la_id":
            values[p] = sec.la_ids[LA_CODES[kind or "own_la"]]
        elif p in ("grant_id", "notification_id", "membership_id", "involvement_id", "seal_id"):
            values[p] = sec.access_ids[p]  # records of LA A (under another LA's URL: that LA's "not found")
        elif p == "user_id":
            values[p] = sec.world.users["sw"].pk  # a person of LA A (under another LA's URL: "not found")
        elif p == "token":
            values[p] = "not-a-set-up-token"
        elif p == "indicator":
            values[p] = INDICATOR
        elif p == "region":
            values[p] = "north-wales"
        elif p == "fmt":
            values[p] = "csv"
        else:
            pytest.fail(f"{entry}: no value for the path parameter {p!r}: teach fill() in test_matrix.py")
    return values


def forged(sec: SecurityWorld, name: str, kind: str | None) -> dict[str, Any]:
    """A POST body the page would accept from someone allowed, so a missing check shows as a write."""
    child = sec.child(kind if kind in KINDS else "own")
    body: dict[str, Any] = {"child": child.pk, "text": "forged", "version": "99"}
    w, la_a = sec.world, sec.la_ids[LA_CODES["own_la"]]
    on = "2015-01-01"
    body |= {
        "accessui:break_glass": {"la": la_a, "child_ref": "other_team", "reason": "forged", "hours": "24"},
        "accessui:review": {"decision": "not_justified", "note": "forged"},
        "accessui:memberships": {"user": w.users["revoked"].pk, "role": Role.SOCIAL_WORKER, "team": "", "agency": ""},
        "accessui:agreements": {
            "agency_kind": "POLICE", "purpose": "forged", "sections": ["health"], "starts_on": on,
            "expires_on": "2099-01-01", "signed_for_la_by": "x", "signed_for_agency_by": "y",
        },
        "accessui:involvements": {"child_ref": "team", "agency": sec.access_ids["agency"], "started_on": on, "reason": "forged"},
        "accessui:involvement_end": {"ended_on": d(0).isoformat()},
        "accessui:seals": {"child_ref": "own", "reason": "OTHER", "named_users": [], "note": "forged"},
        "accessui:two_factor_person": {"action": "reset", "reason": "forged"},
    }.get(name, {})  # fmt: skip
    return body


def url_of(route: str, values: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda mt: str(values[mt.group(1)]), route)


def api_url(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"{(\w+)}", lambda mt: str(values[mt.group(1)]), path)


def kinds_for(rule: Rule) -> tuple[str | None, ...]:
    return {"child": KINDS, "la": LA_KINDS}.get(rule.over, (None,))


# --- what "nothing changed" means -------------------------------------------------------------------

READ_EVENTS = {
    AuditEvent.ACCESS_REFUSED,
    AuditEvent.CHILD_VIEWED,
    *(e for e in AuditEvent if e.name in {"SEARCH", "CHILD_LIST_VIEWED", "EXPORT", "DOWNLOAD", "LOGIN", "LOGOUT"}),
}


def writes() -> tuple[int, int]:
    """(audited writes, drafts): every service audits its write in the same transaction; drafts are not."""
    return AuditEntry.objects.exclude(event__in=READ_EVENTS).count(), NoteDraft.objects.count()


def fingerprint() -> list[tuple[str, int, int]]:
    """Row count and sum of versions of every case, record and access table."""
    out = []
    for label in ("cases", "record", "access", "recording"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            qs = model._default_manager.all()
            versions = 0
            if any(f.name == "version" for f in model._meta.fields):
                versions = qs.aggregate(v=Sum("version"))["v"] or 0
            out.append((model._meta.label, qs.count(), versions))
    return out


# --- checking one answer ----------------------------------------------------------------------------


def check(response: Any, expected: str, *, url: str, who: str, api: bool, area: str) -> str | None:
    """None when ``response`` is the ``expected`` outcome, else a line for the failure message."""
    status = response.status_code
    where = f"{response.request['REQUEST_METHOD']} {url} as {who}: expected {expected}, got {status}"
    if status >= 500:
        return where
    if expected == "login":
        if api:
            return None if status == 401 else where
        location = response.get("Location", "")
        return None if status == 302 and location.startswith("/accounts/login/") else f"{where} → {location}"
    if expected == "admin-login":
        location = response.get("Location", "")
        return None if status == 302 and "login" in location else f"{where} → {location}"
    if expected == "public":
        return None if status in (200, 302, 405) else where
    if expected == "ok":
        if status in (200, 201, 204):
            return None
        if status in (301, 302, 303):
            location = response.get("Location", "")
            return None if location.startswith((area, "/children/")) else f"{where} → {location}"
        if api and status in (400, 409, 422):  # reached the handler: refused for its content, not its user
            return None
        return where
    return None if str(status) == expected else where


def area_of(url: str) -> str:
    return "/" + url.strip("/").split("/")[0] + "/"


# --- defects the matrix found, since fixed: kept as named regression cases (the main matrix checks them too) ---

_NON_AUTHOR_EDIT = (
    "was: the note edit page shows its form to a reader who is not the note's author "
    "(the service refuses the save with 403; the page should be refused the same way)"
)
_DISCARD_500 = "was: NotAllowedError from note_discard_draft is not handled by the view: HTTP 500"
_SEALED_LOG = "was: the access log of a sealed child opens to the LA administrator, who is not named on the seal"
FIXED_DEFECTS: dict[tuple[str, str, str, str | None], str] = {
    ("record:access_log", "GET", "admin", "sealed"): _SEALED_LOG,
    ("record:access_log_csv", "GET", "admin", "sealed"): _SEALED_LOG,
    ("record:note_edit", "GET", "manager", "own"): _NON_AUTHOR_EDIT,
    ("record:note_edit", "GET", "perf_granted", "own"): _NON_AUTHOR_EDIT,
    ("record:note_edit", "GET", "perf_granted", "other_team"): _NON_AUTHOR_EDIT,
    ("record:note_edit", "GET", "iro", "other_team"): _NON_AUTHOR_EDIT,
    ("record:note_edit", "GET", "inspector", "other_team"): _NON_AUTHOR_EDIT,
    ("record:note_edit", "GET", "inspector", "other_la"): _NON_AUTHOR_EDIT,
    ("record:note_draft_discard", "POST", "perf_granted", "own"): _DISCARD_500,
    ("record:note_draft_discard", "POST", "perf_granted", "other_team"): _DISCARD_500,
    ("record:note_draft_discard", "POST", "inspector", "other_team"): _DISCARD_500,
    ("record:note_draft_discard", "POST", "inspector", "other_la"): _DISCARD_500,
}


@pytest.mark.parametrize(
    "case",
    [pytest.param(k, id="-".join(map(str, k))) for k in FIXED_DEFECTS],
)  # fmt: skip
def test_fixed_defect_stays_fixed(case: tuple[str, str, str, str | None], sec: SecurityWorld, client_for: Any) -> None:
    name, method, who, kind = case
    rule = page_rule(name)
    assert rule is not None
    route = pages()[name]
    url = url_of(route, fill(sec, name, re.findall(r"<(?:\w+:)?(\w+)>", route), kind))
    before = writes()
    client = client_for(who)
    r = client.get(url) if method == "GET" else client.post(url, {"text": "forged"})
    assert writes() == before
    problem = check(r, rule.expect(who, kind), url=url, who=who, api=False, area=area_of(url))
    assert problem is None, problem


# --- the matrix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page(name: str, sec: SecurityWorld, client_for: Any) -> None:
    rule = page_rule(name)
    if rule is None and name.startswith("api-v1:"):
        return  # an operation: checked by test_api
    assert rule is not None, f"{name} " + HOW_TO_CLASSIFY.format(table="PAGES")
    route = pages()[name]
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    problems: list[str] = []
    before = fingerprint()
    for kind in kinds_for(rule):
        url = url_of(route, fill(sec, name, params, kind))
        area = area_of(url)
        for who in (*ROLES, ANONYMOUS):
            expected = "public" if rule.public else ("login" if who == ANONYMOUS else rule.expect(who, kind))
            if isinstance(rule, AdminSite):
                expected = "admin-login"  # the admin's own redirect (then on to /accounts/login/)
            client: Client = client_for(who)
            if "GET" in rule.methods:
                problems.append(check(client.get(url), expected, url=url, who=who, api=False, area=area))
            else:
                get_expected = expected if expected in ("login",) or rule.public else "405"
                if who == ANONYMOUS and name == "record:note_draft":
                    get_expected = "405"  # no login_required: the method is refused first
                if not rule.public:
                    problems.append(check(client.get(url), get_expected, url=url, who=who, api=False, area=area))
            if "POST" in rule.methods and not rule.public and expected != "ok":
                counts = writes()
                r = client.post(url, forged(sec, name, kind))
                post_expected = expected
                if who == ANONYMOUS and name == "record:note_draft":
                    post_expected = "ok"  # autosave answers 200 "you have been signed out, not saved" (HTMX)
                problems.append(check(r, post_expected, url=url, who=who, api=False, area=area))
                if writes() != counts:
                    problems.append(f"POST {url} as {who}: something was written")
    assert fingerprint() == before, f"{name}: a refused request changed the database"
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def _body(sec: SecurityWorld, op: dict[str, Any], kind: str | None) -> dict[str, Any] | None:
    """A body of the right shape, so that the handler (and its access check) runs."""
    if "requestBody" not in op:
        return None
    child = sec.child(kind or "own")
    worker = Worker.objects.filter(la_id=child.la_id, user__isnull=True).order_by("pk").first()  # of the child's LA
    assert worker is not None
    return {
        "child": child.pk,
        "worker": worker.pk,
        "occurred_on": "2015-01-01",
        "text": "forged note",
        "version": 1,
    }


@pytest.mark.parametrize("op_id", API_OPS)
def test_api(op_id: str, sec: SecurityWorld, client_for: Any) -> None:
    rule = API.get(op_id)
    assert rule is not None, f"{op_id} " + HOW_TO_CLASSIFY.format(table="API")
    method, path, op = api_operations()[op_id]
    params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
    problems: list[str | None] = []
    before = fingerprint()
    for kind in kinds_for(rule):
        url = api_url(path, fill(sec, op_id, params, kind))
        body = _body(sec, op, kind)
        for who in (*ROLES, ANONYMOUS):
            expected = "login" if who == ANONYMOUS else rule.expect(who, kind)
            if method != "GET" and expected == "ok":
                continue  # allowed writes are the areas' own tests; here only refusals
            client = client_for(who)
            counts = writes()
            if method == "GET":
                r = client.get(url)
            else:
                r = client.generic(method, url, data=_json(body), content_type="application/json")
            problems.append(check(r, expected, url=url, who=who, api=True, area=url))
            if method != "GET" and writes() != counts:
                problems.append(f"{method} {url} as {who}: something was written")
            if expected in ("404", "login") and r.status_code < 300:
                problems.append(f"{method} {url} as {who}: data returned: {r.content[:200]!r}")
    assert fingerprint() == before, f"{op_id}: a refused request changed the database"
    found = [p for p in problems if p]
    assert not found, "\n".join(found)


def _json(body: dict[str, Any] | None) -> str:
    import json

    return json.dumps(body or {})
