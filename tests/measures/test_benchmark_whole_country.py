"""The whole country: careboard's ranking and banding reproduce LAIT's for every authority.

For every LAIT measure careboard benchmarks, every authority careboard knows and every year LAIT
publishes, the authority's *published* figure is fed to careboard as its own; careboard's rank,
of-N, quartile band, best-quartile cut-off, England, region and neighbours' mean must then be what
LAIT's method gives, computed here in plain Python (lait_method.py) from the vendored LAIT data.
careboard's side runs set-based, in one pass of compare.sql over every authority and year at once.
A measure whose LAIT year lags careboard's (``benchmark_year_lag``: the workforce census, which LAIT
files under the year before the one its census date falls in) is fed as careboard's year that many
years later, and must be benchmarked against the LAIT year it came from.  The published-only rows
(measures/published_only.py), which careboard takes from LAIT itself, are checked the same way for
every authority and every year the DfE published them.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections import defaultdict
from importlib import resources

import lait_method as lait
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from careboard.benchmark.compare import compare
from careboard.measures.measure import all_measures
from careboard.measures.published_only import published_only
from fresh_db import fresh_database

DATA = resources.files("careboard.reference") / "data"


def _csv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def country():
    measures = {m.id: m for m in all_measures().values() if m.lait_code}
    lait_polarity = {r["measure_short"]: r["polarity"] for r in _csv("lait_measures.csv")}
    regions = {r["old_la_code"]: r["region_code"] for r in _csv("la_lookup.csv")}
    neighbours = defaultdict(list)
    for r in _csv("statistical_neighbours_2025.csv"):
        neighbours[r["old_la_code"].zfill(3)].append(r["sn_old_la_code"].zfill(3))
    published: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for r in pq.read_table(str(DATA / "lait_values.parquet")).to_pylist():
        if r["value"] is not None:
            published[(r["measure"], r["year"])][r["la_number"]] = r["value"]

    # careboard's side: every authority's published figure as its own, all at once.
    cases = []
    for m in measures.values():
        for (code, year), figures in published.items():
            if code != m.lait_code:
                continue
            for la, value in figures.items():
                if la in regions:
                    cases.append((m.id, la, year, value))
    con = fresh_database()
    con.execute(
        "CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
        "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)"
    )
    # numerator/denominator chosen so that careboard's exact figure is the published one
    scale = {"proportion": 100.0, "rate": 10000.0, "ratio": 1.0}
    lag = {mid: m.benchmark_year_lag for mid, m in measures.items()}
    con.register("cases_arrow", pa.table({
        "measure": [c[0] for c in cases], "la": [c[1] for c in cases],
        "year": [c[2] + lag[c[0]] for c in cases],  # careboard's year for LAIT's year
        "numerator": [c[3] for c in cases], "denominator": [scale.get(measures[c[0]].kind) for c in cases],
        "value": [c[3] for c in cases],
    }))
    con.execute("INSERT INTO measure_values SELECT measure, la, year, 'all', 'All', numerator, denominator, value "
                "FROM cases_arrow")
    # the published-only rows: careboard reads the authority's figure from LAIT itself, for every year published
    cases += [(u.id, la, year, value) for u in published_only().values() for (code, year), figures in published.items()
              if code == u.lait_code for la, value in figures.items() if la in regions]
    lag |= {u.id: 0 for u in published_only().values()}
    con.unregister("cases_arrow")
    started = time.perf_counter()
    compare(con)
    print(f"\ncompare.sql over {len(cases):,} authority figures: {time.perf_counter() - started:.1f} s")
    cur = con.execute(
        "SELECT measure, la, year, benchmark_year, rank, ranked_of, quartile_band, best_quartile, england, region, "
        "sn_mean, value FROM scorecard_rows WHERE breakdown = 'all'"
    )
    names = [d[0] for d in cur.description]
    got = {(r[0], r[1], r[2] - lag[r[0]]): dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    con.close()
    return {**measures, **published_only()}, lait_polarity, regions, neighbours, published, cases, got


def expected(case, measures, lait_polarity, regions, neighbours, published, fields, region_rows) -> dict:
    """LAIT's method for one authority's published figure, in plain Python."""
    mid, la, year, value = case
    code = measures[mid].lait_code
    figures = published[(code, year)]
    polarity = {"High": "high", "Low": "low"}.get(lait_polarity[code])
    # every authority's figure at its published precision (the data holds 13.700000000000001 for a
    # published 13.7); the authority's own published figure is among them
    dp, authorities = fields[(code, year)]
    value = lait.round_half_up(value, dp)
    region_row = lait.REGION_ROW[regions[la]]
    if region_row in ("987", "988") and (code, region_row) not in region_rows:  # no Inner/Outer London figures
        region_row = lait.LONDON
    sn = [figures[n] for n in neighbours[la] if n in figures]
    return {
        "benchmark_year": year,
        "rank": lait.rank(value, authorities, polarity) if polarity else None,
        "ranked_of": len(authorities),
        "quartile_band": lait.band(value, authorities, polarity) if polarity else None,
        "best_quartile": lait.best_quartile(authorities, polarity) if polarity else None,
        "england": figures.get("970"),
        "region": figures.get(region_row),
        "sn_mean": lait.round_half_up(statistics.mean(sn), dp) if sn else None,
        "value": value if measures[mid].kind == "published" else case[3],  # published-only: at its precision
    }


def test_every_authority_every_measure_every_year_matches_laits_method(country):
    measures, lait_polarity, regions, neighbours, published, cases, got = country
    # careboard's polarity for a benchmarked measure is LAIT's
    for m in measures.values():
        assert m.polarity == {"High": "high", "Low": "low"}.get(lait_polarity[m.lait_code]), m.id
    fields = {}
    for key, figures in published.items():
        dp = max(lait.decimals(v) for n, v in figures.items() if n < "970")
        fields[key] = (dp, lait.Field([lait.round_half_up(v, dp) for n, v in figures.items() if n < "970"]))
    region_rows = {(code, n) for (code, _), figures in published.items() for n in figures if n >= "980"}
    mismatches = []
    for case in cases:
        want = expected(case, measures, lait_polarity, regions, neighbours, published, fields, region_rows)
        have = got[case[:3]]
        for key, w in want.items():
            h = have[key]
            same = h == w if not isinstance(w, float) else h is not None and abs(h - w) < 1e-9
            if not same:
                mismatches.append((case, key, h, w))
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:5]}"
    authorities = {c[1] for c in cases}
    benchmarked = {c[0] for c in cases}
    years = {c[2] for c in cases}
    print(f"\nwhole country: {len(authorities)} authorities x {len(benchmarked)} measures x {len(years)} years "
          f"({min(years)}-{max(years)}) = {len(cases):,} published figures checked")
    assert len(cases) > 20_000
    assert len(authorities) >= 152 and len(benchmarked) == len(measures)
    assert {m for m in benchmarked if m in published_only()} == set(published_only())
