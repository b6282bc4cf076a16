"""Benchmark: ``careboard validate`` on a file that is not a return (issue 12, item 6).

    python bench/validate_garbage.py [--rows 1000000] [--table Episodes]

Writes a CSV with the DfE header row of one 903 table and ``--rows`` rows of random text, then runs
``careboard validate`` on it in a child process (with ``--out``, ``--xlsx`` and ``--html``) and
reports its wall time, peak resident memory (the child's maximum RSS) and what it printed.  Before
the fix (issue 12): 139 s, 14.7 GB and 16.5 M findings for one million rows.
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
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.returns.spec import ssda903
from common import machine


def garbage_csv(path: Path, table: str, rows: int, seed: int = 1) -> None:
    """``rows`` rows of random printable text under the table's DfE header row."""
    rng = np.random.default_rng(seed)
    alphabet = np.frombuffer(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-.", dtype="S1")
    columns = {}
    for name in ssda903().tables[table].column_names:
        width = int(rng.integers(3, 12))
        cells = rng.choice(alphabet, size=(rows, width)).view(f"S{width}").ravel()
        columns[name] = pa.array(cells.astype(str), pa.string())
    pacsv.write_csv(pa.table(columns), path, pacsv.WriteOptions(quoting_style="none"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--table", default="Episodes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "886" / "2025-26"
        folder.mkdir(parents=True)
        garbage_csv(folder / f"{args.table}.csv", args.table, args.rows)
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
    print(f"{args.rows:,} rows of random text as {args.table}.csv ({size / 1e6:.0f} MB)")
    print(f"careboard validate: exit {done.returncode} in {seconds:.1f} s, peak RSS {peak_kb / 1e6:.2f} GB")
    print(f"reports written: {written or 'none'}")
    text = (done.stdout + done.stderr).strip().splitlines()
    print("\n".join(text[:3] + (["...", *text[-6:]] if len(text) > 9 else text[3:])))


if __name__ == "__main__":
    main()
