"""A reader's first figures in a new process: disclosure control redone (before) or the stored release read (after).

    python bench/stored_release.py --db demo-output/careboard.duckdb [--repeat 3] [--la 358] [--year 2026]

From a careboard database (``careboard demo`` writes one), two copies, timed alternately in the same run:

* built: no release stored and the file read-only (chmod 444), so every process builds each year's release in
  memory, as every process did before releases were stored;
* stored: the releases the refresh stored (``publish/stored_release.py``), read back.

In each, a new Python process (a) builds the council-wide briefing of ``--year`` as the members' first
page does (``publish.briefing.build_briefing``, with the sufficiency section: that year's and the earlier
years' releases) and (b) ``careboard pack`` writes the PDF pack.  Reported: the process's wall time, median
of ``--repeat``.  Also the refresh's added cost: ``stored_release.store_all`` (every year's release built
and stored) on the stored copy.  Quote with ``uptime``: other work on the machine moves these figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = """
import sys, time
started = time.perf_counter()
from careboard.publish.briefing import build_briefing
from careboard.refresh import open_current
con = open_current(sys.argv[1])
build_briefing(con, sys.argv[2], int(sys.argv[3]), with_sufficiency=True)
print(f"{time.perf_counter() - started:.3f}")
"""


def run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env={**os.environ})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a careboard database (careboard demo's)")
    parser.add_argument("--la", default="358")
    parser.add_argument("--year", default="2026")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from careboard.publish import stored_release
    from careboard.refresh import refresh
    from careboard.store.db import connect

    with tempfile.TemporaryDirectory() as tmp:
        stored, built = Path(tmp) / "stored.duckdb", Path(tmp) / "built.duckdb"
        src = connect(args.db)
        src.execute("CHECKPOINT")  # the file alone holds every commit: copied next
        src.close()
        shutil.copy(args.db, stored)
        con = connect(stored)
        try:
            refresh(con, publish=False)  # everything current, the releases stored
            con.execute(f"DELETE FROM {stored_release.TABLE}")
            started = time.perf_counter()
            done = stored_release.store_all(con)
            store_seconds = time.perf_counter() - started
            con.execute("CHECKPOINT")
        finally:
            con.close()
        print(f"refresh's added cost: {len(done)} releases built and stored in {store_seconds:.2f} s")
        shutil.copy(stored, built)
        con = connect(built)
        con.execute(f"DELETE FROM {stored_release.TABLE}")
        con.execute("CHECKPOINT")
        con.close()
        built.chmod(0o444)  # read-only: readers build in memory and cannot store
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for name, db in (("built", built), ("stored", stored)):
                page = [sys.executable, "-c", PAGE, str(db), args.la, args.year]
                times.setdefault(("first page", name), []).append(run(page))
                pack = ["careboard", "pack", "--db", str(db), "--la", args.la, "--year", args.year,
                        "--out", str(Path(tmp) / f"{name}.pdf")]
                times.setdefault(("careboard pack", name), []).append(run(pack))
    for what in ("first page", "careboard pack"):
        medians = {}
        for name in ("built", "stored"):
            t = times[(what, name)]
            medians[name] = statistics.median(t)
            print(f"{what:>15} {name:>6}: median {medians[name]:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in t)})")
        print(f"{what:>15} stored / built: {medians['stored'] / medians['built']:.2f}")
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
