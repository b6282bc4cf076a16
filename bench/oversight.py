"""Benchmark: the oversight figures for a synthetic authority (IRO service, missing breakdowns, links).

    python bench/oversight.py [--size 2000]

The tests check the figures on hand-built cases and planted groups; how long they take for a large
authority is measured here, never asserted in a test (timings on a shared 2-core machine are noise).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.oversight import iro, missing, workforce
from careboard.returns.reader import read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.synth import generate
from common import machine, timed

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2000)
    size = parser.parse_args().size
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        result = generate(Path(folder), "886", size, [2024, 2025, 2026], seed=1)
        con = store_db.connect(Path(folder) / "b.duckdb")
        load_returns(con, read_returns([result.root]))
        iro.ensure_model(con)
        jobs = {
            "IRO caseloads on a date": lambda: iro.caseload_on(con, "886", date(2026, 3, 31)),
            "IRO year by IRO (with travel)": lambda: iro.year_by_iro(con, "886", 2026, "ME14 1XX"),
            "IRO manager view (12-month trend)": lambda: iro.manager_view(con, "886", date(2026, 3, 31)),
            "missing breakdowns": lambda: missing.breakdowns(con, "886", 2026),
            "missing links (one year)": lambda: missing.missing_links(con, "886", date(2025, 4, 1), date(2026, 3, 31)),
            "workforce summary": lambda: workforce.summary(con, "886", 2026),
        }
        print(f"Kent-coded synthetic authority, about {size:,} children looked after, 3 years")
        for name, job in jobs.items():
            median, best, _ = timed(job, repeat=3)
            print(f"{name:<36} {median:.2f} s median ({best:.2f} s best)")
