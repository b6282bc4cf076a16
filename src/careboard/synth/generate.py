"""``generate``: one call that simulates an authority and writes all its returns and extracts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from careboard.authorities import resolve
from careboard.returns.spec import ssda903
from careboard.years import label

from .cin import CinHistory, cin_path, simulate_cin, write_cin_addresses
from .cin_census import census_tables, write_census
from .cin_errors import inject_cin
from .errors import MANIFEST_COLUMNS, inject
from .extracts import write_extracts
from .lives import Lives, simulate, stream
from .missing_groups import MANIFEST_COLUMNS as GROUP_COLUMNS
from .missing_groups import enrich, plant
from .postcodes import Geography, load_postcodes
from .snapshot import year_tables
from .workforce import csww_path, write_csww
from .write903 import csv_text, write_csv_set, write_xml

Progress = Callable[[str], None]


@dataclass
class SynthResult:
    """What ``generate`` wrote: every path, and row counts per year and table."""

    root: Path
    paths: list[Path] = field(default_factory=list)
    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    errors: int = 0
    linked_groups: list[dict[str, str]] = field(default_factory=list)  # the planted groups' manifest rows
    postcode_source: str = ""
    lives: Lives | None = None
    cin: CinHistory | None = None
    tables: dict[int, dict[str, dict[str, np.ndarray]]] = field(default_factory=dict)


def check_years(years: Sequence[int]) -> list[int]:
    """Sorted, consecutive collection years the spec supports (raises ValueError otherwise)."""
    ys = sorted(set(int(y) for y in years))
    if not ys:
        raise ValueError("no years given")
    spec = ssda903()
    bad = [y for y in ys if not spec.supports(y)]
    if bad:
        raise ValueError(f"years {bad} are outside the SSDA903 spec ({spec.first_year}-{spec.last_year})")
    if ys != list(range(ys[0], ys[-1] + 1)):
        raise ValueError("years must be consecutive (one simulation is sliced into each year)")
    return ys


# The options that take a standard deviation a year, each with what a typical value does (the command's message).
MAX_SD = 0.5
SD_MEANING = {
    "entry_variation": "0.12 = each year's entries about 12% from the trend",
    "mix_variation": "0.15 = each kind of placement's weight in new placements moves about 15% a year, and the "
                     "move lasts",
    "adoption_variation": "0.25 = each year's share of new periods on the adoption pathway about 25% from the usual",
    "exit_variation": "0.3 = how quickly children leave care moves about 30% a year, and the move lasts",
    "other_variation": "0.15 = the weight of \"Other\" placements in new placements moves about 15% a year, and "
                       "the move lasts",
}


def out_of_range(**sds: float) -> str | None:
    """The first of these standard deviations (named as in ``SD_MEANING``) outside 0 to ``MAX_SD``, if any."""
    return next((name for name, value in sds.items() if not 0.0 <= value <= MAX_SD), None)


def generate(out: Path, la: str, size: int, years: Sequence[int], seed: int, errors: float = 0.0,
             fmt: str = "csv", progress: Progress | None = None, keep_tables: bool = False,
             linked_groups: int = 2, entry_trend: float = 0.0,
             entry_variation: float = 0.0, mix_variation: float = 0.0,
             adoption_variation: float = 0.0, exit_variation: float = 0.0,
             other_variation: float = 0.0) -> SynthResult:
    """Simulate an authority with about ``size`` children looked after and write its returns under ``out``.

    Layout: ``OUT/<la>/ssda903/<yyyy-yy>/<Table>.csv`` (or ``ssda903_<la>_<yyyy-yy>.xml`` with
    ``fmt='xml'``), ``OUT/<la>/cin/<yyyy-yy>/cin_census_<la>_<yyyy-yy>.xml``,
    ``OUT/<la>/csww/<yyyy-yy>/csww_<la>_<yyyy-yy>.xml``, ``OUT/<la>/extracts/*.csv``, when ``errors`` > 0
    ``OUT/<la>/errors_manifest.csv`` (SSDA903) and ``cin_errors_manifest.csv``, and when ``linked_groups`` > 0
    that many planted groups of children who go missing together (``synth/missing_groups.py``) listed in
    ``OUT/<la>/missing_groups_manifest.csv``.
    The same arguments give the same bytes.  ``entry_trend`` (e.g. 0.08) makes the entry rate rise (or,
    negative, fall) by that fraction a year; ``entry_variation`` (e.g. 0.12) gives each year's entry rate
    its own change of about that standard deviation, as published starts show (``synth/lives.py``);
    ``mix_variation`` (e.g. 0.15) lets the placement mix wander by about that much a year, as published
    placement shares do (``synth/placements.py``); ``adoption_variation`` (e.g. 0.25) gives each year's share
    of new periods on the adoption pathway its own change of about that sd, so the number adopted varies
    from year to year as published adoptions do (``synth/lives.py``); ``exit_variation`` (e.g. 0.3) lets the
    pace at which children leave care wander by about that much a year, as the share of published authorities'
    children who leave care in a year does (``synth/lives.py: ExitClock``); ``other_variation`` (e.g. 0.15)
    lets the weight of "Other" placements in new placements wander by about that much a year, as
    ``mix_variation`` does the named categories' (no published series measures it: a sensitivity setting).
    """
    say = progress or (lambda _msg: None)
    authority = resolve(la)
    ys = check_years(years)
    if size < 1:
        raise ValueError("size must be at least 1")
    if not 0.0 <= errors <= 0.2:
        raise ValueError("errors is a rate between 0 and 0.2")
    if fmt not in ("csv", "xml"):
        raise ValueError("format is csv or xml")
    if not -0.3 <= entry_trend <= 0.3:
        raise ValueError("entry_trend is a yearly change between -0.3 and 0.3")
    wrong = out_of_range(entry_variation=entry_variation, mix_variation=mix_variation,
                         adoption_variation=adoption_variation, exit_variation=exit_variation,
                         other_variation=other_variation)
    if wrong:
        raise ValueError(f"{wrong} is a standard deviation between 0 and {MAX_SD}")
    out = Path(out)
    root = out / authority.code
    say("postcodes")
    table = load_postcodes()
    geo = Geography(table, authority.ons_code)
    say("simulating lives")
    lv = simulate(authority.code, authority.ons_code, geo, size, ys[0], ys[-1], seed, entry_trend,
                  entry_variation, mix_variation, adoption_variation, exit_variation, other_variation)
    enrich(lv)
    planted = plant(lv, linked_groups)
    result = SynthResult(root=root, postcode_source=table.source, lives=lv if keep_tables else None)
    dob_of = dict(zip(lv.children["id"].tolist(), lv.children["dob"].tolist(), strict=True))
    manifest: list[dict[str, str]] = []
    cin_manifest: list[dict[str, str]] = []
    for y in ys:
        say(f"903 {label(y)}")
        tables = year_tables(lv, y)
        if keep_tables:  # the clean tables, before any mistakes are injected
            result.tables[y] = {k: {c: v.copy() for c, v in t.items()} for k, t in tables.items()}
        if errors > 0:
            manifest += inject(tables, y, errors, stream(seed, "thin", y), dob_of)
        folder = root / "ssda903" / label(y)
        if fmt == "csv":
            result.paths += write_csv_set(tables, folder)
        else:
            result.paths.append(write_xml(tables, folder / f"ssda903_{authority.code}_{label(y)}.xml"))
        result.counts[y] = {k: len(v["CHILD"]) for k, v in tables.items()}
    say("CIN census")
    cin = simulate_cin(lv, size)
    if keep_tables:
        result.cin = cin
    for y in ys:
        say(f"CIN {label(y)}")
        census = census_tables(cin, lv, y)
        if errors > 0:
            cin_manifest += inject_cin(census, errors, stream(seed, "thin", 1000 + y))
        result.paths.append(write_census(census, cin_path(out, authority.code, y)))
    for y in ys:
        say(f"CSWW {label(y)}")
        result.paths.append(write_csww(lv, y, csww_path(out, authority.code, y)))
    say("extracts")
    result.paths += write_extracts(lv, root / "extracts")
    result.paths.append(write_cin_addresses(lv, cin, root / "extracts" / "cin_addresses.csv"))
    if linked_groups > 0:
        cols = {c: np.array([m[c] for m in planted], dtype=object) for c in GROUP_COLUMNS}
        path = root / "missing_groups_manifest.csv"
        path.write_bytes(csv_text(cols).encode("utf-8"))
        result.paths.append(path)
        result.linked_groups = planted
    if errors > 0:
        for rows, name in ((manifest, "errors_manifest.csv"), (cin_manifest, "cin_errors_manifest.csv")):
            cols = {c: np.array([m[c] for m in rows], dtype=object) for c in MANIFEST_COLUMNS}
            path = root / name
            path.write_bytes(csv_text(cols).encode("utf-8"))
            result.paths.append(path)
        result.errors = len(manifest) + len(cin_manifest)
    return result
