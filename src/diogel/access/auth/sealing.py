"""Encryption of stored TOTP secrets, with the standard library only.

Format ``v1:`` + base64url(nonce ‖ ciphertext ‖ tag): a keystream of
HMAC-SHA256(enc_key, nonce ‖ block number) XORed with the secret (CTR mode
over a PRF), then an HMAC-SHA256 tag over version, nonce and ciphertext
(encrypt-then-MAC). The two keys are derived from one master key by HMAC.

The master key is ``DIOGEL_TOTP_KEY`` (settings, from the environment; at least
32 characters), or else a random key kept in ``<var>/totp.key`` (created on
first use, mode 0600) so that the demo works with no set-up. A database dump
alone therefore does not give anyone the secrets. Replace by AES-GCM from a
vetted library or a KMS when a dependency is acceptable; the ``v1:`` prefix
allows a second format next to this one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings

VERSION = b"v1"
NONCE = 16
TAG = 32


class SealError(ValueError):
    """A sealed value was altered, or was sealed with another key."""


def _master_key() -> bytes:
    configured = getattr(settings, "DIOGEL_TOTP_KEY", "")
    if configured:
        if len(configured) < 32:
            raise RuntimeError("DIOGEL_TOTP_KEY must be at least 32 characters.")
        return configured.encode()
    return _key_file(Path(settings.VAR_DIR) / "totp.key")


@cache
def _key_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


def _keys() -> tuple[bytes, bytes]:
    master = _master_key()
    return (
        hmac.new(master, b"diogel totp secret encryption", hashlib.sha256).digest(),
        hmac.new(master, b"diogel totp secret authentication", hashlib.sha256).digest(),
    )


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal(plain: str) -> str:
    enc, mac = _keys()
    data = plain.encode()
    nonce = secrets.token_bytes(NONCE)
    body = bytes(a ^ b for a, b in zip(data, _keystream(enc, nonce, len(data)), strict=True))
    tag = hmac.new(mac, VERSION + nonce + body, hashlib.sha256).digest()
    return VERSION.decode() + ":" + base64.urlsafe_b64encode(nonce + body + tag).decode()


def unseal(sealed: str) -> str:
    version, _, payload = sealed.partition(":")
    if version.encode() != VERSION:
        raise SealError("unknown format")
    try:
        raw = base64.urlsafe_b64decode(payload.encode())
    except ValueError as exc:
        raise SealError("not base64") from exc
    if len(raw) < NONCE + TAG:
        raise SealError("too short")
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    enc, mac = _keys()
    if not hmac.compare_digest(tag, hmac.new(mac, VERSION + nonce + body, hashlib.sha256).digest()):
        raise SealError("altered, or sealed with another key")
    return bytes(a ^ b for a, b in zip(body, _keystream(enc, nonce, len(body)), strict=True)).decode()
