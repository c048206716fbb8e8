"""The unique pupil number (UPN) of the Department for Education's specification, as Wales uses it too.

Thirteen characters: a check letter, the 3-digit LA number, the 4-digit establishment number, the
2-digit year of issue and a 3-digit serial; a *temporary* UPN ends in a letter instead of its last digit.
The check letter: multiply characters 2 to 13 by the weights 2 to 13 (a digit counts as itself, a letter
as its position in :data:`LETTERS`), add, take the remainder modulo 23, and that position in
:data:`LETTERS` is the check letter.
"""

from __future__ import annotations

import re

#: The 23 letters a UPN uses (no I, O or S), value 0 to 22.
LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
FORMAT = re.compile(rf"^[{LETTERS}][0-9]{{11}}[0-9{LETTERS}]$")


def normalise(value: str) -> str:
    """Upper case, spaces removed (people type UPNs in groups)."""
    return "".join(value.split()).upper()


def _value(char: str) -> int:
    return int(char) if char.isdigit() else LETTERS.index(char)


def check_letter(body: str) -> str:
    """The check letter of the 12 characters after it."""
    total = sum(weight * _value(char) for weight, char in enumerate(body, start=2))
    return LETTERS[total % 23]


def well_formed(value: str) -> bool:
    return bool(FORMAT.match(value))


def valid(value: str) -> bool:
    """Whether ``value`` (normalised) is a well-formed UPN whose check letter is right."""
    return well_formed(value) and check_letter(value[1:]) == value[0]
