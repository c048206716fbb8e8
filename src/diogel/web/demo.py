"""The demo set-up behind ``./run``: a database a newcomer can sign in to and explore.

1. apply migrations;
2. if the database holds no children, generate a demo-scale synthetic Wales
   (all 22 LAs, the indicator years 2005-2014) and load it;
3. put each LA's social workers into teams (the dataset standard has no teams),
   and compute the stored indicator results for the performance pages;
4. (re)create one demo account per role with a fresh password (and a fresh two-factor secret for the
   roles that need one), and print them with the command that gives the current code.

Safe to run every time: every step is idempotent, and step 2 never touches
a database that already holds data.
"""

from __future__ import annotations

import time

from django.core.management import call_command

DEMO_YEARS = (2005, 2014)
DEMO_TEAMS = ("Intake and assessment", "Child protection", "Looked after children")


def organise_teams() -> None:
    """Give every LA the demo teams and put its workers without a team into them, in turn."""
    from diogel.audit.chain import SystemActor
    from diogel.cases.models import LocalAuthority, Worker
    from diogel.cases.services.organisation import team_ensure, worker_set_team

    actor = SystemActor("demo")
    for la in LocalAuthority.objects.order_by("code"):
        teams = [team_ensure(actor=actor, la=la, name=name) for name in DEMO_TEAMS]
        for i, worker in enumerate(Worker.objects.filter(la=la, team__isnull=True).order_by("worker_ref")):
            worker_set_team(actor=actor, worker=worker, team=teams[i % len(teams)])


def refresh_performance() -> None:
    """Compute the stored indicator results if the data changed since they were last computed."""
    from diogel.audit.chain import SystemActor
    from diogel.performance.services import resultset_refresh

    started = time.monotonic()
    if resultset_refresh(actor=SystemActor("demo"), force=False) is not None:
        print(f"Indicator results computed in {time.monotonic() - started:.0f} s.", flush=True)


def prepare(*, scale: float, seed: int) -> None:
    from diogel.access.demo import ensure_demo_accounts
    from diogel.dataset.db import database_is_empty, import_dataset
    from diogel.synth import generate

    call_command("migrate", interactive=False, verbosity=0)
    if database_is_empty():
        started = time.monotonic()
        print(f"Generating a synthetic Wales at scale {scale} (seed {seed}) ...", flush=True)
        tables = generate(seed=seed, scale=scale, years=DEMO_YEARS)
        rows = sum(t.height for t in tables.values())
        print(f"Loading {rows:,} rows into the database ...", flush=True)
        import_dataset(tables, actor="system:demo")
        print(f"Demo data ready in {time.monotonic() - started:.0f} s.", flush=True)

    organise_teams()
    refresh_performance()
    accounts = ensure_demo_accounts()
    print()
    print("Demo accounts (passwords and two-factor secrets are new each time ./run starts):")
    width = max(len(a.username) for a in accounts)
    for a in accounts:
        print(f"  {a.username:<{width}}  {a.password}  {a.description}")
        if a.totp_secret:
            print(f"  {'':<{width}}  two-factor code: .venv/bin/diogel totp {a.totp_secret}")
    print()
    print("Accounts that can see children's records ask for a two-factor code after the password:")
    print("run the command shown under the account (the code changes every 30 seconds).")
    print()
