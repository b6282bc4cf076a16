"""Where the real-format sample files live: inside the repository, with their provenance and licence
in tests/data/samples/README.md, so a fresh clone runs every reader test."""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


def sample(relative: str) -> Path:
    """A sample file; a missing one fails the test (it belongs in the repository), never skips it."""
    path = SAMPLES / relative
    assert path.is_file(), f"sample file missing from the repository: {path}"
    return path
