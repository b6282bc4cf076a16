"""Property tests: whatever bytes arrive, reading raises only ReturnError and loading is all-or-nothing."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, write_table
from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def valid_set(folder: Path) -> None:
    write_table(folder, "Header", HEADER_ROWS)
    write_table(folder, "Episodes", EPISODE_ROWS)
    write_table(folder, "Reviews", REVIEW_ROWS)


def counts(con) -> tuple:
    return tuple(
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("loads", "load_files", "load_warnings", "ssda903_header", "ssda903_episodes", "ssda903_reviews")
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("prop")
    con = store_db.connect(root / "p.duckdb")
    other = root / "887" / "2025-26"
    other.mkdir(parents=True)
    valid_set(other)
    load_returns(con, read_returns([other]))
    yield root, con
    con.close()


def attempt(con, folder: Path) -> None:
    """Read and load; only ReturnError may escape (a file that cannot be read, or a load refused
    because it would lose tables), and on it the database must be unchanged."""
    before = counts(con)
    try:
        load_returns(con, read_returns([folder]))
    except ReturnError as exc:
        assert exc.errors and all(e.message for e in exc.errors)
        assert counts(con) == before
        return
    assert counts(con) >= before


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_csv(base, data):
    root, con = base
    folder = root / "886" / "2025-26"
    folder.mkdir(parents=True, exist_ok=True)
    valid_set(folder)
    (folder / "Episodes.csv").write_bytes(data)
    attempt(con, folder)


@SETTINGS
@given(cut=st.floats(min_value=0, max_value=1), which=st.sampled_from(["Header", "Episodes", "Reviews"]))
def test_truncated_files(base, cut, which):
    root, con = base
    folder = root / "886" / "2025-26"
    folder.mkdir(parents=True, exist_ok=True)
    valid_set(folder)
    path = folder / f"{which}.csv"
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    attempt(con, folder)


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@SETTINGS
@given(rows=st.lists(st.fixed_dictionaries({"CHILD": cell, "DECOM": cell, "PLACE": cell, "DEC": cell}), max_size=5))
def test_random_cells(base, rows):
    root, con = base
    folder = root / "886" / "2025-26"
    folder.mkdir(parents=True, exist_ok=True)
    valid_set(folder)
    write_table(folder, "Episodes", [{k: v.replace(",", "").replace('"', "") for k, v in r.items()} for r in rows])
    attempt(con, folder)


@SETTINGS
@given(
    data=st.binary(max_size=300),
    prefix=st.sampled_from([b"", b"<EXPSSDA903>", b"<Message>", b"<?xml version='1.0'?>"]),
)
def test_random_xml(base, data, prefix):
    root, con = base
    folder = root / "xml"
    folder.mkdir(exist_ok=True)
    path = folder / "r_886_2025-26.xml"
    path.write_bytes(prefix + data)
    before = counts(con)
    try:
        load_returns(con, read_returns([path]))
    except ReturnError:
        assert counts(con) == before
        return
