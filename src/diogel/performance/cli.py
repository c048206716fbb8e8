"""``diogel performance refresh``: recompute the stored indicator results from the database now.

Run it after a bulk import, or from cron/systemd timers on a schedule; the web
pages also check for changed data in the background (see ``docs/performance.md``).
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("performance", help="the stored performance results")
    ps = p.add_subparsers(dest="performance_command", metavar="SUBCOMMAND", required=True)
    r = ps.add_parser("refresh", help="recompute every indicator for every year from the database")
    r.add_argument("--if-changed", action="store_true", help="do nothing when the data have not changed")
    r.set_defaults(handler=run_refresh)


def run_refresh(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup

    django_setup()
    from diogel.audit.chain import SystemActor
    from diogel.performance.services import resultset_refresh

    rs = resultset_refresh(actor=SystemActor("diogel-cli"), force=not args.if_changed)
    if rs is None:
        print("performance: the data have not changed; nothing to do")
    else:
        print(f"performance: result set {rs.pk} computed for years {rs.years} in {rs.duration_ms} ms")
    return 0
