"""``diogel audit verify``: check the audit trail's hash chain from the first entry to the last."""

from __future__ import annotations

import argparse

from django.utils.translation import gettext as _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="the audit trail")
    audit_sub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    v = audit_sub.add_parser(
        "verify", help="check that no audit entry was edited, removed or reordered (exit 1 if one was)"
    )
    v.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from diogel.cli import django_setup

    django_setup()
    from diogel.audit.chain import verify

    report = verify()
    if report.ok:
        print(_("audit trail intact: %(n)d entries checked") % {"n": report.checked})
        return 0
    assert report.problem is not None
    print(
        _("audit trail broken at entry %(seq)s (%(problem)s): %(explanation)s")
        % {"seq": report.seq, "problem": report.problem.value, "explanation": report.explanation}
    )
    return 1
