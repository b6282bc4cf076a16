"""`careboard demo` step by step, the disclosure releases it stores and the pack it prints: this checkout, or two.

    python bench/demo.py [--repeat 3] [--size 400] [--before OTHER/src] [--db DEMO.duckdb] [--demo-only]

Each run is a new Python process with ``PYTHONPATH`` set to a careboard source folder (this checkout's
``src``; with ``--before``, another one too, e.g. ``git archive <commit> src | tar -x -C /tmp/before``),
the folders taken in turn so both meet the same machine.  Three kinds of run:

* ``careboard demo``: wall time of each step, from when the demo prints the step's line (1. generate,
  2. load, 3. validate the latest year, 4. refresh (care histories, measures, the other years' findings,
  the disclosure releases, the sufficiency plans) and scorecard, 5. the briefing and the PDF pack), and
  the process's CPU time (with the processes it waited for: ``careboard demo`` builds the disclosure releases in
  two forked processes while it works out the sufficiency plans, so CPU can exceed wall time);
* releases: every release of the demo's database built from its figures (``publish.release.build_release``,
  what the refresh's ``stored_release.store_all`` does for each authority and year), CPU seconds;
* pack: the 2025-26 pack laid out and written (``publish.pack.pdf_bytes``) from a briefing built first,
  CPU seconds.

With ``--db`` (a database ``careboard demo`` wrote), the demo is not run: only the releases and the pack are
timed, each folder on its own copy of the database.  Reported: medians of ``--repeat``, each run's figures,
and the load average (other work on the machine moves wall times most; CPU times less).  Both folders should
print the same demo, releases and pack: this benchmark only times them (compare the releases' JSON and
``pdftotext`` of the packs to check).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src"
STEPS = ("1.", "2.", "3.", "4.", "5.", "Done")
NAMES = ("generate", "load", "validate", "refresh + scorecard", "briefing + pack")

DEMO = """
import sys
from careboard.cli import main
sys.argv = ["careboard", "demo", "--out", sys.argv[1], "--size", sys.argv[2]]
main()
"""

RELEASES = """
import sys, time
from careboard.store.db import connect
from careboard.publish.release import build_release
from careboard.publish.stored_release import _wanted
con = connect(sys.argv[1], read_only=True)
started = time.process_time()
for la, year in sorted(_wanted(con)):
    build_release(con, la, year)
print(f"{time.process_time() - started:.3f}")
"""

PACK = """
import sys, time
from careboard.publish.briefing import build_briefing
from careboard.publish.pack import pdf_bytes
from careboard.refresh import open_current
con = open_current(sys.argv[1])
briefing = build_briefing(con, "358", 2026, with_sufficiency=True, with_missing_themes=True)
started = time.process_time()
pdf_bytes(briefing)
print(f"{time.process_time() - started:.3f}")
"""


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_demo(src: Path, out: Path, size: int) -> dict[str, float]:
    """Seconds per step (from the step's line to the next one's), in total, and the process's CPU."""
    cpu = _cpu()
    started = time.perf_counter()
    marks = {"start": started}
    with subprocess.Popen([sys.executable, "-c", DEMO, str(out), str(size)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=_env(src)) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            for step in STEPS:
                if line.startswith(step) and step not in marks:
                    marks[step] = time.perf_counter()
    if proc.returncode:
        raise SystemExit(f"careboard demo failed with {src}")
    order = ["start", *STEPS]
    out_times = {name: marks[b] - marks[a] for name, a, b in zip(NAMES, order, order[1:], strict=False)}
    out_times["total"] = marks["Done"] - started
    out_times["CPU"] = _cpu() - cpu
    return out_times


def run_script(src: Path, script: str, *args: str) -> float:
    done = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True,
                          env=_env(src))
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--before", type=Path, help="another careboard source folder to time alongside")
    parser.add_argument("--db", type=Path, help="a demo database: time only its releases and pack")
    parser.add_argument("--demo-only", action="store_true", help="time only careboard demo (not the releases and "
                        "pack again, each from its database)")
    args = parser.parse_args()
    folders = {"after": HERE} | ({"before": args.before.resolve()} if args.before else {})
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in folders:
            if args.db:  # each folder its own copy: a careboard whose disclosure control differs refreshes it
                (Path(tmp) / name).mkdir()
                shutil.copy(args.db, Path(tmp) / name / "careboard.duckdb")
        for n in range(args.repeat):
            for name, src in (reversed(folders.items()) if n % 2 else folders.items()):
                out = Path(tmp) / name
                if not args.db:
                    for what, t in run_demo(src, out, args.size).items():
                        times.setdefault((name, what), []).append(t)
                db = str(out / "careboard.duckdb")
                if not args.demo_only:
                    times.setdefault((name, "releases CPU"), []).append(run_script(src, RELEASES, db))
                    times.setdefault((name, "pack CPU"), []).append(run_script(src, PACK, db))
                load = os.getloadavg()
                print(f"run {n + 1} {name}: done (load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})", flush=True)
    whats = ([] if args.db else [*NAMES, "total", "CPU"]) + ([] if args.demo_only else ["releases CPU", "pack CPU"])
    for what in whats:
        medians = {}
        for name in folders:
            t = times[(name, what)]
            medians[name] = statistics.median(t)
            print(f"{what:>20} {name:>6}: median {medians[name]:7.2f} s  (runs: {', '.join(f'{x:.2f}' for x in t)})")
        if len(medians) == 2 and medians["before"]:
            print(f"{what:>20}  after / before: {medians['after'] / medians['before']:.2f}")
    load = os.getloadavg()
    print(f"load: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
