"""The common themes of children who go missing, for members: how many linked groups, how many children
in them, and the providers and areas involved, disclosure-controlled, naming no child.

The groups come from :func:`careboard.oversight.missing.linked_group_summary` (the analysts' graph of
linked children and places, reduced to counts).  Their counts are not among the measures of the
year's release (they are not counts of the children any measure counts), so they are controlled
here with the same machinery (:mod:`careboard.publish.cells`, :func:`careboard.publish.suppress.protect`)
as a small table of their own: children and groups in total, and by provider and by area.  A
child's group can involve several providers and areas, so those parts overlap: each is declared as
at most the whole and together at least the whole (``Attribute(partition=False)``), and the 1-5
rule plus secondary suppression then hide whatever could pin a small count.  The web page and the
pack section render this one view, so they show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from careboard.publish.cells import Attribute, CellSystem, Key
from careboard.publish.disclosure import MARKERS
from careboard.publish.suppress import Figure, protect

CHILDREN, GROUPS, EXPLOITATION = "linked_children", "linked_groups", "linked_groups_exploitation"
INCIDENTS = "missing_incidents_detail"
HIDDEN = "c"
# The incidents' own attributes members see (issue 15.3), beyond the child's, which the measures break down by.
INCIDENT_DIMENSIONS = ("duration_band", "time_of_day", "day_of_week", "where_found", "distance_band")


@dataclass(frozen=True)
class Involved:
    """A provider (its public Ofsted URN) or an area, and the groups and children involving it, as released."""

    name: str
    groups: object
    children: object


@dataclass(frozen=True)
class MissingThemesView:
    """What members see of the linked groups of one authority and year (``c`` where hidden)."""

    year: int
    groups: object
    children: object
    groups_with_exploitation_concern: object
    providers: list[Involved] = field(default_factory=list)
    areas: list[Involved] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=lambda: dict(MARKERS))
    # Missing incidents that began in the year: in total and by each of INCIDENT_DIMENSIONS, as
    # (heading, [(value, incidents)]); the web page shows them, the pack leaves them out for space.
    incidents: object = None
    incidents_by: list[tuple[str, list[tuple[str, object]]]] = field(default_factory=list)

    @property
    def any_hidden(self) -> bool:
        cells = [self.groups, self.children, self.groups_with_exploitation_concern]
        cells += [x for row in self.providers + self.areas for x in (row.groups, row.children)]
        return HIDDEN in cells


def control(summary: dict, breakdowns: dict[str, list[dict]] | None = None) -> MissingThemesView:
    """Disclosure control over ``linked_group_summary``'s counts, and the incidents by each of
    :data:`INCIDENT_DIMENSIONS` (``missing.breakdowns``; each incident has one value of each, so they
    split the total): hide 1-5 and whatever would give them away."""
    from careboard.oversight.missing import DIMENSIONS

    breakdowns = breakdowns or {}
    values: dict[Key, int] = {
        Key(CHILDREN): int(summary["children"]),
        Key(GROUPS): int(summary["groups"]),
        Key(EXPLOITATION): int(summary["groups_with_exploitation_concern"]),
    }
    for attr, rows, name in (("provider", summary["providers"], "provider"), ("area", summary["areas"], "area")):
        for r in rows:
            values[Key.of(CHILDREN, **{attr: r[name]})] = int(r["children"])
            values[Key.of(GROUPS, **{attr: r[name]})] = int(r["groups"])
    total = breakdowns.get("total") or []
    if total:
        values[Key(INCIDENTS)] = int(total[0]["incidents"])
        for dim in INCIDENT_DIMENSIONS:
            for r in breakdowns.get(dim, []):
                values[Key.of(INCIDENTS, **{dim: str(r["value"])})] = int(r["incidents"])
    overlapping = {"provider": Attribute(partition=False), "area": Attribute(partition=False)}
    system = CellSystem(values, {CHILDREN: overlapping, GROUPS: overlapping}).close()
    figures = [Figure((str(k),), (k,), headline=not k.filters) for k in values]
    outcome = protect(system, figures)

    def show(key: Key) -> object:
        return HIDDEN if (str(key),) in outcome.hidden else values[key]

    def involved(attr: str, rows: list[dict], name: str) -> list[Involved]:
        return [Involved(r[name], show(Key.of(GROUPS, **{attr: r[name]})), show(Key.of(CHILDREN, **{attr: r[name]})))
                for r in rows]

    return MissingThemesView(
        year=summary["year"], groups=show(Key(GROUPS)), children=show(Key(CHILDREN)),
        groups_with_exploitation_concern=show(Key(EXPLOITATION)),
        providers=involved("provider", summary["providers"], "provider"),
        areas=involved("area", summary["areas"], "area"),
        incidents=show(Key(INCIDENTS)) if total else None,
        incidents_by=[(DIMENSIONS[dim], [(str(r["value"]), show(Key.of(INCIDENTS, **{dim: str(r["value"])})))
                                         for r in breakdowns.get(dim, [])])
                      for dim in INCIDENT_DIMENSIONS if total and breakdowns.get(dim)],
    )


def build_missing_themes(con: duckdb.DuckDBPyConnection, la: str, year: int) -> MissingThemesView | None:
    """The members' view of the year's linked groups; None when no incident of the year has the detail
    the linking needs (no missing_detail.csv loaded, or no missing incident)."""
    from careboard.oversight import missing

    summary = missing.linked_group_summary(con, la, year)
    if summary["groups"] == 0 and not _has_detail(con, year):
        return None
    return control(summary, missing.breakdowns(con, la, year))


def _has_detail(con: duckdb.DuckDBPyConnection, year: int) -> bool:
    """True when some missing incident of ``year`` has the extract's detail (oversight_missing, just made)."""
    return bool(con.execute("SELECT count(*) FROM oversight_missing WHERE year = ? AND has_detail",
                            [year]).fetchone()[0])
