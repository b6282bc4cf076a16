"""The IRO annual report's figures for members: the web page and the pack's IRO section (issue 15.2).

Members see no IRO and no child.  Every count of children or reviews comes from the year's release
(the "Independent reviewing officers" theme's measures, controlled with every other figure members
see: publish/release.py).  The section adds only figures that are not counts: the IROs' full-time
equivalence, the spread of caseloads per full-time IRO and the estimated travel per full-time IRO, all
rounded, and the spread only over IROs with more than five children (a smaller caseload would be a
count of one to five children), only when at least six IROs have such a caseload (over fewer, the lowest
and the highest are each one officer's caseload, whom members may know: the spread is shown as ``c``
with the reason in words, as a count of one to five would be), and only when the release shows the
caseload itself.  Travel is rounded to the nearest ten miles per full-time IRO.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from careboard import years
from careboard.oversight import iro
from careboard.publish.briefing import Briefing, Theme
from careboard.publish.suppress import SMALL_MAX

THEME = "Independent reviewing officers"
TRAVEL_ROUND = 10  # miles: an estimate from straight lines, shown to the nearest ten
SPREAD_MIN_IROS = SMALL_MAX + 1  # IROs with more than five children each, for the spread to be shown


@dataclass
class IroSection:
    """What members read about the IRO service in one year; display strings, nothing to control."""

    year: int
    year_label: str
    theme: Theme | None  # the briefing's IRO theme: its measures, controlled
    range_text: str
    source: str
    fte: str | None = None  # the IROs' full-time equivalence on 31 March
    spread: dict[str, str] = field(default_factory=dict)  # lowest, median, highest children per full-time IRO
    spread_words: str = ""
    travel_per_fte: str | None = None  # estimated miles travelled to reviews per full-time IRO in the year
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.theme is None and self.fte is None


def _round(x: float, to: int = 1) -> str:
    return f"{round(x / to) * to:,.0f}"


def _position(per_fte: float) -> str:
    low, high = iro.HANDBOOK_RANGE
    return "above the range" if per_fte > high else "within the range" if per_fte >= low else "below the range"


def build_iro_section(con: duckdb.DuckDBPyConnection, briefing: Briefing,
                      base_postcode: str | None = None) -> IroSection | None:
    """The IRO section of ``briefing``'s year (council-wide), or None when no IRO extract covers the year."""
    if briefing.area is not None:
        return None
    theme = next((t for t in briefing.themes if t.name == THEME and t.measures), None)
    low, high = iro.HANDBOOK_RANGE
    section = IroSection(
        year=briefing.year, year_label=briefing.year_label, theme=theme,
        range_text=f"{low} to {high} children for each full-time IRO", source=iro.HANDBOOK_SOURCE)
    caseload = briefing.measure("iro_caseload_per_fte")
    if caseload is None or caseload.cells.get("value") in (None, "x") or caseload.cells["value"] in briefing.markers:
        return section if theme is not None else None  # no caseload shown: nothing more may be said about it
    at_end = iro.caseload_on(con, briefing.la, years.year_end(briefing.year))
    if not at_end:
        return section
    fte = sum(r["fte"] for r in at_end)
    section.fte = f"{fte:.1f}"
    counted = [r for r in at_end if r["children"] > SMALL_MAX and r["per_fte"] is not None]
    if len(counted) < SPREAD_MIN_IROS:
        section.spread = {k: "c" for k in ("lowest", "median", "highest")}
        section.spread_words = (
            f"The spread of caseloads across IROs is not shown (c): fewer than {SPREAD_MIN_IROS} IROs had more "
            f"than {SMALL_MAX} children on 31 March, and over so few the lowest and the highest caseload would "
            "each be one officer's.")
    elif counted:
        spread = iro.distribution(counted)
        section.spread = {k: _round(spread[k]) for k in ("lowest", "median", "highest")}
        section.spread_words = (
            f"Caseloads ranged from {section.spread['lowest']} to {section.spread['highest']} children per "
            f"full-time IRO (the middle IRO had {section.spread['median']}); the highest was "
            f"{_position(spread['highest'])} and the lowest {_position(spread['lowest'])}.")
        if len(counted) < len(at_end):
            section.notes.append("IROs with five or fewer children on 31 March are left out of the spread.")
    report = iro.year_by_iro(con, briefing.la, briefing.year, base_postcode)
    miles = sum(r["travel_miles"] for r in report)
    if fte and miles:
        section.travel_per_fte = _round(miles / fte, TRAVEL_ROUND)
        if any(r["travel_unknown"] for r in report):
            section.notes.append("Travel leaves out reviews whose placement or IRO base postcode is not known.")
    return section
