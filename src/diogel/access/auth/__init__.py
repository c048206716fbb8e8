"""Authentication: sign-in with password and TOTP two-factor, lockout, rate limits, session limits.

- :mod:`.totp`: RFC 6238 codes (standard library only); :mod:`.sealing`: the stored secrets' encryption.
- :mod:`.models`: TOTP devices, sign-in failures and locks, the shared cache table.
- :mod:`.services`: every step of signing in and out, audited in the same transaction.
- :mod:`.views`, :mod:`.forms`: ``/accounts/login/`` (password), ``…/code/`` and ``…/enrol/`` (two-factor),
  ``/accounts/logout/``.
- :mod:`.middleware`: rate limits per client IP, the absolute session limit, the admin's own sign-in closed.
- :mod:`.cli`: ``diogel totp SECRET`` prints the current code (for the demo accounts).

A separate Django app (label ``access_auth``) so that its tables and migrations live beside its code.
"""
