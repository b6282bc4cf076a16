"""Shared helpers for the benchmark scripts: synthetic inputs (cached) and timing."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

# A return holds every child looked after at any time in the year: about 1.7 times the number
# looked after on 31 March in the synthetic authorities, so size 11,800 gives ~20,000 children.
CHILDREN_PER_CLA = 1.7


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def synthetic(la: str, size: int, years: list[int], seed: int = 1) -> Path:
    """A synthetic authority's returns under bench/out (generated once, then reused)."""
    from careboard.synth import generate

    folder = OUT / f"synth_{la}_{size}_{years[0]}_{years[-1]}_{seed}"
    done = folder / ".complete"
    if not done.exists():
        generate(folder, la, size, years, seed)
        done.write_text("ok")
    return folder / la


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float, object]:
    """(median seconds, best seconds, last result) over ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result
