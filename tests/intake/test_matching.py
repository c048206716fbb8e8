"""The matching rule of diogel.intake.matching, case by case (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from diogel.intake import upn
from diogel.intake.matching import Criteria, family_matches, given_matches, normalise

ON = date(2025, 6, 30)
DOB = date(2015, 3, 14)


def rec(given: str = "", family: str = "", sex: str = "", dob: date | None = DOB) -> dict[str, object]:
    return {"given_name": given, "family_name": family, "sex": sex, "date_of_birth": dob, "on": ON}


def test_normalise_drops_accents_case_hyphens_and_spaces() -> None:
    assert normalise("Siân Ap-Rhys") == "sianaprhys"
    assert normalise("  O'Brien ") == "obrien"
    assert normalise("ŴYN") == "wyn"


@pytest.mark.parametrize(
    ("searched", "recorded", "expected"),
    [
        ("ap rhys", "Ap-Rhys", True),
        ("Jones", "Jones-Evans", True),  # one part of a double-barrelled name
        ("Jones-Evans", "jones", True),
        ("Jones", "Jonesy", False),  # family names are not prefixes
        ("Evans", "Jones", False),
        ("", "Jones", True),  # not known: excludes nothing
    ],
)
def test_family_name(searched: str, recorded: str, expected: bool) -> None:
    assert family_matches(searched, recorded) is expected


@pytest.mark.parametrize(
    ("searched", "recorded", "expected"),
    [("Sam", "Samantha", True), ("Samantha", "sam", True), ("Rhiân", "rhian", True), ("Sam", "Pam", False)],
)
def test_given_name_is_a_prefix_either_way(searched: str, recorded: str, expected: bool) -> None:
    assert given_matches(searched, recorded) is expected


def test_date_of_birth_is_exact() -> None:
    c = Criteria(family_name="Jones", date_of_birth=DOB)
    assert c.matches(**rec(family="Jones"))  # type: ignore[arg-type]
    assert not c.matches(**rec(family="Jones", dob=date(2015, 3, 15)))  # type: ignore[arg-type]
    assert not c.matches(**rec(family="Jones", dob=None))  # type: ignore[arg-type]


def test_sex_known_on_both_sides_must_agree() -> None:
    c = Criteria(date_of_birth=DOB, sex="2")
    assert c.matches(**rec(sex="2")) and c.matches(**rec(sex="9")) and c.matches(**rec(sex=""))  # type: ignore[arg-type]
    assert not c.matches(**rec(sex="1"))  # type: ignore[arg-type]


def test_nameless_records_match_on_date_of_birth_and_sex_only_when_a_date_is_given() -> None:
    assert Criteria(family_name="Jones", date_of_birth=DOB).matches(**rec())  # type: ignore[arg-type]
    # An approximate age (10 on 30 June 2025 for a child born 14 March 2015) with a name: not a nameless record.
    by_age = Criteria(family_name="Jones", approximate_age=10)
    assert by_age.matches(**rec(family="Jones"))  # type: ignore[arg-type]
    assert not by_age.matches(**rec())  # type: ignore[arg-type]


def test_approximate_age_takes_a_year_either_side() -> None:
    c = Criteria(given_name="Sam", approximate_age=10)
    # Aged 9 to 11 on 30 June 2025: born 1 July 2013 … 30 June 2016.
    assert c.birth_window(ON) == (date(2013, 7, 1), date(2016, 6, 30))
    assert c.matches(**rec(given="Sam", dob=date(2013, 7, 1)))  # type: ignore[arg-type]
    assert not c.matches(**rec(given="Sam", dob=date(2013, 6, 30)))  # type: ignore[arg-type]


def test_unborn_takes_eight_weeks_either_side_of_the_expected_date() -> None:
    due = date(2025, 9, 1)
    c = Criteria(family_name="Jones", date_of_birth=due, unborn=True)
    assert c.birth_window(ON) == (date(2025, 7, 7), date(2025, 10, 27))
    assert c.matches(**rec(family="Jones", dob=date(2025, 10, 27)))  # type: ignore[arg-type]
    assert not c.matches(**rec(family="Jones", dob=date(2025, 10, 28)))  # type: ignore[arg-type]


def test_upn_check_letter() -> None:
    # 8·2 + 0·3 + 1·4 + 2·5 + 0·6 + 0·7 + 0·8 + 0·9 + 5·10 + 0·11 + 0·12 + 1·13 = 93; 93 mod 23 = 1 → B.
    assert upn.check_letter("801200005001") == "B"
    assert upn.valid("B801200005001")
    assert not upn.valid("A801200005001")
    # A temporary UPN ends in a letter, counted by its place in the list: C = 2, so 93 - 13 + 26 = 106;
    # 106 mod 23 = 14 → Q.
    assert upn.valid("Q80120000500C")
    assert not upn.well_formed("I801200005001")  # I, O and S are never used
    assert not upn.well_formed("B80120000500")
    assert upn.normalise(" b801 2000 05001 ") == "B801200005001"
