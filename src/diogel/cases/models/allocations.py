"""Social worker allocations over time (``social_worker_episodes``).

The dataset's SW_ID identifies a :class:`~.organisation.Worker`; the import
creates a worker for each SW_ID it has not seen in that LA.
"""

from __future__ import annotations

from django.db import models

from .base import EditableRecord, in_order
from .organisation import LocalAuthority, Worker
from .people import Child


class Allocation(EditableRecord):
    """``worker`` was the child's allocated social worker from ``start_date`` to ``end_date``."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="allocations")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField("began (SW_DECOM)", null=True, blank=True)
    end_date = models.DateField("ended (SW_DEC)", null=True, blank=True)

    class Meta:
        constraints = (in_order("end_date", "start_date", "cases_allocation_end_after_start"),)
