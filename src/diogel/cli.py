"""The ``diogel`` command: every non-web task.

Each area of Diogel adds its own sub-commands through a ``register`` function
(``diogel.dataset.cli``, ``diogel.synth.cli``, ``diogel.indicators.cli``,
``diogel.web.cli``, ``diogel.audit.cli``, ``diogel.access.auth.cli``, ``diogel.performance.cli``); this module only dispatches and turns errors into one
plain line. Imports of heavy modules happen inside the handlers so that
``diogel --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from diogel.errors import UserError

Handler = Callable[[argparse.Namespace], int]


def django_setup() -> None:
    """Configure Django for commands that use the database, speaking ``DIOGEL_LANGUAGE`` (``en`` or ``cy``;
    English by default) whatever language was active before."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogel.config.settings")
    import django
    from django.utils import translation

    django.setup()
    translation.activate(os.environ.get("DIOGEL_LANGUAGE", "en"))


def build_parser() -> argparse.ArgumentParser:
    from diogel.access.auth import cli as auth_cli
    from diogel.audit import cli as audit_cli
    from diogel.dataset import cli as dataset_cli
    from diogel.indicators import cli as indicators_cli
    from diogel.performance import cli as performance_cli
    from diogel.synth import cli as synth_cli
    from diogel.web import cli as web_cli

    parser = argparse.ArgumentParser(prog="diogel", description="Diogel: children's social services in Wales.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (synth_cli, dataset_cli, indicators_cli, performance_cli, web_cli, audit_cli, auth_cli):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except UserError as exc:
        print(f"diogel: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("diogel: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
