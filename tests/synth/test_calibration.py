"""Calibration: a 3,000-child authority looks like England on the published measures.

The England figures below are typed in from the DfE releases (not taken from careboard), and the
generated figures are computed here from the return tables, independently of synth/report.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import numpy as np
import pytest

from careboard.synth.lives import simulate
from careboard.synth.postcodes import Geography, load_postcodes
from careboard.synth.snapshot import year_tables

YEAR = 2025  # 2024-25


@pytest.fixture(scope="module")
def tables() -> dict:
    geo = Geography(load_postcodes(), "E10000016")
    lv = simulate("886", "E10000016", geo, 3000, 2021, 2026, seed=7)
    return {y: year_tables(lv, y) for y in (2024, 2025, 2026)}


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def age(dob: str, on: date) -> int:
    b = d(dob)
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def pct(part: int, whole: int) -> float:
    return 100.0 * part / whole


def near(value: float, england: float, tol: float) -> None:
    assert abs(value - england) <= tol, f"{value:.1f} vs England {england} (±{tol})"



def test_size_is_about_the_stock(tables: dict) -> None:
    for y, t in tables.items():
        open_children = {c for c, dec in zip(t["Episodes"]["CHILD"], t["Episodes"]["DEC"], strict=True) if dec == ""}
        assert 2700 <= len(open_children) <= 3300, y


def test_age_at_entry_and_sex(tables: dict) -> None:
    t = tables[YEAR]
    ep, hd = t["Episodes"], t["Header"]
    dob = dict(zip(hd["CHILD"], hd["DOB"], strict=True))
    starts: dict[str, str] = {}
    for c, rne, decom in zip(ep["CHILD"], ep["RNE"], ep["DECOM"], strict=True):
        if rne == "S" and c not in starts:
            starts[c] = decom
    ages = [age(dob[c], d(s)) for c, s in starts.items()]
    n = len(ages)
    # CLA24 starters by age on starting, England 2024: 16 / 15 / 15 / 26 / 29
    near(pct(sum(a < 1 for a in ages), n), 16, 5)
    near(pct(sum(1 <= a < 5 for a in ages), n), 15, 5)
    near(pct(sum(5 <= a < 10 for a in ages), n), 15, 5)
    near(pct(sum(10 <= a < 16 for a in ages), n), 26, 6)
    near(pct(sum(a >= 16 for a in ages), n), 29, 6)
    open_children = {c for c, dec in zip(ep["CHILD"], ep["DEC"], strict=True) if dec == ""}
    sex = dict(zip(hd["CHILD"], hd["SEX"], strict=True))
    near(pct(sum(sex[c] in ("M", "1") for c in open_children), len(open_children)), 57, 4)  # CLA24 57% male


def test_legal_status_and_placements_at_31_march(tables: dict) -> None:
    ep = tables[YEAR]["Episodes"]
    rows = [(ls, pl) for ls, pl, dec in zip(ep["LS"], ep["PLACE"], ep["DEC"], strict=True) if dec == ""]
    n = len(rows)
    ls = Counter(r[0] for r in rows)
    pl = Counter(r[1] for r in rows)
    # CLA24 at 31 March 2024: care orders 75%, s20 19%, placement orders 6%
    near(pct(ls["C1"] + ls["C2"], n), 75, 7)
    near(pct(ls["V2"], n), 19, 7)
    near(pct(ls["E1"], n), 6, 4)
    # foster 67%, children's homes 10%, placed with parents 6%, placed for adoption 2%
    near(pct(sum(v for k, v in pl.items() if k.startswith("U")), n), 67, 7)
    near(pct(pl["K1"] + pl["K2"], n), 10, 4)
    near(pct(pl["P1"], n), 6, 3)
    near(pct(sum(v for k, v in pl.items() if k.startswith("A")), n), 2, 2)


def test_missing_uasc_health_and_leavers(tables: dict) -> None:
    t = tables[YEAR]
    in_year = set(t["Episodes"]["CHILD"])
    missing = {c for c, m in zip(t["Missing"]["CHILD"], t["Missing"]["MISSING"], strict=True) if m == "M"}
    near(pct(len(missing), len(in_year)), 11, 3)  # CLA24: 11% went missing
    open_children = {c for c, dec in zip(t["Episodes"]["CHILD"], t["Episodes"]["DEC"], strict=True) if dec == ""}
    uasc = set(t["UASC"]["CHILD"])
    near(pct(len(open_children & uasc), len(open_children)), 8, 3)  # LAIT 2025: 8%
    oc2 = t["OC2"]
    n2 = len(oc2["CHILD"])
    near(pct(sum(v == "1" for v in oc2["HEALTH_ASSESSMENT"]), n2), 90, 3)  # CLA25 90%
    near(pct(sum(v == "1" for v in oc2["IMMUNISATIONS"]), n2), 84, 3)  # 84%
    near(pct(sum(v == "1" for v in oc2["TEETH_CHECK"]), n2), 81, 3)  # 81%
    oc3 = t["OC3"]
    eet = [a[:1] in ("F", "P") for a in oc3["ACTIV"]]
    near(pct(sum(eet), len(eet)), 56, 7)  # CLA25: 64% (17-18) and 54% (19-21)


def test_stability_and_social_workers(tables: dict) -> None:
    t = tables[YEAR]
    ep = t["Episodes"]
    # Placements in the year as careboard reads the DfE definition (docs/measures.md): the one open on
    # 1 April, then each change of carer (RNE S, P, B); a temporary placement (T0-T4) and the return to
    # the placement the child was in before it are not changes.
    rows = sorted(zip(ep["CHILD"], ep["DECOM"], ep["RNE"], ep["PLACE"], ep["PL_POST"], ep["URN"], strict=True),
                  key=lambda r: (r[0], d(r[1])))
    count: Counter = Counter()
    before_stay: dict[str, tuple] = {}
    previous: dict[str, str] = {}
    for c, _decom, rne, place, post, urn in rows:
        temporary = place.startswith("T")
        back = previous.get(c, "").startswith("T") and before_stay.get(c) == (place, post, urn)
        if c not in previous or (rne in ("S", "P", "B") and not temporary and not back):
            count[c] += 1
        if not temporary:
            before_stay[c] = (place, post, urn)
        previous[c] = place
    open_children = {c for c, dec in zip(ep["CHILD"], ep["DEC"], strict=True) if dec == ""}
    near(pct(sum(count[c] >= 3 for c in open_children), len(open_children)), 10, 3)  # CLA25 10%
    sw = Counter(t["SWEpisodes"]["CHILD"])
    near(pct(sum(sw[c] >= 3 for c in open_children), len(open_children)), 27, 6)  # la_cla_swcount 2024: 27%


def test_reviews_follow_the_schedule(tables: dict) -> None:
    """Gaps between consecutive reviews: mostly within six months (a few late)."""
    rv = tables[YEAR]["Reviews"]
    by: dict[str, list[date]] = {}
    for c, r in zip(rv["CHILD"], rv["REVIEW"], strict=True):
        by.setdefault(c, []).append(d(r))
    gaps = np.array([(b - a).days for ds in by.values() for a, b in zip(sorted(ds), sorted(ds)[1:], strict=False)])
    assert len(gaps) > 500
    assert np.mean(gaps <= 184) > 0.9
    assert np.median(gaps) > 90
