"""The Children's Services Dataset (CSD), version 1, declared in code.

This module *is* the data standard of ``shared/spec/dataset.md`` in machine form:
every table, column, type and code list, the date pairs that must be in order,
the keys that must be unique and the references that must resolve. The
validator, the importer and exporter, the Frictionless Table Schemas, the
synthetic generator, the SSDA903 converter and the indicator engine all read it
from here, so the standard is written down once.

Code lists are deliberately the *superset* of the SSDA903 lists in use between
2005 and 2016 (the era of the indicators), so that a lawful historic code is
never refused.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

VERSION = "1"


class ColumnType(StrEnum):
    STRING = "string"
    DATE = "date"
    INTEGER = "integer"
    NUMBER = "number"
    FLAG = "flag"  # Y / N


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = ColumnType.STRING
    description: str = ""
    codes: frozenset[str] | None = None
    pattern: str | None = None  # regular expression a non-blank value must match
    required: bool = False  # a blank value is a finding (error) when True
    optional: bool = False  # the column itself may be absent from a file (the spec says "optional")


@dataclass(frozen=True)
class DateOrder:
    """``end`` must not be before ``start`` when both are present."""

    end: str
    start: str


@dataclass(frozen=True)
class Reference:
    """``column`` must name an existing ``key`` of ``target`` in the same LA.

    When ``same_child`` is true the referenced row must also be the same child.
    """

    column: str
    target: str
    key: str
    same_child: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()  # each tuple is unique *within an LA*
    date_orders: tuple[DateOrder, ...] = ()
    references: tuple[Reference, ...] = ()
    child_optional: bool = False  # True only for feedback (anonymous answers)
    has_child: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# --------------------------------------------------------------------------
# Code lists
# --------------------------------------------------------------------------

SEX = frozenset({"1", "2", "9"})
ETHNIC = frozenset(
    {
        "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH",
        "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH",
        "REFU", "NOBT",
    }
)  # fmt: skip
REFERRAL_SOURCE = frozenset(
    {"POLICE", "HEALTH", "EDUCATION", "LA_SERVICES", "OTHER_LA", "INDIVIDUAL", "ANONYMOUS", "OTHER"}
)
REFERRAL_DECISION = frozenset({"NFA", "INFO", "IA", "S47"})
PRIMARY_NEED = frozenset({f"N{i}" for i in range(1, 10)})
ASSESSMENT_TYPE = frozenset({"INITIAL", "CORE"})
CONFERENCE_TYPE = frozenset({"INITIAL", "TRANSFER_IN"})
CONFERENCE_OUTCOME = frozenset({"REGISTER", "NOT_REGISTER"})
AGENCY = frozenset({"HEALTH", "POLICE", "EDUCATION", "YOUTH_JUSTICE", "PROBATION", "HOUSING", "OTHER"})
CP_CATEGORY = frozenset({"NEG", "PHY", "SEX", "EMO", "MUL"})
RNE = frozenset({"S", "L", "P", "T", "B", "U"})
LEGAL_STATUS = frozenset({"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V1", "V2", "V3", "V4"})
SHORT_BREAK_LEGAL_STATUS = frozenset({"V3", "V4"})
PLACEMENT = frozenset(
    {
        "A1", "A2", "A3", "A4", "A5", "A6",
        "F1", "F2", "F3", "F4", "F5", "F6",
        "H1", "H2", "H3", "H4", "H5",
        "K1", "K2", "M1", "M2", "M3",
        "P1", "P2", "P3", "P4", "P5",
        "R1", "R2", "R3", "R4", "R5",
        "S1", "S2",
        "T0", "T1", "T2", "T3", "T4",
        "U1", "U2", "U3", "U4", "U5", "U6",
        "Z1",
    }
)  # fmt: skip
TEMPORARY_PLACEMENT = frozenset({"T0", "T1", "T2", "T3", "T4"})
PLACE_PROVIDER = frozenset({"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"})
REASON_EPISODE_CEASED = frozenset(
    {
        "E1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3",
        "E4", "E4A", "E4B", "E41", "E45", "E46", "E47", "E48", "E5", "E6",
        "E7", "E8", "E9", "X1", "X2", "X3", "X4",
    }
)  # fmt: skip
REASON_PLACE_CHANGE = frozenset(
    {"CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"}
)
PLAN_TYPE = frozenset({"CARE_PLAN", "PATHWAY_PLAN", "CP_PLAN", "CIN_PLAN"})
REVIEW_CODE = frozenset({f"PN{i}" for i in range(8)})
IN_TOUCH = frozenset({"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"})
ACTIVITY = frozenset({"F1", "P1", "F2", "P2", "F3", "P3", "G4", "G5", "G6", "0"})
EET_ACTIVITY = frozenset({"F1", "P1", "F2", "P2", "F3", "P3"})
ACCOMMODATION_PATTERN = r"^(0|[A-Z][12])$"
VISIT_TYPE = frozenset({"LAC", "CP"})
FEEDBACK_QUESTION = frozenset({"SAFE", "HOME_HAPPY", "KNOW_WHO", "LISTENED", "RESPECT"})
FEEDBACK_ANSWER = frozenset({"YES", "SOMETIMES", "NO"})
FLAG = frozenset({"Y", "N"})


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name_en: str
    name_cy: str
    population_2009: int
    children_2009: int


@cache
def local_authorities() -> tuple[LocalAuthority, ...]:
    """The 22 Welsh local authorities, in ONS code order."""
    text = resources.files("diogel.data").joinpath("local_authorities.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        LocalAuthority(
            code=r["LA"],
            name_en=r["NAME_EN"],
            name_cy=r["NAME_CY"],
            population_2009=int(r["APPROX_POPULATION_2009"]),
            children_2009=int(r["APPROX_AGE_0_17_2009"]),
        )
        for r in rows
    )


def la_codes() -> frozenset[str]:
    return frozenset(la.code for la in local_authorities())


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

S, D, INT, N, F = ColumnType.STRING, ColumnType.DATE, ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.FLAG


def _la() -> Column:
    return Column("LA", S, "ONS code of the responsible local authority (W06000001 … W06000024).", required=True)


def _child(optional: bool = False) -> Column:
    return Column(
        "CHILD",
        S,
        "The child's identifier, unique within the LA." + (" Blank for an anonymous answer." if optional else ""),
        required=not optional,
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "children",
            "One row per child known to the LA. Every other table's (LA, CHILD) must exist here.",
            (
                _la(),
                _child(),
                Column("SEX", S, "1 male, 2 female, 9 not known.", codes=SEX),
                Column("DOB", D, "Date of birth."),
                Column("ETHNIC", S, "Ethnicity, SSDA903 code.", codes=ETHNIC),
                Column("UPN", S, "Unique pupil number (optional).", optional=True),
                Column("DISABILITY", F, "Y when the child is disabled.", codes=FLAG),
                Column("DOD", D, "Date of death (optional).", optional=True),
            ),
            unique=(("CHILD",),),
        ),
        Table(
            "referrals",
            "One row per referral; one not closed with NFA opens an episode of need lasting until CLOSURE_DATE.",
            (
                _la(),
                _child(),
                Column("REFERRAL_ID", S, "Identifier of the referral, unique within the LA.", required=True),
                Column("REFERRAL_DATE", D, "Date the referral was received."),
                Column("SOURCE", S, "Who made the referral.", codes=REFERRAL_SOURCE),
                Column("DECISION_DATE", D, "Date the decision on the referral was made."),
                Column("DECISION", S, "NFA, INFO, IA (initial assessment) or S47.", codes=REFERRAL_DECISION),
                Column("PRIMARY_NEED", S, "Category of need N1–N9.", codes=PRIMARY_NEED),
                Column("CLOSURE_DATE", D, "Date the episode of need closed."),
            ),
            unique=(("REFERRAL_ID",),),
            date_orders=(DateOrder("DECISION_DATE", "REFERRAL_DATE"), DateOrder("CLOSURE_DATE", "REFERRAL_DATE")),
        ),
        Table(
            "assessments",
            "Initial and core assessments.",
            (
                _la(),
                _child(),
                Column("ASSESSMENT_ID", S, "Identifier of the assessment, unique within the LA.", required=True),
                Column("REFERRAL_ID", S, "The referral (of the same child) that led to it.", required=True),
                Column("TYPE", S, "INITIAL or CORE.", codes=ASSESSMENT_TYPE),
                Column("START_DATE", D, "Date the assessment started."),
                Column("COMPLETED_DATE", D, "Date the assessment was completed."),
                Column("SEEN", F, "Y when the child was seen during the assessment.", codes=FLAG),
                Column("SEEN_ALONE", F, "Y when the child was seen alone.", codes=FLAG),
            ),
            unique=(("ASSESSMENT_ID",),),
            date_orders=(DateOrder("COMPLETED_DATE", "START_DATE"),),
            references=(Reference("REFERRAL_ID", "referrals", "REFERRAL_ID", same_child=True),),
        ),
        Table(
            "cp_conferences",
            "Child protection conferences, one row per child (siblings share a CONFERENCE_ID).",
            (
                _la(),
                _child(),
                Column("CONFERENCE_ID", S, "Identifier of the conference.", required=True),
                Column("TYPE", S, "INITIAL or TRANSFER_IN.", codes=CONFERENCE_TYPE),
                Column("STRATEGY_DATE", D, "Date of the strategy discussion that started the enquiry."),
                Column("CONFERENCE_DATE", D, "Date the conference was held."),
                Column("OUTCOME", S, "REGISTER or NOT_REGISTER.", codes=CONFERENCE_OUTCOME),
            ),
            unique=(("CONFERENCE_ID", "CHILD"),),
            date_orders=(DateOrder("CONFERENCE_DATE", "STRATEGY_DATE"),),
        ),
        Table(
            "conference_agencies",
            "One row per agency invited to a conference.",
            (
                _la(),
                Column("CONFERENCE_ID", S, "The conference.", required=True),
                Column("AGENCY", S, "The agency invited.", codes=AGENCY),
                Column("ATTENDED", F, "Y when the agency attended.", codes=FLAG),
                Column("REPORT_PROVIDED", F, "Y when the agency provided a report.", codes=FLAG),
            ),
            references=(Reference("CONFERENCE_ID", "cp_conferences", "CONFERENCE_ID"),),
            has_child=False,
        ),
        Table(
            "cp_registrations",
            "Periods on the child protection register.",
            (
                _la(),
                _child(),
                Column("REGISTRATION_ID", S, "Identifier of the registration, unique within the LA.", required=True),
                Column("START_DATE", D, "Date of registration."),
                Column("CATEGORY", S, "NEG, PHY, SEX, EMO or MUL.", codes=CP_CATEGORY),
                Column("FIRST_CORE_GROUP", D, "Date of the first core group meeting."),
                Column("END_DATE", D, "Date of de-registration; blank while registered."),
            ),
            unique=(("REGISTRATION_ID",),),
            date_orders=(DateOrder("END_DATE", "START_DATE"), DateOrder("FIRST_CORE_GROUP", "START_DATE")),
        ),
        Table(
            "cp_reviews",
            "Child protection review conferences.",
            (
                _la(),
                _child(),
                Column("REGISTRATION_ID", S, "The registration reviewed.", required=True),
                Column("REVIEW_DATE", D, "Date of the review conference."),
            ),
            references=(Reference("REGISTRATION_ID", "cp_registrations", "REGISTRATION_ID"),),
        ),
        Table(
            "episodes",
            "SSDA903 episodes of being looked after, dates in ISO form.",
            (
                _la(),
                _child(),
                Column("DECOM", D, "Date the episode began."),
                Column("RNE", S, "Reason for new episode: S, L, P, T, B or U.", codes=RNE),
                Column("LS", S, "Legal status, SSDA903 code.", codes=LEGAL_STATUS),
                Column("CIN", S, "Category of need N1–N9.", codes=PRIMARY_NEED),
                Column("PLACE", S, "Placement type, SSDA903 code.", codes=PLACEMENT),
                Column("PLACE_PROVIDER", S, "Placement provider PR0–PR5.", codes=PLACE_PROVIDER),
                Column("DEC", D, "Date the episode ceased; blank while open."),
                Column(
                    "REC",
                    S,
                    "Reason the episode ceased; X1 when a new episode begins the same day.",
                    codes=REASON_EPISODE_CEASED,
                ),
                Column("REASON_PLACE_CHANGE", S, "Reason for a change of placement.", codes=REASON_PLACE_CHANGE),
                Column("HOME_POST", S, "Partial postcode of the child's home."),
                Column("PL_POST", S, "Partial postcode of the placement."),
                Column("URN", S, "Ofsted/CSSIW unique reference number of the placement."),
            ),
            date_orders=(DateOrder("DEC", "DECOM"),),
        ),
        Table(
            "care_plans",
            "Care plans, pathway plans, child protection and child in need plans.",
            (
                _la(),
                _child(),
                Column("PLAN_ID", S, "Identifier of the plan, unique within the LA.", required=True),
                Column("PLAN_TYPE", S, "CARE_PLAN, PATHWAY_PLAN, CP_PLAN or CIN_PLAN.", codes=PLAN_TYPE),
                Column("START_DATE", D, "Date the plan was put in place."),
                Column("END_DATE", D, "Date the plan ended."),
            ),
            unique=(("PLAN_ID",),),
            date_orders=(DateOrder("END_DATE", "START_DATE"),),
        ),
        Table(
            "lac_reviews",
            "SSDA903 reviews of looked-after children.",
            (
                _la(),
                _child(),
                Column("REVIEW_DATE", D, "Date of the review."),
                Column("REVIEW_CODE", S, "The child's participation, PN0 (under 4) … PN7.", codes=REVIEW_CODE),
            ),
        ),
        Table(
            "school_changes",
            "Changes of school.",
            (
                _la(),
                _child(),
                Column("CHANGE_DATE", D, "Date of the change of school."),
                Column("TRANSITIONAL", F, "Y for a normal transition (e.g. primary to secondary).", codes=FLAG),
            ),
        ),
        Table(
            "education_outcomes",
            "One row per looked-after child in their final year of compulsory schooling.",
            (
                _la(),
                _child(),
                Column("ACADEMIC_YEAR", INT, "2008 means 2008/09."),
                Column("POINTS", N, "External qualifications point score."),
                Column("NO_QUALIFICATION", F, "Y when the child left with no qualification.", codes=FLAG),
            ),
        ),
        Table(
            "care_leavers",
            "SSDA903 OC3: the care leaver's situation at their 19th birthday.",
            (
                _la(),
                _child(),
                Column("BIRTHDAY_19", D, "The young person's 19th birthday."),
                Column("IN_TOUCH", S, "YES, NO, DIED, REFU, NREQ or RHOM.", codes=IN_TOUCH),
                Column("ACTIV", S, "Main activity: F1 P1 F2 P2 F3 P3 (EET), G4 G5 G6, or 0.", codes=ACTIVITY),
                Column(
                    "ACCOM",
                    S,
                    "Accommodation: SSDA903 letter + 1 suitable / 2 unsuitable, or 0.",
                    pattern=ACCOMMODATION_PATTERN,
                ),
            ),
        ),
        Table(
            "social_worker_episodes",
            "Periods during which a social worker was allocated to the child (SSDA903 SWEpisodes).",
            (
                _la(),
                _child(),
                Column("SW_ID", S, "The social worker's identifier.", required=True),
                Column("SW_DECOM", D, "Date the allocation began."),
                Column("SW_DEC", D, "Date the allocation ended."),
            ),
            date_orders=(DateOrder("SW_DEC", "SW_DECOM"),),
        ),
        Table(
            "visits",
            "Statutory visits to looked-after children and visits to registered children.",
            (
                _la(),
                _child(),
                Column("VISIT_DATE", D, "Date of the visit."),
                Column("TYPE", S, "LAC or CP.", codes=VISIT_TYPE),
                Column("SEEN_ALONE", F, "Y when the child was seen alone.", codes=FLAG),
            ),
        ),
        Table(
            "feedback",
            "A child's or young person's answers to the well-being questions.",
            (
                _la(),
                _child(optional=True),
                Column("RESPONSE_DATE", D, "Date of the answer."),
                Column("QUESTION", S, "SAFE, HOME_HAPPY, KNOW_WHO, LISTENED or RESPECT.", codes=FEEDBACK_QUESTION),
                Column("ANSWER", S, "YES, SOMETIMES or NO.", codes=FEEDBACK_ANSWER),
            ),
            child_optional=True,
        ),
        Table(
            "population",
            "Mid-year estimate of children aged 0-17.",
            (
                _la(),
                Column("YEAR", INT, "The financial year Y (mid-year estimate for Y).", required=True),
                Column("AGE_0_17", INT, "Children aged 0-17."),
            ),
            unique=(("YEAR",),),
            has_child=False,
        ),
    )
}

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
