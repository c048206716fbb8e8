"""The web shell: health check, sign-in required, both languages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


def test_healthz_needs_no_session() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_ping_is_a_trivial_signed_in_page() -> None:
    client = Client()
    assert client.get("/ping").status_code == 302
    client.force_login(get_user_model().objects.create_user("pinger"))
    response = client.get("/ping")
    assert response.status_code == 200
    assert "Signed in as pinger" in response.content.decode()


@pytest.mark.django_db
def test_home_requires_sign_in() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_sign_in_page_in_english_and_welsh() -> None:
    client = Client()
    english = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in english
    assert "Sign in" in english

    # The switch posts to Django's set_language view and persists in a cookie.
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/accounts/login/"})
    assert response.status_code == 302
    welsh = client.get("/accounts/login/").content.decode()
    assert '<html lang="cy">' in welsh
    assert "Mewngofnodi" in welsh  # "Sign in"
    assert "Sign in" not in welsh


@pytest.mark.django_db
def test_wrong_password_gives_one_plain_message() -> None:
    get_user_model().objects.create_user("someone", password="a long enough password")
    client = Client()
    for username in ("someone", "nobody-by-this-name"):
        page = client.post("/accounts/login/", {"username": username, "password": "wrong"}).content.decode()
        # The same words whether or not the account exists: no user enumeration.
        assert "The username or password is not right." in page


@pytest.mark.django_db
def test_a_nul_character_in_a_query_or_form_is_a_plain_400() -> None:
    get_user_model().objects.create_user("someone", password="a long enough password")
    client = Client()
    assert client.get("/children/", {"q": "Meg\x00an"}).status_code in (302, 400)  # anonymous: sign-in first
    client.force_login(get_user_model().objects.get(username="someone"))
    response = client.get("/children/", {"q": "Meg\x00an"})
    assert response.status_code == 400
    assert response.content == b"Text must not contain NUL characters."
    assert client.get("/children/", {"q": "Megan"}).status_code == 200
