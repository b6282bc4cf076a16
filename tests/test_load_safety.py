"""Safe to load (issue 12, items 1-5): no silent loss of tables, explicit partial replacement with
provenance, authority and year checked against the names, the UPNs and the dates, 903 XML taking
its year from its names, and the folder `careboard synth` writes loading as it is."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, cli_load_small_set, write_table
from careboard.cli import app
from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.returns.xml903 import write_ssda903_xml
from careboard.store import db as store_db
from careboard.store.load import LoadRefused, load_returns
from careboard.store.loaded import loaded_returns
from careboard.synth import generate
from fresh_db import fresh_file

runner = CliRunner()
KEY = b"a-test-key-of-at-least-16-bytes"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def snapshot(con) -> dict:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
    ).fetchall()]
    return {n: sorted(map(repr, con.execute(f"SELECT * FROM {n}").fetchall())) for n in names}


@pytest.fixture
def con(tmp_path):
    c = store_db.connect(fresh_file(tmp_path / "t.duckdb"))
    yield c
    c.close()


@pytest.fixture(scope="module")
def cli_loaded_once(tmp_path_factory) -> Path:
    """`careboard load` of the small 2025-26 set (tests/conftest.py's small_set, written again here), run once for
    the module: the database as the command leaves it.  The command-line tests that load more into it each take
    a copy (:func:`cli_loaded`)."""
    return cli_load_small_set(tmp_path_factory.mktemp("cli_loaded"))


@pytest.fixture
def cli_loaded(cli_loaded_once, tmp_path) -> Path:
    """A copy of the database `careboard load` of the small set left, for one test to load more into."""
    db = tmp_path / "c.duckdb"
    shutil.copyfile(cli_loaded_once, db)
    return db


@pytest.fixture(scope="module")
def synth_root(tmp_path_factory) -> Path:
    """What `careboard synth OUT --la 886 --size 300 --years 2024-2026` writes (seeded)."""
    out = tmp_path_factory.mktemp("synth")
    generate(out, "886", 300, [2024, 2025, 2026], seed=7)
    return out / "886"


def upn(la: str, n: int) -> str:
    """A UPN-shaped identifier allocated by authority ``la`` (the check letter is not checked here)."""
    return f"A{la}{n:09d}"


# -- 1. an incomplete set never silently replaces a complete return --------------------------------


def test_a_header_on_its_own_is_refused_naming_every_table_it_would_empty(con, small_set, tmp_path):
    load_returns(con, read_returns([small_set]))
    before = snapshot(con)
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    write_table(fix, "Header", HEADER_ROWS[:1])
    with pytest.raises(LoadRefused) as info:
        load_returns(con, read_returns([fix]))
    (issue,) = info.value.errors
    assert "would replace the loaded SSDA903 886 Kent 2025-26 return (load 1)" in issue.message
    assert "Episodes (3 rows; no file given holds it)" in issue.message
    assert "Reviews (1 row; no file given holds it)" in issue.message
    assert f"careboard load {fix} --la 886 --year 2026 --replace-tables Header" in issue.message
    assert snapshot(con) == before


def test_a_header_only_table_file_is_a_loss_too(con, small_set):
    load_returns(con, read_returns([small_set]))
    write_table(small_set, "Episodes", [])
    with pytest.raises(LoadRefused) as info:
        load_returns(con, read_returns([small_set]))
    assert "Episodes (3 rows; Episodes.csv has no rows)" in info.value.errors[0].message
    assert "--replace-tables Header,Reviews" in info.value.errors[0].message


def test_cli_refusal_exits_non_zero_with_the_command_to_use(cli_loaded, small_set):
    db = cli_loaded  # the small set loaded by `careboard load`
    for name in ("Episodes.csv", "Reviews.csv"):
        (small_set / name).unlink()
    res = invoke("load", small_set, "--db", db)
    assert res.exit_code == 1
    assert "Nothing was loaded" in res.output and "Episodes (3 rows" in res.output
    assert f"careboard load {small_set} --la 886 --year 2026 --db {db} --replace-tables Header" in res.output
    assert json.loads(invoke("returns", "--db", db, "--format", "json").output)[0]["row_count"] == 6


def test_replace_tables_keeps_the_other_tables_current_with_their_provenance(con, small_set, tmp_path):
    (first,) = load_returns(con, read_returns([small_set]))
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    corrected = [dict(HEADER_ROWS[0], ETHNIC="WIRI"), HEADER_ROWS[1]]
    write_table(fix, "Header", corrected)
    (outcome,) = load_returns(con, read_returns([fix]), replace_tables=["header"])
    assert (outcome.action, outcome.replaced_load, outcome.replaced_tables) == ("replaced", first.load_id, ["Header"])
    new = outcome.load_id
    # One current load holds the whole return: every reader that joins loads.status = 'current' sees it.
    current = con.execute(
        "SELECT t, count(*) FROM (SELECT 'Header' t, load_id FROM ssda903_header UNION ALL "
        "SELECT 'Episodes', load_id FROM ssda903_episodes UNION ALL SELECT 'Reviews', load_id FROM ssda903_reviews) "
        "JOIN loads USING (load_id) WHERE status = 'current' GROUP BY t ORDER BY t"
    ).fetchall()
    assert current == [("Episodes", 3), ("Header", 2), ("Reviews", 1)]
    assert con.execute("SELECT ETHNIC FROM ssda903_header WHERE CHILD = '1001'").fetchall() == [("WIRI",)]
    # Which table came from which load, and which file each row came from.
    tables = dict(con.execute(
        "SELECT table_name, from_load FROM load_tables WHERE load_id = ? AND row_count > 0", [new]
    ).fetchall())
    assert tables == {"Header": new, "Episodes": first.load_id, "Reviews": first.load_id}
    rows = con.execute(
        "SELECT f.name, f.path, f.from_load, count(*) FROM ssda903_episodes e JOIN load_files f "
        "ON f.load_id = e.load_id AND f.file_index = e.source_file GROUP BY ALL"
    ).fetchall()
    assert rows == [("Episodes.csv", str((small_set / "Episodes.csv").resolve()), first.load_id, 3)]
    header_file = con.execute(
        "SELECT f.path FROM ssda903_header h JOIN load_files f ON f.load_id = h.load_id "
        "AND f.file_index = h.source_file GROUP BY ALL"
    ).fetchall()
    assert header_file == [(str((fix / "Header.csv").resolve()),)]
    assert con.execute("SELECT status, replaced_by FROM loads WHERE load_id = ?", [first.load_id]).fetchall() == [
        ("replaced", new)
    ]
    (ret,) = loaded_returns(con)
    files = {f["name"]: (f["tables"], f["from_load"]) for f in ret["files"]}
    assert files == {
        "Header.csv": (["Header"], new),
        "Episodes.csv": (["Episodes"], first.load_id),
        "Reviews.csv": (["Reviews"], first.load_id),
    }
    assert ret["row_count"] == 6
    # The same partial load again changes nothing.
    before = snapshot(con)
    (again,) = load_returns(con, read_returns([fix]), replace_tables=["Header"])
    assert again.action == "unchanged" and snapshot(con) == before


def test_after_a_partial_replacement_a_complete_return_replaces_it_as_usual(con, small_set, tmp_path):
    load_returns(con, read_returns([small_set]))
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    write_table(fix, "Reviews", [*REVIEW_ROWS, dict(REVIEW_ROWS[0], REVIEW="01/10/2025")])
    load_returns(con, read_returns([fix]), replace_tables=["Reviews"])
    with pytest.raises(LoadRefused, match="Reviews \\(2 rows; no file given holds it\\)"):
        load_returns(con, read_returns([small_set / "Header.csv", small_set / "Episodes.csv"]))
    (outcome,) = load_returns(con, read_returns([small_set]))
    assert outcome.action == "replaced"
    assert con.execute("SELECT count(*) FROM ssda903_reviews").fetchone()[0] == 1


def test_a_table_is_emptied_only_when_named(con, small_set, tmp_path):
    load_returns(con, read_returns([small_set]))
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    write_table(fix, "Reviews", [])
    (outcome,) = load_returns(con, read_returns([fix]), replace_tables=["Reviews"])
    assert outcome.replaced_tables == ["Reviews"]
    assert con.execute("SELECT count(*) FROM ssda903_reviews").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM ssda903_episodes").fetchone()[0] == 3


def test_the_model_and_measures_see_the_whole_return_after_a_partial_replacement(tmp_path, synth_root):
    from careboard.measures.compute import compute_all
    from careboard.model.build import build

    folder = synth_root / "ssda903" / "2025-26"
    c = store_db.connect(tmp_path / "m.duckdb")
    load_returns(c, read_returns([folder]))
    build(c)
    compute_all(c)
    query = "SELECT * EXCLUDE (load_id, source_file) FROM {} ORDER BY ALL"  # provenance aside
    model = {t: c.execute(query.format(t)).fetchall() for t in ("model_episodes",)}
    model["model_child_year"] = c.execute("SELECT * FROM model_child_year ORDER BY ALL").fetchall()
    values = "SELECT * FROM measure_values ORDER BY ALL"
    measures = c.execute(values).fetchall()
    assert measures and model["model_child_year"]
    # The same Header, byte for byte different (Windows line endings): a new load of that table only.
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    (fix / "Header.csv").write_bytes((folder / "Header.csv").read_bytes().replace(b"\n", b"\r\n"))
    (outcome,) = load_returns(c, read_returns([fix]), replace_tables=["Header"])
    assert outcome.action == "replaced"
    assert build(c)  # the set of current loads changed, so the model is rebuilt
    compute_all(c)
    assert c.execute(query.format("model_episodes")).fetchall() == model["model_episodes"]
    assert c.execute("SELECT * FROM model_child_year ORDER BY ALL").fetchall() == model["model_child_year"]
    assert c.execute(values).fetchall() == measures
    c.close()


def test_replace_tables_mistakes_are_refused(con, small_set, tmp_path):
    with pytest.raises(LoadRefused, match="no SSDA903 886 Kent 2025-26 return is loaded"):
        load_returns(con, read_returns([small_set]), replace_tables=["Header"])
    load_returns(con, read_returns([small_set]))
    with pytest.raises(LoadRefused) as info:
        load_returns(con, read_returns([small_set]), replace_tables=["Headr"])
    assert info.value.errors[0].render().startswith("--replace-tables: Headr: not a table of the returns given")
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    write_table(fix, "Header", HEADER_ROWS)
    with pytest.raises(LoadRefused, match="names Episodes but no file given holds that table"):
        load_returns(con, read_returns([fix]), replace_tables=["Header", "Episodes"])
    with pytest.raises(LoadRefused, match="not pseudonymised; replacing only some tables would mix identifiers"):
        load_returns(con, read_returns([fix]), key=KEY, replace_tables=["Header"])


def test_a_partial_replacement_under_the_same_key_joins_up(con, small_set, tmp_path):
    load_returns(con, read_returns([small_set]), key=KEY)
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    write_table(fix, "Header", [dict(HEADER_ROWS[0], ETHNIC="WIRI"), HEADER_ROWS[1]])
    (outcome,) = load_returns(con, read_returns([fix]), key=KEY, replace_tables=["Header"])
    assert outcome.replaced_tables == ["Header"]
    joined = con.execute(
        "SELECT count(DISTINCT e.CHILD) FROM ssda903_episodes e JOIN ssda903_header h USING (CHILD)"
    ).fetchone()[0]
    assert joined == 2 and con.execute("SELECT count(*) FROM ssda903_header WHERE CHILD = '1001'").fetchone()[0] == 0
    with pytest.raises(LoadRefused, match="pseudonymised with another key"):
        load_returns(con, read_returns([fix]), key=KEY + b"2", replace_tables=["Header"])


def test_cli_replace_tables_and_returns_files_show_where_each_table_came_from(tmp_path, cli_loaded):
    db = cli_loaded  # the small set loaded by `careboard load`
    fix = tmp_path / "fix" / "886" / "2025-26"
    fix.mkdir(parents=True)
    write_table(fix, "Header", HEADER_ROWS[:1])
    write_table(fix, "Episodes", EPISODE_ROWS)  # in the folder but not named: left as loaded
    res = invoke("load", fix, "--db", db, "--replace-tables", "Header")
    assert res.exit_code == 0, res.output
    assert "Loaded Header (replacing them in load 1; rest kept)" in res.output
    assert "the Episodes table was not loaded: --replace-tables names only Header" in res.output
    res = runner.invoke(app, ["returns", "--db", str(db), "--files", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.output)))
    # each file of the current return, and the load that read it (a kept file was read by the earlier load)
    assert sorted((r["load_id"], r["name"], r["tables"], r["from_load"]) for r in rows) == [
        ("2", "Episodes.csv", "Episodes", "1"), ("2", "Header.csv", "Header", "2"), ("2", "Reviews.csv", "Reviews", "1")
    ], res.output
    for columns in ("200", "70"):  # the table where there is room, else two lines a file: either says it
        shown = runner.invoke(app, ["returns", "--db", str(db), "--files"], env={"COLUMNS": columns}).output
        assert _read_by(shown, "Episodes.csv") == "1" and _read_by(shown, "Header.csv") == "", shown


def _read_by(output: str, name: str) -> str | None:
    """The load that read ``name``'s file, as `careboard returns --files` shows it: the table's 'read by' cell,
    or the two-line layout's '(read by load N)' ('' when this load read it itself)."""
    if "(read by load" in output or "┃" not in output:
        line = next(ln for ln in output.splitlines() if f"  {name}  " in ln)
        found = re.search(r"\(read by load (\d+)\)", line)
        return found.group(1) if found else ""
    rows = [[c.strip() for c in re.split(r"[│┃]", ln)[1:-1]] for ln in output.splitlines() if ln.count("│") > 2
            or ln.count("┃") > 2]
    header = next(r for r in rows if "read by" in r)
    row = next(r for r in rows if name in r)
    return row[header.index("read by")]


# -- 2. --la, the folder name and the UPNs must agree ------------------------------------------------


def test_la_against_the_folder_name_is_refused_naming_both(small_set):
    with pytest.raises(ReturnError) as info:
        read_returns([small_set], la="887")
    (e,) = info.value.errors
    assert "--la says 887 (Medway) but the folder or file names say 886 (Kent)" in e.message


def test_la_against_the_upns_is_refused_naming_both(tmp_path):
    folder = tmp_path / "returns" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", [dict(HEADER_ROWS[0], CHILD=str(i), UPN=upn("886", i)) for i in range(6)])
    with pytest.raises(ReturnError) as info:
        read_returns([folder], la="887")
    (e,) = info.value.errors
    assert e.file == "Header.csv" and e.field == "UPN"
    assert "the UPNs say this return is for 886 (Kent) but --la says 887 (Medway)" in e.message
    assert "6 of 6 UPNs carry 886 in characters 2-4" in e.message
    (ret,) = read_returns([folder], la="886")
    assert ret.authority.code == "886"


def test_upns_of_a_predecessor_or_a_minority_do_not_refuse(tmp_path):
    folder = tmp_path / "returns" / "2025-26"
    folder.mkdir(parents=True)
    # Cumberland (942) took over part of Cumbria (909): its children keep their 909 UPNs.
    write_table(folder, "Header", [dict(HEADER_ROWS[0], CHILD=str(i), UPN=upn("909", i)) for i in range(8)])
    assert read_returns([folder], la="942")[0].authority.code == "942"
    # Children schooled elsewhere: no authority holds more than half of the UPNs.
    rows = [dict(HEADER_ROWS[0], CHILD=str(i), UPN=upn(("886", "887", "888")[i % 3], i)) for i in range(9)]
    write_table(folder, "Header", rows)
    assert read_returns([folder], la="887")[0].authority.code == "887"


def test_903_xml_authority_is_checked_against_its_upns(tmp_path, synth_root):
    path = xml_return(tmp_path / "returns" / "2025-26", synth_root / "ssda903" / "2025-26", "ssda903_2025-26.xml")
    with pytest.raises(ReturnError, match=r"the UPNs say this return is for 886 \(Kent\) but --la says 887"):
        read_returns([path], la="887")


def test_cin_header_against_the_folder_name_is_refused(tmp_path, synth_root):
    src = synth_root / "cin" / "2025-26" / "cin_census_886_2025-26.xml"
    folder = tmp_path / "887" / "2025-26"
    folder.mkdir(parents=True)
    shutil.copy(src, folder / "cin_census.xml")
    with pytest.raises(ReturnError) as info:
        read_returns([folder / "cin_census.xml"])
    assert "the file's header says 886 (Kent) but the folder or file names say 887 (Medway)" in str(info.value)


# -- 3. last year's file in this year's folder ------------------------------------------------------


def test_last_years_episodes_in_this_years_folder_is_refused(tmp_path, synth_root):
    folder = tmp_path / "886" / "2025-26"
    shutil.copytree(synth_root / "ssda903" / "2025-26", folder)
    shutil.copy(synth_root / "ssda903" / "2024-25" / "Episodes.csv", folder / "Episodes.csv")
    with pytest.raises(ReturnError) as info:
        read_returns([folder])
    (e,) = info.value.errors
    assert (e.file, e.table) == ("Episodes.csv", "Episodes")
    assert "the Episodes table belongs to another collection year: none of its" in e.message
    assert "has a DECOM or DEC in 2025-26 (01/04/2025 to 31/03/2026)" in e.message
    assert "mostly in 2024-25. Is this the 2024-25 file?" in e.message


def test_a_whole_set_of_last_year_is_refused_table_by_table(tmp_path, synth_root):
    folder = tmp_path / "886" / "2025-26"
    shutil.copytree(synth_root / "ssda903" / "2024-25", folder)
    with pytest.raises(ReturnError) as info:
        read_returns([folder])
    assert {e.table for e in info.value.errors} >= {"Episodes", "Reviews", "Missing"}


def test_every_synthetic_year_loads(tmp_path, synth_root):
    c = store_db.connect(tmp_path / "s.duckdb")
    outcomes = load_returns(c, read_returns([synth_root]))
    got = {(o.ret.kind, o.ret.year) for o in outcomes}
    assert got >= {(k, y) for k in ("ssda903", "cin") for y in (2024, 2025, 2026)}
    c.close()


def test_long_running_open_episodes_are_not_another_years(tmp_path):
    folder = tmp_path / "886" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", HEADER_ROWS)
    # Both open, begun years before the year: nothing happened in it, which is no sign of another year.
    open_episodes = [dict(EPISODE_ROWS[1], DECOM="10/10/2019"), dict(EPISODE_ROWS[2], DECOM="01/02/2016")]
    write_table(folder, "Episodes", open_episodes)
    write_table(folder, "Reviews", [dict(REVIEW_ROWS[0], REVIEW="01/07/2025")])
    (ret,) = read_returns([folder])
    assert ret.tables["Episodes"].num_rows == 2


def test_cin_header_year_against_its_folder_is_refused(tmp_path, synth_root):
    folder = tmp_path / "886" / "2025-26"
    folder.mkdir(parents=True)
    shutil.copy(synth_root / "cin" / "2024-25" / "cin_census_886_2024-25.xml", folder / "cin.xml")
    with pytest.raises(ReturnError, match="the file says 2024-25 but the folder or file names say 2025-26"):
        read_returns([folder / "cin.xml"])


# -- 4. 903 XML takes its year (and authority) from its names ----------------------------------------


def xml_return(folder: Path, csv_set: Path, name: str) -> Path:
    """The CSV set ``csv_set`` written as one 903 XML file ``folder/name``."""
    from careboard.returns.reader import read_returns as read

    (ret,) = read([csv_set], la="886")
    folder.mkdir(parents=True, exist_ok=True)
    tables = {n: t.drop_columns(["source_file", "source_row"]) for n, t in ret.tables.items()}
    path = folder / name
    write_ssda903_xml(tables, path)
    return path


def test_903_xml_year_and_authority_from_folder_and_file_names(tmp_path, synth_root):
    path = xml_return(tmp_path / "886" / "2025-26", synth_root / "ssda903" / "2025-26", "ssda903_886_2025-26.xml")
    (ret,) = read_returns([path])
    assert (ret.kind, ret.authority.code, ret.year, ret.formats) == ("ssda903", "886", 2026, ["xml"])
    with pytest.raises(ReturnError, match="names say it is for 2025-26 but --year says 2024-25"):
        read_returns([path], year=2025)


def test_903_xml_year_from_the_file_name_alone(tmp_path, synth_root):
    path = xml_return(tmp_path / "in", synth_root / "ssda903" / "2025-26", "ssda903_886_2025-26.xml")
    (ret,) = read_returns([path])
    assert (ret.authority.code, ret.year) == ("886", 2026)


def test_a_folder_with_no_return_in_it_loads_nothing_and_says_why_each_file_was_skipped(tmp_path):
    """Files that are not returns are skipped beside returns; when every file is skipped the load fails (exit 1)
    naming each file and why, and no database is made (it used to report a refresh and exit 0)."""
    folder = tmp_path / "sent"
    folder.mkdir()
    (folder / "notes.txt").write_text("Loaded by the data team on Monday.\n")
    (folder / "other.xml").write_text("<?xml version='1.0'?><Foo><Bar>1</Bar></Foo>")
    db = tmp_path / "c.duckdb"
    res = invoke("load", folder, "--db", db)
    assert res.exit_code == 1
    assert "Nothing was loaded. 2 problem(s) found:" in res.output
    assert "notes.txt, line 1: skipped: not a return" in res.output
    assert "other.xml: skipped: XML root element <Foo> is not a return careboard reads" in res.output
    assert "Updated" not in res.output and not db.exists()


# -- 5. the folder `careboard synth` writes loads as it is -----------------------------------------


def test_load_the_folder_synth_writes(tmp_path):
    out = tmp_path / "x"
    # two years: a folder of several years, as three or more (each year more to check and control at load)
    res = invoke("synth", out, "--la", "886", "--size", "300", "--years", "2025-2026", "--errors", "0")
    assert res.exit_code == 0, res.output
    (out / "886" / "errors_manifest.csv").write_text("rule,year,table,line,child\n")  # not a return
    (out / "886" / "notes.txt").write_text("Loaded by the data team on Monday.\n")
    db = tmp_path / "c.duckdb"
    res = invoke("load", out / "886", "--db", db)
    assert res.exit_code == 0, res.output
    assert "warning: errors_manifest.csv, line 1: skipped: not a return" in res.output
    assert "warning: notes.txt, line 1: skipped: not a return" in res.output
    assert "Loaded: Local extract 886 Kent 2025-26" in res.output
    c = duckdb.connect(str(db), read_only=True)
    extracts = {
        t: c.execute(f"SELECT count(*), min(year), max(year) FROM extract_{t}").fetchone()
        for t in ("missingdetail", "iroallocations", "fosterhouseholds", "placementcapacity", "unitcosts",
                  "cinaddress")
    }
    c.close()
    for table, (n, lo, hi) in extracts.items():
        assert n > 0 and lo == hi == 2026, table
    lines = (out / "886" / "extracts" / "unit_costs.csv").read_text().splitlines()
    assert extracts["unitcosts"][0] == len(lines) - 1


def test_a_named_file_that_is_not_a_return_is_an_error(tmp_path):
    path = tmp_path / "886" / "2025-26" / "notes.csv"
    path.parent.mkdir(parents=True)
    path.write_text("rule,year,table,line,child\n")
    with pytest.raises(ReturnError, match="header row matches no SSDA903 table"):
        read_returns([path])


def test_extract_year_needs_a_year_when_loaded_alone(tmp_path, synth_root):
    extracts = synth_root / "extracts"
    with pytest.raises(ReturnError, match="cannot tell which collection year"):
        read_returns([extracts])
    rets = read_returns([extracts], year=2026)
    assert {r.kind for r in rets} == {"extract"}
    assert set(rets[0].table_files) == {
        "MissingDetail", "IroAllocations", "FosterHouseholds", "PlacementCapacity", "UnitCosts", "CinAddress"
    }
