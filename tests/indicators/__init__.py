"""Hand-worked tests of the indicator definitions of ``shared/spec/indicators.md``."""
