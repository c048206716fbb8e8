"""Benchmark of the practitioner pages: p50/p95/p99 and requests per second under concurrent simulated users.

1. Prepares a PostgreSQL database (``--pg-url``, created if missing; loopback only): migrations, the synthetic
   Wales (``diogel.synth.generate``, ``--scale``, 2005-2014) loaded with ``diogel.dataset.db.import_dataset``
   unless the database already holds children, the demo teams (``diogel.web.demo.organise_teams``), ANALYZE.
2. Picks the child whose chronology is nearest to 200 events among children allocated now to a worker in a
   team (or the largest available, and says so), makes that worker the benchmark social worker
   (``bench-sw``, whose caseload is the worker's real one) and creates a manager of the worker's team
   (``bench-tm``). Each simulated user gets its own session, made as the sign-in view makes one after a
   two-factor code (``diogel_two_factor`` set), so no request is spent on signing in.
3. Starts ``--processes`` ``diogel serve`` processes (waitress, ``--threads`` threads each; default 2, as
   ``docs/deployment.md`` deploys one per core) in subprocesses on free loopback ports, with
   ``DIOGEL_TODAY=2015-03-31`` (the synthetic Wales ends in 2014, as ``./run`` does).
4. For each page: ``--users`` threads, each on its own keep-alive connection, requesting back to back (no
   think time) for ``--seconds`` or ``--max-requests``, whichever comes first; user ``i`` talks to server
   ``i mod --processes``. Then prints p50/p95/p99 and requests per second, and the same for ``/ping`` as a
   signed-in user (the floor: a trivial page through the same middleware, session and user loaded, the
   session saved and the base template rendered, but no view work).
5. Profiles each page once, in process, outside the load: queries, time in SQL, total time.

API requests pass the per-address rate limit (120 a minute, meant for people) because each simulated user
connects from its own loopback address (127.u.x.y; Linux routes all of 127/8 to ``lo``) and moves to a new
one every 100 requests: the limiter still runs on every request, as for real users, but 20 robots without
think time are not refused as one person. (``X-Forwarded-For`` would not do: waitress drops it from clients
that are not trusted proxies.)

    .venv/bin/python benchmarks/web.py --pg-url postgres://postgres@127.0.0.1:5432/diogel_webbench \\
        [--scale 1] [--seconds 20] [--users 20] [--processes 2] [--threads 8] [--profile]

Targets (the practitioner issue): p95 ≤ 150 ms for the child record with a 200-event chronology; no page more
than 4× the floor at p50. Record the figures in ``docs/benchmarks.md`` (section "Web").
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TODAY = "2015-03-31"
YEARS = (2005, 2014)
TARGET_EVENTS = 200
RECORD_P95_MS = 150.0
FLOOR_FACTOR = 4.0
SW, TM = "bench-sw", "bench-tm"
PER_ADDRESS = 100  # requests from one client address (the API allows 120 a minute per address)
TIMEOUT = 180  # seconds a simulated user waits for one answer (the team view can take a minute under load)


# --- preparing the database ---------------------------------------------------------------------------


def _environment(pg_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": pg_url,
        "DJANGO_SETTINGS_MODULE": "diogel.config.settings",
        # Sessions made here must be readable by the server: one fixed key for both processes.
        "DIOGEL_SECRET_KEY": os.environ.get("DIOGEL_SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 32),
        "DIOGEL_INSECURE_COOKIES": "1",
        "DIOGEL_TODAY": TODAY,
        "DIOGEL_LOG_LEVEL": "ERROR",
    }


def _create_database(pg_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(pg_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def _load(scale: float) -> None:
    from django.core.management import call_command

    from diogel.dataset.db import database_is_empty, import_dataset
    from diogel.synth import generate
    from diogel.web.demo import organise_teams

    call_command("migrate", interactive=False, verbosity=0)
    if database_is_empty():
        t = time.perf_counter()
        tables = generate(seed=1, scale=scale, years=YEARS)
        rows = sum(frame.height for frame in tables.values())
        print(
            f"synthetic Wales (scale {scale}): {rows:,} rows generated in {time.perf_counter() - t:.0f} s", flush=True
        )
        t = time.perf_counter()
        import_dataset(tables, actor="system:benchmark")
        print(f"imported into PostgreSQL in {time.perf_counter() - t:.0f} s", flush=True)
    else:
        print("the database already holds children: loading skipped (it is not checked to be this --scale)")
    organise_teams()
    # import_dataset does not ANALYZE, and autovacuum may not have yet: with the planner's estimates of an empty
    # database (20 thousand children for 390 thousand), the caseload's episode query took 160 ms instead of 1.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _event_estimates() -> dict[int, int]:
    """Rows about each child in every table that points at a child (the chronology's sources and a few more)."""
    from django.db.models import Count

    from diogel.cases.models import Child

    counts: dict[int, int] = {}
    for rel in Child._meta.related_objects:
        if not rel.one_to_many or rel.field.name != "child" or rel.related_model._meta.app_label != "cases":
            continue
        rows = rel.related_model._default_manager.filter(child__isnull=False).values("child").annotate(n=Count("pk"))
        for row in rows.iterator():
            counts[row["child"]] = counts.get(row["child"], 0) + row["n"]
    return counts


@dataclass
class Setup:
    child_id: int
    events: int
    note: str
    sw_cookies: list[str] = field(default_factory=list)
    tm_cookies: list[str] = field(default_factory=list)
    team_id: int = 0
    caseload: int = 0


def _session_cookie(user: Any) -> str:
    """A session as the sign-in view leaves it after password and two-factor code (see access/auth/services)."""
    from django.conf import settings
    from django.test import Client

    from diogel.access.auth.services import SESSION_AUTH_AT, SESSION_TWO_FACTOR

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time())
    session[SESSION_TWO_FACTOR] = True
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _granted(user: Any, role: Any) -> bool:
    from diogel.access.models import Membership

    return Membership.objects.filter(user_id=user.pk, role=role, revoked_at__isnull=True).exists()


def prepare(scale: float, users: int) -> Setup:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from diogel.access.clock import today
    from diogel.access.roles import Role
    from diogel.access.services import membership_grant
    from diogel.audit.chain import SystemActor
    from diogel.cases.models import Allocation
    from diogel.record import queries
    from diogel.record.chronology import Filters

    _load(scale)
    system = SystemActor("benchmark")
    on = today()
    sw_user, _ = get_user_model().objects.get_or_create(username=SW)
    tm_user, _ = get_user_model().objects.get_or_create(username=TM)
    # Children allocated now to a worker in a team, whose worker is free to become the benchmark's social worker.
    current = (
        Allocation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)
        .filter(worker__team__isnull=False)
        .filter(Q(worker__user__isnull=True) | Q(worker__user=sw_user))
        .select_related("worker", "worker__team", "child")
    )
    estimates = _event_estimates()
    candidates = sorted(current, key=lambda a: (abs(estimates.get(a.child_id, 0) - TARGET_EVENTS), -a.child_id))
    if not candidates:
        raise SystemExit("no child is allocated now to a worker in a team: nothing to benchmark")
    note = ""
    allocation = candidates[0]
    worker = allocation.worker
    if worker.user_id != sw_user.pk:
        type(worker).objects.filter(user=sw_user).update(user=None)  # an earlier run's choice
        worker.user = sw_user
        worker.save(update_fields=["user"])
    if not _granted(sw_user, Role.SOCIAL_WORKER):
        membership_grant(actor=system, user=sw_user, role=Role.SOCIAL_WORKER, la=worker.la)
    if not _granted(tm_user, Role.TEAM_MANAGER):
        membership_grant(actor=system, user=tm_user, role=Role.TEAM_MANAGER, la=worker.la, team=worker.team)
    _child, _sections, timeline = queries.child_chronology(sw_user, allocation.child_id, Filters())
    events = len(timeline.entries)
    biggest = max(estimates.get(a.child_id, 0) for a in candidates)
    if abs(events - TARGET_EVENTS) > TARGET_EVENTS // 10:
        note = (
            f"no allocated child has a chronology of ~{TARGET_EVENTS} events in this dataset; "
            f"the nearest has {events} (largest estimate among allocated children: {biggest} rows)"
        )
    caseload = Allocation.objects.filter(worker=worker).filter(Q(end_date__isnull=True) | Q(end_date__gt=on)).count()
    print(
        f"benchmark child {allocation.child_id} ({allocation.child.child_ref}, {worker.la.code}): "
        f"{events} chronology events; social worker {SW} = worker {worker.worker_ref} ({caseload} children "
        f"allocated now), team manager {TM} of team {worker.team.name if worker.team else None!r}",
        flush=True,
    )
    if note:
        print("NOTE:", note, flush=True)
    setup = Setup(allocation.child_id, events, note, team_id=worker.team_id or 0, caseload=caseload)
    setup.sw_cookies = [_session_cookie(sw_user) for _ in range(users)]
    setup.tm_cookies = [_session_cookie(tm_user) for _ in range(users)]
    return setup


# --- the load ------------------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    path: str
    who: str  # "sw" or "tm"
    target_p95: float | None = None


@dataclass
class Result:
    latencies: list[float]
    errors: dict[int, int]
    elapsed: float

    def q(self, pct: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[pct - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)


def drive(ports: list[int], path: str, cookies: list[str], seconds: float, max_requests: int) -> Result:
    """One thread per cookie, each on its own keep-alive connection to ``ports[i % len(ports)]``, back to back
    until time or count runs out."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    issued = [0]
    stop = time.perf_counter() + seconds

    def take() -> bool:
        with lock:
            if issued[0] >= max_requests:
                return False
            issued[0] += 1
            return True

    def user(index: int, cookie: str) -> None:
        conn: http.client.HTTPConnection | None = None
        mine: list[float] = []
        bad: dict[int, int] = {}
        sent = 0
        port = ports[index % len(ports)]
        headers = {"Cookie": cookie, "Host": f"{HOST}:{port}"}
        while time.perf_counter() < stop and take():
            if conn is None or sent % PER_ADDRESS == 0:
                # A new loopback client address every PER_ADDRESS requests: under the API's per-address limit
                # (see the docstring). One new connection per PER_ADDRESS requests costs nothing measurable.
                if conn is not None:
                    conn.close()
                block = sent // PER_ADDRESS
                source = (f"127.{index % 250 + 1}.{block // 250 % 250 + 1}.{block % 250 + 1}", 0)
                conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT, source_address=source)
            sent += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                bad[0] = bad.get(0, 0) + 1
                conn.close()
                conn = None
                continue
            if response.status == 200:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                bad[response.status] = bad.get(response.status, 0) + 1
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            for status, n in bad.items():
                errors[status] = errors.get(status, 0) + n

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i, c), daemon=True) for i, c in enumerate(cookies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + TIMEOUT + 10)
    return Result(latencies, errors, time.perf_counter() - started)


def drain(port: int, floor_ms: float = 50.0, limit: float = 300.0) -> float:
    """Wait until the server answers /healthz within ``floor_ms`` three times running (requests still being
    served after a page's time is up must not slow the next page); return the seconds waited."""
    started = time.perf_counter()
    fast = 0
    while fast < 3 and time.perf_counter() - started < limit:
        t = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=limit)
            conn.request("GET", "/healthz", headers={"Host": f"{HOST}:{port}"})
            conn.getresponse().read()
            conn.close()
        except (OSError, http.client.HTTPException):
            fast = 0
            time.sleep(0.5)
            continue
        fast = fast + 1 if (time.perf_counter() - t) * 1000 < floor_ms else 0
        time.sleep(0.2)
    return time.perf_counter() - started


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"diogel serve stopped with exit code {server.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("diogel serve did not start within 60 s")


def _loadavg() -> str:
    """The machine's 1, 5 and 15 minute load averages (the benchmark's figures mean little on a busy machine)."""
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# --- profiling one request ------------------------------------------------------------------------------


def profile(scenarios: list[Scenario], setup: Setup, deep: bool) -> None:
    """Each page once, in this process, through the whole middleware: queries, time in SQL, total time, and the
    CPU time of this process (steadier than the others when the machine is shared)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print("\none request each, no concurrency (in process, after a warm-up request):")
    print(f"{'page':<28} {'queries':>7} {'SQL ms':>8} {'total ms':>9} {'CPU ms':>7}")
    for s in scenarios:
        cookie = (setup.sw_cookies if s.who == "sw" else setup.tm_cookies)[0]
        name, value = cookie.split("=", 1)
        client = Client(SERVER_NAME=HOST)
        client.cookies[name] = value
        client.get(s.path)
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), time.process_time()
            response = client.get(s.path)
            total = (time.perf_counter() - t) * 1000
            cpu = (time.process_time() - c) * 1000
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        status = "" if response.status_code == 200 else f"  (HTTP {response.status_code})"
        print(f"{s.name:<28} {len(ctx.captured_queries):>7} {sql_ms:>8.1f} {total:>9.1f} {cpu:>7.1f}{status}")
        if deep and s.target_p95 is not None:
            prof = cProfile.Profile()
            prof.runcall(client.get, s.path)
            print(f"\ncProfile of {s.name} (cumulative, top 25):")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


# --- main ----------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/diogel_webbench")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seconds", type=float, default=20.0, help="per page (default 20)")
    ap.add_argument("--users", type=int, default=20, help="concurrent simulated users (default 20)")
    ap.add_argument("--processes", type=int, default=2, help="diogel serve processes (default 2: one per core)")
    ap.add_argument("--threads", type=int, default=8, help="waitress threads per process (default 8)")
    ap.add_argument("--max-requests", type=int, default=50_000, help="per page, a bound besides --seconds")
    ap.add_argument("--profile", action="store_true", help="also cProfile the pages that have a target")
    args = ap.parse_args()

    parts = urlsplit(args.pg_url)
    if parts.scheme not in {"postgres", "postgresql"} or parts.hostname not in LOOPBACK:
        raise SystemExit("--pg-url must be a PostgreSQL database on a loopback address")
    if not 1 <= args.users <= 200 or args.seconds <= 0 or args.seconds > 600:
        raise SystemExit("--users must be 1..200 and --seconds 0..600")
    env = _environment(args.pg_url)
    os.environ.update(env)
    _create_database(args.pg_url)
    setup = prepare(args.scale, args.users)
    child = setup.child_id
    scenarios = [
        Scenario("floor: /ping (signed in)", "/ping", "sw"),
        Scenario("caseload (social worker)", "/caseload/", "sw"),
        Scenario("child record", f"/children/{child}/", "sw", RECORD_P95_MS),
        Scenario("chronology", f"/children/{child}/chronology/", "sw"),
        Scenario("API caseload", "/api/v1/caseload/", "sw"),
        Scenario("API child header", f"/api/v1/children/{child}", "sw"),
        Scenario("API chronology", f"/api/v1/children/{child}/chronology", "sw"),
        # Last: slow enough to keep the server busy after their time is up (see drain()).
        Scenario("team view (team manager)", "/caseload/", "tm"),
        Scenario("API team", f"/api/v1/caseload/team/{setup.team_id}", "tm"),
    ]

    if not 1 <= args.processes <= 16:
        raise SystemExit("--processes must be 1..16")
    ports: list[int] = []
    while len(ports) < args.processes:
        port = _free_port()
        if port not in ports:
            ports.append(port)
    diogel = Path(sys.executable).with_name("diogel")
    command = [str(diogel)] if diogel.exists() else [sys.executable, "-m", "diogel.cli"]
    servers = [
        subprocess.Popen(
            [*command, "serve", "--host", HOST, "--port", str(port), "--threads", str(args.threads)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for port in ports
    ]
    results: dict[str, Result] = {}
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for(port, server)
        for s in scenarios:  # warm up: templates, translations, connections; and check every page answers 200
            cookies = setup.sw_cookies if s.who == "sw" else setup.tm_cookies
            warm = drive(ports, s.path, cookies[: 2 * len(ports)], 1.0, 4 * len(ports))
            if warm.errors or not warm.latencies:
                print(f"WARNING: {s.name} {s.path} answered {warm.errors} while warming up", flush=True)
        for port in ports:
            drain(port)
        print(f"load average before the load: {_loadavg()}", flush=True)
        print(
            f"\n{args.users} users, {args.seconds:g} s per page (at most {args.max_requests} requests), "
            f"{args.processes} diogel serve processes of {args.threads} waitress threads, {os.cpu_count()} CPUs, "
            "loopback, no think time",
            flush=True,
        )
        for s in scenarios:
            cookies = setup.sw_cookies if s.who == "sw" else setup.tm_cookies
            results[s.name] = drive(ports, s.path, cookies, args.seconds, args.max_requests)
            r = results[s.name]
            waited = sum(drain(port) for port in ports)
            print(
                f"  {s.name}: {len(r.latencies)} ok, errors {r.errors or 0}, {r.elapsed:.0f} s "
                f"(then {waited:.0f} s until the server was idle); load average {_loadavg()}",
                flush=True,
            )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    _report(scenarios, results, setup)
    profile(scenarios, setup, args.profile)
    return 0


def _report(scenarios: list[Scenario], results: dict[str, Result], setup: Setup) -> None:
    floor = results[scenarios[0].name]
    floor_p50 = floor.p50 if floor.latencies else float("nan")
    print("\n| page | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p50 / floor | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    missed: list[str] = []
    for s in scenarios:
        r = results[s.name]
        if not r.latencies:
            print(f"| {s.name} | 0 | {r.errors} | | | | | | no successful request |")
            missed.append(f"{s.name}: no successful request")
            continue
        ratio = r.p50 / floor_p50
        verdict = []
        if s is not scenarios[0]:
            ok = ratio <= FLOOR_FACTOR
            verdict.append(f"≤ {FLOOR_FACTOR:g}× floor: {'met' if ok else 'MISSED'}")
            if not ok:
                missed.append(f"{s.name}: p50 {r.p50:.0f} ms is {ratio:.1f}× the floor ({floor_p50:.1f} ms)")
        if s.target_p95 is not None:
            ok = r.q(95) <= s.target_p95
            verdict.append(f"p95 ≤ {s.target_p95:g} ms: {'met' if ok else 'MISSED'}")
            if not ok:
                missed.append(f"{s.name}: p95 {r.q(95):.0f} ms > {s.target_p95:g} ms")
        errors = sum(r.errors.values())
        print(
            f"| {s.name} | {len(r.latencies)} | {errors} | {r.p50:.1f} | {r.q(95):.1f} | {r.q(99):.1f} | "
            f"{len(r.latencies) / r.elapsed:.1f} | {ratio:.1f}× | {'; '.join(verdict)} |"
        )
    print(f"\nchild record and chronology: child {setup.child_id}, {setup.events} chronology events")
    if setup.note:
        print("NOTE:", setup.note)
    print("targets: all met" if not missed else "targets MISSED:\n  " + "\n  ".join(missed))


if __name__ == "__main__":
    sys.exit(main())
