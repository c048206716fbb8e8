"""Template helpers of the child's record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from diogel.cases.models import Child

from ..queries import age_on, child_name

register = template.Library()


@register.filter(name="child_name")
def child_name_filter(child: Child) -> str:
    return child_name(child)


@register.filter
def age(dob: date | None, on: date) -> int | None:
    return age_on(dob, on)


@register.filter
def is_date(value: Any) -> bool:
    return isinstance(value, date)


@register.filter
def lookup(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)
