"""The rule declarations: every row of timescales.md, dated, chosen by the trigger's date, checked at import."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.utils.functional import Promise

from diogel.timescales import rules as r
from diogel.timescales.rules import (
    RULE_SETS,
    SET_2008,
    SET_2016,
    ByRule,
    Confidence,
    Interval,
    RuleError,
    RuleSet,
    Unit,
    check,
    rule_in_force,
    soon_is_working_days,
)


def test_every_row_is_declared_once_per_set() -> None:
    assert [x.number for x in SET_2008.rules] == list(range(1, 23))
    assert [x.number for x in SET_2016.rules] == [n for n in range(1, 23) if n != 3]  # 3 replaced by 2


def test_the_set_is_chosen_by_the_trigger_date() -> None:
    before, after = rule_in_force(2, date(2016, 4, 5)), rule_in_force(2, date(2016, 4, 6))
    assert before is not None and after is not None
    assert before.interval == Interval(7, Unit.WORKING_DAYS) and str(before.what) == "initial assessment"
    assert after.interval == Interval(42, Unit.WORKING_DAYS) and str(after.what) == "single assessment"
    assert rule_in_force(3, date(2016, 4, 5)) is not None
    assert rule_in_force(3, date(2016, 4, 6)) is None
    assert rule_in_force(1, date(1990, 1, 1)) is SET_2008.get(1)  # the first set covers every earlier trigger


def test_values_of_the_table() -> None:
    def at(n: int, d: date = date(2010, 1, 1)) -> r.Rule:
        found = rule_in_force(n, d)
        assert found is not None
        return found

    assert [(n, str(at(n).interval), at(n).confidence) for n in (1, 4, 5, 6, 7, 8, 9, 15, 16, 17, 20, 21)] == [
        (1, "1 working days", Confidence.R2),
        (4, "15 working days", Confidence.R2),
        (5, "10 working days", Confidence.I),
        (6, "6 weeks", Confidence.I),
        (7, "3 months", Confidence.I),
        (8, "6 months", Confidence.I),
        (9, "10 working days", Confidence.I),
        (15, "20 working days", Confidence.I),
        (16, "3 months", Confidence.I),
        (17, "6 months", Confidence.I),
        (20, "3 months", Confidence.R),
        (21, "6 months", Confidence.R),
    ]
    later = date(2017, 1, 1)
    assert {n: at(n, later).confidence for n in (4, 5, 9, 13, 14, 15, 18, 21)} == {
        4: Confidence.R, 5: Confidence.R, 9: Confidence.R, 13: Confidence.R, 14: Confidence.R,
        15: Confidence.R, 18: Confidence.R, 21: Confidence.I,
    }  # fmt: skip
    assert at(14).long_term_interval == Interval(3, Unit.MONTHS)
    assert at(22).window == Interval(3, Unit.MONTHS)
    assert at(18).interval == ByRule(15) and at(19).interval == ByRule(16)
    assert at(10).interval == Interval(0, Unit.DAYS) and at(10, later).interval == Interval(10, Unit.WORKING_DAYS)
    assert [n for n in range(1, 23) if not at(n).recordable] == []  # 11, 12, 18, 19, 20 recordable since 0003


def test_due_soon_unit_follows_the_rule_or_the_rule_it_refers_to() -> None:
    def soon_wd(n: int) -> bool:
        found = rule_in_force(n, date(2010, 1, 1))
        assert found is not None
        return soon_is_working_days(found)

    assert [n for n in range(1, 23) if soon_wd(n)] == [1, 2, 3, 4, 5, 9, 11, 12, 15, 18]


def test_text_is_translatable_with_a_welsh_draft() -> None:
    for rule in r.ALL_RULES:
        assert isinstance(rule.what, Promise)
        assert rule.what_cy.strip() and rule.what_cy != str(rule.what)


def test_check_refuses_broken_declarations() -> None:
    one = SET_2008.rules[0]
    with pytest.raises(RuleError, match="numbers declared twice: \\[1\\]"):
        check((replace(SET_2008, rules=(*SET_2008.rules, one)), SET_2016))
    with pytest.raises(RuleError, match="rules missing from set 2008: \\[1\\]"):
        check((replace(SET_2008, rules=SET_2008.rules[1:]), SET_2016))
    with pytest.raises(RuleError, match="do not meet day to day"):
        check((SET_2008, replace(SET_2016, starts=date(2016, 4, 7))))
    with pytest.raises(RuleError, match="Welsh text is a copy"):
        check((replace(SET_2008, rules=(replace(one, what_cy=str(one.what)), *SET_2008.rules[1:])), SET_2016))
    iro = SET_2008.get(18)
    assert iro is not None
    broken = tuple(replace(x, interval=ByRule(99)) if x is iro else x for x in SET_2008.rules)
    with pytest.raises(RuleError, match="refers to rule 99"):
        check((replace(SET_2008, rules=broken), SET_2016))
    check(RULE_SETS)  # the declared sets pass
    assert isinstance(SET_2016, RuleSet)
