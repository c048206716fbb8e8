"""Fixtures of the access pages' tests: the access test world on a fixed "today", with the app installed
and mounted at ``/access/`` (harmless once the lead has added it to the settings and ``config/urls.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from access.world import World, build

TODAY = date(2012, 3, 14)
APP = "diogel.accessui"
PROCESSOR = "diogel.accessui.context.unread_notifications"


@pytest.fixture(autouse=True)
def accessui_installed(settings: Any) -> None:
    if APP not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, APP]
    settings.ROOT_URLCONF = "accessui.urlconf"
    templates = [dict(t) for t in settings.TEMPLATES]
    options = dict(templates[0].get("OPTIONS", {}))
    processors = list(options.get("context_processors", []))
    if PROCESSOR not in processors:
        options["context_processors"] = [*processors, PROCESSOR]
        templates[0]["OPTIONS"] = options
        settings.TEMPLATES = templates


@pytest.fixture
def fixed_today(settings: Any) -> date:
    settings.DIOGEL_TODAY = TODAY.isoformat()
    return TODAY


@pytest.fixture
def world(db: None, fixed_today: date) -> World:
    return build()


def la_pk(world: World, which: str = "a") -> int:
    la = world.la_a if which == "a" else world.la_b
    assert la is not None
    return la.pk


def client_for(world: World, who: str, lang: str = "en") -> Client:
    c = Client(headers={"accept-language": lang})
    c.force_login(world.users[who])  # type: ignore[arg-type]
    return c
