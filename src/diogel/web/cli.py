"""``diogel serve`` (the web server) and ``diogel demo`` (a ready-to-use demo database).

``serve`` runs Waitress, a production-grade pure-Python WSGI server, so the
same command works on a laptop and behind a reverse proxy. For larger
deployments see ``docs/deployment.md`` (gunicorn with several workers).
"""

from __future__ import annotations

import argparse
import os

from diogel.errors import UserError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="serve the web application")
    p.add_argument("--host", default=os.environ.get("DIOGEL_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("DIOGEL_PORT", "8000")))
    p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    p.set_defaults(handler=_serve)

    d = sub.add_parser(
        "demo",
        help="migrate the database, load a demo-scale synthetic Wales if it is empty, and (re)create demo accounts",
    )
    d.add_argument("--scale", type=float, default=float(os.environ.get("DIOGEL_DEMO_SCALE", "0.1")))
    d.add_argument("--seed", type=int, default=1)
    d.set_defaults(handler=_demo)

    m = sub.add_parser("manage", help="run a Django management command (e.g. 'diogel manage migrate')")
    m.add_argument("args", nargs=argparse.REMAINDER)
    m.set_defaults(handler=_manage)


def _serve(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup

    django_setup()
    import waitress

    from diogel.config.wsgi import application

    if not 0 < args.port < 65536:
        raise UserError(f"--port must be between 1 and 65535, not {args.port}")
    print(f"Diogel is serving on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    waitress.serve(application, host=args.host, port=args.port, threads=args.threads, ident="Diogel")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup

    django_setup()
    from diogel.web import demo

    demo.prepare(scale=args.scale, seed=args.seed)
    return 0


def _manage(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup

    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["diogel manage", *args.args])
    return 0
