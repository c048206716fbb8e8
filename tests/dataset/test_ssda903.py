"""The SSDA903 converter: small hand-made 903 files, and the peer files of shared/peer-data."""

from __future__ import annotations

from pathlib import Path

import pytest

from diogel.dataset.io import read_raw
from diogel.dataset.ssda903 import from_ssda903
from diogel.dataset.validate import validate
from diogel.errors import UserError

LA = "W06000015"
PEER = Path(__file__).resolve().parents[3] / "shared" / "peer-data" / "ssda903"


def write_903(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    # A BOM, stray spaces and DD/MM/YYYY dates, as LA systems export them.
    (directory / "header.csv").write_bytes(
        "\ufeffCHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n 101 ,1,29/02/2000,WBRI,,,\r\n102,2,31/02/2001,WBRI,,,\r\n".encode()
    )
    (directory / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "101,01/04/2015,S,C2,N1,U1,PR1,,,,,,\n"
    )
    (directory / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\n101,29/02/2000,15/05/2015,PN1\n")
    (directory / "oc3.csv").write_text("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n101,29/02/2000,YES,F1,B1\n")
    (directory / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\n")
    return directory


def test_conversion(tmp_path: Path) -> None:
    report = from_ssda903(write_903(tmp_path / "903"), LA, tmp_path / "csd")
    children = (tmp_path / "csd" / "children.csv").read_text()
    # ' 101 ' is trimmed; 29/02/2000 → 2000-02-29; 31/02/2001 is not a date and is carried over unchanged.
    assert children == (
        f"LA,CHILD,SEX,DOB,ETHNIC,UPN,DISABILITY,DOD\n{LA},101,1,2000-02-29,WBRI,,,\n{LA},102,2,31/02/2001,WBRI,,,\n"
    )
    # 29 February 2000 + 19 years = 28 February 2019 (months clamp to the end of the month).
    assert (tmp_path / "csd" / "care_leavers.csv").read_text().splitlines()[1] == f"{LA},101,2019-02-28,YES,F1,B1"
    assert (tmp_path / "csd" / "lac_reviews.csv").read_text().splitlines()[1] == f"{LA},101,2015-05-15,PN1"
    assert report.rows == {"children": 2, "episodes": 1, "lac_reviews": 1, "care_leavers": 1}
    assert report.not_converted == ["uasc.csv"]
    assert report.absent == ["sw_episodes.csv"]
    assert report.dropped_columns["header.csv"] == ["MOTHER", "MC_DOB"]
    assert report.dates_carried == {"header.csv DOB": 1}
    # Dates converted: header DOB 1, episodes DECOM 1, reviews DOB + REVIEW 2, oc3 DOB 1 = 5.
    assert report.dates_converted == 5
    assert report.trimmed == 1
    # The validator then reports the carried-over date, and nothing else is an error.
    errors = [f for f in validate(read_raw(tmp_path / "csd")) if f.severity == "error"]
    assert [(f.file, f.row, f.column, f.rule) for f in errors] == [("children.csv", 3, "DOB", "CSD-V002")]


def test_unknown_la_is_refused_with_the_list(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="W06000001, W06000002"):
        from_ssda903(write_903(tmp_path / "903"), "W06000007", tmp_path / "csd")


@pytest.mark.skipif(not PEER.is_dir(), reason="shared/peer-data/ssda903 is not next to the repository")
def test_peer_files(tmp_path: Path) -> None:
    from_ssda903(PEER, LA, tmp_path / "csd")
    found = {(f.file, f.row, f.column, f.rule) for f in validate(read_raw(tmp_path / "csd"))}
    # oc3.csv rows 2 and 47: ACCOM '01' and '02' (a digit where the SSDA903 letter should be).
    assert ("care_leavers.csv", 2, "ACCOM", "CSD-V001") in found
    assert ("care_leavers.csv", 47, "ACCOM", "CSD-V001") in found
    # sw_episodes.csv row 2: child 'CHILD10' is not in header.csv.
    assert ("social_worker_episodes.csv", 2, "CHILD", "CSD-R001") in found
    # episodes.csv rows 4126/4127: child 478261's episode ends 21/09/2017 with REC E16 and the next starts that day.
    assert ("episodes.csv", 4126, "REC", "CSD-E003") in found
    # episodes.csv rows 312/313: child 708102's V3 episode runs to 10/03/2018, the next starts 11/01/2018.
    assert ("episodes.csv", 313, "DECOM", "CSD-E001") in found
