"""Local areas: where each child's home is, in areas meaningful for the authority and big enough to show.

A local-area scorecard is only useful when the areas mean something to members and hold enough
children for disclosure control to leave figures to show.  So (``local_areas.sql``):

* a county's areas are its **districts** (Maidstone, Sevenoaks, ...);
* a single-district authority (a unitary or metropolitan borough) uses its **postcode districts**
  (M33, WA14, ...): the ONS Postcode Directory careboard carries places every postcode in a district,
  but not in a ward, so wards are not offered;
* either may supply its own **localities** (``careboard areas areas.csv``: postcode sectors, postcode
  districts or districts, each named to a locality; docs/extracts.md), which then win;

and then (here) **small areas are grouped**: while an area had fewer than :data:`MIN_AREA_CHILDREN`
children looked after on 31 March in any loaded year, it joins its nearest neighbour (centre to
centre; ties by name), so "M31" and "M41" become "M31 and M41".  The grouping looks at every loaded
year at once, so an area means the same in every year and trends stay comparable.  Homes outside the
authority are one area, "Outside the council"; homes not recorded are "Unknown".

The result: ``model_local_areas`` (every area's code, name, kind and whether it is the council's
own), ``model_home_areas`` (the area of every postcode sector and district inside the authority, for
any cohort with a home postcode) and ``model_child_year.local_area``.  The areas are a handful per
authority, so the grouping is a few Python steps over tens of rows; the children are assigned in SQL.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from importlib import resources

import duckdb
import pyarrow as pa

MIN_AREA_CHILDREN = 25  # children looked after on 31 March, in every loaded year
OUTSIDE, UNKNOWN = "Outside", "Unknown"
OUTSIDE_NAME, UNKNOWN_NAME = "Outside the council", "Home area not recorded"
_POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")

_ASSIGN = """
UPDATE model_child_year SET local_area = CASE WHEN home_la IS NULL THEN 'Unknown'
                                              WHEN home_la <> la THEN 'Outside' ELSE 'Unknown' END;
UPDATE model_child_year c SET local_area = h.area
FROM model_home_areas h
WHERE h.la = c.la AND h.sector = c.home_sector AND h.district = c.home_district AND c.home_la = c.la;
"""


@dataclass
class _Area:
    codes: list[str]
    names: list[str]
    kind: str
    east: float | None
    north: float | None
    counts: dict[int, int] = field(default_factory=dict)
    weight: int = 1  # postcode sectors, for the merged centre

    @property
    def smallest(self) -> int:
        return min(self.counts.values(), default=0)

    @property
    def code(self) -> str:
        return "_".join(sorted(self.codes))

    @property
    def name(self) -> str:
        """'WA15'; 'M31 and M41'; a council's locality with the unlisted places grouped into it:
        'Stretford (with M15, M16 and M17)'."""
        localities = sorted(n for n in self.names if not _POSTCODE_DISTRICT.match(n))
        places = sorted(n for n in self.names if _POSTCODE_DISTRICT.match(n))
        if localities and places:
            return f"{_and(localities)} (with {_and(places)})"
        return _and(localities or places)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _distance(a: _Area, b: _Area) -> float:
    if None in (a.east, a.north, b.east, b.north):
        return math.inf
    return math.hypot(a.east - b.east, a.north - b.north)  # type: ignore[operator]


def _mean(a: _Area, b: _Area, axis: str) -> float | None:
    """The merged centre on one axis, each area weighted by its number of postcode sectors."""
    x, y = getattr(a, axis), getattr(b, axis)
    if x is None or y is None:
        return x if y is None else y
    return (x * a.weight + y * b.weight) / (a.weight + b.weight)


def group(areas: list[_Area], minimum: int = MIN_AREA_CHILDREN) -> list[_Area]:
    """Merge the smallest area into its nearest neighbour until every area holds ``minimum`` children."""
    areas = list(areas)
    while len(areas) > 1:
        small = min(areas, key=lambda a: (a.smallest, a.name))
        if small.smallest >= minimum:
            break
        others = [a for a in areas if a is not small]
        near = min(others, key=lambda a: (_distance(small, a), a.smallest, a.name))
        merged = _Area(
            small.codes + near.codes, small.names + near.names,
            near.kind if near.smallest >= small.smallest else small.kind,
            _mean(small, near, "east"), _mean(small, near, "north"),
            {y: small.counts.get(y, 0) + near.counts.get(y, 0) for y in set(small.counts) | set(near.counts)},
            small.weight + near.weight,
        )
        areas = [a for a in others if a is not near] + [merged]
    return sorted(areas, key=lambda a: a.name)


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Decide every authority's local areas and give each child-year its area (after child_year.sql)."""
    con.execute((resources.files("careboard.model") / "local_areas.sql").read_text("utf-8"))
    areas: dict[str, dict[str, _Area]] = {}
    for la, code, name, kind, east, north, sectors in con.execute(
            "SELECT la, code, name, kind, east, north, sectors FROM area_centres ORDER BY la, code").fetchall():
        areas.setdefault(la, {})[code] = _Area([code], [name], kind, east, north, weight=max(int(sectors), 1))
    for la, code, year, children in con.execute("SELECT la, code, year, children FROM area_counts").fetchall():
        areas[la][code].counts[int(year)] = int(children)
    names, mapping = [], []
    for la, found in sorted(areas.items()):
        for area in group(list(found.values())):
            names.append((la, area.code, area.name, area.kind, True))
            mapping += [(la, code, area.code) for code in area.codes]
        names += [(la, OUTSIDE, OUTSIDE_NAME, "outside", False), (la, UNKNOWN, UNKNOWN_NAME, "unknown", False)]
    con.register("local_areas_arrow", pa.table({
        "la": [r[0] for r in names], "area": [r[1] for r in names], "name": [r[2] for r in names],
        "kind": [r[3] for r in names], "inside": [r[4] for r in names]}))
    con.register("area_groups_arrow", pa.table({
        "la": [r[0] for r in mapping], "code": [r[1] for r in mapping], "area": [r[2] for r in mapping]},
        schema=pa.schema([("la", pa.string()), ("code", pa.string()), ("area", pa.string())])))
    try:
        con.execute("CREATE OR REPLACE TABLE model_local_areas AS SELECT * FROM local_areas_arrow")
        con.execute("CREATE OR REPLACE TABLE model_home_areas AS "
                    "SELECT b.la, b.sector, b.district, g.area FROM area_base b "
                    "JOIN area_groups_arrow g ON g.la = b.la AND g.code = b.code")
    finally:
        con.unregister("local_areas_arrow")
        con.unregister("area_groups_arrow")
    con.execute(_ASSIGN)
    for table in ("area_places", "area_base", "area_counts", "area_centres"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
