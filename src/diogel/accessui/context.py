"""Template context of the access pages, for every page: the count of the user's unread notifications.

Add ``"diogel.accessui.context.unread_notifications"`` to the template context processors;
``web/_nav.html`` then shows the badge with ``{% include "accessui/_nav_notifications.html" %}``.
"""

from __future__ import annotations

from django.http import HttpRequest

from .queries import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """``unread_notifications``: one COUNT query for a signed-in user; nothing for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
