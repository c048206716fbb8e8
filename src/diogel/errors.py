"""Errors that are meant for a person to read.

Anything raised as :class:`UserError` reaches the user as one plain line (the
command line prints it and exits 2; the web shows it on the page). Anything
else is a defect in Diogel and is logged, never shown as a trace to a user.
"""


class UserError(Exception):
    """A problem with what the user asked for or supplied, explained in plain words."""
