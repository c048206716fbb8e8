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
from django.db import transaction

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


#: Share of placements with a health assessment / GP registration recorded, of periods of care with an IRO /
#: a permanence plan, and of eligible young people with a pathway assessment; and the share of those on time.
CARE_DUTIES = {
    "health": (0.85, 0.8),
    "gp": (0.9, 0.85),
    "iro": (0.92, 0.85),
    "permanence": (0.8, 0.8),
    "pathway": (0.85, 0.8),
}


def add_care_duties() -> int:
    """Health assessments, GP registrations, IRO allocations, permanence plans and pathway assessments for the
    demo's looked-after children, which the synthetic dataset has no columns for (timescale rules 11, 12, 18,
    19, 20). Without them every looked-after child in the demo would be overdue on all five.

    Deterministic (one random stream per child, seeded by LA and CHILD): most recorded on time, some late,
    some missing; nothing dated after "today" or outside the placement or period it belongs to. IRO
    allocations go to one placeholder IRO per LA (an inactive account nobody signs in with). Runs only when
    none of these records exist yet; bulk-created and audited as one event. Returns the rows added.
    """
    import random
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from diogel import audit
    from diogel.access.models import IROAssignment
    from diogel.audit.chain import SystemActor
    from diogel.audit.events import AuditEvent
    from diogel.cases import models as m
    from diogel.clock import today
    from diogel.timescales.due import eligible_from, periods_of_care, placements
    from diogel.timescales.records import ChildRecord, EpisodeRec
    from diogel.workdays import nth_working_day_after

    if (
        m.HealthAssessment.objects.exists()
        or m.GPRegistration.objects.exists()
        or m.PermanencePlan.objects.exists()
        or m.PathwayAssessment.objects.exists()
    ):
        return 0
    on = today()
    outcomes = [
        (m.PermanencePlan.Outcome.LONG_TERM_FOSTERING, 40),
        (m.PermanencePlan.Outcome.RETURN_HOME, 25),
        (m.PermanencePlan.Outcome.ADOPTION, 12),
        (m.PermanencePlan.Outcome.SPECIAL_GUARDIANSHIP, 10),
        (m.PermanencePlan.Outcome.FAMILY_FRIENDS, 6),
        (m.PermanencePlan.Outcome.INDEPENDENCE, 4),
        (m.PermanencePlan.Outcome.RESIDENTIAL, 3),
    ]
    episodes: dict[int, list[EpisodeRec]] = {}
    for row in m.Episode.objects.order_by("child_id", "decom", "pk").values_list(
        "pk", "child_id", "decom", "dec", "rne", "legal_status", "placement", "pl_post"
    ):
        episodes.setdefault(row[1], []).append(EpisodeRec(row[0], row[2], row[3], row[4], row[5], row[6], row[7]))
    children = m.Child.objects.filter(pk__in=list(episodes)).order_by("pk")
    users = get_user_model()
    iro_of_la: dict[int, int] = {}
    rows: dict[str, list] = {"health": [], "gp": [], "iro": [], "permanence": [], "pathway": []}

    def pick(rng: random.Random, kind: str) -> bool | None:
        """None: not recorded; True: on time; False: late."""
        recorded, on_time = CARE_DUTIES[kind]
        return None if rng.random() >= recorded else rng.random() < on_time

    def fits(d: date, start: date, end: date | None) -> bool:
        return start <= d <= on and (end is None or d < end)

    for child in children.only("pk", "la_id", "child_ref", "date_of_birth"):
        rng = random.Random(f"care-duties:{child.la_id}:{child.child_ref}")
        record = ChildRecord(id=child.pk, date_of_birth=child.date_of_birth, episodes=tuple(episodes[child.pk]))
        common = {"la_id": child.la_id, "child_id": child.pk}
        for first, start, end in placements(record):
            for kind, within in (("health", 14), ("gp", 10)):
                timely = pick(rng, kind)
                if timely is None:
                    continue
                n = rng.randint(1, within) if timely else rng.randint(within + 1, within * 3)
                d = nth_working_day_after(start, n)
                if not fits(d, start, end):
                    continue
                if kind == "health":
                    rows[kind].append(m.HealthAssessment(assessed_on=d, episode_id=first.id, **common))
                else:
                    rows[kind].append(m.GPRegistration(registered_on=d, **common))
        for period in periods_of_care(record):
            start, end = period.start, period.end
            timely = pick(rng, "iro")
            if timely is not None:
                d = nth_working_day_after(start, rng.randint(0, 15) if timely else rng.randint(21, 45))
                if fits(d, start, end):
                    if child.la_id not in iro_of_la:
                        user, _created = users.objects.get_or_create(
                            username=f"demo-iro-{child.la_id}", defaults={"is_active": False}
                        )
                        iro_of_la[child.la_id] = user.pk
                    ended = end if end is not None and end <= on else None
                    rows["iro"].append(
                        IROAssignment(user_id=iro_of_la[child.la_id], child_id=child.pk, started_on=d, ended_on=ended)
                    )
            timely = pick(rng, "permanence")
            if timely is not None:
                d = start + timedelta(days=rng.randint(25, 110) if timely else rng.randint(130, 240))
                if fits(d, start, end):
                    outcome = rng.choices([o for o, _w in outcomes], weights=[w for _o, w in outcomes])[0]
                    rows["permanence"].append(m.PermanencePlan(recorded_on=d, outcome=outcome, **common))
        eligible = eligible_from(record, on)
        timely = pick(rng, "pathway") if eligible is not None else None
        if eligible is not None and timely is not None:
            d = eligible + timedelta(days=rng.randint(5, 85) if timely else rng.randint(95, 180))
            if d <= on:
                rows["pathway"].append(m.PathwayAssessment(completed_on=d, **common))

    with transaction.atomic():
        m.HealthAssessment.objects.bulk_create(rows["health"], batch_size=2000)
        m.GPRegistration.objects.bulk_create(rows["gp"], batch_size=2000)
        IROAssignment.objects.bulk_create(rows["iro"], batch_size=2000)
        m.PermanencePlan.objects.bulk_create(rows["permanence"], batch_size=2000)
        m.PathwayAssessment.objects.bulk_create(rows["pathway"], batch_size=2000)
        counts = {k: len(v) for k, v in rows.items()}
        audit.record(
            actor=SystemActor("demo"),
            event=AuditEvent.DATASET_IMPORTED,
            detail={
                "demo": "health assessments, GP registrations, IROs, permanence plans, pathway assessments",
                **counts,
            },
        )
    return sum(counts.values())


#: Names for the demo's children (the dataset standard carries no names): common in Wales, Welsh and English.
# fmt: off
GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "1": (
    "Osian", "Dylan", "Harri", "Ioan", "Jac", "Rhys", "Cai", "Tomos", "Oliver", "Noah", "Leo", "Alfie", "Jacob",
    "Evan", "Gethin", "Elis", "Charlie", "Caleb",
    ),
    "2": (
    "Seren", "Cadi", "Megan", "Ffion", "Alys", "Mali", "Lili", "Nia", "Olivia", "Amelia", "Isla", "Ava", "Erin",
    "Grace", "Elin", "Catrin", "Ruby", "Lowri",
    ),
    "9": ("Alex", "Sam", "Jordan", "Morgan", "Rowan", "Robin"),
}
FAMILY_NAMES: tuple[str, ...] = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths",
    "Edwards", "Owen", "Price", "Jenkins", "Phillips", "Rees", "Lloyd", "Powell", "Pritchard", "Parry", "Smith",
    "Taylor", "Brown", "Wilson", "Walker", "Ahmed", "Khan", "Nowak", "Ali", "Bevan",
)
# fmt: on


def name_children() -> int:
    """Give the demo's nameless children a made-up name (deterministic: seeded by LA and CHILD), so pages read
    like a real caseload. Only children with neither name are touched; audited as one event. Returns how many."""
    import random

    from diogel import audit
    from diogel.audit.chain import SystemActor
    from diogel.audit.events import AuditEvent
    from diogel.cases.models import Child

    nameless = list(
        Child.objects.filter(given_name="", family_name="").select_related("la").only("pk", "child_ref", "sex",
                                                                                     "la__code")
    )  # fmt: skip
    if not nameless:
        return 0
    for child in nameless:
        rng = random.Random(f"{child.la.code}/{child.child_ref}")
        child.given_name = rng.choice(GIVEN_NAMES.get(child.sex, GIVEN_NAMES["9"]))
        child.family_name = rng.choice(FAMILY_NAMES)
    with transaction.atomic():
        Child.objects.bulk_update(nameless, ["given_name", "family_name"], batch_size=2000)
        audit.record(actor=SystemActor("demo"), event=AuditEvent.DATASET_IMPORTED,
                     detail={"demo": "made-up names for children", "children": len(nameless)})  # fmt: skip
    return len(nameless)


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
    started = time.monotonic()
    named = name_children()
    if named:
        print(f"Gave {named:,} children made-up names in {time.monotonic() - started:.0f} s.", flush=True)
    started = time.monotonic()
    added = add_care_duties()
    if added:
        print(f"Added {added:,} health, IRO and planning records in {time.monotonic() - started:.0f} s.", flush=True)
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
