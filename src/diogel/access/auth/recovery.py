"""Recovery codes and set-up link tokens: how they are made, typed and hashed (no database here).

Recovery codes are 12 characters of Crockford's base32 (``0-9`` and ``a-z`` without ``i l o u``),
shown as ``xxxx-xxxx-xxxx``: 60 random bits each. When typed back, case, spaces and hyphens do not
matter, and the letters people confuse with digits (``o``, ``i``, ``l``) are read as ``0`` and ``1``.

**Why HMAC-SHA256 and not Argon2.** A slow, salted hash protects *low-entropy* secrets chosen by people
(passwords) against guessing. A recovery code is chosen by the machine with 60 bits of entropy, so
guessing it from a stolen hash is already out of reach (about 10^18 tries); what matters is that a
database dump alone gives nothing to test guesses with. So each code is kept as
HMAC-SHA256(key, user id ‖ code), the key derived from the TOTP master key (``DIOGEL_TOTP_KEY`` or
``var/totp.key``, see :mod:`.sealing`), which is not in the database. A fast keyed hash also lets a
sign-in find the code with one indexed lookup instead of ten Argon2 runs (about a second of CPU per
attempt, a denial-of-service lever). The user id in the message binds a code to its owner.

Set-up link tokens are 32 random bytes (256 bits, URL-safe base64) kept as plain SHA-256: with that
much entropy no key is needed, and the link can be found by its hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from . import sealing

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32, lower case
LENGTH = 12
COUNT = 10
_READ_AS = str.maketrans({"o": "0", "i": "1", "l": "1"})


def generate_code() -> str:
    """A new recovery code, as shown: ``xxxx-xxxx-xxxx``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise_code(text: str) -> str:
    """A code as typed → its 12 characters (lower case, no separators), or "" if it cannot be one."""
    code = "".join(ch for ch in text.casefold() if ch not in " -\u00a0\t").translate(_READ_AS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def _key() -> bytes:
    return hmac.new(sealing._master_key(), b"diogel recovery codes", hashlib.sha256).digest()


def hash_code(user_id: int, code: str) -> str:
    """The stored form of ``code`` (already normalised) for user ``user_id``."""
    return hmac.new(_key(), f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    """A set-up link token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
