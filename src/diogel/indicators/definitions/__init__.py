"""The indicator declarations, one module per group of ``indicators.md``.

Each module exports ``INDICATORS``, a tuple of
:class:`~diogel.indicators.registry.Indicator` in spec order;
:mod:`diogel.indicators.registry` collects them.
"""
