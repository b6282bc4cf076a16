"""Benchmarks checked against the vendored published data, recomputed here in plain Python."""

import csv
import statistics
from importlib import resources

import pyarrow.parquet as pq
import pytest

from careboard.benchmark.compare import compare
from careboard.benchmark.targets import Target, status
from careboard.store import db as store_db

DATA = resources.files("careboard.reference") / "data"


def published(measure: str, year: int) -> dict[str, float]:
    t = pq.read_table(str(DATA / "lait_values.parquet")).to_pylist()
    return {
        r["la_number"]: r["value"]
        for r in t
        if r["measure"] == measure and r["year"] == year and r["value"] is not None
    }


def neighbours(la: str) -> list[str]:
    with (DATA / "statistical_neighbours_2025.csv").open() as f:
        return [r["sn_old_la_code"].zfill(3) for r in csv.DictReader(f) if r["old_la_code"].zfill(3) == la]


@pytest.fixture
def con():
    c = store_db.connect(":memory:")
    c.execute(
        "CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
        "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)"
    )
    yield c
    c.close()


def row(con, measure, la, year):
    compare(con)
    cur = con.execute("SELECT * FROM scorecard_rows WHERE measure = ? AND la = ? AND year = ? AND breakdown = 'all'",
                      [measure, la, year])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def test_low_polarity_measure_against_england_neighbours_and_the_best(con):
    ours = 7.0
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 7, 100, ?)", [ours])
    r = row(con, "placements_3_plus", "886", 2025)
    pub = published("LACStable_2016on", 2025)
    assert r["benchmark_year"] == 2025
    assert r["england"] == pub["970"]
    sn = [pub[n] for n in neighbours("886") if n in pub]
    assert r["sn_mean"] == pytest.approx(round(statistics.mean(sn), 1))
    assert r["sn_median"] == pytest.approx(round(statistics.median(sn), 1))
    assert r["best_sn"] == min(sn)
    others = [v for la, v in pub.items() if la < "900" and la != "886"] + [ours]
    q1, q2, q3 = statistics.quantiles(others, n=4, method="inclusive")
    assert r["best_quartile"] == pytest.approx(q1)
    assert r["quartile_band"] == ("A" if ours <= q1 else "B" if ours <= q2 else "C" if ours <= q3 else "D")
    assert r["rank"] == 1 + sum(v < ours for v in others[:-1])
    assert r["ranked_of"] == len(others)
    # Previous year: no careboard figure for 2024, so Kent's published 2024 value.
    assert r["previous"] == published("LACStable_2016on", 2024)["886"]
    assert r["previous_source"] == "published"


def test_high_polarity_ranks_the_other_way_and_uses_latest_published_year(con):
    con.execute("INSERT INTO measure_values VALUES ('long_term_stability', '886', 2026, 'all', 'All', 100, 100, 100)")
    r = row(con, "long_term_stability", "886", 2026)
    assert r["benchmark_year"] == 2025  # nothing published for 2026 yet
    assert r["rank"] == 1 and r["quartile_band"] == "A"  # ties take the best rank, as LAIT does


def test_trend_by_polarity(con):
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 1, 10, 10)")
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2026, 'all', 'All', 1, 12, 8.3)")
    r = row(con, "placements_3_plus", "886", 2026)
    assert (r["previous"], r["previous_source"], r["trend"]) == (10, "careboard", "improving")


def test_target_status():
    assert status(9, "low", Target(10, 2)) == "green"
    assert status(11.5, "low", Target(10, 2)) == "amber"
    assert status(12.5, "low", Target(10, 2)) == "red"
    assert status(65, "high", Target(70, 5)) == "amber"
    assert status(64, "high", Target(70, 5)) == "red"
    assert status(64, None, Target(70, 5)) is None


def test_example_targets_file_names_real_measures():
    from pathlib import Path

    from careboard.benchmark.targets import load_targets
    from careboard.measures.measure import all_measures

    path = Path(__file__).resolve().parents[2] / "examples" / "careboard-targets.yaml"
    targets = load_targets(path, set(all_measures()))
    assert targets["placements_3_plus"] == Target(9, 2)
