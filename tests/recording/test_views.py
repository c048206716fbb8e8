"""The recording pages: happy paths, bad input kept with field messages, stale edits, who may record,
screens counted from the child's record, and the query count of the child's recording page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from diogel.cases.models import Child, LookedAfterReview, Referral, Visit

from .conftest import World, client_for, d, in_care, referral, registered

pytestmark = pytest.mark.django_db


def url(name: str, child: Child, target: int | None = None) -> str:
    kwargs = {"child_id": child.pk, **({"target_id": target} if target else {})}
    return reverse(f"recording:{name}", kwargs=kwargs)


def test_visit_in_three_screens(world: World, child: Child) -> None:
    registered(child, d(-20))
    client = client_for(world, "sw")
    record = client.get(url("child", child))  # 1: the child's record (its recording page)
    assert record.status_code == 200 and url("visit", child).encode() in record.content
    form = client.get(url("visit", child))  # 2: the form, with today's date and the type filled in
    assert form.status_code == 200
    html = form.content.decode()
    assert f'value="{d(0).isoformat()}"' in html and '<option value="CP" selected>' in html
    done = client.post(url("visit", child), {"visit_date": d(0).isoformat(), "seen_alone": "Y"}, follow=True)
    assert done.redirect_chain == [(url("child", child), 302)]  # 3: back on the record, "Visit recorded."
    assert "Visit recorded." in done.content.decode()
    assert Visit.objects.get().seen_alone == "Y"


def test_referral_decision_in_three_screens(world: World, child: Child) -> None:
    r = referral(child, d(-1))
    client = client_for(world, "sw")
    record = client.get(url("child", child))
    decide = url("referral_decide", child, r.pk)
    assert decide.encode() in record.content
    assert client.get(decide).status_code == 200
    done = client.post(decide, {"version": "1", "decision": "IA", "decision_date": d(0).isoformat()}, follow=True)
    assert len(done.redirect_chain) == 1 and "Decision recorded." in done.content.decode()
    r.refresh_from_db()
    assert (r.decision, r.version) == ("IA", 2)


def test_lac_review_in_three_screens_by_the_iro(world: World) -> None:
    child = world.children["other_team"]
    in_care(child, d(-40))
    client = client_for(world, "iro")
    assert url("lac_review", child).encode() in client.get(url("child", child)).content
    assert client.get(url("lac_review", child)).status_code == 200
    done = client.post(url("lac_review", child), {"review_date": d(-1).isoformat(), "participation": "PN2"},
                       follow=True)  # fmt: skip
    assert len(done.redirect_chain) == 1 and LookedAfterReview.objects.get().participation == "PN2"


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(world: World, child: Child) -> None:
    r = referral(child, d(-2))
    client = client_for(world, "sw")
    response = client.post(
        url("referral_decide", child, r.pk),
        {"version": "1", "decision": "S47", "decision_date": d(-5).isoformat(), "primary_need": "N4"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and 'href="#id_decision_date"' in html
    assert "The decision cannot be before the referral was received" in html
    assert f'value="{d(-5).isoformat()}"' in html  # the date typed is kept
    assert 'value="S47" id="id_decision_2" checked' in html or ('value="S47"' in html and "checked" in html)
    assert '<option value="N4" selected>' in html
    r.refresh_from_db()
    assert r.decision == ""


def test_unknown_code_is_refused_on_the_field(world: World, child: Child) -> None:
    in_care(child, d(-10))
    response = client_for(world, "sw").post(url("episode_end", child), {"version": "1", "dec": d(0).isoformat(),
                                                                        "rec": "ZZ"})  # fmt: skip
    assert "Select a valid choice" in response.content.decode()


def test_stale_edit_shows_what_changed_and_saves_nothing(world: World, child: Child) -> None:
    r = referral(child, d(-3))
    manager, sw = client_for(world, "manager"), client_for(world, "sw")
    form = sw.get(url("referral_decide", child, r.pk))
    assert 'name="version" value="1"' in form.content.decode()
    manager.post(url("referral_decide", child, r.pk), {"version": "1", "decision": "IA",
                                                       "decision_date": d(-2).isoformat()})  # fmt: skip
    stale = sw.post(url("referral_decide", child, r.pk), {"version": "1", "decision": "NFA",
                                                          "decision_date": d(-1).isoformat()})  # fmt: skip
    html = stale.content.decode()
    assert "This record was changed by someone else" in html and "manager" in html and "IA" in html
    assert 'name="version" value="2"' in html and f'value="{d(-1).isoformat()}"' in html
    r.refresh_from_db()
    assert r.decision == "IA"


@pytest.mark.parametrize(
    ("user", "child_name", "status"),
    [
        ("sw", "own", 200),
        ("manager", "team", 200),
        ("sw", "other_team", 404),
        ("sw", "other_la", 404),
        ("sw", "sealed", 200),  # the worker is named on the seal
        ("manager", "sealed", 404),
        ("iro", "other_team", 403),
        ("inspector", "other_team", 403),
        ("inspector", "own", 404),
        ("partner", "own", 404),  # no child-protection section in its agreement
        ("perf_granted", "own", 403),
        ("perf", "own", 404),
        ("admin", "own", 404),
        ("board", "own", 404),
        ("wg", "own", 404),
    ],
)
def test_who_may_open_and_post_a_flow(world: World, user: str, child_name: str, status: int) -> None:
    child = world.children[child_name]
    registered(child, d(-20))
    client = client_for(world, user)
    assert client.get(url("core_group", child)).status_code == status
    posted = client.post(url("core_group", child), {"held_on": d(0).isoformat()})
    assert posted.status_code == (302 if status == 200 else status)


def test_signed_out_is_sent_to_sign_in(world: World, child: Child) -> None:
    response = Client().get(url("visit", child))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("user", "status"), [("sw", 200), ("inspector", 200), ("partner", 200), ("board", 404)])
def test_childs_recording_page_lists_only_what_the_user_may_record(world: World, user: str, status: int) -> None:
    child = world.children["own" if user != "inspector" else "other_team"]
    response = client_for(world, user).get(url("child", child))
    assert response.status_code == status
    if user == "sw":
        assert url("visit", child).encode() in response.content
    if user in ("inspector", "partner"):
        assert b"you cannot add to it" in response.content


def test_childs_recording_page_has_a_fixed_number_of_queries(
    world: World,
    child: Child,
    django_assert_num_queries: DjangoAssertNumQueries,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(world, "sw")
    referral(child, d(-3))
    client.get(url("child", child))
    with django_assert_max_num_queries(40) as few:  # 31 on SQLite; PostgreSQL adds savepoints
        client.get(url("child", child))
    for i in range(5):
        referral(child, d(-i))
    in_care(child, d(-10))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("child", child))
    assert response.content.decode().count("Decide the referral received") == 6
    assert Referral.objects.exclude(child__child_ref="awaiting").count() == 6


def test_wellbeing_page_for_a_child(world: World, child: Child) -> None:
    client = client_for(world, "sw")
    page = client.get(url("wellbeing", child)).content.decode()
    assert "I feel safe" in page and "Sometimes" in page
    done = client.post(url("wellbeing", child), {"safe": "YES", "listened": "SOMETIMES", "anonymous": "on"},
                       follow=True)  # fmt: skip
    assert done.redirect_chain[-1][0] == reverse("recording:wellbeing_thanks", kwargs={"child_id": child.pk})
    assert "Thank you" in done.content.decode()
    empty = client.post(url("wellbeing", child), {})
    assert "Answer at least one question." in empty.content.decode()


def test_pages_in_welsh(world: World, child: Child) -> None:
    client = client_for(world, "sw")
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    html = client.get(url("visit", child)).content.decode()
    assert '<html lang="cy">' in html and "Cofnodi ymweliad" in html
