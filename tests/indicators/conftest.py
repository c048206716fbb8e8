"""The indicator tests need no database: they are plain functions on hand-built polars tables."""
