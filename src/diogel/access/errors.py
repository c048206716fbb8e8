"""The two refusals of the access layer.

:class:`NotFound` is raised both when a child does not exist and when the actor
may not see it, with the same message, so that no one can learn that a record
exists by being refused. It is an ``Http404``, so the web answers 404.
:class:`NotAllowedError` refuses an action on something the actor *can* see.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from diogel.errors import UserError

NOT_FOUND_MESSAGE = _("No such record.")


class NotFound(Http404):
    def __init__(self) -> None:
        super().__init__(str(NOT_FOUND_MESSAGE))


class NotAllowedError(UserError):
    pass
