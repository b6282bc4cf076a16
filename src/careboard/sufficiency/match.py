"""Match children to suitable places with an integer programme (SciPy ``milp``, the HiGHS solver).

A "unit" is a child, or a sibling group that should live together.  A unit fits a setting when the
setting is of the kind the child needs (foster care, a children's home, supported accommodation),
every member's age is within its age range, it has the skills the unit needs (sibling groups,
disability, parent and child, UASC), it has room for the whole unit, and it is within ``max_miles``
of the child's home (when both locations are known).  The programme places as many children as
possible, and among equally many prefers shorter distances; each unit is placed at most once and no
setting takes more children than it has places.

Why an optimiser and not a count: 1,900 places against 1,800 children looks sufficient, but a
household approved for one child under 5 cannot take a sibling group of teenagers.  The matched
number is the count of places that are usable for the children who actually need them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .capacity import SKILLS, Settings

KIND_OF_CATEGORY = {"In-house fostering": "fostering", "Agency fostering": "fostering",
                    "Children's homes": "childrens_home", "Supported accommodation": "supported"}
METRES_PER_MILE = 1609.344


@dataclass
class Units:
    """Children (or sibling groups) needing a place: arrays of one row per unit."""

    members: list[list[str]]
    kind: np.ndarray
    age_min: np.ndarray
    age_max: np.ndarray
    needs: np.ndarray  # (n, len(SKILLS)) bool, in SKILLS order
    xy: np.ndarray  # (n, 2) metres (British National Grid); NaN where unknown
    area: np.ndarray

    @property
    def size(self) -> np.ndarray:
        return np.array([len(m) for m in self.members], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.members)


@dataclass
class Match:
    units: Units
    settings: Settings
    setting_of_unit: np.ndarray  # index of the setting each unit was matched to, -1 if none
    feasible: np.ndarray  # (unit, setting) bool
    status: str


def feasibility(units: Units, settings: Settings, setting_xy: np.ndarray, max_miles: float | None) -> np.ndarray:
    """(unit, setting) bool: the setting can take the whole unit."""
    ok = units.kind[:, None] == settings.kind[None, :]
    ok &= units.age_min[:, None] >= settings.age_from[None, :]
    ok &= units.age_max[:, None] <= settings.age_to[None, :]
    ok &= units.size[:, None] <= settings.places[None, :]
    ok &= ~(units.needs[:, None, :] & ~settings.skills[None, :, :]).any(axis=2)
    if max_miles is not None:
        d = _distance(units.xy, setting_xy)
        ok &= np.isnan(d) | (d <= max_miles)
    return ok


def _distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1]) / METRES_PER_MILE


def match(units: Units, settings: Settings, setting_xy: np.ndarray | None = None, max_miles: float | None = 20.0,
          time_limit: float = 60.0) -> Match:
    """Place as many children as possible (then the nearest), under age, needs, sibling and distance limits."""
    if setting_xy is None:
        setting_xy = np.full((len(settings), 2), np.nan)
    ok = feasibility(units, settings, setting_xy, max_miles)
    u, s = np.nonzero(ok)
    assigned = np.full(len(units), -1, dtype=np.int64)
    if not len(u):
        return Match(units, settings, assigned, ok, "nothing feasible")
    size = units.size
    dist = np.nan_to_num(np.hypot(units.xy[u, 0] - setting_xy[s, 0], units.xy[u, 1] - setting_xy[s, 1])
                         / METRES_PER_MILE, nan=0.0)
    # maximise children placed; a mile costs far less than a child (1e-4 per mile, so 100 miles < 0.01 child)
    c = -(size[u].astype(float) - 1e-4 * np.minimum(dist, 100.0))
    k = len(u)
    a_unit = csr_matrix((np.ones(k), (u, np.arange(k))), shape=(len(units), k))
    a_set = csr_matrix((size[u].astype(float), (s, np.arange(k))), shape=(len(settings), k))
    cons = [LinearConstraint(a_unit, 0, 1), LinearConstraint(a_set, 0, settings.places.astype(float))]
    # With single children only this is a bipartite b-matching, whose linear relaxation has integral
    # optimal vertices: solve the LP (fast) and use it when integral; otherwise (sibling groups) solve
    # the integer programme over the pairs the LP used fractionally, with the rest fixed.
    res = milp(c, integrality=np.zeros(k), bounds=Bounds(0, 1), constraints=cons, options={"time_limit": time_limit})
    if res.x is None:
        return Match(units, settings, assigned, ok, f"solver failed: {res.message}")
    x = res.x
    frac = (x > 1e-6) & (x < 1 - 1e-6)
    status = "optimal"
    if frac.any():
        lower = np.where(frac, 0.0, np.round(x))
        upper = np.where(frac | (x < 1e-6), 1.0, np.round(x))
        upper[~frac & (x < 1e-6)] = 0.0
        cand = frac.copy()
        touched_units = np.isin(u, u[frac])
        touched_sets = np.isin(s, s[frac])
        cand |= (touched_units | touched_sets)
        lower[cand], upper[cand] = 0.0, 1.0
        res2 = milp(c, integrality=np.ones(k), bounds=Bounds(lower, upper), constraints=cons,
                    options={"time_limit": time_limit})
        if res2.x is not None:
            x = res2.x
            status = "optimal" if res2.status == 0 else f"best found ({res2.message})"
        else:
            x = np.floor(x + 1e-9)
            status = "rounded down from the linear relaxation"
    chosen = x > 0.5
    assigned[u[chosen]] = s[chosen]
    return Match(units, settings, assigned, ok, status)


def locate(con: duckdb.DuckDBPyConnection, postcodes: list[str | None]) -> tuple[np.ndarray, list[str]]:
    """(easting, northing) of each postcode's sector centroid, and its district name ('Unknown' if not found)."""
    from careboard.store.reference import install

    install(con)
    con.register("suff_pc", pa.table({"i": list(range(len(postcodes))), "pc": postcodes}))
    rows = con.execute(
        "SELECT p.i, s.east, s.north, coalesce(d.district_name, 'Unknown') FROM suff_pc p "
        "LEFT JOIN ref_sector s ON s.sector = postcode_sector(p.pc) "
        "LEFT JOIN ref_district_la d ON d.district = s.district ORDER BY p.i"
    ).fetchall()
    con.unregister("suff_pc")
    xy = np.array([[np.nan if r[1] is None else r[1], np.nan if r[2] is None else r[2]] for r in rows],
                  dtype=float).reshape(len(postcodes), 2)
    return xy, [r[3] for r in rows]


def children_needing_places(con: duckdb.DuckDBPyConnection, la: str, on: dt.date,
                            needs: dict[str, dict[str, object]] | None = None) -> Units:
    """Children looked after on ``on`` in foster care (not kinship), children's homes or supported accommodation.

    Needs from the 903: age on the day, UASC, disability (category of need N2); sibling groups and
    parent-and-child needs from ``child_needs.csv`` when given.
    """
    from careboard.store.reference import install

    install(con)
    rows = con.execute(
        """
        SELECT c.CHILD, placement_category(c.PLACE, c.PLACE_PROVIDER) AS cat, age_at(ch.dob, ?::DATE) AS age,
               coalesce(ch.ever_uasc AND (ch.uasc_ceased IS NULL OR ch.uasc_ceased > ?::DATE), false) AS uasc,
               c.CIN = 'N2' AS disability, c.HOME_POST
        FROM model_care c JOIN model_children ch USING (la, CHILD)
        WHERE c.la = ? AND c.DECOM <= ?::DATE AND (c.DEC IS NULL OR c.DEC > ?::DATE)
          AND age_at(ch.dob, ?::DATE) BETWEEN 0 AND 17
        ORDER BY c.CHILD
        """,
        [on, on, la, on, on, on],
    ).fetchall()
    rows = [r for r in rows if r[1] in KIND_OF_CATEGORY]
    needs = needs or {}
    xy, area = locate(con, [r[5] for r in rows])
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        g = needs.get(r[0], {}).get("sibling_group")
        groups.setdefault(f"g:{g}" if g else f"c:{r[0]}", []).append(i)
    members, kind, amin, amax, need, uxy, uarea = [], [], [], [], [], [], []
    for idx in groups.values():
        members.append([rows[i][0] for i in idx])
        kind.append(KIND_OF_CATEGORY[rows[idx[0]][1]])
        ages = [rows[i][2] for i in idx]
        amin.append(min(ages))
        amax.append(max(ages))
        flags = {"SIBLINGS": len(idx) > 1, "DISABILITY": any(bool(rows[i][4]) for i in idx),
                 "PARENT_AND_CHILD": any(bool(needs.get(rows[i][0], {}).get("parent_and_child")) for i in idx),
                 "UASC": any(bool(rows[i][3]) for i in idx)}
        need.append([flags[s] for s in SKILLS])
        uxy.append(xy[idx[0]])
        uarea.append(area[idx[0]])
    return Units(members, np.array(kind, dtype=object), np.array(amin, dtype=np.int64),
                 np.array(amax, dtype=np.int64), np.array(need, dtype=bool).reshape(len(members), len(SKILLS)),
                 np.array(uxy, dtype=float).reshape(len(members), 2), np.array(uarea, dtype=object))


def _band(age: int) -> str:
    return "Under 5" if age < 5 else "5 to 9" if age < 10 else "10 to 15" if age < 16 else "16 and over"


def _profile(units: Units, i: int) -> str:
    flags = [s.replace("_", " ").lower() for s, f in zip(SKILLS, units.needs[i], strict=True) if f]
    return f"{_band(int(units.age_max[i]))}" + (f" ({', '.join(flags)})" if flags else "")


def summarise(m: Match) -> dict[str, list[dict[str, object]]]:
    """Places against children, usable places, shortfall by need and by area, and where to recruit."""
    u, st = m.units, m.settings
    size = u.size
    placed = m.setting_of_unit >= 0
    out: dict[str, list[dict[str, object]]] = {"overview": [], "by_need": [], "by_area": [], "recruit": []}
    for kind in ("fostering", "childrens_home", "supported"):
        ku, ks = u.kind == kind, st.kind == kind
        usable = ks & m.feasible[ku].any(axis=0)
        out["overview"].append({
            "kind": kind, "places": int(st.places[ks].sum()), "children": int(size[ku].sum()),
            "places_usable_by_these_children": int(st.places[usable].sum()),
            "children_matched": int(size[ku & placed].sum()), "shortfall": int(size[ku & ~placed].sum()),
        })
    unmatched = np.flatnonzero(~placed)
    tally: dict[tuple, int] = {}
    for i in unmatched:
        for key in (("by_need", u.kind[i], _profile(u, i)), ("by_area", u.kind[i], u.area[i]),
                    ("recruit", u.kind[i], u.area[i], _profile(u, i))):
            tally[key] = tally.get(key, 0) + int(size[i])
    for key, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])):
        if key[0] == "by_need":
            out["by_need"].append({"kind": key[1], "need": key[2], "children_unmatched": n})
        elif key[0] == "by_area":
            out["by_area"].append({"kind": key[1], "area": key[2], "children_unmatched": n})
        else:
            out["recruit"].append({"kind": key[1], "area": key[2], "need": key[3], "children_unmatched": n})
    out["recruit"] = out["recruit"][:10]
    return out
