"""``diogel totp SECRET``: print the current two-factor code for a base32 secret.

For the demo accounts (``diogel demo`` prints each one's secret), so that a
newcomer can sign in without an authenticator app. A real user keeps the
secret in an app, never in a shell history.
"""

from __future__ import annotations

import argparse

from diogel.errors import UserError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("totp", help="print the current two-factor code for a secret (demo accounts)")
    p.add_argument("secret", help="the base32 secret printed by 'diogel demo'")
    p.set_defaults(handler=_totp)


def _totp(args: argparse.Namespace) -> int:
    from . import totp

    try:
        code, seconds = totp.now_code(args.secret)
    except totp.BadSecretError as exc:
        raise UserError("that is not a two-factor secret (expected base32 letters A-Z and digits 2-7)") from exc
    print(f"{code}  (valid for {seconds} more seconds)")
    return 0
