"""Benchmark: load one year's SSDA903 CSV set (read + conform + one DuckDB transaction).

    python bench/load.py                 # 20,000-child and 2,000-child returns

Target (issue 2): under 2 s for the 20,000-child CSV set on 2 cores.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from common import CHILDREN_PER_CLA, machine, synthetic, timed


def at_issue_volumes(folder: Path, children: int) -> Path:
    """A copy of ``folder`` padded to the issue's volumes: 2 episodes and 4.75 reviews per child.

    Real returns carry more review and episode rows per child than the synthetic authority does,
    so rows are repeated (with their cells unchanged) until the counts match; validity is beside
    the point for a load benchmark.
    """
    out = folder.parent.parent.parent / f"padded_{children}"
    if (out / ".complete").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    targets = {"Episodes.csv": 2 * children, "Reviews.csv": round(4.75 * children)}
    for path in folder.glob("*.csv"):
        lines = path.read_text().splitlines()
        header, body = lines[0], lines[1:]
        want = targets.get(path.name, len(body))
        padded = (body * (want // max(len(body), 1) + 1))[:want]
        (out / path.name).write_text("\n".join([header, *padded]) + "\n")
    (out / ".complete").write_text("ok")
    return out


def bench(children: int, pad: bool = False) -> None:
    size = round(children / CHILDREN_PER_CLA)
    folder = synthetic("886", size, [2026]) / "ssda903" / "2025-26"
    if pad:
        folder = at_issue_volumes(folder, children)
    counts = {}

    def run() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            con = connect(Path(tmp) / "b.duckdb")
            rets = read_returns([folder], la="886", year=2026)
            load_returns(con, rets)
            counts.update({k: v.num_rows for k, v in rets[0].tables.items()})
            con.close()

    def read_only() -> None:
        read_returns([folder], la="886", year=2026)

    median, best, _ = timed(run)
    read_median, _, _ = timed(read_only)
    print(
        f"{counts['Header']:>6,} children, {counts['Episodes']:,} episodes, {counts['Reviews']:,} reviews: "
        f"load {median:.2f} s median ({best:.2f} s best), of which reading {read_median:.2f} s"
    )


if __name__ == "__main__":
    print(f"machine: {machine()}")
    for n in (20_000, 2_000):
        bench(n)
    print("padded to the issue's volumes (40,000 episodes, 95,000 reviews per 20,000 children):")
    for n in (20_000, 2_000):
        bench(n, pad=True)
