"""Helpers shared by the synth tests."""

from __future__ import annotations

import csv
from pathlib import Path

YEARS = list(range(2020, 2027))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
