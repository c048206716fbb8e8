"""Behind a TLS-terminating proxy (DIOGEL_TRUSTED_PROXIES > 0) Django trusts X-Forwarded-Proto, so HSTS is sent."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings

YEAR = 60 * 60 * 24 * 365


@pytest.mark.parametrize(("proxies", "expected"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_proxy_ssl_header_only_with_trusted_proxies(proxies: str, expected: str) -> None:
    script = "import diogel.config.settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    env = {**os.environ, "DIOGEL_TRUSTED_PROXIES": proxies}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected


@pytest.mark.django_db
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=YEAR)
def test_hsts_sent_when_the_proxy_says_https() -> None:
    client = Client()
    assert client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")["Strict-Transport-Security"] == f"max-age={YEAR}"
    assert "Strict-Transport-Security" not in client.get("/healthz")
