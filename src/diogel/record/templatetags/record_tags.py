"""Template helpers of the child's record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from diogel.cases.models import Child

from ..chronology import Chronology, EventType
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


@register.filter
def iso_date(value: date) -> str:
    """``value|date:"Y-m-d"``, without the formatter (called for every row of a chronology)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@register.filter
def long_date(value: date) -> str:
    """``value|date:"j F Y"`` (the month's name in the current language), without the formatter."""
    return f"{value.day} {MONTHS[value.month]} {value.year:04d}"


@register.simple_tag(takes_context=True)
def chronology_rows(
    context: template.Context, timeline: Chronology, child: Child, links: dict[str, tuple[str, str]] | None
) -> SafeString:
    """The ``<tr>`` of every event of the chronology table, escaped as the template language escapes.

    A chronology has 200 rows and more; built here, each row costs a few string operations instead of
    about twenty template nodes. Every label is translated once per page."""
    e_ = conditional_escape
    # Literal gettext calls outside f-strings, so that makemessages (xgettext) finds every one of them.
    label_date, label_event, label_details, label_agency = (e_(w) for w in (_("Date"), _("Event"), _("Details"),
                                                                            _("Agency")))  # fmt: skip
    change_word, this_note = e_(_("Change")), e_(_("this note"))
    change = f'{change_word}<span class="visually-hidden"> {this_note}</span></a>'
    recorded_by = _("Recorded by %(who)s")
    user = context.get("user")
    me = user.get_username() if user is not None else None
    type_labels = {t: e_(EventType(t).label) for t in {e.type for e in timeline.entries}}
    links = links or {}
    rows = []
    for e in timeline.entries:
        detail = str(linebreaksbr(e.detail, autoescape=True))
        if e.author:
            detail += f'<br><span class="hint">{recorded_by % {"who": e_(e.author)}}</span>'
        if e.type == "note" and e.author == me:
            url = reverse("record:note_edit", args=[child.pk, e.source_id])
            detail += f' <a class="no-print" href="{e_(url)}">{change}'
        link = links.get(e.flow) if e.flow else None
        if link:
            detail += f'<br><a class="no-print" href="{e_(link[0])}">{e_(link[1])}</a>'
        rows.append(
            f'\n    <tr class="event-{e_(e.type)}">'
            f'\n      <td data-label="{label_date}"><time datetime="{iso_date(e.on)}">{e_(long_date(e.on))}</time></td>'
            f'\n      <th scope="row" data-label="{label_event}">{e_(e.title)}'
            f'<span class="event-type"> · {type_labels[e.type]}</span></th>'
            f'\n      <td data-label="{label_details}" class="event-detail">{detail}</td>'
            f'\n      <td data-label="{label_agency}">{e_(e.agency)}</td>'
            "\n    </tr>\n  "
        )
    return mark_safe("".join(rows))  # every value above is escaped
