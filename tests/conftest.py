"""Shared fixtures: small hand-built 903 CSV sets and the real-format samples kept in tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, write_table
from sample_files import SAMPLES

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def samples() -> Path:
    assert SAMPLES.is_dir(), f"sample folder missing from the repository: {SAMPLES}"
    return SAMPLES


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """A tiny valid 2025-26 return for Kent in a folder named like an analyst would."""
    folder = tmp_path / "886" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", HEADER_ROWS)
    write_table(folder, "Episodes", EPISODE_ROWS)
    write_table(folder, "Reviews", REVIEW_ROWS)
    return folder
