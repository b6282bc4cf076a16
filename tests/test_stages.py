"""The stages meet in the database: docs/architecture.md's table of who reads and writes which tables,
checked against the SQL of every stage folder, and the staging views (`current_*`) that define the
current load once (issue 17.1, 17.6).

Cheap by design: one in-memory database for the list of return tables, and text scans of src/.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

import duckdb
import pytest

from careboard.store import db as store_db

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "careboard"
ARCHITECTURE = REPO / "docs" / "architecture.md"
STAGES = ("returns", "store", "validate", "model", "measures", "benchmark", "sufficiency", "oversight",
          "publish", "web", "panel")
# store/ defines every table and view (its row of the contract says so), so only the stages after it are
# checked; the tables of the web SQLite file are not DuckDB's, and web/ and panel/ write them.
CHECKED = tuple(s for s in STAGES if s != "store")
SQLITE_WRITERS = ("web", "panel")


@pytest.fixture(scope="module")
def con():
    c = store_db.connect(":memory:")
    yield c
    c.close()


@pytest.fixture(scope="module")
def return_tables(con) -> list[str]:
    """Every table holding rows of a loaded return (it has a load_id and is not provenance)."""
    rows = con.execute(
        "SELECT DISTINCT table_name FROM duckdb_columns() WHERE column_name = 'load_id' AND NOT internal "
        "AND table_name NOT IN ('loads', 'validation_runs') AND NOT starts_with(table_name, 'load_') "
        "AND table_name IN (SELECT table_name FROM duckdb_tables()) ORDER BY 1").fetchall()
    names = [r[0] for r in rows]
    assert {"ssda903_episodes", "cin_child", "extract_missingdetail", "csww_worker"} <= set(names)
    return names


def contract() -> dict[str, tuple[str, str]]:
    """stage -> (reads, writes) from the table in docs/architecture.md."""
    text = ARCHITECTURE.read_text("utf-8")
    start = text.index("### Who reads and writes which tables")
    rows = {}
    for line in text[start:].splitlines()[1:]:
        if line.startswith("#"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`(\w+)/`", cells[0]) if len(cells) == 3 else None
        if m:
            rows[m.group(1)] = (cells[1], cells[2])
    return rows


def names_in(cell: str) -> list[str]:
    """The table names and patterns a cell of the contract gives in backticks."""
    return re.findall(r"`([a-z0-9_*<>]+)`", cell)


def stage_sql(stage: str) -> str:
    """Every .py and .sql file of a stage folder, comments of SQL files dropped."""
    parts = []
    for path in sorted((SRC / stage).rglob("*")):
        if path.suffix == ".sql":
            parts.append("\n".join(line.split("--")[0] for line in path.read_text("utf-8").splitlines()))
        elif path.suffix == ".py":
            parts.append(path.read_text("utf-8"))
    return "\n".join(parts)


def test_the_contract_names_every_stage():
    assert sorted(contract()) == sorted(STAGES)


def test_every_return_table_has_its_staging_view(con, return_tables):
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert "current_loads" in views
    assert [t for t in return_tables if f"current_{t}" not in views] == []


def test_staging_views_hold_only_the_current_loads_rows(tmp_path):
    """Hand-built: a replaced load whose rows were left behind (store/ deletes them today; the views
    must not depend on that) and the current load of the same return."""
    c = store_db.connect(tmp_path / "v.duckdb")
    for load_id, status in ((1, "replaced"), (2, "current")):
        c.execute("INSERT INTO loads (load_id, kind, la, year, fingerprint, pseudonymised, status, loaded_at, "
                  "careboard_version, row_count, warning_count) "
                  "VALUES (?, 'ssda903', '886', 2026, 'f', false, ?, now()::TIMESTAMP, '0', 1, 0)", [load_id, status])
        c.execute("INSERT INTO ssda903_episodes (load_id, la, year, source_file, source_row, CHILD) "
                  "VALUES (?, '886', 2026, 0, 1, ?)", [load_id, f"child{load_id}"])
    assert c.execute("SELECT load_id, CHILD FROM current_ssda903_episodes").fetchall() == [(2, "child2")]
    assert c.execute("SELECT load_id FROM current_loads").fetchall() == [(2,)]
    c.close()


def test_staging_views_follow_their_file(tmp_path, monkeypatch):
    """A database whose views were made from another views.sql gets them again when opened."""
    from careboard.store import views

    path = tmp_path / "old.duckdb"
    store_db.connect(path).execute("DROP VIEW current_ssda903_oc2").close()
    plain = duckdb.connect(str(path))
    assert "current_ssda903_oc2" not in {r[0] for r in plain.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    plain.close()
    monkeypatch.setattr(views, "fingerprint", lambda: "another version")
    c = store_db.connect(path)
    assert c.execute("SELECT count(*) FROM current_ssda903_oc2").fetchall() == [(0,)]
    c.close()


@pytest.mark.parametrize("stage", CHECKED)
def test_a_stage_reads_raw_return_tables_only_where_the_contract_says(stage, return_tables):
    reads, _ = contract()[stage]
    allowed = names_in(reads)
    sql = stage_sql(stage)
    found = set()
    for table in return_tables:
        if not any(fnmatch.fnmatchcase(table, pattern) for pattern in allowed) and re.search(
                rf"(?<!current_)\b{table}\b", sql):
            found.add(table)
    if "loads" not in allowed and re.search(r"\b(FROM|JOIN)\s+loads\b", sql, re.IGNORECASE):
        found.add("loads")
    assert sorted(found) == [], f"{stage}/ reads these directly; read current_<table> (store/views.sql)"


@pytest.mark.parametrize("stage", [s for s in CHECKED if s not in SQLITE_WRITERS])
def test_a_stage_writes_only_the_tables_the_contract_gives_it(stage):
    _, writes = contract()[stage]
    allowed = names_in(writes)
    sql = stage_sql(stage)
    temp = set(re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)",
                          sql, re.IGNORECASE))
    written = set(re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", sql,
                             re.IGNORECASE))
    written |= set(re.findall(r"\b(?:INSERT\s+INTO|DELETE\s+FROM|UPDATE)\s+(\w+)", sql))
    stray = sorted(t for t in written - temp if not any(fnmatch.fnmatchcase(t, p) for p in allowed))
    assert stray == [], f"{stage}/ writes tables its row of docs/architecture.md does not give it"


def test_store_imports_run_one_way():
    """No import cycle among store/'s modules, counting imports made inside functions (issue 17.6:
    db.py and reference.py imported each other)."""
    graph: dict[str, set[str]] = {}
    for path in (SRC / "store").glob("*.py"):
        name = path.stem
        deps = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("careboard.store."):
                    deps.add(node.module.split(".")[2])
                elif node.module == "careboard.store":
                    deps.update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name.split(".")[2] for a in node.names if a.name.startswith("careboard.store."))
        graph[name] = deps - {name}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for dep in sorted(graph.get(node, ())):
            if dep in path:
                cycles.append([*path[path.index(dep):], dep])
            else:
                visit(dep, [*path, dep])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []
