"""What the Panel's pages and its pack section show, built from the business and a briefing.

Figures shown beside the business (an action's evidence measure and its trend, the quartile bands
beside members' scores) are taken from a :class:`~careboard.publish.briefing.Briefing`, the one
disclosure-controlled hand-over every member page and the pack are made from, never from the
database: so a figure here is the figure, or the ``c``, that the scorecard shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from careboard import years
from careboard.panel.store import SCORES, PanelStore, action_status
from careboard.publish.briefing import Briefing, MeasureView
from careboard.publish.disclosure import figure, is_marker
from careboard.publish.wording import short

BANDS = ("A", "B", "C", "D")


def long_date(value: str | date | None) -> str:
    """2026-03-31 -> 31 March 2026 (GOV.UK style); '' for none."""
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d.day} {d:%B %Y}"


def shown(value: object, unit: str) -> str:
    """A controlled figure as tables show it: the number, its marker (c, x ...), or 'x' when there is none."""
    return short(value, unit) if (is_marker(value) or figure(value) is not None) else "x"


@dataclass(frozen=True)
class Evidence:
    """A measure named as the evidence of an action's progress, as the briefing shows it."""

    measure_id: str
    title: str
    year_label: str
    value: str
    change: str
    series: list[tuple[str, str]]  # (year label, figure as shown)
    sparkline: str  # SVG, with its own title and description


def evidence(briefing: Briefing | None, measure_id: str | None) -> Evidence | None:
    """The measure's controlled figure and trend from ``briefing``; None if it has none."""
    if briefing is None or not measure_id:
        return None
    m: MeasureView | None = next((m for m in briefing.measures() if m.id == measure_id), None)
    if m is None:
        return None
    return Evidence(m.id, m.title, briefing.year_label, m.cells["value"], m.cells["change"],
                    [(years.label(y), shown(v, m.unit)) for y, v in m.series], m.charts.get("sparkline", ""))


def change_text(change: str) -> str:
    """The briefing's change cell as words after a figure: "better than the year before" and so on."""
    if change in ("better", "worse"):
        return f"{change} than the year before"
    if change == "about the same":
        return "about the same as the year before"
    if change in ("up", "down"):
        return f"{change} on the year before"
    return ""


def figure_shown(briefing: Briefing, measure_id: str) -> str | None:
    """The headline figure a measure's page shows (controlled), kept with a question asked from it."""
    m = next((m for m in briefing.measures() if m.id == measure_id), None)
    return None if m is None else m.cells["value"]


def theme_bands(briefing: Briefing | None) -> dict[str, list[tuple[str, str]]]:
    """theme -> [(measure title, quartile band A-D)] for the measures that have a band."""
    found: dict[str, list[tuple[str, str]]] = {}
    for theme in briefing.themes if briefing else []:
        found[theme.name] = [(m.title, m.cells.get("band", "")) for m in theme.measures
                             if m.cells.get("band") in BANDS]
    return found


def data_year(held_on: str, loaded: list[int]) -> int | None:
    """The collection year whose figures were the latest at a meeting: the last year ending before it."""
    if not loaded:
        return None
    before = [y for y in loaded if date(y, 3, 31).isoformat() < held_on]
    return max(before) if before else min(loaded)


@dataclass(frozen=True)
class MeetingScores:
    meeting_id: int
    held_on: str
    year_label: str | None
    scores: list[tuple[str, str, str | None]]  # (member, score word, comment)
    bands: list[tuple[str, str]]  # (measure title, band)
    prompt: str | None


@dataclass(frozen=True)
class ThemeScores:
    theme: str
    meetings: list[MeetingScores] = field(default_factory=list)


def challenge_prompt(theme: str, scores: list[int], bands: list[str]) -> str | None:
    """A sentence when members' scores and the quartile bands point different ways; None otherwise.

    A prompt for challenge, not a verdict: it names the highest (or lowest) score and the bands, and
    does not count heads.
    """
    if not scores or not bands:
        return None
    good, poor = sum(b in ("A", "B") for b in bands), sum(b in ("C", "D") for b in bands)
    listed = ", ".join(sorted(bands))
    if max(scores) >= 3 and poor > good:
        return (f"Scored as high as {SCORES[max(scores)]} by members, while most of {theme.lower()}'s measures are "
                f"in the lower half of councils in England (bands {listed}): a prompt for challenge.")
    if min(scores) <= 2 and good > poor:
        return (f"Scored as low as {SCORES[min(scores)]} by members, while most of {theme.lower()}'s measures are in "
                f"the top half of councils in England (bands {listed}): worth asking what members see that the "
                f"figures do not.")
    return None


def scores_over_time(store: PanelStore, briefing_for: Callable[[int], Briefing | None], loaded: list[int],
                     themes: list[str], until: str | None = None) -> list[ThemeScores]:
    """Members' scores at each meeting, theme by theme, beside the bands of the figures of the time.

    ``briefing_for(year)`` gives the (cached, controlled) briefing of a year; ``until`` (a date) leaves
    out later meetings (a pack shows the score-sheet up to its meeting).
    """
    rows = [s for s in store.scores() if until is None or s["held_on"] <= until]
    by_theme: dict[str, dict[int, list[dict]]] = {}
    for s in rows:
        by_theme.setdefault(s["theme"], {}).setdefault(s["meeting_id"], []).append(s)
    bands_by_year: dict[int | None, dict[str, list[tuple[str, str]]]] = {}
    out = []
    for theme in [*themes, *sorted(set(by_theme) - set(themes))]:
        meetings = []
        for mid, scored in sorted(by_theme.get(theme, {}).items(), key=lambda kv: kv[1][0]["held_on"]):
            held_on = scored[0]["held_on"]
            y = data_year(held_on, loaded)
            if y not in bands_by_year:
                bands_by_year[y] = theme_bands(briefing_for(y) if y is not None else None)
            bands = bands_by_year[y].get(theme, [])
            meetings.append(MeetingScores(
                mid, held_on, years.label(y) if y else None,
                [(s["username"], SCORES[s["score"]], s["comment"]) for s in scored], bands,
                challenge_prompt(theme, [s["score"] for s in scored], [b for _, b in bands])))
        out.append(ThemeScores(theme, meetings))
    return out


@dataclass(frozen=True)
class RecommendationView:
    recommendation: dict
    actions: list[dict]


@dataclass(frozen=True)
class PlanView:
    plan: dict
    recommendations: list[RecommendationView]
    total: int
    complete: int
    overdue: int
    red: int
    narrative: list[str]


def plan_view(store: PanelStore, plan_id: int, today: date, actions: list[dict] | None = None) -> PlanView | None:
    """An inspection action plan as a table (recommendations and their actions) and a short narrative."""
    plan = store.plan(plan_id)
    if plan is None:
        return None
    actions = actions if actions is not None else store.actions(today)
    recs = []
    for r in store.recommendations(plan_id):
        recs.append(RecommendationView(r, [a for a in actions if a["recommendation_id"] == r["recommendation_id"]]))
    mine = [a for rv in recs for a in rv.actions]
    states = [action_status(a, today) for a in mine]
    total, complete, overdue = len(mine), states.count("complete"), states.count("overdue")
    red = sum(a["rag"] == "red" and s != "complete" for a, s in zip(mine, states, strict=True))
    return PlanView(plan, recs, total, complete, overdue, red, _plan_narrative(plan, recs, total, complete, overdue,
                                                                               red, today))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _plan_narrative(plan: dict, recs: list[RecommendationView], total: int, complete: int, overdue: int, red: int,
                    today: date) -> list[str]:
    """Deterministic sentences, the same at every meeting for the same state of the plan."""
    if not recs:
        return [f"No recommendations have been recorded yet for {plan['title']}."]
    text = [f"{plan['title']} (inspection of {long_date(plan['inspected_on'])}) made "
            f"{_plural(len(recs), 'recommendation')}; {_plural(total, 'action')} "
            f"{'is' if total == 1 else 'are'} planned against them."]
    if total:
        in_hand = total - complete - overdue
        text.append(f"Complete: {complete}. Overdue: {overdue}. In hand and not yet due: {in_hand}.")
    without = [rv.recommendation["position"] for rv in recs if not rv.actions]
    if without:
        text.append("No action has been planned yet for recommendation " + ", ".join(map(str, without)) + ".")
    worst = max(recs, key=lambda rv: sum(action_status(a, today) == "overdue" for a in rv.actions))
    worst_n = sum(action_status(a, today) == "overdue" for a in worst.actions)
    if worst_n:
        text.append(f"Recommendation {worst.recommendation['position']} has the most overdue actions ({worst_n}).")
    if red:
        text.append(f"{_plural(red, 'action')} not yet complete {'is' if red == 1 else 'are'} rated red by "
                    f"{'its owner' if red == 1 else 'their owners'}.")
    if total and complete == total:
        text.append("Every action is complete.")
    return text
