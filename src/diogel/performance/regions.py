"""The regional safeguarding children boards of Wales as they stood from 2013, and their LAs.

``Membership.region`` of a board member holds a region's key (``NORTH_WALES``)
or its English name ("North Wales"); :func:`region_for_label` accepts either,
case and spacing ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Region:
    key: str
    slug: str
    name_en: str
    name_cy: str
    las: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.name_cy if (get_language() or "en").startswith("cy") else self.name_en


REGIONS: tuple[Region, ...] = (
    Region(
        "NORTH_WALES", "north-wales", "North Wales", "Gogledd Cymru",
        ("W06000001", "W06000002", "W06000003", "W06000004", "W06000005", "W06000006"),
    ),
    Region(
        "MID_WEST_WALES", "mid-and-west-wales", "Mid and West Wales", "Canolbarth a Gorllewin Cymru",
        ("W06000008", "W06000009", "W06000010", "W06000023"),
    ),
    Region("WESTERN_BAY", "western-bay", "Western Bay", "Bae'r Gorllewin", ("W06000011", "W06000012", "W06000013")),
    Region("CWM_TAF", "cwm-taf", "Cwm Taf", "Cwm Taf", ("W06000016", "W06000024")),
    Region("CARDIFF_VALE", "cardiff-and-vale", "Cardiff and Vale", "Caerdydd a'r Fro", ("W06000014", "W06000015")),
    Region("GWENT", "gwent", "Gwent", "Gwent", ("W06000018", "W06000019", "W06000020", "W06000021", "W06000022")),
)  # fmt: skip

BY_SLUG: dict[str, Region] = {r.slug: r for r in REGIONS}
REGION_OF_LA: dict[str, Region] = {la: r for r in REGIONS for la in r.las}


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def region_for_label(label: str) -> Region | None:
    """The region named by a membership's ``region`` text (key, slug or English name), or None."""
    wanted = _norm(label)
    for r in REGIONS:
        if wanted in {_norm(r.key), _norm(r.slug), _norm(r.name_en)}:
            return r
    return None
