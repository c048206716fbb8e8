"""A small, hand-made valid dataset for the dataset tests, and ways to spoil it.

One LA (W06000015, Cardiff), two children. Child C1 is referred, assessed,
conferenced, registered, comes into care on 2009-04-01 (RNE S), changes
placement on 2009-06-01 (the first episode ends X1 that day, the next is RNE P),
leaves care on 2010-01-15, is reviewed in care and is a care leaver at 19.
Every table has at least one row, every reference resolves and no date is out
of order, so the validator must find nothing at all.
"""

from __future__ import annotations

from pathlib import Path

LA = "W06000015"

VALID: dict[str, list[str]] = {
    "children": [
        "LA,CHILD,SEX,DOB,ETHNIC,UPN,DISABILITY,DOD",
        f"{LA},C1,1,1992-06-10,WBRI,,N,",
        f"{LA},C2,2,2005-02-01,MWBC,A123,Y,",
    ],
    "referrals": [
        "LA,CHILD,REFERRAL_ID,REFERRAL_DATE,SOURCE,DECISION_DATE,DECISION,PRIMARY_NEED,CLOSURE_DATE",
        f"{LA},C1,R1,2009-01-05,POLICE,2009-01-06,IA,N1,2010-01-20",
        f"{LA},C2,R2,2009-02-05,HEALTH,2009-02-05,NFA,N9,2009-02-05",
    ],
    "assessments": [
        "LA,CHILD,ASSESSMENT_ID,REFERRAL_ID,TYPE,START_DATE,COMPLETED_DATE,SEEN,SEEN_ALONE",
        f"{LA},C1,A1,R1,INITIAL,2009-01-06,2009-01-12,Y,N",
    ],
    "cp_conferences": [
        "LA,CHILD,CONFERENCE_ID,TYPE,STRATEGY_DATE,CONFERENCE_DATE,OUTCOME",
        f"{LA},C1,K1,INITIAL,2009-01-07,2009-01-20,REGISTER",
    ],
    "conference_agencies": [
        "LA,CONFERENCE_ID,AGENCY,ATTENDED,REPORT_PROVIDED",
        f"{LA},K1,HEALTH,Y,Y",
    ],
    "cp_registrations": [
        "LA,CHILD,REGISTRATION_ID,START_DATE,CATEGORY,FIRST_CORE_GROUP,END_DATE",
        f"{LA},C1,G1,2009-01-20,NEG,2009-01-28,2009-04-01",
    ],
    "cp_reviews": ["LA,CHILD,REGISTRATION_ID,REVIEW_DATE", f"{LA},C1,G1,2009-03-20"],
    "episodes": [
        "LA,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        f"{LA},C1,2009-04-01,S,C2,N1,U1,PR1,2009-06-01,X1,,CF1 1,CF2 2,",
        f"{LA},C1,2009-06-01,P,C2,N1,U4,PR1,2010-01-15,E8,CARPL,CF1 1,CF3 3,SC123",
    ],
    "care_plans": ["LA,CHILD,PLAN_ID,PLAN_TYPE,START_DATE,END_DATE", f"{LA},C1,P1,CARE_PLAN,2009-04-10,2010-01-15"],
    "lac_reviews": ["LA,CHILD,REVIEW_DATE,REVIEW_CODE", f"{LA},C1,2009-04-25,PN1"],
    "school_changes": ["LA,CHILD,CHANGE_DATE,TRANSITIONAL", f"{LA},C1,2009-09-01,N"],
    "education_outcomes": ["LA,CHILD,ACADEMIC_YEAR,POINTS,NO_QUALIFICATION", f"{LA},C2,2020,185.5,N"],
    "care_leavers": ["LA,CHILD,BIRTHDAY_19,IN_TOUCH,ACTIV,ACCOM", f"{LA},C1,2011-06-10,YES,F1,B1"],
    "social_worker_episodes": ["LA,CHILD,SW_ID,SW_DECOM,SW_DEC", f"{LA},C1,SW1,2009-01-06,2010-01-15"],
    "visits": ["LA,CHILD,VISIT_DATE,TYPE,SEEN_ALONE", f"{LA},C1,2009-05-01,LAC,Y"],
    "feedback": ["LA,CHILD,RESPONSE_DATE,QUESTION,ANSWER", f"{LA},,2009-07-01,SAFE,YES"],
    "population": ["LA,YEAR,AGE_0_17", f"{LA},2009,70000"],
}


def write_dataset(directory: Path, changes: dict[str, list[str]] | None = None) -> Path:
    """Write the valid dataset into ``directory`` with whole tables replaced by ``changes``."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = {**VALID, **(changes or {})}
    for name, lines in tables.items():
        (directory / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def with_rows(table: str, *rows: str) -> dict[str, list[str]]:
    """The valid table ``table`` with ``rows`` appended (the first appended row is file row len+1)."""
    return {table: [*VALID[table], *rows]}


def replace_row(table: str, index: int, row: str) -> dict[str, list[str]]:
    """The valid table with line ``index`` (0 = header, so file row index+1) replaced."""
    lines = list(VALID[table])
    lines[index] = row
    return {table: lines}
