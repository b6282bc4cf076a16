"""The refresh's releases and sufficiency plans in one process, or the releases in forked ones beside the plans.

    python bench/refresh_workers.py --db demo-output/careboard.duckdb [--repeat 3]

``careboard demo`` refreshes with ``workers=2``: the disclosure releases are built by two forked processes
while the demo's own process works out the sufficiency plans (publish/stored_release.start_stale).  Each
run is a new Python process on its own copy of the database, with the stored releases and plans removed,
so the refresh builds both again: ``workers=1`` (every other caller) and ``workers=2`` taken in turn, so both
meet the same machine.  Reported: wall seconds of the refresh, the process's own CPU and its forked
processes' CPU, medians of ``--repeat``, and the load average.  The stored releases of the two are compared
byte for byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src"

RUN = """
import resource, sys, time
from careboard.refresh import refresh
from careboard.store.db import connect
con = connect(sys.argv[1])
con.execute("DELETE FROM disclosure_releases")
con.execute("DROP TABLE IF EXISTS sufficiency_plan_state")
started = time.perf_counter()
done = refresh(con, sys.argv[1], publish=False, workers=int(sys.argv[2]))
wall = time.perf_counter() - started
assert done.releases and done.plans is not None
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)
print(repr(con.execute("SELECT la, year, release FROM disclosure_releases ORDER BY ALL").fetchall()))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database careboard demo wrote")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
    stored: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.repeat):
            for workers in ((2, 1) if n % 2 else (1, 2)):
                copy = Path(tmp) / f"w{workers}.duckdb"
                shutil.copy(args.db, copy)
                done = subprocess.run([sys.executable, "-c", RUN, str(copy), str(workers)], check=True,
                                      capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(HERE)})
                first, releases = done.stdout.splitlines()[:2]
                times[workers].append(tuple(float(x) for x in first.split()))
                stored[workers] = releases
                load = os.getloadavg()
                print(f"run {n + 1} workers={workers}: {first} (load {load[0]:.1f})", flush=True)
    for workers, runs in times.items():
        wall, own, kids = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"workers={workers}: refresh median {wall:6.2f} s wall, {own:6.2f} s CPU in the process, "
              f"{kids:6.2f} s in forked ones")
    print(f"wall workers=2 / workers=1: "
          f"{statistics.median(r[0] for r in times[2]) / statistics.median(r[0] for r in times[1]):.2f}")
    print("stored releases the same bytes:", stored[1] == stored[2])
    load = os.getloadavg()
    print(f"load: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
