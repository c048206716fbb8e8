"""Pages of the access layer: break-glass, its review queue, notifications and LA administration.

Thin: reads go through :mod:`.queries` (scoped to the actor), writes through
:mod:`diogel.access.services` (which enforce permissions and write the audit entry).
"""
