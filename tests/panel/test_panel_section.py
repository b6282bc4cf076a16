"""The pack's "Panel business" section: what happened since the last meeting, what is still open, overdue
actions on page 1 (at most five there), figures only from the pack's own briefing."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from panel_users import private_copy, web_with_users

from careboard.panel import section as panel_section
from careboard.panel.screen import screen
from careboard.panel.store import PanelStore, Who
from careboard.publish.briefing import Briefing, MeasureView, Theme
from careboard.publish.narrative import Summary
from careboard.publish.pack import render_html

TODAY = date.today()
OFFICER, MEMBER = Who("officer.one"), Who("cllr.one")


def _briefing() -> Briefing:
    """A briefing with one measure in band D, as build_briefing hands it over (figures already controlled)."""
    m = MeasureView(id="long_term_stability", title="Long-term stability", explainer="", unit="%", polarity="high",
                    theme="Stability", row={}, narrative=[], series=[(2025, 71.0), (2026, "c")],
                    england_series=[], sn_series=[], cells={"value": "c", "counted": "", "previous": "71%",
                                                            "change": "c", "verdict": None, "england": "x",
                                                            "sn_mean": "x", "best_quartile": "x", "band": "D"},
                    charts={"sparkline": "<svg width=\"80\"><title>t</title><desc>d</desc></svg>"})
    return Briefing(la="358", la_name="Trafford", year=2026, year_label="2025-26", area=None, area_name=None,
                    themes=[Theme("Stability", [m])], summary=Summary([], [], ["Why?"]), produced=TODAY)


@pytest.fixture(scope="module")
def with_users(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web database with an officer and a member, made once for the module (a password hash is slow on purpose)."""
    return web_with_users(tmp_path_factory.mktemp("panel_section_users"),
                          (("officer.one", "officer"), ("cllr.one", "member")))


@pytest.fixture
def store(with_users: Path, tmp_path: Path) -> Iterator[PanelStore]:
    """A private copy of it for each test, which writes to it."""
    with private_copy(with_users, tmp_path) as web:
        yield PanelStore(web)


def test_the_section_covers_the_time_since_the_last_meeting(store):
    last = store.add_meeting(OFFICER, TODAY - timedelta(days=30), "Corporate Parenting Panel")
    nxt = store.add_meeting(OFFICER, TODAY + timedelta(days=10), "Corporate Parenting Panel")
    old_q = store.ask(MEMBER, screen("Asked and answered before the last meeting"), asked_on=TODAY - timedelta(days=40))
    store.web.con().execute("UPDATE questions SET answer = 'Old answer', answered_on = ? WHERE question_id = ?",
                            [(TODAY - timedelta(days=35)).isoformat(), old_q])
    new_q = store.ask(MEMBER, screen("Why is stability in band D?"), "long_term_stability", 2026, None, "c")
    store.answer(OFFICER, new_q, "officer.one", None, screen("Fewer foster carers."))
    open_q = store.ask(MEMBER, screen("Still waiting"))
    late = [store.add_action(OFFICER, screen(f"Late action {i}"), "officer.one", TODAY - timedelta(days=i + 1),
                             meeting_id=last, evidence_measure="long_term_stability") for i in range(7)]
    store.add_action(OFFICER, screen("Not due yet"), "officer.one", TODAY + timedelta(days=5), meeting_id=last)
    store.save_scores(MEMBER, last, ["Stability"], {"Stability": (3, None)})

    s = panel_section.build_section(store, _briefing())
    assert s.meeting.endswith(panel_section.long_date(TODAY + timedelta(days=10)))
    assert s.since == panel_section.long_date(TODAY - timedelta(days=30))
    assert [q["id"] for q in s.questions_answered] == [new_q]  # not the one answered before the last meeting
    assert [q["id"] for q in s.questions_open] == [open_q]
    assert len(s.overdue_actions) == 7 and len(s.page_one) == 5 and s.more_overdue == 2
    assert s.page_one[0]["id"] == late[-1]  # the longest overdue first
    assert [a["action"] for a in s.open_actions] == ["Not due yet"]
    ev = s.overdue_actions[0]["evidence"]
    assert (ev.value, ev.series) == ("c", [("2024-25", "71.0%"), ("2025-26", "c")])  # the briefing's figures
    assert s.scores[0]["bands"] == [("Long-term stability", "D")] and "prompt for challenge" in s.scores[0]["prompt"]
    assert s.questions_answered[0]["measure"].value == "c"
    # The pack for the last meeting is about the time before it.
    before = panel_section.build_section(store, _briefing(), meeting_id=last)
    assert before.since is None and [q["id"] for q in before.questions_answered] == [old_q]
    assert nxt != last


def test_the_pack_shows_the_section_and_overdue_actions_on_page_one(store, tmp_path):
    mid = store.add_meeting(OFFICER, TODAY + timedelta(days=10), "Corporate Parenting Panel")
    store.add_action(OFFICER, screen("Recruit twenty more foster carers"), "officer.one", TODAY - timedelta(days=3),
                     meeting_id=mid)
    qid = store.ask(MEMBER, screen("How many carers left this year?"))
    store.answer(OFFICER, qid, "officer.one", None, screen("Eleven households left."))
    business = panel_section.build_section(store, _briefing())
    html = render_html(_briefing(), business=business)
    summary_end = html.index('id="cb-business-heading"')
    assert html.index("Recruit twenty more foster carers") < summary_end  # page 1, before the section
    assert "Eleven households left." in html[summary_end:]
    assert "Panel business" not in render_html(_briefing())  # no business, no section

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    from careboard.publish.pack import write_pack

    out = tmp_path / "pack.pdf"
    write_pack(_briefing(), out, business=business)
    first = subprocess.run([pdftotext, "-f", "1", "-l", "1", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "Overdue actions" in first and "Recruit twenty more foster carers" in first
    rest = subprocess.run([pdftotext, "-f", "2", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Panel business" in rest and "Eleven households left." in rest


def test_careboard_pack_reads_the_file_without_changing_it(store, tmp_path):
    db = store.web.path.with_name("c.duckdb")  # the file beside it is c.web.sqlite
    assert panel_section.for_database(db, _briefing()) is None  # nothing recorded yet
    store.add_meeting(OFFICER, date(2027, 1, 12), "Corporate Parenting Panel")
    store.ask(MEMBER, screen("A question"))
    before = Path(store.web.path).read_bytes()
    found = panel_section.for_database(db, _briefing(), meeting_on=date(2027, 1, 12))
    assert found is not None and found.questions_open[0]["question"] == "A question"
    assert Path(store.web.path).read_bytes() == before
    with pytest.raises(ValueError, match="no Panel meeting on 2027-02-01"):
        panel_section.for_database(db, _briefing(), meeting_on=date(2027, 2, 1))
    assert panel_section.for_database(tmp_path / "other.duckdb", _briefing()) is None


def test_the_command_line_refuses_a_meeting_that_is_not_a_date_and_a_missing_business_file(tmp_path):
    from typer.testing import CliRunner

    from careboard.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["pack", "--la", "358", "--year", "2026", "--meeting", "next week",
                            "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "is not a date like 2027-01-12" in r.output
    r = runner.invoke(app, ["export-business", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x")])
    assert r.exit_code == 1 and "nothing has been recorded" in r.output and not (tmp_path / "x").exists()
    r = runner.invoke(app, ["export-business", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x"),
                            "--format", "xml"])
    assert r.exit_code == 2 and "csv or json" in r.output
