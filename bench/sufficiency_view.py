"""A member's first view of the sufficiency section: simulated on the spot (before) or read from the refresh (after).

    python bench/sufficiency_view.py [--size 1000] [--repeat 3] [--db FILE]

Builds a synthetic authority as ``careboard load`` leaves it (or reuses ``--db``, refreshed), then, with the
year's release already built (the page builds the briefing first, which builds it), times
``publish.sufficiency.build_sufficiency`` for the latest year both ways, alternately in the same run:

* simulated: ``stored=False``, the 500 futures simulated as every first view did before issue 18's store;
* stored: the forecast the refresh summarised (``sufficiency/stored_forecast.py``) read back.

It checks the two sections are equal, and times the refresh's share of the work
(``stored_forecast.work_out``: every year's forecast), which a load now pays once instead.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

LA = "358"
YEAR = 2026


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="children in the synthetic authority")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, help="an existing careboard database (authority 358) to use instead")
    args = parser.parse_args()

    from careboard.publish.release import Releases
    from careboard.publish.sufficiency import build_sufficiency
    from careboard.refresh import refresh
    from careboard.store.db import connect
    from careboard.sufficiency.stored_forecast import work_out

    with tempfile.TemporaryDirectory() as tmp:
        if args.db is not None:
            db = args.db
        else:
            from serve import build_db  # bench/serve.py: a synthetic authority loaded and refreshed

            started = time.perf_counter()
            db = build_db(Path(tmp), args.size)
            print(f"built a {args.size:,}-child authority in {time.perf_counter() - started:.1f} s")
        con = connect(db)
        try:
            refresh(con)
            started = time.perf_counter()
            rows = work_out(con)
            print(f"refresh's share: {len(rows)} members' forecasts worked out in "
                  f"{time.perf_counter() - started:.2f} s")
            releases = Releases(LA)
            releases.get(con, YEAR)  # built by the briefing before the section, on the page
            times: dict[str, list[float]] = {"simulated": [], "stored": []}
            views = {}
            for _ in range(args.repeat):
                for name, stored in (("simulated", False), ("stored", True)):
                    started = time.perf_counter()
                    views[name] = build_sufficiency(con, LA, YEAR, releases=releases, plan=False, stored=stored)
                    times[name].append(time.perf_counter() - started)
        finally:
            con.close()
    for name, t in times.items():
        print(f"{name:>9}: median {statistics.median(t):.3f} s  (runs: {', '.join(f'{x:.3f}' for x in t)})")
    print(f"stored / simulated: {statistics.median(times['stored']) / statistics.median(times['simulated']):.3f}")
    print("sections equal:", views["simulated"] == views["stored"])


if __name__ == "__main__":
    main()
