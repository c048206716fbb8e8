"""LA administration: memberships, information-sharing agreements, partner involvement, seals.
Only for an LA's administrators, only for their LA; every change through the services, audited."""

from __future__ import annotations

import pytest
from django.test import Client

from access.world import World
from diogel.access.models import InformationSharingAgreement, Membership, PartnerInvolvement, SealedRecord
from diogel.access.roles import Role
from diogel.audit.events import AuditEvent
from diogel.audit.models import AuditEntry
from diogel.cases.models import PartnerAgency, Team

from .conftest import client_for, la_pk

pytestmark = pytest.mark.django_db


def _last() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def _pages(world: World, la_id: int | None = None) -> list[str]:
    la = la_id or la_pk(world)
    return [f"/access/admin/{la}/{p}/" for p in ("memberships", "agreements", "involvements", "seals")]


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    for url in ["/access/admin/", *_pages(world)]:
        r = Client().get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_la_admin_sees_every_page(world: World) -> None:
    c = client_for(world, "admin")
    html = c.get("/access/admin/").content.decode()
    assert world.la_a is not None and world.la_b is not None
    assert world.la_a.name_en in html and world.la_b.name_en not in html
    for url in _pages(world):
        r = c.get(url)
        assert r.status_code == 200, url
        assert 'aria-current="page"' in r.content.decode()


@pytest.mark.parametrize("who", ["sw", "manager", "iro", "partner", "perf_granted", "board", "wg", "inspector"])
def test_other_roles_are_refused(world: World, who: str) -> None:
    c = client_for(world, who)
    assert c.get("/access/admin/").status_code == 403
    for url in _pages(world):
        assert c.get(url).status_code == 403
    before = Membership.objects.count()
    r = c.post(_pages(world)[0], {"user": world.users["nobody"].pk, "role": Role.SOCIAL_WORKER})
    assert r.status_code == 403 and Membership.objects.count() == before


def test_another_las_pages_are_not_found(world: World) -> None:
    c = client_for(world, "admin")
    for url in _pages(world, la_pk(world, "b")):
        assert c.get(url).status_code == 404
    m = Membership.objects.filter(la=world.la_a, revoked_at__isnull=True).first()
    assert m is not None
    assert c.post(f"/access/admin/{la_pk(world, 'b')}/memberships/{m.pk}/revoke/").status_code == 404


# --- memberships -----------------------------------------------------------------------------------


def test_grant_and_revoke_a_role(world: World) -> None:
    c = client_for(world, "admin")
    url = _pages(world)[0]
    person = world.users["revoked"]  # a worker of the LA whose earlier role was revoked
    html = c.get(url).content.decode()
    assert f'<option value="{person.pk}">revoked</option>' in html
    assert f'<option value="{world.users["nobody"].pk}"' not in html  # not a person of the LA
    r = c.post(url, {"user": person.pk, "role": Role.SOCIAL_WORKER})
    assert r.status_code == 302
    m = Membership.objects.get(user_id=person.pk, revoked_at__isnull=True)
    assert m.role == Role.SOCIAL_WORKER and m.la_id == la_pk(world) and m.granted_by_label == "admin"
    assert _last().event == AuditEvent.ROLE_GRANTED
    assert "revoked now holds the role social worker." in c.get(url).content.decode()
    r = c.post(f"{url}{m.pk}/revoke/")
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.revoked_at is not None and _last().event == AuditEvent.ROLE_REVOKED
    assert c.get(f"{url}{m.pk}/revoke/").status_code == 405


def test_team_manager_needs_a_team(world: World) -> None:
    c = client_for(world, "admin")
    before = (Membership.objects.count(), AuditEntry.objects.count())
    r = c.post(_pages(world)[0], {"user": world.users["revoked"].pk, "role": Role.TEAM_MANAGER})
    html = r.content.decode()
    assert r.status_code == 200 and 'class="error-summary"' in html
    assert 'href="#id_team"' in html and "A team manager needs a team." in html
    assert f'<option value="{Role.TEAM_MANAGER}" selected>' in html  # input kept
    assert (Membership.objects.count(), AuditEntry.objects.count()) == before
    team = Team.objects.get(name="A2")
    r = c.post(_pages(world)[0], {"user": world.users["revoked"].pk, "role": Role.TEAM_MANAGER, "team": team.pk})
    assert r.status_code == 302
    assert Membership.objects.get(user_id=world.users["revoked"].pk, revoked_at__isnull=True).team == team


def test_team_of_another_la_is_not_a_choice(world: World) -> None:
    team_b = Team.objects.get(name="B1")
    r = client_for(world, "admin").post(
        _pages(world)[0], {"user": world.users["revoked"].pk, "role": Role.TEAM_MANAGER, "team": team_b.pk}
    )
    assert "Select a valid choice." in r.content.decode()


# --- agreements ------------------------------------------------------------------------------------


def test_agreements_list_and_create(world: World) -> None:
    c = client_for(world, "admin")
    url = _pages(world)[1]
    html = c.get(url).content.decode()
    assert "in force" in html and "expired" in html
    data = {
        "agency_kind": "EDUCATION",
        "purpose": "School safeguarding leads",
        "sections": ["education", "referrals"],
        "starts_on": "2012-04-01",
        "expires_on": "2013-03-31",
        "signed_for_la_by": "Director",
        "signed_for_agency_by": "Head of service",
    }
    r = c.post(url, data)
    assert r.status_code == 302
    a = InformationSharingAgreement.objects.get(agency_kind="EDUCATION")
    assert a.sections == ["education", "referrals"] and a.la_id == la_pk(world)
    entry = _last()
    assert entry.event == AuditEvent.AGREEMENT_CREATED and entry.la_id == la_pk(world)
    assert "not yet in force" in c.get(url).content.decode()


def test_agreement_bad_input(world: World) -> None:
    c = client_for(world, "admin")
    before = InformationSharingAgreement.objects.count()
    data = {
        "agency_kind": "EDUCATION",
        "purpose": "Kept purpose",
        "starts_on": "2012-04-01",
        "expires_on": "2012-03-01",
    }
    html = c.post(_pages(world)[1], data).content.decode()
    assert "The agreement must not expire before it starts." in html
    assert "Choose at least one section of the record." in html
    assert "Enter who signed for the local authority." in html
    assert "Kept purpose" in html and 'value="2012-03-01"' in html
    assert '<fieldset class="au-group">' in html and 'href="#id_sections_0"' in html
    assert InformationSharingAgreement.objects.count() == before


# --- involvements ----------------------------------------------------------------------------------


def test_start_and_end_an_involvement(world: World) -> None:
    c = client_for(world, "admin")
    url = _pages(world)[2]
    police = PartnerAgency.objects.get(kind="POLICE")
    r = c.post(url, {"child_ref": "team", "agency": police.pk, "started_on": "2012-03-10", "reason": "Section 47"})
    assert r.status_code == 302
    inv = PartnerInvolvement.objects.get(child=world.children["team"], agency=police)
    assert inv.started_on.isoformat() == "2012-03-10" and _last().event == AuditEvent.INVOLVEMENT_STARTED
    r = c.post(f"{url}{inv.pk}/end/", {"ended_on": "2012-03-14"})
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.ended_on is not None and _last().event == AuditEvent.INVOLVEMENT_ENDED


def test_involvement_bad_input(world: World) -> None:
    c = client_for(world, "admin")
    url = _pages(world)[2]
    police = PartnerAgency.objects.get(kind="POLICE")
    before = (PartnerInvolvement.objects.count(), AuditEntry.objects.count())
    for ref in ("no-such", "other_la"):  # another LA's child is not one of yours
        html = c.post(url, {"child_ref": ref, "agency": police.pk, "started_on": "2012-03-10"}).content.decode()
        assert "There is no child with this identifier in your local authority." in html
        assert f'value="{ref}"' in html
    inv = PartnerInvolvement.objects.get(child=world.children["own"], agency=police)
    html = c.post(f"{url}{inv.pk}/end/", {"ended_on": "2000-01-01"}).content.decode()
    assert "The involvement cannot end before it started." in html
    assert f'href="#id_i{inv.pk}_ended_on"' in html
    inv.refresh_from_db()
    assert inv.ended_on is None
    assert (PartnerInvolvement.objects.count(), AuditEntry.objects.count()) == before


# --- seals -----------------------------------------------------------------------------------------


def test_seal_and_unseal(world: World) -> None:
    c = client_for(world, "admin")
    url = _pages(world)[3]
    html = c.get(url).content.decode()
    assert "Child sealed" in html
    sw = world.users["sw"]
    r = c.post(url, {"child_ref": "own", "reason": SealedRecord.Reason.STAFF_CHILD, "named_users": [sw.pk]})
    assert r.status_code == 302
    seal = SealedRecord.objects.get(child=world.children["own"], unsealed_at__isnull=True)
    assert list(seal.named_users.all()) == [sw]
    assert _last().event == AuditEvent.RECORD_SEALED
    old = SealedRecord.objects.get(child=world.children["sealed"], unsealed_at__isnull=True)
    assert c.post(f"{url}{old.pk}/unseal/").status_code == 302
    old.refresh_from_db()
    assert old.unsealed_at is not None and _last().event == AuditEvent.RECORD_UNSEALED


def test_seal_bad_input(world: World) -> None:
    c = client_for(world, "admin")
    before = AuditEntry.objects.count()
    html = c.post(_pages(world)[3], {"child_ref": "own"}).content.decode()
    assert "Choose the reason for sealing." in html and 'value="own"' in html
    html = c.post(_pages(world)[3], {"child_ref": "nope", "reason": "ADOPTION"}).content.decode()
    assert "There is no child with this identifier" in html
    assert AuditEntry.objects.count() == before


def test_welsh_admin(world: World) -> None:
    html = client_for(world, "admin", "cy").get(_pages(world)[1]).content.decode()
    assert "Cytundebau rhannu gwybodaeth" in html
