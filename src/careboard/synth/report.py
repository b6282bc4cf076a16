"""Generated figures against published England figures: is the synthetic authority believable?

Each measure is computed from the annual return tables as an analyst would compute it (children
looked after on 31 March = an episode open at the end of the year; starters = an S episode in the
year, ...), so the comparison checks what is written, not the simulation's internals.  The England
figures and their sources are in ``TARGETS``; ``tolerance`` is the band (in percentage points) that
the tests hold the generated value to at a size where noise is small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from careboard.years import year_end, year_start

from .dates import age_years, day
from .lives import Lives
from .postcodes import miles


@dataclass(frozen=True)
class Target:
    label: str
    england: float
    tolerance: float
    source: str


TARGETS: dict[str, Target] = {
    "entry_age_under1": Target("Starters aged under 1 (%)", 16, 4, "CLA24 starters by age 2024"),
    "entry_age_1_4": Target("Starters aged 1-4 (%)", 15, 4, "CLA24"),
    "entry_age_5_9": Target("Starters aged 5-9 (%)", 15, 4, "CLA24"),
    "entry_age_10_15": Target("Starters aged 10-15 (%)", 26, 5, "CLA24"),
    "entry_age_16_plus": Target("Starters aged 16+ (%)", 29, 5, "CLA24"),
    "stock_age_under1": Target("Looked after at 31 March aged under 1 (%)", 4, 3, "CLA24 at 31 March by age"),
    "stock_age_1_4": Target("Looked after at 31 March aged 1-4 (%)", 13, 4, "CLA24"),
    "stock_age_5_9": Target("Looked after at 31 March aged 5-9 (%)", 18, 4, "CLA24"),
    "stock_age_10_15": Target("Looked after at 31 March aged 10-15 (%)", 38, 5, "CLA24"),
    "stock_age_16_plus": Target("Looked after at 31 March aged 16+ (%)", 27, 5, "CLA24"),
    "male": Target("Looked after at 31 March: male (%)", 57, 3, "CLA24 at 31 March by gender"),
    "ethnic_white": Target("Ethnicity: White (%)", 71, 4, "CLA24 at 31 March by ethnicity"),
    "ethnic_mixed": Target("Ethnicity: Mixed (%)", 11, 3, "CLA24"),
    "ethnic_black": Target("Ethnicity: Black (%)", 7, 3, "CLA24"),
    "ethnic_asian": Target("Ethnicity: Asian (%)", 5, 3, "CLA24"),
    "ls_care_order": Target("Legal status: care order (%)", 75, 6, "CLA24 at 31 March by legal status"),
    "ls_s20": Target("Legal status: section 20 (%)", 19, 6, "CLA24"),
    "ls_placement_order": Target("Legal status: placement order (%)", 6, 3, "CLA24"),
    "pl_foster": Target("Placement: foster (%)", 67, 6, "CLA24 at 31 March by placement"),
    "pl_kin": Target("Placement: foster with relatives or friends (%)", 16, 5, "CLA24"),
    "pl_resi": Target("Placement: secure and children's homes (%)", 10, 4, "CLA24"),
    "pl_supported": Target("Placement: independent/supported living (%)", 7, 4, "CLA24"),
    "pl_parents": Target("Placement: placed with parents (%)", 6, 3, "CLA24"),
    "pl_adoption": Target("Placement: placed for adoption (%)", 2, 2, "CLA24"),
    "pl_other": Target("Placement: other (%)", 5, 3, "CLA24"),
    "uasc": Target("UASC at 31 March (%)", 8, 3, "LAIT 2025 (6,540 of 81,770)"),
    "stability_3plus": Target("3+ placements in the year (%)", 10, 3, "CLA25 placement stability 2025"),
    "stability_long_term": Target("Long-term stability, under 16s (%)", 69, 8, "CLA25 placement stability 2025"),
    "distance_over_20": Target("Placed over 20 miles from home (%)", 22, 6,
                               "CLA24 placement distance at 31 March 2024 (9% not known)"),
    "missing": Target("Looked after in the year who went missing (%)", 11, 3, "CLA24 missing official statistics"),
    "missing_per_child": Target("Missing incidents per child who went missing", 6.5, 2.0, "CLA24"),
    "away": Target("Away without authorisation (%)", 2, 1.5, "CLA24"),
    "health_assessment": Target("Annual health assessment (%)", 90, 3, "CLA25 OC2 outcomes 2025"),
    "immunisations": Target("Immunisations up to date (%)", 84, 3, "CLA25"),
    "teeth": Target("Teeth checked by a dentist (%)", 81, 3, "CLA25"),
    "sdq_received": Target("SDQ received, ages 5-16 (%)", 78, 4, "CLA25"),
    "leavers_eet_17_18": Target("Care leavers 17-18 in EET (%)", 64, 6, "CLA25 care leavers activity 2025"),
    "leavers_eet_19_21": Target("Care leavers 19-21 in EET (%)", 54, 6, "CLA25"),
    "leavers_suitable_19_21": Target("Care leavers 19-21 suitably accommodated (%)", 89, 5, "CLA25"),
    "reviews_on_time": Target("Children with every review in the year on time (%)", 90, 6,
                              "local scorecards (Harrow 2022: 90%); no England figure"),
    "sw_3plus": Target("3+ social workers in the year (%)", 27, 6, "CLA25 la_cla_swcount 2024"),
    "starts_per_stock": Target("Starters per child looked after at 31 March", 0.39, 0.08,
                               "CLA25 2025: 32,270 / 81,770"),
    "adopted_of_ceased": Target("Ceased: adopted (%)", 9, 4, "CLA24 ceased by reason 2024"),
    "sgo_of_ceased": Target("Ceased: special guardianship (%)", 11, 4, "CLA24"),
    "home_of_ceased": Target("Ceased: returned home (E4A/E4B) (%)", 20, 6, "CLA24"),
    "age18_of_ceased": Target("Ceased: aged 18 routes (E17/E5/E6/E7/E15) (%)", 34, 7, "CLA24"),
}


def _pct(num: float, den: float) -> float:
    return float(100.0 * num / den) if den else float("nan")


def measures(lv: Lives, tables: dict[str, dict[str, np.ndarray]], year: int) -> dict[str, float]:
    """The report's measures for one collection year, from that year's tables."""
    ys, ye = day(year_start(year)), day(year_end(year))
    from .dates import NA  # noqa: F401 - documented sentinel

    ep = tables["Episodes"]
    hd = tables["Header"]
    child = ep["CHILD"]
    dec_blank = ep["DEC"] == ""
    cla = np.unique(child[dec_blank])
    n_cla = len(cla)
    ids = lv.children["id"]
    index = {c: i for i, c in enumerate(ids.tolist())}
    cla_idx = np.array([index[c] for c in cla.tolist()], dtype=np.int64)
    out: dict[str, float] = {}

    # starters by age
    s = ep["RNE"] == "S"
    s_decom = _days(ep["DECOM"][s])
    s_child = child[s]
    first = np.unique(s_child, return_index=True)[1]
    s_idx = np.array([index[c] for c in s_child[first].tolist()], dtype=np.int64)
    ages = age_years(lv.children["dob"][s_idx], s_decom[first])
    n_s = len(ages)
    for key, lo, hi in (("entry_age_under1", 0, 1), ("entry_age_1_4", 1, 5), ("entry_age_5_9", 5, 10),
                        ("entry_age_10_15", 10, 16), ("entry_age_16_plus", 16, 99)):
        out[key] = _pct(((ages >= lo) & (ages < hi)).sum(), n_s)
    stock_age = age_years(lv.children["dob"][cla_idx], ye)
    for key, lo, hi in (("stock_age_under1", 0, 1), ("stock_age_1_4", 1, 5), ("stock_age_5_9", 5, 10),
                        ("stock_age_10_15", 10, 16), ("stock_age_16_plus", 16, 99)):
        out[key] = _pct(((stock_age >= lo) & (stock_age < hi)).sum(), n_cla)
    out["starts_per_stock"] = n_s / n_cla if n_cla else float("nan")

    # sex, ethnicity of the 31 March stock
    hd_index = {c: i for i, c in enumerate(hd["CHILD"].tolist())}
    h_rows = np.array([hd_index[c] for c in cla.tolist()], dtype=np.int64)
    sex = hd["SEX"][h_rows]
    out["male"] = _pct(np.isin(sex, ["1", "M"]).sum(), n_cla)
    eth = hd["ETHNIC"][h_rows].astype(str)
    first_letter = np.array([e[:1] for e in eth.tolist()])
    out["ethnic_white"] = _pct((first_letter == "W").sum(), n_cla)
    out["ethnic_mixed"] = _pct((first_letter == "M").sum(), n_cla)
    out["ethnic_black"] = _pct((first_letter == "B").sum(), n_cla)
    out["ethnic_asian"] = _pct((first_letter == "A").sum() + (eth == "CHNE").sum(), n_cla)

    # legal status and placement at 31 March (the open episode)
    ls = ep["LS"][dec_blank]
    place = ep["PLACE"][dec_blank]
    out["ls_care_order"] = _pct(np.isin(ls, ["C1", "C2"]).sum(), n_cla)
    out["ls_s20"] = _pct((ls == "V2").sum(), n_cla)
    out["ls_placement_order"] = _pct(np.isin(ls, ["E1", "D1"]).sum(), n_cla)
    out["pl_foster"] = _pct(np.char.startswith(place.astype(str), "U").sum(), n_cla)
    out["pl_kin"] = _pct(np.isin(place, ["U1", "U2", "U3"]).sum(), n_cla)
    out["pl_resi"] = _pct(np.isin(place, ["K1", "K2"]).sum(), n_cla)
    out["pl_supported"] = _pct(np.isin(place, ["H5", "P2", "K3"]).sum(), n_cla)
    out["pl_parents"] = _pct((place == "P1").sum(), n_cla)
    out["pl_adoption"] = _pct(np.isin(place, ["A3", "A4", "A5", "A6"]).sum(), n_cla)
    out["pl_other"] = _pct(np.isin(place, ["Z1", "Z11", "Z12", "Z13", "Z14", "T0", "T1", "T2", "T3", "T4"]).sum(),
                           n_cla)
    ua = set(tables["UASC"]["CHILD"].tolist())
    out["uasc"] = _pct(sum(1 for c in cla.tolist() if c in ua), n_cla)

    # 3+ placements in the year, as careboard reads the DfE definition: the placement open on 1 April plus
    # each new placement (RNE S, P or B); a temporary placement (T0-T4) and the return to the same placement
    # (same type, postcode and URN as before the stay) are not placement changes.
    out["stability_3plus"] = _pct(sum(1 for c in cla.tolist() if placements_in_year(ep).get(c, 0) >= 3), n_cla)

    # long-term stability: under 16, in care 2.5+ years, same carer 2+ years (from the simulation's
    # carer spells: the 903 alone cannot see carers before the first return)
    out["stability_long_term"] = _long_term(lv, year, cla_idx)

    # distance over 20 miles (all children at 31 March; unknown distance counts in the denominator)
    epi = lv.episodes
    open_rows = (epi["start"] <= ye) & (epi["end"] > ye)
    d = miles(lv.geo.table, epi["home"][open_rows], epi["pl"][open_rows])
    out["distance_over_20"] = _pct((d > 20).sum(), open_rows.sum())

    # missing
    ms = tables["Missing"]
    in_year = len(np.unique(child))
    miss = ms["MISSING"] == "M"
    out["missing"] = _pct(len(np.unique(ms["CHILD"][miss])), in_year)
    out["away"] = _pct(len(np.unique(ms["CHILD"][~miss])), in_year)
    m_start = _days(ms["MIS_START"][miss])
    n_inc = (m_start >= ys).sum()
    out["missing_per_child"] = n_inc / max(1, len(np.unique(ms["CHILD"][miss][m_start >= ys])))

    # health (OC2)
    oc2 = tables["OC2"]
    n2 = len(oc2["CHILD"])
    out["health_assessment"] = _pct((oc2["HEALTH_ASSESSMENT"] == "1").sum(), n2)
    out["immunisations"] = _pct((oc2["IMMUNISATIONS"] == "1").sum(), n2)
    out["teeth"] = _pct((oc2["TEETH_CHECK"] == "1").sum(), n2)
    oc2_idx = np.array([index[c] for c in oc2["CHILD"].tolist()], dtype=np.int64)
    a_end = age_years(lv.children["dob"][oc2_idx], ye) if n2 else np.zeros(0, dtype=np.int32)
    band = (a_end >= 5) & (a_end <= 16)
    out["sdq_received"] = _pct((oc2["SDQ_SCORE"][band] != "").sum(), band.sum())

    # care leavers (OC3)
    oc3 = tables["OC3"]
    o_idx = np.array([index[c] for c in oc3["CHILD"].tolist()], dtype=np.int64)
    o_age = age_years(lv.children["dob"][o_idx], ye) if len(o_idx) else np.zeros(0, dtype=np.int32)
    eet = np.array([a[:1] in ("F", "P") for a in oc3["ACTIV"].tolist()], dtype=bool)
    young = o_age <= 18
    out["leavers_eet_17_18"] = _pct((eet & young).sum(), young.sum())
    out["leavers_eet_19_21"] = _pct((eet & ~young).sum(), (~young).sum())
    accom = oc3["ACCOM"].astype(str)
    suitable = np.array([a.endswith("1") for a in accom.tolist()])
    known_den = ~np.array([a[:1] in ("G", "H", "R") for a in accom.tolist()])
    out["leavers_suitable_19_21"] = _pct((suitable & ~young).sum(), (known_den & ~young).sum())

    # reviews on time: children looked after at 31 March whose reviews in the year were all in time
    rv = lv.reviews
    ry = (rv["date"] >= ys) & (rv["date"] <= ye)
    late = np.zeros(len(ids), dtype=bool)
    late[rv["child"][ry & (rv["date"] > rv["due"])]] = True
    had = np.zeros(len(ids), dtype=bool)
    had[rv["child"][ry]] = True
    denominator = had[cla_idx]
    out["reviews_on_time"] = _pct((denominator & ~late[cla_idx]).sum(), denominator.sum())

    # social workers
    if "SWEpisodes" in tables:
        sw = tables["SWEpisodes"]
        n_sw: dict[str, set] = {}
        for c, w in zip(sw["CHILD"].tolist(), sw["SW_ID"].tolist(), strict=True):
            n_sw.setdefault(c, set()).add(w)
        # count spells, as DfE counts a return to an earlier worker as another worker
        spells: dict[str, int] = {}
        for c in sw["CHILD"].tolist():
            spells[c] = spells.get(c, 0) + 1
        out["sw_3plus"] = _pct(sum(1 for c in cla.tolist() if spells.get(c, 0) >= 3), n_cla)
    else:
        out["sw_3plus"] = float("nan")

    # reasons for ceasing (last exit in the year)
    ceased = (ep["REC"] != "") & (ep["REC"] != "X1")
    rec = ep["REC"][ceased]
    n_c = len(rec)
    out["adopted_of_ceased"] = _pct(np.isin(rec, ["E11", "E12"]).sum(), n_c)
    out["sgo_of_ceased"] = _pct(np.isin(rec, ["E45", "E46", "E47", "E48"]).sum(), n_c)
    out["home_of_ceased"] = _pct(np.isin(rec, ["E4A", "E4B"]).sum(), n_c)
    out["age18_of_ceased"] = _pct(np.isin(rec, ["E17", "E5", "E6", "E7", "E15"]).sum(), n_c)
    return out


_TEMPORARY = ("T0", "T1", "T2", "T3", "T4")


def placements_in_year(ep: dict[str, np.ndarray]) -> dict[str, int]:
    """Placements each child had in the year, from one return's Episodes (every row overlaps the year)."""
    order = np.lexsort((_days(ep["DECOM"]), ep["CHILD"])).tolist()
    counts: dict[str, int] = {}
    last_child, normal, prev_temporary = None, None, False
    for i in order:
        c, place = ep["CHILD"][i], ep["PLACE"][i]
        temporary = place in _TEMPORARY
        key = (place, ep["PL_POST"][i], ep["URN"][i])
        if c != last_child:
            counts[c] = 1  # the placement open on 1 April, or the first one in the year
        elif ep["RNE"][i] in ("S", "P", "B") and not temporary and not (prev_temporary and key == normal):
            counts[c] += 1
        if not temporary:
            normal = key
        last_child, prev_temporary = c, temporary
    return counts


def _days(text: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy -> day numbers."""
    if len(text) == 0:
        return np.zeros(0, dtype=np.int64)
    iso = np.array([f"{t[6:10]}-{t[3:5]}-{t[0:2]}" for t in text.tolist()], dtype="datetime64[D]")
    return iso.astype(np.int64)


def _long_term(lv: Lives, year: int, cla_idx: np.ndarray) -> float:
    ye = day(year_end(year))
    from datetime import date

    from .dates import day as to_day

    per = lv.periods
    ep = lv.episodes
    sept = to_day(date(year - 3, 9, 30))  # period of care started by 30 September 2.5 years before
    carer_from = to_day(date(year - 2, 3, 31))
    open_per = (per["start"] <= sept) & (per["end"] > ye)
    eligible = np.zeros(len(lv.children["id"]), dtype=bool)
    eligible[per["child"][open_per]] = True
    eligible &= age_years(lv.children["dob"], ye) < 16
    elig = np.zeros(len(eligible), dtype=bool)
    elig[cla_idx] = eligible[cla_idx]
    # the carer spell open at 31 March: walk back over episodes with the same carer
    open_ep = np.flatnonzero((ep["start"] <= ye) & (ep["end"] > ye))
    stable = np.zeros(len(eligible), dtype=bool)
    carer = ep["carer"]
    pos = open_ep.copy()
    spell_start = ep["start"][pos].copy()
    for _ in range(200):
        prev = pos - 1
        ok = (prev >= 0) & (ep["period"][np.maximum(prev, 0)] == ep["period"][pos]) & \
             (carer[np.maximum(prev, 0)] == carer[pos])
        # temporary stays (T codes) do not break the spell: skip over them
        tmp = (prev >= 1) & np.isin(ep["place"][np.maximum(prev, 0)], ["T0", "T1", "T2", "T3", "T4"]) & \
              (carer[np.maximum(prev - 1, 0)] == carer[pos]) & \
              (ep["period"][np.maximum(prev - 1, 0)] == ep["period"][pos])
        step = np.where(tmp, prev - 1, prev)
        ok = ok | tmp
        if not ok.any():
            break
        spell_start = np.where(ok, ep["start"][np.maximum(step, 0)], spell_start)
        pos = np.where(ok, step, pos)
        carer_pos = pos
        del carer_pos
    stable[ep["child"][open_ep]] = spell_start <= carer_from
    return _pct((stable & elig).sum(), elig.sum())


def report_rows(lv: Lives, tables_by_year: dict[int, dict], years: list[int] | None = None) -> list[tuple]:
    """(label, generated, England, tolerance, within, source) rows averaged over ``years``."""
    years = years or sorted(tables_by_year)
    values: dict[str, list[float]] = {}
    for y in years:
        for k, v in measures(lv, tables_by_year[y], y).items():
            if not np.isnan(v):
                values.setdefault(k, []).append(v)
    rows = []
    for key, t in TARGETS.items():
        vals = values.get(key)
        gen = float(np.mean(vals)) if vals else float("nan")
        rows.append((t.label, gen, t.england, t.tolerance, abs(gen - t.england) <= t.tolerance, t.source, key))
    return rows


def print_report(lv: Lives, tables_by_year: dict[int, dict], console=None) -> None:
    """Print the generated-vs-England table with Rich."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    years = sorted(tables_by_year)
    rows = report_rows(lv, tables_by_year, years)
    table = Table(title=f"Synthetic authority {lv.la_code}: generated vs England "
                        f"(mean over {years[0]}-{years[-1]})")
    for col in ("Measure", "Generated", "England", "Tolerance", "OK", "Source"):
        table.add_column(col)
    for label, gen, eng, tol, ok, src, _ in rows:
        table.add_row(label, f"{gen:.1f}" if gen >= 1 else f"{gen:.2f}", f"{eng:g}", f"±{tol:g}",
                      "yes" if ok else "NO", src)
    console.print(table)
