"""`careboard demo`: the whole journey on a synthetic authority, from returns to scorecard.

Nothing real is used: a seeded synthetic authority is generated, loaded (every year), checked
against the DfE validation rules, and its scorecard computed and benchmarked against the real
published figures for the authority whose code it borrows.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from rich.console import Console

from careboard import authorities, years

DEMO_LA = "358"  # Trafford: a mid-sized authority, so the synthetic size looks plausible
DEMO_YEARS = range(2020, 2027)
DEMO_SEED = 20260331


# What the demo writes in its folder: a folder holding only these, and what careboard keeps beside the demo's
# database (careboard.duckdb.wal, careboard.web.sqlite, careboard.serving/ ...: every name starting
# "careboard."), is an earlier demo's, which a new run replaces.  Anything else is the user's, never deleted.
DEMO_NAMES = frozenset({"returns", "scorecard.csv", "pack.pdf", "validation.html", "validation_cin.html"})


class DemoFolderError(ValueError):
    """``--out`` names a folder holding files the demo did not write: it is left alone."""


def is_demo_folder(folder: Path) -> bool:
    """``folder`` is empty or holds only what a demo writes (so replacing it loses nothing of the user's)."""
    if not folder.is_dir():
        return False
    return all(entry.name in DEMO_NAMES or entry.name.startswith("careboard.") for entry in folder.iterdir())


def run_demo(folder: Path, size: int, console: Console) -> Path:
    """Generate, load, validate and score a synthetic authority in ``folder``; the database path."""
    from careboard.benchmark.compare import scorecard
    from careboard.publish.briefing import build_briefing
    from careboard.publish.pack import write_pack
    from careboard.publish.scorecard_output import render_scorecard, scorecard_table
    from careboard.refresh import refresh, spare_workers
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate
    from careboard.validate import report
    from careboard.validate.runner import validate_loaded_all

    la = authorities.resolve(DEMO_LA)
    latest = max(DEMO_YEARS)
    if folder.exists():
        if not is_demo_folder(folder):
            raise DemoFolderError(
                f"{folder} already holds files the demo did not write; the demo replaces its folder, so give "
                "--out a new or empty folder, or one an earlier demo wrote")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    console.print(f"[bold]careboard demo[/]: a synthetic authority borrowing {la.name}'s code ({la.code}); "
                  "no real child's data is used.", highlight=False)

    generate(folder / "returns", la.code, size, list(DEMO_YEARS), DEMO_SEED)
    console.print(f"1. Generated {len(DEMO_YEARS)} years of SSDA903 and CIN census returns in {folder / 'returns'}",
                  highlight=False)

    db_path = folder / "careboard.duckdb"
    con = connect(db_path)
    try:
        generated = folder / "returns" / la.code
        returns = read_returns([generated / "ssda903", generated / "cin", generated / "csww"])
        # The local extracts (IRO allocations, missing episodes in detail, capacity, costs), as at the
        # latest year.
        returns += read_returns([generated / "extracts"], la.code, latest)
        outcomes = load_returns(con, returns)
        rows = sum(o.ret.row_count for o in outcomes)
        console.print(f"2. Loaded {len(outcomes)} returns ({rows:,} rows) into {db_path}", highlight=False)

        # stored, so the refresh below skips this year
        checked, census = validate_loaded_all(con, la.code, latest, kinds=["ssda903", "cin"])
        report.write_html(checked, folder / "validation.html")
        report.write_html(census, folder / "validation_cin.html")
        console.print(
            f"3. Checked {years.label(latest)} against {len(checked.result.rules_run)} SSDA903 rules and "
            f"{len(census.result.rules_run)} CIN census rules: {checked.count} and {census.count} "
            f"findings (the data is clean: these are DfE queries real returns raise too, about care leavers whose "
            f"time in care predates the returns loaded, own-provision placements outside the area, and "
            f"assessments and enquiries still open at 31 March); reports in {folder / 'validation.html'} and "
            f"{folder / 'validation_cin.html'}",
            highlight=False,
        )

        # care histories, measures, every year's findings: as after any load; the releases built by two other
        # processes while this one works out the sufficiency plans when a core is spare (refresh.spare_workers)
        refresh(con, db_path, workers=spare_workers())
        card = scorecard(con, la.code, latest)
        (folder / "scorecard.csv").write_text(render_scorecard(card, "csv", la.code, latest), encoding="utf-8")
        console.print(f"4. Scorecard with breakdowns and benchmarks in {folder / 'scorecard.csv'}", highlight=False)
        console.print(scorecard_table(card, la.code, latest))

        briefing = build_briefing(con, la.code, latest, with_sufficiency=True, with_missing_themes=True)
        write_pack(briefing, folder / "pack.pdf")
        console.print(f"5. Members' information pack (disclosure-controlled) in {folder / 'pack.pdf'}", highlight=False)
    finally:
        con.close()
    console.print(f"Done in {time.perf_counter() - started:.1f} s.  Next:", highlight=False)
    console.print(f"  careboard scorecard --la {la.code} --year {latest} --db {db_path} --format csv", highlight=False)
    console.print(f"  careboard users add me --role analyst --db {db_path}", highlight=False)
    console.print(f"  careboard serve --la {la.code} --db {db_path}      (then open http://127.0.0.1:8000)",
                  highlight=False)
    return db_path

