"""Today's date as Diogel sees it: the one place "today" is decided.

``settings.DIOGEL_TODAY`` (an ISO date) in demo mode, so a synthetic Wales looks
alive; otherwise the local date in ``TIME_ZONE``. A malformed setting is a
:class:`~diogel.errors.UserError`, never a trace.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from diogel.errors import UserError


def today() -> date:
    fixed: str = (getattr(settings, "DIOGEL_TODAY", "") or "").strip()
    if not fixed:
        return timezone.localdate()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise UserError(
            _("DIOGEL_TODAY must be a date written YYYY-MM-DD, not %(value)r.") % {"value": fixed}
        ) from None
