"""How a search at the front door decides that a recorded child may be the child being referred.

The rule (``docs/intake.md``):

- **Names** are compared after :func:`normalise`: accents removed, case ignored, and everything that is not
  a letter or digit (hyphens, spaces, apostrophes) dropped, so "Siân Ap-Rhys" = "sian aprhys".
  - *Family name*: equal, or equal to one part of a double-barrelled name ("Jones" finds "Jones-Evans",
    and "Jones-Evans" finds "Jones").
  - *Given name*: one is the start of the other ("Sam" finds "Samantha", "Samantha" finds "Sam").
  - A name left blank, in the search or on the record, is *not known*: it neither matches nor excludes.
    Every name known on both sides must match, and when no name can be compared (a record without
    names, as imported and synthetic data are, or a search without one) only a search that gives a date
    of birth (exact or expected) matches, on the date and sex alone: an approximate age with no name in
    common would match far too many children to be useful.
- **Date of birth** is exact. Searching by an *approximate age* instead takes children who are that age give
  or take a year today; an *unborn* child's expected date takes children born (or due) within
  :data:`UNBORN_WINDOW_DAYS` days of it.
- **Sex**: male and female exclude each other; "not known" (``9``) or blank excludes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

#: An unborn child's expected date of birth matches records born or due this many days either side.
UNBORN_WINDOW_DAYS = 56
#: Searching by approximate age takes children of that age, give or take this many years.
AGE_TOLERANCE_YEARS = 1
KNOWN_SEXES = frozenset({"1", "2"})


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise(value: str) -> str:
    """A name as compared: no accents, no case, letters and digits only."""
    return "".join(c for c in _plain(value) if c.isalnum())


def name_parts(value: str) -> list[str]:
    """The parts of a name split at anything that is not a letter or digit ("Jones-Evans" → jones, evans)."""
    return [p for p in re.split(r"[^\w]+|_", _plain(value)) if p]


def family_matches(searched: str, recorded: str) -> bool:
    a, b = normalise(searched), normalise(recorded)
    if not a or not b:
        return True
    return a == b or a in name_parts(recorded) or b in name_parts(searched)


def given_matches(searched: str, recorded: str) -> bool:
    a, b = normalise(searched), normalise(recorded)
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def sex_matches(searched: str, recorded: str) -> bool:
    return not (searched in KNOWN_SEXES and recorded in KNOWN_SEXES and searched != recorded)


def years_before(d: date, years: int) -> date:
    """``d`` moved back ``years`` years (29 February becomes 28 February in a common year)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


@dataclass(frozen=True)
class Criteria:
    """What the duty worker knows about the child."""

    family_name: str = ""
    given_name: str = ""
    date_of_birth: date | None = None
    unborn: bool = False
    approximate_age: int | None = None
    sex: str = ""

    @property
    def has_name(self) -> bool:
        return bool(normalise(self.family_name) or normalise(self.given_name))

    def birth_window(self, on: date) -> tuple[date, date] | None:
        """The dates of birth to consider (inclusive), or None for any."""
        if self.date_of_birth is not None:
            if self.unborn:
                window = timedelta(days=UNBORN_WINDOW_DAYS)
                return self.date_of_birth - window, self.date_of_birth + window
            return self.date_of_birth, self.date_of_birth
        if self.approximate_age is not None:
            youngest = self.approximate_age - AGE_TOLERANCE_YEARS
            oldest = self.approximate_age + AGE_TOLERANCE_YEARS
            # Aged `oldest` today: born after the day `oldest + 1` years ago.
            earliest = years_before(on, oldest + 1) + timedelta(days=1)
            latest = years_before(on, max(youngest, 0))
            return earliest, latest
        return None

    def matches(self, *, given_name: str, family_name: str, sex: str, date_of_birth: date | None, on: date) -> bool:
        """Whether a recorded child with these details may be the child searched for."""
        window = self.birth_window(on)
        if window is not None and (date_of_birth is None or not (window[0] <= date_of_birth <= window[1])):
            return False
        if not sex_matches(self.sex, sex):
            return False
        compared: list[bool] = []
        if normalise(self.family_name) and normalise(family_name):
            compared.append(family_matches(self.family_name, family_name))
        if normalise(self.given_name) and normalise(given_name):
            compared.append(given_matches(self.given_name, given_name))
        if compared:
            return all(compared)
        # No name to compare (blank in the search or on the record): the date of birth and sex decide alone.
        return self.date_of_birth is not None
