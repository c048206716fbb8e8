"""Authentication: sign-in with password and TOTP two-factor, lockout, rate limits, session limits.

- :mod:`.totp`: RFC 6238 codes (standard library only); :mod:`.sealing`: the stored secrets' encryption;
  :mod:`.recovery`: recovery codes and set-up link tokens (how they are made and hashed).
- :mod:`.models`: TOTP devices, set-up links, recovery codes, sign-in failures and locks, the cache table.
- :mod:`.services`: every step of signing in and out, set-up links, resets and recovery codes, audited in
  the same transaction.
- :mod:`.views`, :mod:`.forms`: ``/accounts/login/`` (password), ``…/code/`` or ``…/recovery/`` (two-factor),
  ``…/setup/<token>/`` → ``…/setup/`` → ``…/enrol/`` (set-up through an administrator's link),
  ``/accounts/two-factor/`` (the user's own: new recovery codes), ``/accounts/logout/``.
- :mod:`.middleware`: rate limits per client IP, the absolute session limit, the admin's own sign-in closed.
- :mod:`.cli`: ``diogel totp SECRET`` prints the current code (for the demo accounts).

A separate Django app (label ``access_auth``) so that its tables and migrations live beside its code.
"""
