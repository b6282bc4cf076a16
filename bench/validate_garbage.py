"""Benchmark: ``careboard validate`` on a file that is not a return (issue 12, item 6).

    python bench/validate_garbage.py [--rows 1000000] [--table Episodes] [--dates]

Writes a CSV with the DfE header row of one 903 table and ``--rows`` rows of random text, then runs
``careboard validate`` on it in a child process (with ``--out``, ``--xlsx`` and ``--html``) and
reports its wall time, peak resident memory (the child's maximum RSS) and what it printed.  Before
the fix (issue 12): 139 s, 14.7 GB and 16.5 M findings for one million rows; such a file is now
refused before any rule runs.  ``--dates`` puts real dates in the date columns, so the file is read
and every rule runs: the bound on memory for a large return with millions of findings.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.returns.spec import ssda903
from common import machine


def garbage_csv(path: Path, table: str, rows: int, seed: int = 1, dates: bool = False) -> None:
    """``rows`` rows of random printable text under the table's DfE header row (with ``dates``, every
    date column holds real dd/mm/yyyy dates, so the file is read and every rule runs on it)."""
    rng = np.random.default_rng(seed)
    alphabet = np.frombuffer(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-.", dtype="S1")
    columns = {}
    for column in ssda903().tables[table].columns:
        if dates and column.type == "date":
            days = rng.integers(0, 3650, size=rows).astype("timedelta64[D]") + np.datetime64("2016-04-01")
            text = pc.strftime(pa.array(days, pa.date32()).cast(pa.timestamp("s")), format="%d/%m/%Y")
            columns[column.name] = text
            continue
        width = int(rng.integers(3, 12))
        cells = rng.choice(alphabet, size=(rows, width)).view(f"S{width}").ravel()
        columns[column.name] = pa.array(cells.astype(str), pa.string())
    path.write_text(",".join(columns) + "\n")  # the header row as the DfE writes it (no quotes)
    with path.open("ab") as f:
        pacsv.write_csv(pa.table(columns), f, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--table", default="Episodes")
    parser.add_argument("--dates", action="store_true",
                        help="real dates in the date columns: the file is read and every rule runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "886" / "2025-26"
        folder.mkdir(parents=True)
        garbage_csv(folder / f"{args.table}.csv", args.table, args.rows, dates=args.dates)
        size = (folder / f"{args.table}.csv").stat().st_size
        cli = "from careboard.cli import app; app(prog_name='careboard')"
        cmd = [sys.executable, "-c", cli, "validate", str(folder),
               "--out", f"{tmp}/f.csv", "--xlsx", f"{tmp}/f.xlsx", "--html", f"{tmp}/f.html"]
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        written = {p.name: p.stat().st_size for p in Path(tmp).glob("f.*")}
    print(f"machine: {machine()}")
    what = "random text (real dates)" if args.dates else "random text"
    print(f"{args.rows:,} rows of {what} as {args.table}.csv ({size / 1e6:.0f} MB)")
    print(f"careboard validate: exit {done.returncode} in {seconds:.1f} s, peak RSS {peak_kb / 1e6:.2f} GB")
    print(f"reports written: {written or 'none'}")
    text = (done.stdout + done.stderr).strip().splitlines()
    print("\n".join(text[:3] + (["...", *text[-6:]] if len(text) > 9 else text[3:])))


if __name__ == "__main__":
    main()
