"""Hand-built case histories for the caseload tests (today is fixed at 2012-03-14, a Wednesday)."""

from __future__ import annotations

from datetime import date, timedelta

from diogel.cases import models as m

D = date


def allocate(child: m.Child, worker: m.Worker, start: date) -> m.Allocation:
    return m.Allocation.objects.create(la_id=child.la_id, child=child, worker=worker, start_date=start)


def referral_awaiting_decision(child: m.Child, received: date) -> m.Referral:
    """Rule 1: a decision is due the next working day."""
    return m.Referral.objects.create(
        la_id=child.la_id, child=child, referral_ref=f"{child.pk}-R1", referral_date=received
    )


def referral_for_initial_assessment(child: m.Child, received: date) -> m.Referral:
    """Rule 2 (2008 set): an initial assessment is due 7 working days after the referral."""
    return m.Referral.objects.create(
        la_id=child.la_id, child=child, referral_ref=f"{child.pk}-R2", referral_date=received,
        decision_date=received, decision="IA",
    )  # fmt: skip


def looked_after(child: m.Child, decom: date, legal_status: str = "C2") -> m.Episode:
    return m.Episode.objects.create(
        la_id=child.la_id, child=child, decom=decom, rne="S", legal_status=legal_status, placement="U1"
    )


def registered(child: m.Child, start: date) -> m.Registration:
    return m.Registration.objects.create(
        la_id=child.la_id, child=child, registration_ref=f"{child.pk}-G", start_date=start
    )


def many_children(la: m.LocalAuthority, worker: m.Worker, n: int, today: date) -> list[m.Child]:
    """``n`` children allocated to ``worker``, each with a referral, an episode and a registration."""
    kids = []
    for i in range(n):
        child = m.Child.objects.create(la=la, child_ref=f"MANY{i}", date_of_birth=D(2005, 1, 1) + timedelta(days=i))
        allocate(child, worker, today - timedelta(days=60))
        referral_for_initial_assessment(child, today - timedelta(days=5))
        looked_after(child, today - timedelta(days=40))
        registered(child, today - timedelta(days=20))
        kids.append(child)
    return kids
