"""Benchmark: a 20,000-children-looked-after authority over 7 years (2020-2026), CSV layout.

Run ``python bench/synth.py [size]``.  Prints wall and CPU time per stage and in total; the target is
under 30 s on the project's 2-core machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from careboard.synth import generate


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    stamps: list[tuple[str, float, float]] = []
    t0, c0 = time.perf_counter(), time.process_time()

    def step(message: str) -> None:
        stamps.append((message, time.perf_counter() - t0, time.process_time() - c0))

    with tempfile.TemporaryDirectory() as tmp:
        result = generate(Path(tmp), "886", size, range(2020, 2027), seed=1, progress=step)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        size_mb = sum(p.stat().st_size for p in result.paths) / 1e6
    for i, (msg, w, c) in enumerate(stamps):
        nw, nc = (stamps[i + 1][1], stamps[i + 1][2]) if i + 1 < len(stamps) else (wall, cpu)
        print(f"  {msg:<18} {nw - w:6.2f} s wall {nc - c:6.2f} s cpu")
    rows = sum(sum(v.values()) for v in result.counts.values())
    print(f"synth bench: {size} children looked after, 7 years, {len(result.paths)} files, {rows} 903 rows, "
          f"{size_mb:.0f} MB: {wall:.1f} s wall, {cpu:.1f} s cpu")


if __name__ == "__main__":
    main()
