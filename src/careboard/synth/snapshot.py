"""Annual returns cut from the one simulated history.

Each collection year's SSDA903 holds every child looked after at any time in the year (their
episodes that overlap the year, with DEC/REC blank when the episode runs past 31 March), plus the
care leavers whose 17th-21st birthday falls in the year.  Codes are written as that year's code
lists spell them (SEX 1/2 until 2024, M/F from 2025; ACTIV F3/P3 until 2021), read from the spec.

Tables are returned as ``{table: {column: object array of str}}`` in the spec's column order, rows
ordered by child then date, every cell text ('' for blank).
"""

from __future__ import annotations

import numpy as np

from careboard.authorities import all_authorities
from careboard.returns.spec import ssda903
from careboard.years import year_end, year_start

from . import params as P
from .dates import NA, add_years, age_years, day, fmt
from .lives import OPEN, Lives, stream
from .ragged import choice

Table = dict[str, np.ndarray]
_ADOPTED = ("E11", "E12")
_NOT_CARE_LEAVER = ("E2", "E3", "E11", "E12", "E41", "E45", "E46", "E47", "E48", "E4A", "E4B")


def _sex_codes(year: int) -> tuple[str, str]:
    codes = ssda903().codes("SEX", year)
    return ("1", "2") if "1" in codes else ("M", "F")


def _order(child: np.ndarray, *dates: np.ndarray) -> np.ndarray:
    keys = (*tuple(reversed(dates)), child)
    return np.lexsort(keys)


def _cols(table: str, year: int, data: dict[str, np.ndarray]) -> Table:
    cols = ssda903().tables[table].column_names
    n = len(next(iter(data.values()))) if data else 0
    return {c: data.get(c, np.full(n, "", dtype=object)) for c in cols}


# Codes withdrawn from the PLACE list and what an open episode is reported as afterwards.  DfE's
# way (validation rule 503D, 2025 and 2026 packs): the episode keeps its start date and is reported
# with the new code in the new year's return (H5 -> K3 from 2024-25; Z1 -> Z11-Z14 from 2025-26).
RECODE = {"H5": ("K3",), "P2": ("K3",), "Z1": ("Z11", "Z12", "Z13", "Z14")}


def recode_place(place: np.ndarray, carer: np.ndarray, year: int) -> np.ndarray:
    """PLACE codes as reported in ``year``: withdrawn codes of open episodes become their successors.

    The successor is fixed per placement (by its carer), so consecutive episodes and later returns agree.
    """
    valid = set(ssda903().codes("PLACE", year))
    out = place.copy()
    for old, new in RECODE.items():
        if old in valid:
            continue
        hit = out == old
        if hit.any():
            choices = np.array([c for c in new if c in valid] or list(new), dtype=object)
            out[hit] = choices[carer[hit] % len(choices)]
    return out


def in_year_mask(start: np.ndarray, end: np.ndarray, year: int) -> np.ndarray:
    """Rows (episodes, missing spells, social-worker spells) that overlap collection year ``year``."""
    ys, ye = day(year_start(year)), day(year_end(year))
    return (start <= ye) & (end >= ys)


def year_tables(lv: Lives, year: int) -> dict[str, Table]:
    """Every 903 table of collection year ``year`` (only the tables the spec has for that year)."""
    spec = ssda903()
    ys, ye = day(year_start(year)), day(year_end(year))
    c = lv.children
    ids = c["id"]
    dob = c["dob"]
    male, female = _sex_codes(year)
    rng = stream(lv.seed, "episodes", year)
    out: dict[str, Table] = {}

    # episodes
    ep = lv.episodes
    m = in_year_mask(ep["start"], ep["end"], year)
    idx = np.flatnonzero(m)
    idx = idx[_order(ep["child"][idx], ep["start"][idx])]
    child = ep["child"][idx]
    end = ep["end"][idx]
    open_ = end > ye
    home = ep["home"][idx]
    plp = ep["pl"][idx]
    out["Episodes"] = _cols("Episodes", year, {
        "CHILD": ids[child], "DECOM": fmt(ep["start"][idx]), "RNE": ep["rne"][idx], "LS": ep["ls"][idx],
        "CIN": ep["cin"][idx], "PLACE": recode_place(ep["place"][idx], ep["carer"][idx], year),
        "PLACE_PROVIDER": ep["provider"][idx],
        "DEC": np.where(open_, "", fmt(np.where(open_, NA, end))),
        "REC": np.where(open_, "", ep["rec"][idx]), "REASON_PLACE_CHANGE": np.where(open_, "", ep["rpc"][idx]),
        "HOME_POST": lv.geo.table.text(home), "PL_POST": lv.geo.table.text(plp), "URN": ep["urn"][idx],
    })
    looked_after = np.zeros(len(ids), dtype=bool)
    looked_after[child] = True
    last_dec = np.full(len(ids), NA, dtype=np.int64)
    np.maximum.at(last_dec, child, np.where(open_, ye, end))
    at_31_march = np.zeros(len(ids), dtype=bool)
    at_31_march[child[open_]] = True

    # care leavers (OC3)
    oc3 = _care_leavers(lv, year, looked_after)
    oc3_child = oc3.pop("_child")
    in_oc3 = np.zeros(len(ids), dtype=bool)
    in_oc3[oc3_child] = True

    # header: children looked after in the year and the care leavers
    who = np.flatnonzero(looked_after | in_oc3)
    sex = np.where(c["sex"][who] == 1, male, female)
    age_end = age_years(dob[who], ye)
    upn = np.where(age_end < 5, "UN1", c["upn"][who])
    u16 = c["uasc"][who] & (age_years(dob[who], c["first_entry"][who]) >= 16)
    upn = np.where(u16, "UN2", upn)
    girl = (c["sex"][who] == 2) & looked_after[who]
    mc = c["mc_dob"][who]
    is_mother = girl & (mc != NA) & (mc <= np.minimum(last_dec[who], ye))
    mother = np.where(girl, np.where(is_mother, "1", "0"), "")
    out["Header"] = _cols("Header", year, {
        "CHILD": ids[who], "SEX": sex, "DOB": fmt(dob[who]), "ETHNIC": c["ethnic"][who], "UPN": upn,
        "MOTHER": mother, "MC_DOB": np.where(is_mother, fmt(np.where(is_mother, mc, NA)), ""),
    })

    # reviews
    rv = lv.reviews
    ridx = np.flatnonzero((rv["date"] >= ys) & (rv["date"] <= ye))
    out["Reviews"] = _cols("Reviews", year, {
        "CHILD": ids[rv["child"][ridx]], "DOB": fmt(dob[rv["child"][ridx]]), "REVIEW": fmt(rv["date"][ridx]),
        "REVIEW_CODE": rv["code"][ridx],
    })

    # UASC: every unaccompanied child looked after in the year
    uw = np.flatnonzero(looked_after & c["uasc"])
    out["UASC"] = _cols("UASC", year, {
        "CHILD": ids[uw], "SEX": np.where(c["sex"][uw] == 1, male, female), "DOB": fmt(dob[uw]),
        "DUC": fmt(add_years(dob[uw], 18)),
    })

    # OC2: looked after continuously for 12 months at 31 March: a period of care covering the whole
    # year, from 1 April (or before) to 31 March (or after), as the validation's cohort reads it
    per = lv.periods
    cla12 = np.zeros(len(ids), dtype=bool)
    cla12[per["child"][(per["start"] <= ys) & (per["end"] >= ye)]] = True
    out["OC2"] = _outcomes(lv, year, np.flatnonzero(cla12))

    out["OC3"] = oc3

    # adoption
    ad = lv.adoption
    aidx = np.flatnonzero((ad["adopted"] != NA) & (ad["adopted"] >= ys) & (ad["adopted"] <= ye))
    out["AD1"] = _cols("AD1", year, {
        "CHILD": ids[ad["child"][aidx]], "DOB": fmt(dob[ad["child"][aidx]]), "DATE_INT": fmt(ad["decision"][aidx]),
        "DATE_MATCH": fmt(ad["match"][aidx]), "FOSTER_CARE": ad["foster_care"][aidx].astype(str).astype(object),
        "NB_ADOPTR": ad["nb"][aidx].astype(str).astype(object), "SEX_ADOPTR": ad["sex"][aidx],
        "LS_ADOPTR": ad["ls"][aidx],
    })
    ceased = ad["ceased"]
    pidx = np.flatnonzero((ad["decision"] <= ye) & ((ceased == NA) | (ceased >= ys)) & looked_after[ad["child"]])
    c_in = (ceased[pidx] != NA) & (ceased[pidx] <= ye)
    out["PlacedAdoption"] = _cols("PlacedAdoption", year, {
        "CHILD": ids[ad["child"][pidx]], "DOB": fmt(dob[ad["child"][pidx]]), "DATE_PLACED": fmt(ad["decision"][pidx]),
        "DATE_PLACED_CEASED": np.where(c_in, fmt(np.where(c_in, ceased[pidx], NA)), ""),
        "REASON_PLACED_CEASED": np.where(c_in, ad["reason"][pidx], ""),
    })

    # previous permanence: children who started a period of care in the year (latest start)
    started = np.flatnonzero((per["start"] >= ys) & (per["start"] <= ye))
    if len(started):
        keep = np.ones(len(started), dtype=bool)
        keep[:-1] = per["child"][started[1:]] != per["child"][started[:-1]]
        started = started[keep]
    out["PrevPerm"] = _prev_perm(lv, year, started)

    # missing
    ms = lv.missing
    midx = np.flatnonzero(in_year_mask(ms["start"], ms["end"], year))
    m_open = ms["end"][midx] > ye
    out["Missing"] = _cols("Missing", year, {
        "CHILD": ids[ms["child"][midx]], "DOB": fmt(dob[ms["child"][midx]]), "MISSING": ms["type"][midx],
        "MIS_START": fmt(ms["start"][midx]),
        "MIS_END": np.where(m_open, "", fmt(np.where(m_open, NA, ms["end"][midx]))),
    })

    if "SWEpisodes" in spec.tables_for(year):
        sw = lv.sw
        sidx = np.flatnonzero(in_year_mask(sw["start"], sw["end"], year) & looked_after[sw["child"]])
        s_open = sw["end"][sidx] > ye
        out["SWEpisodes"] = _cols("SWEpisodes", year, {
            "CHILD": ids[sw["child"][sidx]], "DOB": fmt(dob[sw["child"][sidx]]), "SW_ID": sw["id"][sidx],
            "SW_DECOM": fmt(sw["start"][sidx]),
            "SW_DEC": np.where(s_open, "", fmt(np.where(s_open, NA, sw["end"][sidx]))),
            "SW_REASON": sw["reason"][sidx],
        })
    del rng
    return {name: out[name] for name in spec.tables_for(year) if name in out}


def _outcomes(lv: Lives, year: int, who: np.ndarray) -> Table:
    """OC2 for children looked after for 12 months at 31 March, following the DfE age rules."""
    rng = stream(lv.seed, "episodes", year, 2)
    ys, ye = day(year_start(year)), day(year_end(year))
    n = len(who)
    dob = lv.children["dob"][who]
    age_start = age_years(dob, ys)
    age_end = age_years(dob, ye)

    def flag(p: float | np.ndarray) -> np.ndarray:
        return np.where(rng.random(n) < p, "1", "0").astype(object)

    sdq_band = (age_start >= 4) & (age_end <= 16)
    boundary = ~sdq_band & (age_end >= 4) & (age_start < 17)
    got = rng.random(n) < P.SDQ_RECEIVED
    # SDQ total 0-40: a gamma-shaped spread around the England mean (42% 'cause for concern' 17+)
    score = np.clip(np.round(rng.gamma(4.2, P.SDQ_MEAN / 4.2, n)), 0, 40).astype(int)
    sdq_score = np.where((sdq_band | boundary) & got, score.astype(str), "").astype(object)
    reason = choice(rng, P.SDQ_NO_SCORE_REASON, n)
    sdq_reason = np.where(sdq_band & ~got, reason, np.where(boundary & ~got, "SDQ1", "")).astype(object)
    misuse = (age_end >= 10) & (rng.random(n) < P.SUBSTANCE_MISUSE * 2.2)
    received = misuse & (rng.random(n) < P.INTERVENTION_RECEIVED)
    offered = misuse & ~received & (rng.random(n) < 0.1)
    return _cols("OC2", year, {
        "CHILD": lv.children["id"][who], "DOB": fmt(dob), "SDQ_SCORE": sdq_score, "SDQ_REASON": sdq_reason,
        "CONVICTED": np.where(age_end >= 10, flag(P.CONVICTED * (age_end >= 10)), ""),
        "HEALTH_CHECK": np.where(age_end < 5, flag(P.DEVELOPMENT_CHECK), ""),
        "IMMUNISATIONS": flag(P.IMMUNISATIONS), "TEETH_CHECK": flag(np.where(age_end < 2, 0.55, P.TEETH_CHECK + 0.01)),
        "HEALTH_ASSESSMENT": flag(P.HEALTH_ASSESSMENT),
        "SUBSTANCE_MISUSE": np.where(misuse, "1", "0").astype(object),
        "INTERVENTION_RECEIVED": np.where(misuse, np.where(received, "1", "0"), "").astype(object),
        "INTERVENTION_OFFERED": np.where(misuse & ~received, np.where(offered, "1", "0"), "").astype(object),
    })


def care_leaver_cohort(lv: Lives, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(child index, age at birthday) of care leavers whose 17th-21st birthday falls in ``year``."""
    ys, ye = day(year_start(year)), day(year_end(year))
    c = lv.children
    per = lv.periods
    n = len(c["id"])
    dob = c["dob"]
    # time in care after the 14th birthday, and any time after the 16th
    pc = per["child"]
    b14 = add_years(dob[pc], 14)
    b16 = add_years(dob[pc], 16)
    end = np.minimum(per["end"], add_years(dob[pc], 18)).astype(np.int64)
    after14 = np.maximum(0, end - np.maximum(per["start"], b14))
    t14 = np.zeros(n)
    np.add.at(t14, pc, after14)
    any16 = np.zeros(n, dtype=bool)
    any16[pc[end > b16]] = True
    last = np.ones(len(pc), dtype=bool)
    last[:-1] = pc[1:] != pc[:-1]
    last_end = np.full(n, NA, dtype=np.int64)
    last_end[pc[last]] = per["end"][last]
    last_rec = np.full(n, "", dtype=object)
    last_rec[pc[last]] = per["rec"][last]
    eligible = (t14 >= 91) & any16 & (last_end != NA) & (last_end != OPEN) & ~np.isin(last_rec, _NOT_CARE_LEAVER)
    out_c: list[np.ndarray] = []
    out_a: list[np.ndarray] = []
    for k in range(17, 22):
        b = add_years(dob, k)
        sel = eligible & (b >= ys) & (b <= ye) & (last_end <= b)
        out_c.append(np.flatnonzero(sel))
        out_a.append(np.full(int(sel.sum()), k))
    ch = np.concatenate(out_c)
    ag = np.concatenate(out_a)
    o = np.argsort(ch, kind="stable")
    return ch[o], ag[o]


def _care_leavers(lv: Lives, year: int, looked_after: np.ndarray) -> dict[str, np.ndarray]:
    """OC3: in touch, activity and accommodation around the 17th-21st birthday."""
    rng = stream(lv.seed, "episodes", year, 3)
    child, age = care_leaver_cohort(lv, year)
    n = len(child)
    in_touch = choice(rng, P.IN_TOUCH, n)
    young = age <= 18
    activ = np.where(young, choice(rng, P.ACTIV_17_18, n), choice(rng, P.ACTIV_19_21, n))
    valid = ssda903().codes("ACTIV", year)
    if "F4" not in valid:  # before 2022: training or employment F3/P3, no apprenticeship codes
        activ = np.where(np.isin(activ, ["F4", "F5"]), "F3", np.where(np.isin(activ, ["P4", "P5"]), "P3", activ))
    accom = np.where(young, choice(rng, P.ACCOM_17_18, n), choice(rng, P.ACCOM_19_21, n))
    per = lv.periods
    last = np.ones(len(per["child"]), dtype=bool)
    last[:-1] = per["child"][1:] != per["child"][:-1]
    last_rec = np.full(len(lv.children["id"]), "", dtype=object)
    last_rec[per["child"][last]] = per["rec"][last]
    stay = last_rec[child] == "E17"
    sp = np.where(age == 18, 1.0, np.where(age <= 20, P.STAYING_PUT_19_20 / 0.58, 0.15))
    staying_put = stay & (age >= 18) & (rng.random(n) < sp)
    accom = np.where(staying_put, "Z1", accom)
    known = in_touch == "YES"
    activ = np.where(known, activ, "0")
    accom = np.where(known, accom, "0")
    dob = lv.children["dob"][child]
    return {
        **_cols("OC3", year, {"CHILD": lv.children["id"][child], "DOB": fmt(dob), "IN_TOUCH": in_touch,
                              "ACTIV": activ, "ACCOM": accom}),
        "_child": child,
    }


def _prev_perm(lv: Lives, year: int, periods: np.ndarray) -> Table:
    rng = stream(lv.seed, "prevperm", year)
    per = lv.periods
    n = len(periods)
    child = per["child"][periods]
    pp = per["prev_perm"][periods]
    has = np.isin(pp, ["P1", "P2", "P3"])
    codes = np.array(sorted(all_authorities()), dtype=object)
    la_perm = np.where(rng.random(n) < 0.6, lv.la_code, codes[rng.integers(0, len(codes), n)])
    prev_end = per["prev_end"][periods]
    start = per["start"][periods]
    dob = lv.children["dob"][child]
    guess = start - rng.integers(365, 6 * 365, n)
    guess = np.maximum(guess, dob + 30)
    when = np.where(prev_end != NA, prev_end, guess)
    when = np.minimum(when, start - 1)
    text = fmt(when)
    partial = (prev_end == NA) & (rng.random(n) < 0.3)
    text = np.where(partial, np.array(["zz" + t[2:] if t else "" for t in text.tolist()], dtype=object), text)
    ok_date = has & (when > dob)
    return _cols("PrevPerm", year, {
        "CHILD": lv.children["id"][child], "DOB": fmt(dob), "PREV_PERM": pp,
        "LA_PERM": np.where(has, la_perm, ""), "DATE_PERM": np.where(ok_date, text, ""),
    })
