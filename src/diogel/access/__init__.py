"""Who may see what: roles, information-sharing agreements, partner involvement, sealed records, break-glass.

- :mod:`.roles`, :mod:`.sections`: the fixed lists (roles; sections of a child's record).
- :mod:`.models`: the data (memberships, agreements, involvements, seals, grants).
- :mod:`.visibility`: the *only* way to find children: ``visible_children(actor)``,
  ``get_child_for(actor, id, section=...)``, ``can_see_section``.
- :mod:`.services`: every change to the above, audited in the same transaction.
"""
