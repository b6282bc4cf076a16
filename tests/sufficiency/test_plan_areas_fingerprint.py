"""Issue 18: a new locality lookup (areas.csv) for one authority works out again only that authority's
sufficiency plans, not every authority's.

The care-history model is rebuilt whenever any lookup changes (its local areas follow it), but each
authority's stored plans are fingerprinted with its own lookup only (``stored_plan.authority_fingerprints``).
"""

from __future__ import annotations

from pathlib import Path

from careboard.model.build import build, is_current
from careboard.returns.areas import AreaKey
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.store.local_areas import clear_lookup, save_lookup
from careboard.sufficiency.stored_plan import authority_fingerprints


def _lookup(con, la: str, area: str) -> None:
    save_lookup(con, la, [AreaKey(key="ME14", area=area, line=2)], Path("areas.csv"))


def test_one_authoritys_lookup_changes_only_its_own_plan_fingerprint(small_set: Path):
    con = connect(":memory:")
    load_returns(con, read_returns([small_set], "886", 2026))
    build(con)
    before = authority_fingerprints(con, 200, 50)
    assert set(before) == {"886"}

    _lookup(con, "358", "Old Trafford")  # another authority's localities
    assert not is_current(con)  # the model is rebuilt: its local areas follow every lookup
    build(con)
    assert authority_fingerprints(con, 200, 50) == before  # but Kent's plans stand

    _lookup(con, "886", "West Kent")  # Kent's own
    build(con)
    kent = authority_fingerprints(con, 200, 50)
    assert kent["886"] != before["886"]
    clear_lookup(con, "886")
    build(con)
    assert authority_fingerprints(con, 200, 50) == before  # back to what it was built from
    con.close()
