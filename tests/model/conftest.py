"""Synthetic authorities with their care-history model built, shared by the model tests (one build each
per test process)."""

from __future__ import annotations

from pathlib import Path

import pytest


def built(tmp_path_factory, la: str, size: int, seed: int) -> Path:
    """A synthetic authority's returns loaded and its care-history model built (no measures: not needed)."""
    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate
    from fresh_db import fresh_file

    out = tmp_path_factory.mktemp(f"areas_{la}")
    generate(out, la, size, [2025, 2026], seed)
    db = fresh_file(out / "c.duckdb")
    con = connect(db)
    try:
        load_returns(con, read_returns([out / la / "ssda903"], la))
        build(con)
    finally:
        con.close()
    return db


@pytest.fixture(scope="session")
def unitary(tmp_path_factory) -> Path:
    return built(tmp_path_factory, "358", 260, 11)  # Trafford: one district of its own


@pytest.fixture(scope="session")
def county(tmp_path_factory) -> Path:
    return built(tmp_path_factory, "886", 500, 12)  # Kent: twelve district councils
