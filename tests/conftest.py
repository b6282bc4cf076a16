"""Shared fixtures: small hand-built 903 CSV sets and paths to the shared real-format samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, write_table

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("shared/ reference folder not present beside the repository")
    return SHARED


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """A tiny valid 2025-26 return for Kent in a folder named like an analyst would."""
    folder = tmp_path / "886" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", HEADER_ROWS)
    write_table(folder, "Episodes", EPISODE_ROWS)
    write_table(folder, "Reviews", REVIEW_ROWS)
    return folder
