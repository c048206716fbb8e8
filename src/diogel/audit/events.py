"""The kinds of audit entry, grouped by range like Zulip's ``RealmAuditLog``.

Numbers are stored in the database and hashed into the chain: never renumber
an event, only add new ones inside the right range.

- 100-199: looking at records (views, lists, searches)
- 200-299: changing records (before and after)
- 300-399: data leaving the system (exports, downloads)
- 400-499: authentication
- 500-599: access control (roles, agreements, involvement, seals, break-glass)
- 900-999: the audit system itself
"""

from __future__ import annotations

from enum import IntEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AuditEvent(IntEnum):
    # Looking at records
    CHILD_VIEWED = 101
    CHILD_LIST_VIEWED = 102
    SEARCH = 110
    ACCESS_REFUSED = 120

    # Changing records
    RECORD_CREATED = 201
    RECORD_CHANGED = 202
    RECORD_DELETED = 203
    DATASET_IMPORTED = 210

    # Data leaving the system
    EXPORT = 301
    DOWNLOAD = 302

    # Authentication
    LOGIN = 401
    LOGIN_FAILED = 402
    LOGOUT = 403
    ACCOUNT_LOCKED = 404
    TOTP_ENROLLED = 410
    TOTP_FAILED = 411
    TOTP_SETUP_LINK_ISSUED = 412
    TOTP_RESET = 413
    RECOVERY_CODES_CREATED = 414
    RECOVERY_CODE_USED = 415

    # Access control
    ROLE_GRANTED = 501
    ROLE_REVOKED = 502
    AGREEMENT_CREATED = 510
    AGREEMENT_CHANGED = 511
    INVOLVEMENT_STARTED = 520
    INVOLVEMENT_ENDED = 521
    RECORD_SEALED = 530
    RECORD_UNSEALED = 531
    BREAK_GLASS_GRANTED = 540
    BREAK_GLASS_REVIEWED = 541

    # The audit system
    AUDIT_VERIFIED = 901

    @property
    def label(self) -> Promise:
        return EVENT_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[int, Promise]]:
        return [(e.value, e.label) for e in cls]


EVENT_LABELS: dict[AuditEvent, Promise] = {
    AuditEvent.CHILD_VIEWED: _("viewed a child's record"),
    AuditEvent.CHILD_LIST_VIEWED: _("viewed a list of children"),
    AuditEvent.SEARCH: _("searched"),
    AuditEvent.ACCESS_REFUSED: _("was refused access"),
    AuditEvent.RECORD_CREATED: _("created a record"),
    AuditEvent.RECORD_CHANGED: _("changed a record"),
    AuditEvent.RECORD_DELETED: _("deleted a record"),
    AuditEvent.DATASET_IMPORTED: _("imported a dataset"),
    AuditEvent.EXPORT: _("exported data"),
    AuditEvent.DOWNLOAD: _("downloaded a file"),
    AuditEvent.LOGIN: _("signed in"),
    AuditEvent.LOGIN_FAILED: _("failed to sign in"),
    AuditEvent.LOGOUT: _("signed out"),
    AuditEvent.ACCOUNT_LOCKED: _("account locked after failed sign-ins"),
    AuditEvent.TOTP_ENROLLED: _("set up two-factor authentication"),
    AuditEvent.TOTP_FAILED: _("gave a wrong two-factor code"),
    AuditEvent.TOTP_SETUP_LINK_ISSUED: _("issued a two-factor set-up link"),
    AuditEvent.TOTP_RESET: _("reset someone's two-factor authentication"),
    AuditEvent.RECOVERY_CODES_CREATED: _("created two-factor recovery codes"),
    AuditEvent.RECOVERY_CODE_USED: _("signed in with a two-factor recovery code"),
    AuditEvent.ROLE_GRANTED: _("granted a role"),
    AuditEvent.ROLE_REVOKED: _("revoked a role"),
    AuditEvent.AGREEMENT_CREATED: _("recorded an information-sharing agreement"),
    AuditEvent.AGREEMENT_CHANGED: _("changed an information-sharing agreement"),
    AuditEvent.INVOLVEMENT_STARTED: _("started a partner agency's involvement"),
    AuditEvent.INVOLVEMENT_ENDED: _("ended a partner agency's involvement"),
    AuditEvent.RECORD_SEALED: _("sealed a record"),
    AuditEvent.RECORD_UNSEALED: _("unsealed a record"),
    AuditEvent.BREAK_GLASS_GRANTED: _("used emergency (break-glass) access"),
    AuditEvent.BREAK_GLASS_REVIEWED: _("reviewed an emergency (break-glass) access"),
    AuditEvent.AUDIT_VERIFIED: _("verified the audit trail"),
}
