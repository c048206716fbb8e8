"""The home page by role and the allocation form, in English and Welsh, with and without HTMX."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from access.world import World
from diogel.cases.models import Allocation, Team, Worker

from .builders import D, referral_awaiting_decision

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "diogel" / "caseload" / "templates"


def client_for(world: World, who: str, lang: str = "en") -> Client:
    c = Client(headers={"accept-language": lang})
    c.force_login(world.users[who])
    return c


def test_anonymous_is_sent_to_sign_in() -> None:
    r = Client().get("/caseload/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_social_worker_home(world: World) -> None:
    referral_awaiting_decision(world.children["own"], D(2012, 3, 12))
    html = client_for(world, "sw").get("/caseload/").content.decode()
    assert '<h2 id="cl-caseload-h">My caseload</h2>' in html
    assert "2 children" in html and "1 item overdue" in html
    assert "Decision on a referral" in html and "was due 13 March 2012" in html
    for hidden in ("other_team", "other_la", ">team<", "unallocated", ">ended<"):
        assert hidden not in html
    assert 'href="/static/caseload/caseload.css"' in html


def test_welsh_home(world: World) -> None:
    referral_awaiting_decision(world.children["own"], D(2012, 3, 12))
    html = client_for(world, "sw", "cy").get("/caseload/").content.decode()
    assert 'lang="cy"' in html
    assert "Fy llwyth achosion" in html
    assert "13 Mawrth 2012" in html
    assert "Yn hwyr" in html


def test_manager_home_and_tabs(world: World) -> None:
    team = Team.objects.get(name="A1")
    html = client_for(world, "manager").get("/caseload/").content.decode()
    assert "Team: A1" in html and '<th scope="row">SW2</th>' in html
    assert 'name="version" value="1"' in html  # reassign forms carry the allocation's id and version
    assert f'name="allocation" value="{Allocation.objects.get(child=world.children["team"]).pk}"' in html
    assert f'hx-post="/caseload/team/{team.pk}/allocate/"' in html
    assert "cl-tabs" not in html  # one kind of work: no tabs


def test_unknown_tab_falls_back_to_the_first(world: World) -> None:
    assert "My caseload" in client_for(world, "sw").get("/caseload/?tab=team-999").content.decode()


def test_reassign_through_the_form(world: World) -> None:
    team = Team.objects.get(name="A1")
    sw1 = Worker.objects.get(la=world.la_a, worker_ref="SW1")
    child = world.children["team"]
    c = client_for(world, "manager")
    current = Allocation.objects.get(child=child)
    data = {"child": child.pk, "allocation": current.pk, "version": 1, "worker": sw1.pk, "start": "2012-03-14"}
    r = c.post(f"/caseload/team/{team.pk}/allocate/", data)
    assert r.status_code == 302 and r["Location"] == f"/caseload/?tab=team-{team.pk}"
    assert Allocation.objects.get(child=child, end_date__isnull=True).worker == sw1
    assert "The allocation has been saved." in c.get(r["Location"]).content.decode()


def test_form_errors_are_summarised_and_linked(world: World) -> None:
    team = Team.objects.get(name="A1")
    child = world.children["team"]
    c = client_for(world, "manager")
    r = c.post(
        f"/caseload/team/{team.pk}/allocate/",
        {"child": child.pk, "allocation": 1, "version": 1, "worker": "", "start": "x"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "There is a problem" in html
    assert f'href="#id_c{child.pk}_worker">Choose a worker.' in html
    assert f'href="#id_c{child.pk}_start">Enter a real date' in html


def test_htmx_swaps_the_team_panel(world: World) -> None:
    team = Team.objects.get(name="A1")
    sw1 = Worker.objects.get(la=world.la_a, worker_ref="SW1")
    c = client_for(world, "manager")
    current = Allocation.objects.get(child=world.children["team"])
    data = {"child": current.child_id, "allocation": current.pk, "version": 1, "worker": sw1.pk, "start": "2012-03-14"}
    r = c.post(f"/caseload/team/{team.pk}/allocate/", data, headers={"hx-request": "true"})
    html = r.content.decode()
    assert r.status_code == 200 and html.lstrip().startswith('<section class="cl-panel" id="cl-team"')
    assert 'role="status"' in html and "The allocation has been saved." in html
    r = c.post(f"/caseload/team/{team.pk}/allocate/", data, headers={"hx-request": "true"})  # stale version now
    assert "Someone else has changed this allocation" in r.content.decode()


@pytest.mark.parametrize("who", ["sw", "iro", "partner", "nobody"])
def test_allocate_is_not_found_for_non_managers(world: World, who: str) -> None:
    team = Team.objects.get(name="A1")
    assert client_for(world, who).post(f"/caseload/team/{team.pk}/allocate/", {}).status_code == 404


def test_get_is_not_allowed_on_allocate(world: World) -> None:
    team = Team.objects.get(name="A1")
    assert client_for(world, "manager").get(f"/caseload/team/{team.pk}/allocate/").status_code == 405


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("iro", "Review schedule"),
        ("partner", "Children your agency works with"),
        ("inspector", "Your inspection sample"),
        ("perf", 'href="/performance/"'),
        ("board", 'href="/performance/"'),
        ("wg", 'href="/performance/"'),
        ("admin", "Go to administration"),
        ("nobody", "You have no role in Diogel yet"),
    ],
)
def test_home_of_each_role(world: World, who: str, expected: str) -> None:
    html = client_for(world, who).get("/caseload/").content.decode()
    assert expected in html
    assert "other_la" not in html or who == "inspector"  # only the inspector's sample crosses LAs
    assert ">sealed<" not in html


def test_templates_respect_the_content_security_policy() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\sstyle=", text), template
        assert not re.search(r"\son[a-z]+=", text), template


@pytest.mark.parametrize("allocated", [False, True])
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_cards_forms_are_the_forms_own_html(world: World, allocated: bool, lang: str) -> None:
    """The team view renders its cards' unbound forms without a Django form each: the same HTML."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from diogel.caseload import queries, views

    team = queries.team_view(world.users["manager"], Team.objects.get(name="A1").pk)
    card = next(c for c in [*team.cards, *team.unallocated] if (c.allocation_id is not None) == allocated)
    with translation.override(lang):
        shown = views._shown_forms((card,))[0]
        real = views._form(card, team)
        base = {"team": team, "card": card, "worker_options": views._worker_options(team), "csrf_token": "t"}
        fast = render_to_string("caseload/_allocate_form.html", {**base, "form": shown})
        slow = render_to_string("caseload/_allocate_form.html", {**base, "form": real})
    assert fast == slow
    assert f'id="id_c{card.child_id}_start"' in fast
