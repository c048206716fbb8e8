"""Benchmark of the performance pages: p50/p95/p99 and requests per second under 20 concurrent users.

1. Loads the synthetic Wales (``diogel.synth.generate``, scale 1 by default, 2005-2014) into a PostgreSQL
   database with ``diogel.dataset.db.import_dataset`` (skipped when the database already holds children),
   runs ``resultset_refresh`` once (timed), and creates a performance officer of Cardiff.
2. Starts ``diogel serve`` (waitress, the production WSGI server, 8 threads) in a separate process on
   loopback, with the same middleware as production.
3. Drives it with ``--users`` simulated users (threads, one keep-alive connection each, no think time)
   for ``--seconds`` per scenario: the LA page, the indicator page (a rate, so with its funnel plot),
   and ``/healthz`` as the floor (the same middleware stack, no database, no template).

    .venv/bin/python benchmarks/performance_web.py --database-url postgres://postgres@127.0.0.1:5432/bench_performance
        [--scale 1] [--users 20] [--seconds 20]

The target (docs/performance.md): p95 ≤ 300 ms for the LA page and the indicator page at scale 1.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LA = "W06000015"  # Cardiff, the largest authority
INDICATOR = "REF_DECIDED_1WD"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(scale: float) -> str:
    """Load the data if needed, refresh, and return a session cookie of a performance officer of Cardiff."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from diogel.access.roles import Role
    from diogel.access.services import membership_grant
    from diogel.audit.chain import SystemActor
    from diogel.cases.models import LocalAuthority
    from diogel.dataset.db import database_is_empty, import_dataset
    from diogel.performance.services import resultset_refresh

    system = SystemActor("benchmark")
    if database_is_empty():
        from diogel.synth.generate import generate

        t = time.perf_counter()
        tables = generate(1, scale, (2005, 2014))
        print(f"synthetic Wales (scale {scale}) generated in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        import_dataset(tables, actor="system:benchmark")
        print(f"imported in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    rs = resultset_refresh(actor=system)
    assert rs is not None
    print(f"refresh: {len(rs.years)} years of every indicator in {time.perf_counter() - t:.1f} s", flush=True)
    user, _ = get_user_model().objects.get_or_create(username="bench-performance")
    membership_grant(actor=system, user=user, role=Role.PERFORMANCE_OFFICER, la=LocalAuthority.objects.get(code=LA))
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def drive(port: int, path: str, cookie: str, users: int, seconds: float) -> tuple[list[float], int, float]:
    """``users`` threads requesting ``path`` for ``seconds``; returns latencies (ms), errors, elapsed seconds."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - t) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=user) for _ in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, errors[0], time.perf_counter() - started


def report(name: str, latencies: list[float], errors: int, elapsed: float) -> None:
    if not latencies:
        print(f"{name:<18} no successful requests ({errors} errors)")
        return
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"{name:<18} n={len(latencies):>6}  p50={q[49]:7.1f} ms  p95={q[94]:7.1f} ms  p99={q[98]:7.1f} ms  "
        f"{len(latencies) / elapsed:7.1f} req/s  errors={errors}",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True, help="a PostgreSQL database (created by you, may be empty)")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()

    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="diogel.config.settings",
        DIOGEL_SECRET_KEY=env.get("DIOGEL_SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123456789"),
        DIOGEL_INSECURE_COOKIES="1",
        DIOGEL_LOG_LEVEL="ERROR",
    )
    os.environ.update(env)
    cookie = prepare(args.scale)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "diogel.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "8"],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        pages = {
            "floor /healthz": "/healthz",
            "LA page": f"/performance/la/{LA}/",
            "indicator page": f"/performance/la/{LA}/{INDICATOR}/",
        }
        for path in pages.values():  # warm up: templates, the result-set cache, connections
            drive(port, path, cookie, 2, 1.0)
        print(f"{args.users} concurrent users, {args.seconds:.0f} s per page, waitress with 8 threads")
        for name, path in pages.items():
            report(name, *drive(port, path, cookie, args.users, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
