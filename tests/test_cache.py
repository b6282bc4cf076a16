"""careboard's cache folder (issue 17): what a command-line run would otherwise make again each time.

``careboard validate`` on files opens a fresh database every run; the postcode directory's letter
files (decoded from brotli and msgpack, kept as DuckDB databases keyed by the postcode as a number)
and the reference tables are kept in the cache folder, so a later run reads them there. These tests
point the cache at a private folder, make the slow path fail, and check that the answers are the
same as when the data was made from the sources.
"""

import subprocess
import sys

import pytest

from careboard.reference import postcodes
from careboard.store import db as store_db
from careboard.store import reference

# Real postcodes in three letter files (Maidstone, Bromley, Tonbridge) and one the directory lacks.
SOURCE = "SELECT unnest(['ME14 1AE', 'BR8 7QN', 'TN16 1BW', 'ME15 6ZZ'])"
PLACED = "SELECT pcd, source, east, north, district, la, grid FROM ref_postcode ORDER BY pcd"


def placed() -> list[tuple]:
    con = store_db.connect(":memory:")
    postcodes.ensure(con, SOURCE)
    rows = con.execute(PLACED).fetchall()
    con.close()
    return rows


def test_postcodes_are_placed_from_the_cached_letters_without_decoding(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBOARD_CACHE", str(tmp_path))
    first = placed()
    kept = sorted(p.name for p in tmp_path.glob("postcodes-*/*.duckdb"))
    assert kept == ["B.duckdb", "M.duckdb", "T.duckdb"]

    def no_decoding(letter):
        raise AssertionError(f"letter {letter} decoded again")

    monkeypatch.setattr(postcodes, "letter_table", no_decoding)
    assert placed() == first
    assert [r[:2] for r in first] == [
        ("BR87QN", "postcode"), ("ME141AE", "postcode"), ("ME156ZZ", "sector"), ("TN161BW", "postcode")
    ]


def test_a_damaged_letter_file_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBOARD_CACHE", str(tmp_path))
    first = placed()
    (damaged,) = tmp_path.glob("postcodes-*/M.duckdb")
    damaged.write_bytes(b"not a DuckDB database")
    assert placed() == first
    assert damaged.read_bytes()[:16] != b"not a DuckDB dat"


@pytest.mark.parametrize("pcd", ["ME141AE", "W1A1AA", "EC1A1BB", "ZZ99ZZZ", "A11AA", "B11AA"])
def test_a_postcodes_number_gives_back_its_text(pcd):
    # The cached letter files are keyed by the number alone, so two postcodes must never share one:
    # the number read back in base 37 (0 a padding space, 1-10 digits, 11-36 letters) is the postcode.
    con = store_db.connect(":memory:")
    (number,) = con.execute(f"SELECT {postcodes.POSTCODE_NUMBER_SQL.format(pcd='?')}", [pcd]).fetchone()
    con.close()
    digits = []
    for _ in range(7):
        number, digit = divmod(number, 37)
        digits.append(" 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit])
    assert number == 0
    assert "".join(reversed(digits)).rstrip(" ") == pcd


def test_no_cache_folder_when_caching_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBOARD_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert placed()[0][:2] == ("BR87QN", "postcode")
    assert not list(tmp_path.rglob("*"))


REFERENCE = ("ref_sector", "ref_district_la", "ref_working_day", "ref_population")


def reference_tables() -> dict[str, tuple[list, list]]:
    con = store_db.connect(":memory:")
    got = {t: (con.execute(f"DESCRIBE {t}").fetchall(), con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall())
           for t in REFERENCE}
    con.close()
    return got


def test_reference_tables_come_from_the_cache_folder_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBOARD_CACHE", str(tmp_path))
    monkeypatch.setattr(reference, "_BUILT", {})  # as a new process: nothing built yet
    built = reference_tables()
    assert sorted(p.stem for p in tmp_path.rglob("*.parquet")) == sorted(REFERENCE)

    def no_building(con, kind):
        raise AssertionError("reference tables built from the vendored files again")

    monkeypatch.setattr(reference, "_BUILT", {})  # a later process: only the cache folder
    monkeypatch.setattr(reference, "_build_from_files", no_building)
    assert reference_tables() == built
    assert all(rows for _, rows in built.values())


def test_a_damaged_cache_file_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBOARD_CACHE", str(tmp_path))
    monkeypatch.setattr(reference, "_BUILT", {})
    built = reference_tables()
    (tmp_path / f"reference-{reference.fingerprint()}" / "ref_sector.parquet").write_bytes(b"not parquet")
    monkeypatch.setattr(reference, "_BUILT", {})
    assert reference_tables() == built


@pytest.mark.parametrize("heavy", [["numpy", "scipy", "fastapi", "weasyprint", "pandas"]])
def test_the_command_line_starts_without_the_heavy_libraries(heavy):
    # `careboard validate` pays for every module the command line imports at start-up: the
    # simulation (numpy), the web app and the PDF pack are imported only by the commands using them.
    code = f"import sys, careboard.cli; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cursors_of_one_database_place_postcodes_at_once(tmp_path, monkeypatch):
    # The web app's requests are cursors on one read-only database, and attached letter files belong
    # to the database, not the cursor: two requests placing postcodes together must both succeed.
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("CAREBOARD_CACHE", str(tmp_path / "cache"))
    expected = placed()
    store_db.connect(tmp_path / "db.duckdb").close()
    con = store_db.connect(tmp_path / "db.duckdb", read_only=True)

    def place(_):
        cur = con.cursor()
        try:
            postcodes.ensure(cur, SOURCE)
            return cur.execute(PLACED).fetchall()
        finally:
            cur.close()

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(place, range(4)))
    con.close()
    assert got == [expected] * 4


def test_the_synthetic_authoritys_postcode_table_is_kept_and_read_back_the_same(tmp_path, monkeypatch):
    """``careboard synth`` and ``demo`` decode the directory's English postcodes once, then read them from the
    cache: the same table, row for row and type for type.  Two real letter files (York's, and F, which holds
    Scottish postcodes the table leaves out) stand for the directory."""
    import shutil

    import numpy as np

    from careboard.synth import postcodes as synth_postcodes

    monkeypatch.setenv("CAREBOARD_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "directory"
    folder.mkdir()
    for letter in "FY":
        shutil.copy(postcodes.directory() / f"postcodes_{letter}.msgpack.br", folder)
    decoded = synth_postcodes._load_qlacref(folder)
    assert list(tmp_path.glob("cache/postcodes-*/synth-england-*.parquet"))
    assert 35_000 < len(decoded.pcd) < 100_000 and {p[:2] for p in decoded.pcd.tolist()} >= {"YO", "FY"}

    def no_decoding(_folder):
        raise AssertionError("the postcode directory decoded again")

    monkeypatch.setattr(synth_postcodes, "_decode_qlacref", no_decoding)
    kept = synth_postcodes._load_qlacref(folder)
    assert kept.pcd.dtype == object and kept.pcd.tolist() == decoded.pcd.tolist()
    for column in ("east", "north", "lad"):
        a, b = getattr(kept, column), getattr(decoded, column)
        assert a.dtype == b.dtype and np.array_equal(a, b), column
    assert kept.lad_codes == decoded.lad_codes and kept.source == decoded.source == "qlacref"
    assert kept.text(np.array([0, -1])).tolist() == decoded.text(np.array([0, -1])).tolist()
