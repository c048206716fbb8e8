"""The state of one LA's simulation: its children, its rows, its identifiers.

Dates are day numbers (see :mod:`diogel.synth.workcal`); a row is a list in
the schema's column order without ``LA`` (added when frames are built).
``NEVER`` stands for "has not ended"; anything dated after the extract date is
censored when the frames are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diogel.dataset.schema import TABLE_ORDER
from diogel.synth.rand import Choice, Stream
from diogel.synth.workcal import Calendar, add_months, calendar, ymd

NEVER = 10**7
QUOTA_GAIN = 0.05  # share of the all-Wales shortfall made up at each quota draw

SEXES = Choice({"1": 51, "2": 48.7, "9": 0.3})
ETHNICITIES = Choice(
    {"WBRI": 88, "WOTH": 2.2, "WIRI": 0.3, "WROM": 0.3, "MWBC": 2.2, "MWBA": 0.6, "MWAS": 0.8, "MOTH": 1.2,
     "APKN": 0.6, "ABAN": 0.5, "AIND": 0.3, "AOTH": 0.4, "BAFR": 0.8, "BCRB": 0.3, "BOTH": 0.2, "CHNE": 0.2,
     "OOTH": 0.5, "REFU": 0.2, "NOBT": 0.4}
)  # fmt: skip


@dataclass
class Years:
    """The window of one run: requested years and the history generated before them."""

    first: int
    last: int
    care_from: int  # first financial year of simulated care (long history for a steady stock)
    referrals_from: int  # first financial year of referrals and child protection
    extract: int = field(init=False)  # day number of the extract: the last snapshot

    def __post_init__(self) -> None:
        self.extract = ymd(self.last + 1, 3, 31)

    @staticmethod
    def snapshot(y: int) -> int:
        return ymd(y + 1, 3, 31)

    @staticmethod
    def start(y: int) -> int:
        return ymd(y, 4, 1)


@dataclass
class LAState:
    """Everything generated so far for one LA."""

    la: str
    index: int
    s: Stream
    years: Years
    rates: dict[str, dict[int, float]]  # probability or volume by name and year
    cal: Calendar = field(default_factory=calendar)
    rows: dict[str, list[list[object]]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})
    dob: list[int] = field(default_factory=list)
    care_until: list[int] = field(default_factory=list)  # end of the child's latest period of care (-1 none)
    last_referral: list[int] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    # Shared by every LA of one run (see :meth:`quota`); the phase stream starts each key.
    quotas: dict[tuple[str, int], float] = field(default_factory=dict)
    phase: Stream | None = None

    def rate(self, name: str, year: int) -> float:
        table = self.rates[name]
        return table[min(max(year, min(table)), max(table))]

    def quota(self, name: str, year: int, p: float) -> bool:
        """A yes/no with chance ``p``, spread systematically so each (name, year) hits its expected count.

        The running sum of ``p`` per key crosses an integer (shifted by a random
        phase) exactly when the answer is yes. The sums are shared by all the LAs
        of a run (generated one after another), so the all-Wales count of yeses
        is within one of the sum of the chances, and each LA's count (a
        contiguous stretch of the same sum) within one of its own: calibrated
        rates do not drift with sampling noise, even for small groups such as
        care leavers.
        """
        key = (name, year)
        acc = self.quotas.get(key)
        if acc is None:
            acc = (self.phase or self.s).u()
        wales = self.rates.get(name + "@wales")
        if wales is not None:
            # Feedback on the all-Wales target: the shortfall so far (target minus chances given,
            # over the LAs and units already drawn) nudges the next chances, so that
            # the LAs' differences (and a mechanism's dips) do not move the Wales total.
            short = self.quotas.get((name + "@short", year), 0.0)
            p = min(1.0, max(0.0, p + QUOTA_GAIN * short))
            self.quotas[(name + "@short", year)] = short + self.rate(name + "@wales", year) - p
        new = acc + p
        self.quotas[key] = new - int(acc)  # only the fractional part matters
        return int(new) > int(acc)

    def next_id(self, prefix: str, width: int = 7) -> str:
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}{n:0{width}d}"

    def new_child(self, dob: int, disabled: bool = False) -> int:
        """Add a child born on ``dob``; returns its index (its CHILD is ``C`` + index)."""
        s = self.s
        i = len(self.dob)
        upn = f"A{self.index:03d}{i:09d}" if s.chance(0.75) else None
        self.rows["children"].append(
            [
                child_id(i),
                SEXES.draw(s),
                dob,
                ETHNICITIES.draw(s),
                upn,
                "Y" if disabled or s.chance(0.06) else "N",
                None,
            ]
        )
        self.dob.append(dob)
        self.care_until.append(-1)
        self.last_referral.append(-NEVER)
        return i

    def birthday(self, child: int, age: int) -> int:
        return add_months(self.dob[child], 12 * age)

    def age(self, child: int, d: int) -> float:
        return (d - self.dob[child]) / 365.25


def child_id(i: int) -> str:
    return f"C{i:06d}"
