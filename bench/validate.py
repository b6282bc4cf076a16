"""Benchmark: every DfE rule for a 20,000-child return with last year's return loaded.

    python bench/validate.py [--compare]
    python bench/validate.py --cli [--leavers] [--compare]
    python bench/validate.py --profile [--leavers]
    python bench/validate.py --cin [--compare] [--d2i-cin-python /opt/d2i-cin/bin/python]

Default: the rules alone, in this process, on a return already loaded (target of issue 4: under 3 s
on 2 cores).  ``--compare`` also times the community validator (csc-validator-be-903, if installed
in /opt/d2i) on the same CSV files, once, in the same run.

``--cli`` (issue 17): end to end from the command line, as a user runs it: a child process of the
real ``careboard validate NOW --last-year LAST --out findings.csv`` (start-up, reading, typing, every
rule, writing the findings), median of 5 after one run that fills careboard's cache folder (the
decoded postcode letters and reference tables) and compiles its modules, as installing it does
(``_child_environment``); that first run is reported too.  The command is the console script beside
this Python, not a version manager's shim (``_careboard``).  The child's CPU
seconds (all its threads) are given beside the wall time: on a machine shared with other work the
wall time mostly measures the wait for a core.  Target: under
1.2 s median on 2 cores and at least 40x csc-validator-be-903, whose time is given both as it
reports it (reading and validating) and as its whole process (with its start-up).

``--leavers``: the return with many care leavers instead (a synthetic authority of 21,500 looked
after at 31 March: about 37,400 header rows, 12,300 of them care leavers with OC3 rows, and 50,000
episodes); target under 2 s end to end.

``--profile``: where one run's time goes, step by step in this process (wall and CPU seconds: the
machine may be busy).

``--cin``: a CIN census of 20,000 children in need, checked with last year's census and the
SSDA903 of the same year loaded (every CIN rule and cross-check runs); target (issue 14) under 2 s
on 2 cores.  ``--compare`` times csc-validator-be-cin on the same XML file (read + validate).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from common import CHILDREN_PER_CLA, machine, synthetic, timed

D2I_PYTHON = Path("/opt/d2i/bin/python")
D2I_CIN_PYTHON = Path("/opt/d2i-cin/bin/python")
# The return with many care leavers: the synthetic authority's size (children looked after on 31 March)
# that gives about 37,400 header rows (12,300 care leavers) and 50,000 episodes in a year's return.
LEAVERS_SIZE = 21_500
# Children in a synthetic CIN census per child looked after on 31 March (9.2 in the synthetic
# authorities, near England's 704,430 children in need during 2024-25 per 81,770 looked after).
CIN_CHILDREN_PER_CLA = 9.2


def main_cin(children: int, compare: bool, d2i_python: Path) -> None:
    from careboard.validate.ruleset import CIN

    root = synthetic("886", round(children / CIN_CHILDREN_PER_CLA), [2025, 2026])
    census = root / "cin" / "2025-26" / "cin_census_886_2025-26.xml"
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "v.duckdb")
        (now,) = load_returns(con, read_returns([census]))
        (prev,) = load_returns(con, read_returns([root / "cin" / "2024-25"]))
        (ssda903,) = load_returns(con, read_returns([root / "ssda903" / "2025-26"], la="886", year=2026))
        n = now.ret.tables["Child"].num_rows
        median, best, result = timed(
            lambda: run_rules(con, now.load_id, 2026, "886", prev.load_id, now.ret.invalid_cells, ruleset=CIN,
                              ssda903_load_id=ssda903.load_id),
            repeat=5,
        )
        con.close()
    print(f"machine: {machine()}")
    print(
        f"CIN census: {n:,} children, {now.ret.tables['CINEpisode'].num_rows:,} episodes, with last year's census "
        f"and the SSDA903: {len(result.rules_run)} rules in {median:.2f} s median ({best:.2f} s best); "
        f"{result.total} findings; {len(result.skipped)} rules not run"
    )
    if compare and d2i_python.exists():
        from compare_validators_cin import d2i_findings

        d2i = d2i_findings(d2i_python, census, 2026)["seconds"]
        print(f"csc-validator-be-cin on the same file: {d2i:.1f} s (read + validate); ratio {d2i / median:.0f}x")


def _folders(children: int, leavers: bool) -> tuple[Path, Path]:
    size = LEAVERS_SIZE if leavers else round(children / CHILDREN_PER_CLA)
    root = synthetic("886", size, [2025, 2026])
    return root / "ssda903" / "2025-26", root / "ssda903" / "2024-25"


def _describe(this_year: Path) -> str:
    def rows(name: str) -> int:
        with (this_year / f"{name}.csv").open("rb") as f:
            return sum(1 for _ in f) - 1

    return f"{rows('Header'):,} header rows ({rows('OC3'):,} with OC3), {rows('Episodes'):,} episodes"


def _careboard() -> list[str]:
    """The real ``careboard`` command (running the code on PYTHONPATH, as the console script does).

    The console script installed beside this Python, as an activated virtual environment finds it;
    not a version manager's shim found first on PATH (pyenv's runs a shell script and ``pyenv exec``
    before Python starts: about 0.06 s of CPU that is not careboard's)."""
    beside = Path(sys.executable).parent / "careboard"
    found = str(beside) if beside.is_file() else shutil.which("careboard")
    return [found] if found else [sys.executable, "-c", "from careboard.cli import main; main()"]


def _child_environment(folder: Path) -> dict[str, str]:
    """This environment, with Python's compiled modules kept in ``folder`` between runs.

    An installed careboard's modules are compiled once (pip does it on install); with
    PYTHONDONTWRITEBYTECODE set (as on this project's build machines) every run of code on
    PYTHONPATH compiled each of its modules again, about 0.1 s of CPU a run that no user pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    return env


def _d2i(this_year: Path, last_year: Path) -> tuple[float, float]:
    """csc-validator-be-903 on the same files: (seconds it reports for reading and validating,
    seconds of its whole process, start-up included)."""
    from compare_validators import d2i_findings

    start = time.perf_counter()
    reported = d2i_findings(D2I_PYTHON, this_year, last_year, 2026, "886")["seconds"]
    return reported, time.perf_counter() - start


def main_cli(this_year: Path, last_year: Path, compare: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "findings.csv"
        command = [*_careboard(), "validate", str(this_year), "--last-year", str(last_year), "--out", str(out)]
        environment = _child_environment(Path(tmp) / "bytecode")

        cpu: list[float] = []

        def run() -> str:
            before = _children_cpu()
            done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)
            cpu.append(_children_cpu() - before)
            if done.returncode != 0:
                raise SystemExit(f"careboard validate failed: {done.stderr.strip()[-2000:]}")
            return done.stdout

        first, _, _ = timed(run, repeat=1)
        median, best, printed = timed(run, repeat=5)
        findings = sum(1 for _ in out.open("rb")) - 1
    cpu_median = statistics.median(cpu[1:])
    print(f"machine: {machine()}; load average when done: {os.getloadavg()[0]:.1f}")
    print(f"return: {_describe(this_year)}, with last year's return")
    print(f"command: careboard validate NOW --last-year LAST --out findings.csv ({findings:,} findings)")
    print(f"end to end: {median:.2f} s median of 5 ({best:.2f} s best), {cpu_median:.2f} s CPU (median, all "
          f"threads); first run, cache folder as found: {first:.2f} s, {cpu[0]:.2f} s CPU")
    print(f"careboard says: {printed.splitlines()[0]}")
    if compare and D2I_PYTHON.exists():
        before = _children_cpu()
        reported, whole = _d2i(this_year, last_year)
        d2i_cpu = _children_cpu() - before
        print(
            f"csc-validator-be-903 on the same files, same run: {reported:.1f} s reading and validating "
            f"({whole:.1f} s with its start-up, {d2i_cpu:.1f} s CPU); ratio {reported / median:.0f}x "
            f"({whole / median:.0f}x end to end; {d2i_cpu / cpu_median:.0f}x in CPU seconds)"
        )


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main_profile(this_year: Path, last_year: Path) -> None:
    """Each step of ``careboard validate`` on files, in this process (CPU seconds count DuckDB's
    threads too).  For the rule query itself, DuckDB's profiler (``SET enable_profiling = 'json'``,
    ``SET profiling_mode = 'detailed'``) splits planning, each optimizer pass and running."""
    from careboard.validate import report, runner
    from careboard.validate.context import prepare

    steps: list[tuple[str, float, float]] = []
    wall, cpu = time.perf_counter(), time.process_time()

    def step(name: str) -> None:
        nonlocal wall, cpu
        steps.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()

    now = read_returns([this_year], strict=False)
    step("read and type this year's files")
    prev = read_returns([last_year], now[0].authority.code, now[0].year - 1, strict=False)
    step("read and type last year's files")
    con = connect(":memory:")
    con.execute(f"SET checkpoint_threshold = '{runner.NEVER_CHECKPOINT}'")  # as careboard validate does
    step("open a database (schema, reference tables)")
    (loaded,) = load_returns(con, now)
    (loaded_last,) = load_returns(con, prev)
    step("load both returns")
    ret = now[0]
    prepare(con, loaded.load_id, loaded_last.load_id, ret.year, ret.authority.code)
    step("prepare the run (postcodes placed, per-return tables)")
    result = run_rules(con, loaded.load_id, ret.year, ret.authority.code, loaded_last.load_id,
                       ret.invalid_cells, prev[0].invalid_cells, prepared=True)
    step("run every rule (one query, counts, spool)")
    checked = runner.Checked(result, ret.authority.code, ret.year, runner._files(con, loaded.load_id))
    with tempfile.TemporaryDirectory() as tmp:
        report.write_csv(checked, Path(tmp) / "findings.csv")
    step("write the findings CSV")
    print(f"machine: {machine()}")
    print(f"return: {_describe(this_year)}, with last year's return; {result.total:,} findings")
    for name, w, c in steps:
        print(f"  {name:55s} {w:6.2f} s wall {c:6.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--cli", action="store_true", help="end to end: the careboard validate command")
    parser.add_argument("--leavers", action="store_true", help="the return with many care leavers")
    parser.add_argument("--profile", action="store_true", help="where the time of one run goes")
    parser.add_argument("--cin", action="store_true", help="the CIN census instead of the SSDA903")
    parser.add_argument("--d2i-cin-python", type=Path, default=D2I_CIN_PYTHON)
    args = parser.parse_args()
    if args.cin:
        main_cin(args.children, args.compare, args.d2i_cin_python)
        return
    this_year, last_year = _folders(args.children, args.leavers)
    if args.cli:
        main_cli(this_year, last_year, args.compare)
        return
    if args.profile:
        main_profile(this_year, last_year)
        return
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "v.duckdb")
        (now,) = load_returns(con, read_returns([this_year], la="886", year=2026))
        (prev,) = load_returns(con, read_returns([last_year], la="886", year=2025))
        children = now.ret.tables["Header"].num_rows
        median, best, result = timed(lambda: run_rules(con, now.load_id, 2026, "886", prev.load_id), repeat=5)
        con.close()
    print(f"machine: {machine()}")
    print(
        f"{children:,} children, {now.ret.tables['Episodes'].num_rows:,} episodes, with last year's return: "
        f"{len(result.rules_run)} rules in {median:.2f} s median ({best:.2f} s best); "
        f"{result.total} findings; {len(result.skipped)} rules not run"
    )
    if args.compare and D2I_PYTHON.exists():
        reported, _ = _d2i(this_year, last_year)
        print(f"csc-validator-be-903 on the same files: {reported:.1f} s (read + validate); "
              f"ratio {reported / median:.0f}x")


if __name__ == "__main__":
    main()
