"""Schemathesis against /api/v1/openapi.json, in-process through the WSGI app (no network).

As a social worker: no 5xx, and responses conform to the schema where it declares them. As a user with
no role: every answer is a refusal (401/403/404), a validation error (400/422) or an empty list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from .conftest import SecurityWorld

EXAMPLES = settings(
    max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@contextmanager
def _connections_kept() -> Iterator[None]:
    """Keep the database connection across requests, as Django's test ``Client`` does.

    The WSGI handler sends ``request_started`` / ``request_finished``, whose ``close_old_connections``
    closes a connection that is not in autocommit mode. Inside the module's outer transaction it never is:
    on SQLite's in-memory database closing is a no-op, but on PostgreSQL the connection (and the world
    built in it) was dropped at the first request, and every later request failed with HTTP 500.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(sec: SecurityWorld, who: str, check: Any) -> list[str]:
    with _connections_kept():
        return _run_all(sec, who, check)


def _run_all(sec: SecurityWorld, who: str, check: Any) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    cookies = {"sessionid": sec.client(who).cookies["sessionid"].value}
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @EXAMPLES
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(cookies=cookies)
            problem = check(case, response)
            if problem:
                problems.append(problem)

        run()
    return problems


def test_social_worker_no_server_errors_and_schema_conformance(sec: SecurityWorld, db: None) -> None:
    def check(case: Any, response: Any) -> str | None:
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except Exception as e:
            return f"{case.method} {case.formatted_path}: {response.status_code}: {str(e)[:300]}"
        return None

    problems = _run(sec, "sw", check)
    assert not problems, "\n".join(sorted(set(problems)))


def test_no_role_gets_nothing(sec: SecurityWorld, db: None) -> None:
    def check(case: Any, response: Any) -> str | None:
        status = response.status_code
        if status in (400, 401, 403, 404, 405, 409, 422):
            return None
        if status == 200:
            body = response.json()
            empties = (body == []) or (isinstance(body, dict) and all(
                v in ([], 0, None, "") or k in ("today", "page", "pages", "page_size", "q", "dob") for k, v in
                body.items()
            ))  # fmt: skip
            if empties:
                return None
        return f"{case.method} {case.formatted_path} as nobody: {status} {response.content[:200]!r}"

    problems = _run(sec, "nobody", check)
    assert not problems, "\n".join(sorted(set(problems)))
