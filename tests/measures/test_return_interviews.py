"""Return home interviews from the local missing-episode extract, loaded like a return."""

from pathlib import Path

from builders_core import child, ep

from builders import write_table
from careboard.measures.compute import compute_all
from careboard.returns.reader import read_returns
from careboard.store.load import load_returns
from fresh_db import fresh_database

EXTRACT = """CHILD,MISSING,MIS_START,MIS_END,PLACE,RHI_OFFERED,RHI_ACCEPTED,WHERE_FOUND
A,M,01/05/2025,02/05/2025,U4,1,1,police
A,M,01/06/2025,01/06/2025,U4,1,0,returned_self
B,M,01/07/2025,03/07/2025,K2,0,0,carer_or_staff
B,A,01/08/2025,01/08/2025,K2,0,0,returned_self
B,M,01/02/2025,02/02/2025,K2,1,1,police
"""


def test_interviews_offered_and_accepted_for_missing_incidents_in_the_year(tmp_path: Path):
    returns = tmp_path / "886" / "2025-26"
    returns.mkdir(parents=True)
    write_table(returns, "Header", [child("A", "01/01/2010"), child("B", "01/01/2009")])
    write_table(returns, "Episodes", [ep("A", "01/01/2024"), ep("B", "01/01/2024")])
    extracts = tmp_path / "886" / "extracts-2025-26"
    extracts.mkdir()
    (extracts / "missing_detail.csv").write_text(EXTRACT)
    rets = read_returns([returns, extracts])
    assert sorted(r.kind for r in rets) == ["extract", "ssda903"]  # recognised by its header row
    con = fresh_database()
    load_returns(con, rets)
    compute_all(con, only=["return_interviews_offered", "return_interviews_accepted"])
    got = dict(
        con.execute(
            "SELECT measure, [numerator, denominator, value] FROM measure_values "
            "WHERE year = 2026 AND breakdown = 'all'"
        ).fetchall()
    )
    # 2025-26 missing (not away) incidents: A 01/05 (offered, accepted), A 01/06 (offered, refused),
    # B 01/07 (not offered). B's 01/08 is 'away'; B's February incident is in 2024-25.
    assert got["return_interviews_offered"] == [2, 3, 66.7]
    assert got["return_interviews_accepted"] == [1, 2, 50.0]
