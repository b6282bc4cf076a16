"""What the Panel's pages say: an action plan's narrative, the score-sheet's prompt for challenge, the year
of figures a meeting saw."""

from __future__ import annotations

from datetime import date, timedelta

from careboard.panel.screen import screen
from careboard.panel.store import PanelStore, Who
from careboard.panel.views import challenge_prompt, change_text, data_year, long_date, plan_view
from careboard.store.webdb import WebDB
from careboard.web.auth import add_user

TODAY = date.today()


def test_an_action_plan_is_told_the_same_way_for_the_same_state(tmp_path):
    web = WebDB(tmp_path / "c.web.sqlite")
    add_user(web, "officer.one", "a long test password", "officer")
    s, who = PanelStore(web), Who("officer.one")
    pid = s.add_plan(who, "Ofsted ILACS 2026", date(2026, 5, 19))
    assert plan_view(s, pid, TODAY).narrative == ["No recommendations have been recorded yet for Ofsted ILACS 2026."]
    r1 = s.add_recommendation(who, pid, screen("Improve pathway plans"))
    r2 = s.add_recommendation(who, pid, screen("Strengthen oversight"))
    s.add_recommendation(who, pid, screen("Listen to children"))
    s.add_action(who, screen("Audit plans"), "officer.one", TODAY - timedelta(days=2), recommendation_id=r2,
                 rag="red")
    s.add_action(who, screen("Train managers"), "officer.one", TODAY - timedelta(days=9), recommendation_id=r2)
    done = s.add_action(who, screen("New template"), "officer.one", TODAY - timedelta(days=9), recommendation_id=r1)
    s.update_action(who, done, screen("Done"), "complete", "green")
    s.add_action(who, screen("Peer review"), "officer.one", TODAY + timedelta(days=30), recommendation_id=r1)
    view = plan_view(s, pid, TODAY)
    assert (view.total, view.complete, view.overdue, view.red) == (4, 1, 2, 1)
    assert view.narrative == [
        "Ofsted ILACS 2026 (inspection of 19 May 2026) made 3 recommendations; 4 actions are planned against them.",
        "Complete: 1. Overdue: 2. In hand and not yet due: 1.",
        "No action has been planned yet for recommendation 3.",
        "Recommendation 2 has the most overdue actions (2).",
        "1 action not yet complete is rated red by its owner.",
    ]
    assert [len(rv.actions) for rv in view.recommendations] == [2, 2, 0]
    web.close()


def test_the_score_sheet_prompts_challenge_when_scores_and_bands_disagree():
    assert "prompt for challenge" in challenge_prompt("Stability", [3, 2], ["D", "D", "C"])
    assert challenge_prompt("Stability", [3, 2], ["D", "D", "C"]).startswith("Scored as high as Good by members")
    assert "worth asking" in challenge_prompt("Stability", [2, 1], ["A", "B", "C"])
    assert challenge_prompt("Stability", [3, 4], ["A", "B"]) is None  # they agree
    assert challenge_prompt("Stability", [2], ["A", "D"]) is None  # the bands are split
    assert challenge_prompt("Stability", [], ["D"]) is None and challenge_prompt("Stability", [4], []) is None


def test_a_meeting_saw_the_last_year_ending_before_it():
    assert data_year("2026-05-01", [2024, 2025, 2026]) == 2026
    assert data_year("2026-03-31", [2024, 2025, 2026]) == 2025
    assert data_year("2020-01-01", [2024, 2025]) == 2024 and data_year("2026-01-01", []) is None


def test_words_for_dates_and_changes():
    assert long_date("2027-01-05") == "5 January 2027" and long_date(None) == ""
    assert change_text("worse") == "worse than the year before"
    assert change_text("about the same") == "about the same as the year before"
    assert change_text("c") == "" and change_text("x") == ""
