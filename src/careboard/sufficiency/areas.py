"""Home areas: where a child's home is, and where a place is, in the authority's own localities.

A sufficiency strategy is argued area by area ("West Kent has had too few foster carers for
years"), so children and places are put in areas:

* by default, the authority's **districts** (a county's district councils: Sevenoaks, Maidstone, ...),
  or, when the authority is a single district (a unitary or metropolitan borough), its **postcode
  districts** (M33, WA15, ...);
* or the authority's own localities from ``areas.csv`` in the capacity folder: ``KEY,AREA`` rows,
  KEY a district name or code (``Sevenoaks``, ``E07000111``), a postcode district (``TN13``) or a
  postcode sector (``TN13 1``), the most specific match winning;
* homes and places outside the authority are "Outside the authority"; a child with no home postcode
  (most unaccompanied asylum-seeking children) is in "Unknown".

Each area has a centre: the mean of its postcode-sector centroids.  Distances from a child to a
place are measured from the centre of the child's home area to the place's own sector centroid
(the forecast knows a future child's area, not their street); "Outside" and "Unknown" have no
centre, so distance does not rule places out for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

UNKNOWN = "Unknown"
OUTSIDE = "Outside the authority"
AREA_FILE = "areas.csv"


class AreaError(ValueError):
    """A problem in areas.csv (file, line, field)."""


@dataclass
class Areas:
    """The areas in use: names (index 0 is Unknown, 1 Outside the authority), centres and a sector lookup."""

    la: str
    names: list[str]
    xy: np.ndarray  # (area, 2) metres, NaN where there is no centre
    of_sector: dict[str, int]  # postcode sector -> area index, for every sector seen or inside the authority
    sector_xy: dict[str, tuple[float, float]]

    def index(self, sectors: np.ndarray) -> np.ndarray:
        """Area index of each postcode sector (vectorised over the distinct sectors)."""
        values = np.asarray(sectors, dtype=object)
        if not len(values):
            return np.zeros(0, dtype=np.int16)
        keys = np.where(values == None, "", values).astype(str)  # noqa: E711 (elementwise)
        uniq, inverse = np.unique(keys, return_inverse=True)
        code = np.array([self.of_sector.get(u, 0) if u else 0 for u in uniq], dtype=np.int16)
        return code[inverse]

    def location(self, sectors: np.ndarray) -> np.ndarray:
        """(n, 2) centroid of each postcode sector (NaN where unknown)."""
        out = np.full((len(sectors), 2), np.nan)
        for i, sec in enumerate(sectors):  # one entry per setting, a few hundred at most
            if sec in self.sector_xy:
                out[i] = self.sector_xy[sec]
        return out


def read_area_map(path: Path) -> dict[str, str]:
    """areas.csv: KEY -> AREA (keys upper-cased), read and checked by the one reader of the file
    (returns/areas.py, which the members' local areas use too); every problem names file, line and field."""
    from careboard.returns.areas import AreaFileError, read_area_file

    try:
        return {k.key: k.area for k in read_area_file(path)}
    except AreaFileError as exc:
        raise AreaError(str(exc)) from None


SECTORS_SQL = """
SELECT s.sector, s.east, s.north, s.district, coalesce(d.district_name, s.district) AS district_name,
       d.la = $la AS inside
FROM ref_sector s LEFT JOIN ref_district_la d ON d.district = s.district
WHERE d.la = $la OR s.sector IN (SELECT sector FROM suff_sectors)
"""


def build_areas(con: duckdb.DuckDBPyConnection, la: str, sectors: list[str] | np.ndarray,
                mapping: dict[str, str] | None = None) -> Areas:
    """Areas of authority ``la`` covering its own sectors and every sector in ``sectors``."""
    from careboard.store.reference import install

    install(con)
    seen = sorted({str(s) for s in sectors if s})
    con.register("suff_sectors", pa.table({"sector": pa.array(seen, type=pa.string())}))
    try:
        rows = con.execute(SECTORS_SQL, {"la": la}).fetchall()
    finally:
        con.unregister("suff_sectors")
    inside = [r for r in rows if r[5]]
    districts = {r[3] for r in inside}
    mapping = {k.upper(): v for k, v in (mapping or {}).items()}

    def area_of(sector: str, district: str, name: str, is_inside: bool) -> str:
        outward = sector.split(" ")[0].upper()
        for key in (sector.upper(), outward, district.upper(), name.upper()):
            if key in mapping:
                return mapping[key]
        if not is_inside:
            return OUTSIDE
        return name if len(districts) > 1 else outward

    names = [UNKNOWN, OUTSIDE]
    of_sector: dict[str, int] = {}
    sector_xy: dict[str, tuple[float, float]] = {}
    members: dict[int, list[tuple[float, float]]] = {}
    for sector, east, north, district, name, is_inside in rows:
        area = area_of(sector, district or "", name or "", bool(is_inside))
        if area not in names:
            names.append(area)
        k = names.index(area)
        of_sector[sector] = k
        if east is not None and north is not None:
            sector_xy[sector] = (float(east), float(north))
            if is_inside or area not in (OUTSIDE,):
                members.setdefault(k, []).append((float(east), float(north)))
    xy = np.full((len(names), 2), np.nan)
    for k, pts in members.items():
        if k > 1:
            xy[k] = np.mean(np.array(pts), axis=0)
    order = [0, 1, *sorted(range(2, len(names)), key=lambda k: names[k])]  # areas in name order
    rank = {old: new for new, old in enumerate(order)}
    return Areas(la, [names[k] for k in order], xy[order], {s: rank[k] for s, k in of_sector.items()}, sector_xy)


def sectors_of(con: duckdb.DuckDBPyConnection, postcodes: np.ndarray | list[str]) -> np.ndarray:
    """Postcode sector of each postcode ('TN13 1AB' -> 'TN13 1'; None when not a postcode), in DuckDB."""
    from careboard.store.reference import install

    install(con)
    con.register("suff_postcodes", pa.table({"pc": pa.array([str(p) if p else None for p in postcodes],
                                                            type=pa.string())}))
    try:
        out = con.sql("SELECT postcode_sector(pc) AS s FROM suff_postcodes").to_arrow_table()
    finally:
        con.unregister("suff_postcodes")
    return out.column("s").to_numpy(zero_copy_only=False).astype(object)
