"""Shared synthetic authorities for the synth tests (generated once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from synth_helpers import YEARS

from careboard.synth import generate


@pytest.fixture(scope="session")
def small_authority(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small Kent (886) over 2020-2026, CSV layout, seed 11."""
    out = tmp_path_factory.mktemp("synth_small")
    generate(out, "886", 400, YEARS, seed=11)
    return out / "886"


@pytest.fixture(scope="session")
def with_errors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth_errors")
    generate(out, "E06000001", 150, [2024, 2025, 2026], seed=5, errors=0.02)  # Hartlepool by ONS code
    return out / "805"
