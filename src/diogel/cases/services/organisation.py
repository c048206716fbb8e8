"""Teams and workers: create a team, put a worker in a team.

Each service takes the acting user keyword-only, runs in one transaction and
writes its audit entry inside it.
"""

from __future__ import annotations

from django.db import transaction

from diogel import audit
from diogel.audit.chain import Actor
from diogel.audit.events import AuditEvent
from diogel.cases.models import LocalAuthority, Team, Worker


@transaction.atomic
def team_ensure(*, actor: Actor, la: LocalAuthority, name: str) -> Team:
    """The LA's team called ``name``, created (and audited) if it does not exist."""
    team = Team.objects.filter(la=la, name=name).first()
    if team is not None:
        return team
    team = Team.objects.create(la=la, name=name)
    audit.record(actor=actor, event=AuditEvent.RECORD_CREATED, obj=team, la=la, after={"name": name})
    return team


@transaction.atomic
def worker_set_team(*, actor: Actor, worker: Worker, team: Team | None) -> Worker:
    """Move ``worker`` into ``team`` (or out of any team). No change, no audit entry."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.team_id == (team.pk if team is not None else None):
        return worker
    before = {"team": worker.team_id}
    worker.team = team
    worker.version += 1
    worker.save(update_fields=["team", "version", "updated_at"])
    audit.record(
        actor=actor,
        event=AuditEvent.RECORD_CHANGED,
        obj=worker,
        la=worker.la,
        before=before,
        after={"team": team and team.pk},
    )
    return worker
