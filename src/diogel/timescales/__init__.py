"""What is due and overdue: the timescales of ``shared/spec/timescales.md``.

- :mod:`.rules`: the 22 rules as dated declarations (the 2008 set and the set
  from 6 April 2016), chosen by the date of each trigger;
- :mod:`.records`: plain records of one child's case;
- :mod:`.due`: pure functions from a child's records and "today" to
  :class:`~.due.DueItem` (due, due soon, overdue, done, done late, no data);
- :mod:`.from_models`: the records built from the case model in a fixed number
  of queries, and :func:`~.from_models.today`.

See ``docs/timescales.md`` for the readings chosen where the spec is open.
"""
