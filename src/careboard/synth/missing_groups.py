"""Missing episodes in detail, and planted groups of linked children, for the missing-children themes.

``enrich`` gives every simulated missing episode what ``missing_detail.csv`` records beyond the 903
(docs/extracts.md): start and end times (evenings most often), where the child was found as a postcode
(at the placement when carers or staff found them, at home when family or friends did, any postcode
within 20 miles of the placement, equally likely, when the police did; not recorded when they came
back by themselves), the day a return home interview was offered, and exploitation concerns (a few of the
children who go missing, on most of their episodes).

``plant`` adds realistic linked groups (careboard/oversight/missing_links.sql should find each, and
nothing else):

* ``together``: three or four children living in the same children's home who go missing together
  (the same day or the next) four to six times over some weeks and are found, by the police, at one
  place away from home and placement, with a criminal-exploitation concern recorded;
* ``found_at``: three children in different placements, each found four times at the same place away
  from their homes and placements on different days, with a sexual-exploitation concern recorded.

Each planted group is written to ``missing_groups_manifest.csv``.  The 903 Missing table carries the
planted episodes too (they are episodes like any other), without overlapping the children's own.
Streams: ``missingdetail`` and ``linked`` (new), so the rest of the simulation draws as before.
"""

from __future__ import annotations

import numpy as np

from .dates import NA, fmt
from .model import Lives, stream
from .postcodes import BANDS

FIELDS = ("start_min", "end_min", "found_pc", "rhi_day", "cse", "cce", "trafficking")
EVENING = (0.05, 0.04, 0.03, 0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.03, 0.03, 0.03,  # 00-11
           0.04, 0.04, 0.05, 0.06, 0.06, 0.06, 0.07, 0.07, 0.07, 0.06, 0.05, 0.05)  # 12-23 (assumed)
MANIFEST_COLUMNS = ("GROUP", "PATTERN", "CHILD", "URN", "PL_POST", "FOUND_POSTCODE", "FIRST_DATE", "LAST_DATE",
                    "OCCASIONS")


def _placement_at(lv: Lives, child: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Index of the episode each child was in on each day (-1 when none)."""
    ep = lv.episodes
    key = ep["child"].astype(np.int64) * 10**9 + ep["start"]
    order = np.argsort(key, kind="stable")
    want = child.astype(np.int64) * 10**9 + days
    pos = np.searchsorted(key[order], want, side="right") - 1
    ok = pos >= 0
    idx = np.where(ok, order[np.clip(pos, 0, None)], -1)
    good = ok & (ep["child"][np.clip(idx, 0, None)] == child) & (ep["end"][np.clip(idx, 0, None)] >= days)
    return np.where(good, idx, -1)


def _times(rng: np.random.Generator, n: int) -> np.ndarray:
    hours = rng.choice(24, size=n, p=np.array(EVENING) / sum(EVENING))
    return hours * 60 + rng.integers(0, 60, n)


def _near_band(lv: Lives, places: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each place, inside or outside the authority within 20 miles, in proportion to the postcodes
    of each there, so that a place drawn near it is any postcode within 20 miles, equally likely."""
    geo = lv.geo
    band = np.empty(len(places), dtype=np.int64)
    uniq, inv = np.unique(places, return_inverse=True)
    share = np.empty(len(uniq))
    for i, pc in enumerate(uniq.tolist()):  # one pass over the cells per distinct place (hundreds)
        near = np.hypot(geo.cell_e - geo.table.east[pc], geo.cell_n - geo.table.north[pc]) <= 20 * 1609.3
        inside = geo.cell_count[near & geo.cell_inside].sum()
        share[i] = inside / max(geo.cell_count[near].sum(), 1)
    band[:] = np.where(rng.random(len(places)) < share[inv], BANDS.index("IN_NEAR"), BANDS.index("OUT_NEAR"))
    return band


def enrich(lv: Lives) -> None:
    """Add the extract's detail to every missing episode in ``lv.missing`` (fields ``FIELDS``)."""
    rng = stream(lv.seed, "missingdetail")
    ms = lv.missing
    n = len(ms["child"])
    start_min = _times(rng, n)
    same_day = ms["end"] == ms["start"]
    later = np.minimum(start_min + rng.integers(30, 12 * 60, n), 23 * 60 + 59)
    end_min = np.where(same_day, later, rng.integers(0, 24 * 60, n))
    at = _placement_at(lv, ms["child"], ms["start"])
    ep = lv.episodes
    placement_pc = np.where(at >= 0, ep["pl"][np.clip(at, 0, None)], -1)
    home_pc = np.where(at >= 0, ep["home"][np.clip(at, 0, None)], -1)
    found_pc = np.full(n, -1, dtype=np.int64)
    found_pc = np.where(ms["found"] == "carer_or_staff", placement_pc, found_pc)
    found_pc = np.where(ms["found"] == "family_or_friends", home_pc, found_pc)
    police = np.flatnonzero((ms["found"] == "police") & (placement_pc >= 0))
    if len(police):
        found_pc[police] = lv.geo.near(placement_pc[police], _near_band(lv, placement_pc[police], rng), rng)
    delay = np.where(rng.random(n) < 0.8, rng.integers(0, 4, n), rng.integers(4, 10, n))
    rhi_day = np.where(ms["rhi_offered"], ms["end"] + delay, NA)
    # exploitation concerns: some children who go missing, recorded on most of their episodes
    kids = np.unique(ms["child"])
    concern = rng.random(len(kids))
    cse_kid = np.zeros(len(lv.children["id"]), dtype=bool)
    cce_kid = np.zeros(len(lv.children["id"]), dtype=bool)
    cse_kid[kids[concern < 0.06]] = True
    cce_kid[kids[(concern >= 0.06) & (concern < 0.12)]] = True
    on_episode = rng.random(n) < 0.7
    ms.update({
        "start_min": start_min, "end_min": end_min, "found_pc": found_pc, "rhi_day": rhi_day,
        "cse": cse_kid[ms["child"]] & on_episode, "cce": cce_kid[ms["child"]] & on_episode,
        "trafficking": lv.children["uasc"][ms["child"]] & on_episode & (rng.random(n) < 0.3),
    })


def _candidates(lv: Lives, first_day: int, min_age: float) -> dict[str, np.ndarray]:
    """Placement episodes within the span of children old enough, with at least 60 days to run in
    the collection year they are in on the day they start (a group's episodes fall in one year, so
    a year's analysis sees the whole group)."""
    ep = lv.episodes
    start = np.maximum(ep["start"], first_day)
    months = start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    ends_in = (months // 12) + (months % 12 >= 3)  # the collection year, as years since 1970
    april_after = (ends_in * 12 + 3).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    end = np.minimum(np.minimum(ep["end"], lv.horizon), april_after - 1) - 3
    age = (start - lv.children["dob"][ep["child"]]) / 365.25
    ok = (end - start >= 60) & (age >= min_age) & (ep["pl"] >= 0) & ~lv.children["uasc"][ep["child"]]
    idx = np.flatnonzero(ok)
    return {"idx": idx, "start": start[idx], "end": end[idx]}


def _hotspot(lv: Lives, near_pc: int, avoid: set[int], rng: np.random.Generator) -> int:
    """A postcode within 20 miles of ``near_pc`` in a sector none of ``avoid`` is in."""
    text = lv.geo.table.text
    avoid_sectors = {s[:-2] for s in text(np.array(sorted(avoid))).tolist() if s}
    for _ in range(50):
        pc = int(lv.geo.near(np.array([near_pc]), np.array([BANDS.index("IN_NEAR")]), rng)[0])
        if pc >= 0 and text(np.array([pc]))[0][:-2] not in avoid_sectors:
            return pc
    return -1


def plant(lv: Lives, groups: int) -> list[dict[str, str]]:
    """Plant ``groups`` linked groups (alternating together / found_at); the manifest rows."""
    if groups <= 0:
        return []
    rng = stream(lv.seed, "linked")
    span_start = lv.horizon - 365 * (lv.last_year - lv.first_year + 1) + 1
    last_year = lv.horizon - 364  # the first group falls in the latest year, which a demo shows first
    used: set[int] = set()
    added: list[dict[str, np.ndarray]] = []
    manifest: list[dict[str, str]] = []
    makers = {"together": _together, "found_at": _found_at}
    for g in range(groups):
        first = ("together", "found_at")[g % 2]
        got = pattern = None
        for pattern in (first, *(p for p in makers if p != first)):  # the other pattern when one cannot be planted
            got = makers[pattern](lv, rng, last_year if g == 0 else span_start, used)
            if got is not None:
                break
        if got is None:
            continue
        episodes, rows = got
        name = f"P{len(added) + 1:02d}"
        for r in rows:
            r["GROUP"] = name
            r["PATTERN"] = pattern
        manifest += rows
        added.append(episodes)
    if added:
        _merge(lv, added)
    return manifest


def _together(lv: Lives, rng: np.random.Generator, first_day: int, used: set[int]):
    ep = lv.episodes
    cand = _candidates(lv, first_day, 12.0)
    resi = np.isin(ep["place"][cand["idx"]], ["K2", "K1"])
    homes = np.unique(ep["urn"][cand["idx"][resi]])
    for urn in rng.permutation(homes).tolist():
        sel = np.flatnonzero(resi & (ep["urn"][cand["idx"]] == urn))
        sel = sel[~np.isin(ep["child"][cand["idx"][sel]], list(used))]
        if len(sel) < 3:
            continue
        order = sel[np.argsort(-(cand["end"][sel] - cand["start"][sel]), kind="stable")]
        anchor = order[0]
        lo, hi = cand["start"][anchor], cand["end"][anchor]
        members = [anchor]
        for other in order[1:]:
            a, b = max(lo, cand["start"][other]), min(hi, cand["end"][other])
            child = ep["child"][cand["idx"][other]]
            if b - a >= 45 and child not in {ep["child"][cand["idx"][m]] for m in members} \
                    and ep["pl"][cand["idx"][other]] == ep["pl"][cand["idx"][anchor]]:
                members.append(other)
                lo, hi = a, b
            if len(members) == 4:
                break
        if len(members) < 3:
            continue
        home_pc = int(ep["pl"][cand["idx"][anchor]])
        avoid = {home_pc} | {int(ep["home"][cand["idx"][m]]) for m in members if ep["home"][cand["idx"][m]] >= 0}
        spot = _hotspot(lv, home_pc, avoid, rng)
        if spot < 0:
            continue
        k = int(rng.integers(4, 7))
        slots = np.arange(0, hi - lo - 3, 4)
        if len(slots) < k:
            continue
        days = np.sort(lo + rng.choice(slots, size=k, replace=False))
        return _episodes(lv, rng, [cand["idx"][m] for m in members], days, spot, "cce", used, together=True)
    return None


def _found_at(lv: Lives, rng: np.random.Generator, first_day: int, used: set[int]):
    ep = lv.episodes
    cand = _candidates(lv, first_day, 13.0)
    free = ~np.isin(ep["child"][cand["idx"]], list(used))
    pool = np.flatnonzero(free & (cand["end"] - cand["start"] >= 120))
    for anchor in rng.permutation(pool).tolist():
        lo, hi = cand["start"][anchor], cand["end"][anchor]
        members = [anchor]
        settings = {int(ep["pl"][cand["idx"][anchor]])}
        for other in rng.permutation(pool).tolist():
            a, b = max(lo, cand["start"][other]), min(hi, cand["end"][other])
            pl = int(ep["pl"][cand["idx"][other]])
            child = ep["child"][cand["idx"][other]]
            near = np.hypot(lv.geo.table.east[pl] - lv.geo.table.east[next(iter(settings))],
                            lv.geo.table.north[pl] - lv.geo.table.north[next(iter(settings))]) < 15 * 1609.3
            if b - a >= 100 and pl not in settings and near and \
                    child not in {ep["child"][cand["idx"][m]] for m in members}:
                members.append(other)
                settings.add(pl)
                lo, hi = a, b
            if len(members) == 3:
                break
        if len(members) < 3:
            continue
        avoid = settings | {int(ep["home"][cand["idx"][m]]) for m in members if ep["home"][cand["idx"][m]] >= 0}
        spot = _hotspot(lv, int(ep["pl"][cand["idx"][anchor]]), avoid, rng)
        if spot < 0:
            continue
        slots = np.arange(0, hi - lo - 3, 3)
        if len(slots) < 12:
            continue
        days = np.sort(lo + rng.choice(slots, size=12, replace=False))
        return _episodes(lv, rng, [cand["idx"][m] for m in members], days, spot, "cse", used, together=False)
    return None


def _episodes(lv: Lives, rng: np.random.Generator, members: list[int], days: np.ndarray, spot: int, concern: str,
              used: set[int], together: bool):
    """The planted episodes of one group and its manifest rows; the children are marked used."""
    ep = lv.episodes
    child, start, end, period, pl = [], [], [], [], []
    for j, e in enumerate(members):
        mine = days if together else days[j::len(members)][:4]
        offset = np.zeros(len(mine), dtype=np.int64) if j == 0 or not together else rng.integers(0, 2, len(mine))
        s = mine + offset
        length = rng.integers(0, 3, len(mine))
        child.append(np.full(len(mine), ep["child"][e]))
        start.append(s)
        end.append(np.minimum(s + length, ep["end"][e] - 3))
        period.append(np.full(len(mine), ep["period"][e]))
        pl.append(np.full(len(mine), ep["pl"][e]))
        used.add(int(ep["child"][e]))
    c = np.concatenate(child)
    n = len(c)
    planted = {
        "child": c, "period": np.concatenate(period), "type": np.full(n, "M", dtype=object),
        "start": np.concatenate(start), "end": np.concatenate(end), "found": np.full(n, "police", dtype=object),
        "rhi_offered": np.ones(n, dtype=bool), "rhi_accepted": rng.random(n) < 0.4,
        "start_min": (19 * 60 + rng.integers(0, 180, n)), "end_min": rng.integers(0, 24 * 60, n),
        "found_pc": np.full(n, spot, dtype=np.int64),
        "rhi_day": np.concatenate(end) + rng.integers(0, 3, n),
        "cse": np.full(n, concern == "cse"), "cce": np.full(n, concern == "cce"),
        "trafficking": np.zeros(n, dtype=bool),
    }
    planted["end_min"] = np.where(planted["end"] == planted["start"],
                                  np.minimum(planted["start_min"] + 120, 23 * 60 + 59), planted["end_min"])
    text = lv.geo.table.text
    rows = []
    for e in members:
        mine = planted["child"] == ep["child"][e]
        rows.append({
            "CHILD": lv.children["id"][ep["child"][e]], "URN": ep["urn"][e],
            "PL_POST": text(np.array([ep["pl"][e]]))[0], "FOUND_POSTCODE": text(np.array([spot]))[0],
            "FIRST_DATE": fmt(planted["start"][mine].min(keepdims=True))[0],
            "LAST_DATE": fmt(planted["start"][mine].max(keepdims=True))[0], "OCCASIONS": str(int(mine.sum())),
        })
    return planted, rows


def _merge(lv: Lives, added: list[dict[str, np.ndarray]]) -> None:
    """Add the planted episodes, dropping the children's own episodes that would overlap them."""
    ms = lv.missing
    new = {k: np.concatenate([a[k] for a in added]) for k in added[0]}
    clash = np.zeros(len(ms["child"]), dtype=bool)
    for c, s, e in zip(new["child"].tolist(), new["start"].tolist(), new["end"].tolist(), strict=True):
        clash |= (ms["child"] == c) & (ms["start"] <= e + 1) & (ms["end"] >= s - 1)
    keep = ~clash
    merged = {k: np.concatenate([ms[k][keep], new[k].astype(ms[k].dtype)]) for k in ms}
    order = np.lexsort((merged["start"], merged["child"]))
    lv.missing = {k: v[order] for k, v in merged.items()}
