"""Disclosure control of a small authority, year by year: each release's CPU and hash, before and after.

    python bench/suppress_small.py [--before OTHER/src] [--repeat 3]      # a 60-child Kent, 2024-2026
    python bench/suppress_small.py --db demo-output/careboard.duckdb --la 358   # any database (the demo's)

Small authorities cost disclosure control the most: with few children almost every count is 1 to 5, so
the suppression search (``publish/suppress.py:protect``) hides about a thousand counts a year and audits
the ranges of each through one large connected set of unknowns (``publish/cells.py``).  Without ``--db``,
the authority is ``careboard synth out --la 886 --size 60 --years 2024-2026`` loaded with ``careboard load``
(made once with this careboard, then kept under ``bench/out``).

Each source folder (this one's ``src``, and ``--before``'s, e.g. ``git archive <commit> src | tar -x -C
/tmp/before``) builds every year's release (``publish/release.py:build_release``) in a new process, the
folders taken in turn, ``--repeat`` times.  Reported per year: the median CPU seconds, after / before,
and the release's hash (SHA-256 of ``stored_release.encode``): the same hash means the same release, byte for
byte.  Quote with the load average printed: other work on the machine moves the seconds, not the hashes.
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

HERE = Path(__file__).resolve().parents[1] / "src"
OUT = Path(__file__).resolve().parent / "out"

# One process: each year's release built from the database (read-only), its hash and CPU seconds.
RELEASES = """
import hashlib, sys, time
from careboard.publish.release import build_release, read_years
from careboard.publish.stored_release import encode
from careboard.store.db import connect
con = connect(sys.argv[1], read_only=True)
for year in read_years(con, sys.argv[2]):
    started = time.process_time()
    r = build_release(con, sys.argv[2], year)
    cpu = time.process_time() - started
    print(year, hashlib.sha256(encode(r).encode()).hexdigest()[:16], f"{cpu:.3f}", len(r.outcome.suppressed),
          len(r.outcome.hidden), flush=True)
"""


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def small_authority(la: str, size: int, years: str) -> Path:
    """The synthetic authority loaded into a database under bench/out (made once, with this careboard)."""
    folder = OUT / f"suppress_small_{la}_{size}_{years}"
    db = folder / "careboard.duckdb"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        run = {"check": True, "capture_output": True, "env": _env(HERE)}
        subprocess.run(["careboard", "synth", str(folder / "returns"), "--la", la, "--size", str(size),
                        "--years", years], **run)
        subprocess.run(["careboard", "load", str(folder / "returns" / la), "--db", str(db)], **run)
        (folder / ".complete").write_text("ok")
    return db


def releases(src: Path, db: Path, la: str) -> dict[int, tuple[str, float, int, int]]:
    done = subprocess.run([sys.executable, "-c", RELEASES, str(db), la], check=True, capture_output=True,
                          text=True, env=_env(src))
    out = {}
    for line in done.stdout.strip().splitlines():
        year, digest, cpu, suppressed, hidden = line.split()
        out[int(year)] = (digest, float(cpu), int(suppressed), int(hidden))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a careboard database (default: the 60-child Kent, made once)")
    parser.add_argument("--la", default="886")
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--years", default="2024-2026")
    parser.add_argument("--before", type=Path, help="another careboard source folder to time alongside")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = args.db or small_authority(args.la, args.size, args.years)
    folders = {"after": HERE} | ({"before": args.before.resolve()} if args.before else {})
    runs: dict[str, list[dict[int, tuple[str, float, int, int]]]] = {name: [] for name in folders}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "careboard.duckdb"
        shutil.copy(source, db)  # a copy: nothing here writes, and the source may be in use
        for n in range(args.repeat):
            for name, src in (reversed(folders.items()) if n % 2 else folders.items()):
                runs[name].append(releases(src, db, args.la))
                load = os.getloadavg()
                print(f"run {n + 1} {name}: done (load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})", flush=True)
    years = sorted(runs["after"][0])
    totals = {name: 0.0 for name in folders}
    for year in years:
        line = [f"{year}:"]
        for name in folders:
            digest, _, suppressed, hidden = runs[name][0][year]
            cpu = statistics.median(r[year][1] for r in runs[name])
            totals[name] += cpu
            line.append(f"{name} {cpu:6.2f} s CPU (hash {digest}, {suppressed} counts and {hidden} figures hidden)")
        if len(folders) == 2:
            same = runs["after"][0][year][0] == runs["before"][0][year][0]
            line.append(f"after / before {_ratio(runs, year):.2f}; {'same' if same else 'DIFFERENT'} release")
        print("  ".join(line))
    print("total: " + ", ".join(f"{name} {t:.2f} s CPU" for name, t in totals.items())
          + (f"; after / before {totals['after'] / totals['before']:.2f}" if len(folders) == 2 else ""))
    load = os.getloadavg()
    print(f"load: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


def _ratio(runs: dict, year: int) -> float:
    after = statistics.median(r[year][1] for r in runs["after"])
    before = statistics.median(r[year][1] for r in runs["before"])
    return after / before if before else float("nan")


if __name__ == "__main__":
    main()
