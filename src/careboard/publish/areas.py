"""Local areas as members know them: names, order, and which of the council's areas have figures.

The model decides each child's local area (model/local_areas.py: a county's districts, the council's
own localities from its lookup, or postcode districts, small ones grouped) and names every area in
``model_local_areas``.  This module reads those names; a database built before that table existed
(or a bare one in a test) names district codes from the reference lookup instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from careboard import authorities

UNKNOWN_AREA = "Unknown"
UNKNOWN_NAME = "Home area not recorded"
OUTSIDE_NAME = "Outside the council"


@dataclass(frozen=True)
class Area:
    code: str  # the local_area breakdown value
    name: str
    inside: bool  # one of the council's own areas (not "outside the council" or "not recorded")
    kind: str = "district"  # 'district', 'locality', 'postcode district' (model/local_areas.py)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()[0][0])


class AreaNames:
    """Names of one authority's local areas (and of districts outside it), read once."""

    def __init__(self, con: duckdb.DuckDBPyConnection, la: str) -> None:
        self.la = authorities.resolve(la).code
        self.ons = authorities.resolve(la).ons_code
        self.areas: dict[str, Area] = {}
        if _has_table(con, "model_local_areas"):
            for code, name, inside, kind in con.execute(
                    "SELECT area, name, inside, kind FROM model_local_areas WHERE la = ?", [self.la]).fetchall():
                self.areas[code] = Area(code, name, bool(inside), kind)
        self._districts: dict[str, tuple[str, str | None]] | None = None
        self._con = con

    def _district(self, code: str) -> tuple[str, str | None] | None:
        if self._districts is None:
            from careboard.store.reference import install

            install(self._con)
            self._districts = {d: (n or d, la) for d, la, n in self._con.execute(
                "SELECT district, la, district_name FROM ref_district_la").fetchall()}
        return self._districts.get(code)

    def area(self, code: str) -> Area:
        found = self.areas.get(code)
        if found is not None:
            return found
        if code == UNKNOWN_AREA:
            return Area(code, UNKNOWN_NAME, False)
        district = self._district(code)
        if district is None:
            return Area(code, code, False)
        name, la = district
        inside = la == self.la or code == self.ons
        return Area(code, name if inside else f"{name} (outside the council)", inside)

    def name(self, code: str) -> str:
        return self.area(code).name

    def sort_key(self, code: str) -> tuple:
        """The council's own areas by name, then areas outside it, then 'not recorded'."""
        a = self.area(code)
        return (code == UNKNOWN_AREA, not a.inside, a.name)


def own_areas(names: AreaNames, codes: set[str]) -> list[Area]:
    """The council's own areas among ``codes``, by name; none when there is only one (it is the council)."""
    inside = sorted((names.area(c) for c in codes if names.area(c).inside), key=lambda a: a.name)
    return inside if len(inside) > 1 else []


KIND_NOTES = {
    "district": "Areas are the council's districts.",
    "locality": "Areas are the council's own localities, from the lookup it supplied.",
    "postcode district": "Areas are postcode districts (the first half of a postcode, such as M33).",
}


def describe(areas: list[Area]) -> str:
    """One sentence for members on what the areas are, and that small ones are grouped."""
    kinds = sorted({a.kind for a in areas})
    text = " ".join(KIND_NOTES.get(k, "") for k in kinds).strip()
    if any(" and " in a.name for a in areas) or any(a.code.count("_") for a in areas):
        text += " Areas with too few children to show their figures are grouped with their nearest neighbour."
    return text
