"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226), with the standard library only.

Codes are 6 digits, 30-second steps, HMAC-SHA1: what every authenticator app
expects from an ``otpauth://totp/`` URI. :func:`match` accepts the current
step and one either side (±30 s of clock drift) and returns the step that
matched, so the caller can refuse a code whose step is not newer than the last
one used (no replay).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6
DRIFT_STEPS = 1
_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


class BadSecretError(ValueError):
    """The text is not a base32 secret."""


def generate_secret() -> str:
    """A new random secret: 160 bits (the RFC 4226 recommendation), base32 without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces, hyphens and lower case are accepted, padding is optional."""
    text = "".join(secret.split()).replace("-", "").upper()
    if not text:
        raise BadSecretError("empty secret")
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise BadSecretError("not a base32 secret") from exc


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226 HOTP value of ``counter`` (dynamic truncation), zero-padded to ``digits``."""
    mac = hmac.new(key, struct.pack(">Q", counter), _ALGORITHMS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def step_at(unix_time: float, *, step: int = STEP) -> int:
    return int(unix_time // step)


def code_at(key: bytes, unix_time: float, *, digits: int = DIGITS, algorithm: str = "sha1", step: int = STEP) -> str:
    """RFC 6238 TOTP value at ``unix_time`` (T0 = 0)."""
    return hotp(key, step_at(unix_time, step=step), digits=digits, algorithm=algorithm)


def now_code(secret: str, *, unix_time: float | None = None) -> tuple[str, int]:
    """The current code for a base32 secret, and how many seconds it stays current."""
    t = time.time() if unix_time is None else unix_time
    return code_at(decode_secret(secret), t), STEP - int(t % STEP)


def normalise_code(text: str) -> str:
    """A code as typed: spaces and hyphens removed (apps show "123 456")."""
    return "".join(ch for ch in text if ch not in " -\u00a0\t")


def match(key: bytes, code: str, *, unix_time: float | None = None, after_step: int | None = None) -> int | None:
    """The step at which ``code`` is valid (now ± 1 step), or None; steps ≤ ``after_step`` never match.

    Every candidate is compared in constant time and all are checked, so the
    time taken does not depend on which step (if any) matched.
    """
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    current = step_at(time.time() if unix_time is None else unix_time)
    found: int | None = None
    for s in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(key, s), code) and (after_step is None or s > after_step) and found is None:
            found = s
    return found


def provisioning_uri(secret: str, *, account: str, issuer: str = "Diogel") -> str:
    """The ``otpauth://totp/`` URI that authenticator apps read (Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP})
    return f"otpauth://totp/{label}?{query}"


def group(secret: str) -> str:
    """The secret in groups of four characters, as people copy it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
