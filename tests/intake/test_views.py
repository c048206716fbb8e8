"""The front door's pages: who may open them, the search, the new record, bad input, double submit, Welsh."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from access.world import World, d
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import Child, Referral

from .conftest import DOB, client_for

SEARCH = reverse("intake:search")
NEW = reverse("intake:new")


def new_form(**change: Any) -> dict[str, Any]:
    data = {
        "family_name": "Pritchard", "given_name": "Elis", "date_of_birth": d(-3000).isoformat(), "sex": "1",
        "referral_date": d(0).isoformat(), "source": "POLICE", "primary_need": "", "ethnicity": "", "upn": "",
        "token": "t0k3n",
    }  # fmt: skip
    data.update(change)
    return data


@pytest.mark.parametrize("who", ["sw", "manager"])
def test_the_home_page_links_to_the_front_door(world: World, who: str) -> None:
    body = client_for(world, who).get("/").content.decode()
    assert f'href="{SEARCH}"' in body and "New referral" in body


def test_other_roles_do_not_see_the_link(world: World) -> None:
    assert SEARCH not in client_for(world, "iro").get("/").content.decode()


@pytest.mark.parametrize("who", ["iro", "partner", "perf_granted", "inspector", "board", "admin", "nobody"])
def test_other_roles_are_refused(world: World, who: str) -> None:
    client = client_for(world, who)
    assert client.get(SEARCH).status_code == 403
    assert client.post(SEARCH, {"date_of_birth": DOB.isoformat()}).status_code == 403
    before = Child.objects.count()
    assert client.post(NEW, new_form()).status_code == 403
    assert Child.objects.count() == before


def test_anonymous_goes_to_sign_in(db: None) -> None:
    from django.test import Client

    r = Client().get(SEARCH)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_search_lists_visible_matches_and_only_counts_hidden_ones(world: World) -> None:
    r = client_for(world, "sw").post(SEARCH, {"family_name": "AP RHYS", "date_of_birth": DOB.isoformat(), "sex": "2"})
    body = r.content.decode()
    own, hidden = world.children["own"], world.children["other_team"]
    assert r.status_code == 200
    assert reverse("recording:referral_record", kwargs={"child_id": own.pk}) in body
    assert "1 possible match in records you cannot open: ask your team manager or the duty manager" in body
    assert f"/{hidden.pk}/" not in body and hidden.child_ref not in body
    assert 'name="prefill"' in body and "None of these is the child" in body
    assert AuditEntry.objects.filter(event=AuditEvent.SEARCH, actor_id=world.users["sw"].pk).count() == 1


def test_search_with_nothing_to_search_by_is_refused_on_the_field(world: World) -> None:
    before = AuditEntry.objects.count()
    r = client_for(world, "sw").post(SEARCH, {"given_name": " ", "approximate_age": ""})
    body = r.content.decode()
    assert r.status_code == 200 and "error-summary" in body
    assert "Enter the child&#x27;s name or their date of birth" in body
    assert AuditEntry.objects.count() == before  # nothing searched, nothing audited


def test_no_match_offers_a_new_record_prefilled(world: World) -> None:
    client = client_for(world, "sw")
    r = client.post(SEARCH, {"family_name": "Nobody", "given_name": "Known", "date_of_birth": "2019-01-02"})
    body = r.content.decode()
    assert "No child in the records of Isle of Anglesey matches these details." in body
    assert '<input type="hidden" name="family_name" value="Nobody">' in body
    step2 = client.post(NEW, {"prefill": "1", "family_name": "Nobody", "date_of_birth": "2019-01-02"}).content.decode()
    assert 'value="Nobody"' in step2 and 'value="2019-01-02"' in step2 and "error-summary" not in step2
    assert 'name="token"' in step2


def test_saving_goes_to_the_record_with_the_next_step(world: World) -> None:
    client = client_for(world, "sw")
    r = client.post(NEW, new_form())
    child = Child.objects.get(family_name="Pritchard")
    referral = Referral.objects.get(child=child)
    assert r.status_code == 302 and r["Location"] == reverse("record:child", kwargs={"child_id": child.pk})
    page = client.get(r["Location"]).content.decode()
    assert "New record created for this child" in page
    decide = reverse("recording:referral_decide", kwargs={"child_id": child.pk, "target_id": referral.pk})
    assert f'href="{decide}"' in page


def test_double_submit_creates_one_child(world: World) -> None:
    client = client_for(world, "sw")
    first = client.post(NEW, new_form())
    second = client.post(NEW, new_form())
    assert Child.objects.filter(family_name="Pritchard").count() == 1
    assert first["Location"] == second["Location"]
    assert "already been saved" in client.get(second["Location"]).content.decode()


def test_bad_input_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    before = (Child.objects.count(), Referral.objects.count())
    r = client_for(world, "sw").post(NEW, new_form(date_of_birth=d(5).isoformat(), upn="A801200005001"))
    body = r.content.decode()
    assert r.status_code == 200 and 'class="error-summary"' in body
    assert "The date of birth must not be in the future" in body and "check letter" in body
    assert 'value="Pritchard"' in body and 'value="A801200005001"' in body and 'value="t0k3n"' in body
    assert (Child.objects.count(), Referral.objects.count()) == before


def test_unparseable_values_are_refused_on_their_fields(world: World) -> None:
    r = client_for(world, "sw").post(NEW, new_form(date_of_birth="31/02/2020", sex="X", source=""))
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"date_of_birth", "sex", "source"}


def test_the_pages_in_welsh(world: World) -> None:
    client = client_for(world, "sw")
    client.cookies["django_language"] = "cy"
    search = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Atgyfeiriad newydd" in search and "Chwilio" in search
    new = client.get(NEW, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cam 2 o 2" in new and "Cyfenw" in new
