"""Missing children: who goes missing, from where, when, for how long, where they are found, what
follows (return home interviews), and the common themes that link them.

Service functions for one authority and collection year (or any window), returning plain rows:

* analysts (child-level, audited): ``episode_rows``, ``linked_children`` / ``missing_links``;
* members (aggregates, to be disclosure-controlled by publish/): ``breakdowns``, ``repeat_missing``,
  ``return_interviews``, ``by_provider``, ``linked_group_summary``.

Queries: ``missing.sql`` (incidents with their detail) and ``missing_links.sql`` (the themes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from careboard import years
from careboard.oversight import places
from careboard.oversight.iro import ensure_model
from careboard.oversight.sqlfile import query

# What incidents are broken down by, for members and analysts alike (column -> heading).
DIMENSIONS = {
    "age_band": "Age when they went missing",
    "sex": "Sex",
    "placement_type": "Placement type",
    "placement_area": "Placement area",
    "distance_band": "Distance of the placement from home",
    "duration_band": "How long they were missing",
    "time_of_day": "Time of day they went missing",
    "day_of_week": "Day of the week",
    "where_found": "Where they were found",
    "repeat_band": "Times the child went missing in the year",
}
DISTANCE_BANDS = ("Under 5 miles", "5 to 10 miles", "10 to 20 miles", "Over 20 miles", "Not known")
REPEAT_BANDS = ("Once", "Twice", "3 to 9 times", "10 or more times")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def prepare(con: duckdb.DuckDBPyConnection, la: str) -> str:
    """TEMP TABLE ``oversight_missing``: the authority's incidents (missing.sql) with the placement's
    area, whether it is outside the authority, and its distance from home; its name."""
    ensure_model(con)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE oversight_missing_raw AS "
        f"SELECT * FROM ({query('missing.sql', 'missing_episodes')}) WHERE la = ?",
        [la],
    )
    places.locate(
        con,
        "SELECT pl_post FROM oversight_missing_raw UNION ALL SELECT home_post FROM oversight_missing_raw "
        "UNION ALL SELECT found_postcode FROM oversight_missing_raw",
        "oversight_missing_places",
    )
    miles = places.miles_sql("h", "p")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE oversight_missing AS
        WITH counted AS (
            SELECT r.*, count(*) OVER (PARTITION BY r.CHILD, r.kind, r.year) AS incidents_in_year
            FROM oversight_missing_raw r
        )
        SELECT r.*, coalesce(p.district_name, 'Not known') AS placement_area, p.la AS placement_la,
               CASE WHEN p.la IS NULL THEN NULL ELSE p.la <> r.la END AS placed_outside,
               {miles} AS home_miles,
               CASE WHEN {miles} IS NULL THEN 'Not known' WHEN {miles} < 5 THEN 'Under 5 miles'
                    WHEN {miles} < 10 THEN '5 to 10 miles' WHEN {miles} <= 20 THEN '10 to 20 miles'
                    ELSE 'Over 20 miles' END AS distance_band,
               CASE WHEN r.incidents_in_year = 1 THEN 'Once' WHEN r.incidents_in_year = 2 THEN 'Twice'
                    WHEN r.incidents_in_year < 10 THEN '3 to 9 times' ELSE '10 or more times' END AS repeat_band,
               f.district_name AS found_area, p.east AS pl_east, p.north AS pl_north,
               f.east AS found_east, f.north AS found_north
        FROM counted r
        LEFT JOIN oversight_missing_places p ON p.postcode = {places.normalise_sql("r.pl_post")}
        LEFT JOIN oversight_missing_places h ON h.postcode = {places.normalise_sql("r.home_post")}
        LEFT JOIN oversight_missing_places f ON f.postcode = {places.normalise_sql("r.found_postcode")}
        """
    )
    return "oversight_missing"


def episode_rows(con: duckdb.DuckDBPyConnection, la: str, year: int, kinds: tuple[str, ...] = ("M", "A")) -> list[dict]:
    """Every incident that began in the year, child-level, with everything known about it (analysts)."""
    table = prepare(con, la)
    return _rows(
        con,
        f"""
        SELECT CHILD, kind, mis_start, start_time, mis_end, end_time, hours, duration_band, age, sex, place,
               placement_type, urn, pl_post, placement_area, placed_outside, home_miles, distance_band,
               time_of_day, day_of_week, where_found, found_postcode, found_sector, found_area, rhi_offered,
               rhi_offered_date, rhi_within_72h, rhi_accepted, risk_cse, risk_cce, risk_trafficking,
               incidents_in_year
        FROM {table} WHERE year = ? AND kind IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY mis_start, CHILD
        """,
        [year, list(kinds)],
    )


def breakdowns(
    con: duckdb.DuckDBPyConnection, la: str, year: int, kinds: tuple[str, ...] = ("M",)
) -> dict[str, list[dict]]:
    """Incidents and children by each of ``DIMENSIONS`` for incidents that began in the year, in one
    GROUPING SETS pass: {dimension: [{value, incidents, children}]}.  A child counts once in each value
    they have an incident in (so children across the values of one dimension may add up to more than
    the children who went missing); ``total`` gives the totals.  Raw counts: publish/ suppresses."""
    table = prepare(con, la)
    dims = list(DIMENSIONS)
    sets = ", ".join(f"({d})" for d in dims)
    which = " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in dims)
    value = ", ".join(f"CASE WHEN GROUPING({d}) = 0 THEN {d}::VARCHAR END" for d in dims)
    rows = _rows(
        con,
        f"""
        SELECT CASE {which} ELSE 'total' END AS dimension, coalesce({value}, 'All') AS value,
               count(*) AS incidents, count(DISTINCT CHILD) AS children, min(day_number) AS day_number
        FROM {table} WHERE year = ? AND kind IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY GROUPING SETS ((), {sets})
        """,
        [year, list(kinds)],
    )
    out: dict[str, list[dict]] = {d: [] for d in ["total", *dims]}
    for r in rows:
        out[r["dimension"]].append({"value": r["value"], "incidents": r["incidents"], "children": r["children"],
                                    "_order": r["day_number"]})
    for d, values in out.items():
        values.sort(key=lambda r: _order(d, r))
        for r in values:
            del r["_order"]
    return out


def _order(dimension: str, row: dict) -> tuple:
    fixed = {
        "age_band": ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over", "Unknown"),
        "distance_band": DISTANCE_BANDS,
        "repeat_band": REPEAT_BANDS,
        "duration_band": ("Under 24 hours", "1 to 3 days", "3 to 7 days", "7 days or more", "Not yet returned",
                          "Unknown"),
        "time_of_day": ("Night (00:00-05:59)", "Morning (06:00-11:59)", "Afternoon (12:00-17:59)",
                        "Evening (18:00-23:59)", "Not recorded"),
    }
    if dimension == "day_of_week":
        return (row["_order"] or 8,)
    if dimension in fixed:
        order = fixed[dimension]
        return (order.index(row["value"]) if row["value"] in order else len(order), row["value"])
    return (-row["incidents"], row["value"])


def repeat_missing(con: duckdb.DuckDBPyConnection, la: str, year: int) -> dict:
    """Children who went missing in the year by how often: once, twice, 3+ and 10+ (aggregates)."""
    table = prepare(con, la)
    row = _rows(
        con,
        f"""
        WITH per_child AS (SELECT CHILD, count(*) AS n FROM {table} WHERE year = ? AND kind = 'M' GROUP BY CHILD)
        SELECT count(*) AS children, count(*) FILTER (WHERE n = 1) AS once, count(*) FILTER (WHERE n = 2) AS twice,
               count(*) FILTER (WHERE n >= 3) AS three_or_more, count(*) FILTER (WHERE n >= 10) AS ten_or_more,
               coalesce(sum(n), 0) AS incidents,
               coalesce(sum(n) FILTER (WHERE n >= 3), 0) AS incidents_of_three_or_more
        FROM per_child
        """,
        [year],
    )[0]
    return row


def repeat_children(con: duckdb.DuckDBPyConnection, la: str, year: int, at_least: int = 3) -> list[dict]:
    """Each child who went missing ``at_least`` times in the year, most often first, with their last
    placement, the days offered a return home interview within 72 hours and exploitation concerns
    (analysts: child-level, audited by the caller)."""
    table = prepare(con, la)
    return _rows(
        con,
        f"""
        SELECT CHILD, count(*) AS incidents, arg_max(placement_type, mis_start) AS placement_type,
               arg_max(placement_area, mis_start) AS placement_area, max(mis_start) AS last_missing,
               count(*) FILTER (WHERE rhi_within_72h) AS rhi_within_72h,
               count(*) FILTER (WHERE exploitation_concern) AS with_exploitation_concern
        FROM {table} WHERE year = ? AND kind = 'M'
        GROUP BY CHILD HAVING count(*) >= ?
        ORDER BY incidents DESC, CHILD
        """,
        [year, at_least],
    )


def return_interviews(con: duckdb.DuckDBPyConnection, la: str, year: int) -> dict:
    """Return home interviews after missing incidents that ended in the year, where the extract has
    the incident: offered, offered within 72 hours of the return, and taken up (aggregates)."""
    table = prepare(con, la)
    row = _rows(
        con,
        f"""
        SELECT count(*) AS ended, count(*) FILTER (WHERE has_detail) AS with_detail,
               count(*) FILTER (WHERE rhi_offered) AS offered,
               count(*) FILTER (WHERE rhi_within_72h) AS offered_within_72h,
               count(*) FILTER (WHERE rhi_offered AND rhi_offered_date IS NULL) AS offered_date_not_recorded,
               count(*) FILTER (WHERE rhi_offered AND rhi_accepted) AS taken_up
        FROM {table}
        WHERE kind = 'M' AND mis_end BETWEEN ? AND ?
        """,
        [years.year_start(year), years.year_end(year)],
    )[0]
    d = row["with_detail"]
    row["offered_pct"] = round(100 * row["offered"] / d, 1) if d else None
    row["within_72h_pct"] = round(100 * row["offered_within_72h"] / d, 1) if d else None
    row["taken_up_pct"] = round(100 * row["taken_up"] / row["offered"], 1) if row["offered"] else None
    return row


def by_provider(con: duckdb.DuckDBPyConnection, la: str, year: int) -> list[dict]:
    """Missing incidents by the provider (Ofsted URN) of the placement the child went missing from:
    providers, placement type, area, incidents and children (aggregates; the URN is public)."""
    table = prepare(con, la)
    return _rows(
        con,
        f"""
        SELECT urn, mode(placement_type) AS placement_type, mode(placement_area) AS placement_area,
               count(*) AS incidents, count(DISTINCT CHILD) AS children,
               count(*) FILTER (WHERE exploitation_concern) AS incidents_with_exploitation_concern
        FROM {table} WHERE year = ? AND kind = 'M' AND urn IS NOT NULL
        GROUP BY urn ORDER BY incidents DESC, urn
        """,
        [year],
    )


# -- common themes ---------------------------------------------------------------------------


@dataclass
class Links:
    """The graph of linked children and places in a window, for the multi-agency missing meeting.

    ``links``: each link that stands (child-level); ``groups``: each linked group with its children,
    places, settings and providers; ``nodes``: every child and place in a group, with its group.
    """

    la: str
    start: date
    end: date
    links: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    nodes: list[dict] = field(default_factory=list)


def missing_links(con: duckdb.DuckDBPyConnection, la: str, start: date, end: date) -> Links:
    """Links between children who went missing from ``start`` to ``end`` (missing_links.sql), as a graph
    of children and places and its linked groups (analysts: child-level, audited)."""
    prepare(con, la)
    params = {"la": la, "start": start, "end": end}
    out = Links(la, start, end)
    out.links = _rows(con, query("missing_links.sql", "links") + " ORDER BY link, chance, child_a", params)
    if not out.links:
        return out
    con.execute("CREATE OR REPLACE TEMP TABLE oversight_components AS " + query("missing_links.sql", "components"),
                params)
    groups = _rows(
        con,
        """
        WITH named AS (
            SELECT component, dense_rank() OVER (ORDER BY component) AS n FROM (
                SELECT component FROM oversight_components GROUP BY component
                HAVING count(*) FILTER (WHERE node LIKE 'child %') >= 2)
            GROUP BY component
        )
        SELECT 'G' || lpad(n::VARCHAR, 2, '0') AS group_id, c.node, c.component
        FROM oversight_components c JOIN named USING (component) ORDER BY n, c.node
        """,
    )
    group_of = {}
    for g in groups:
        kind, _, ident = g["node"].partition(" ")
        group_of[(kind, ident)] = g["group_id"]
        out.nodes.append({"group_id": g["group_id"], "kind": kind, "id": ident})
    for link in out.links:
        link["group_id"] = group_of.get(("child", link["child_a"]))
    out.groups = _describe_groups(con, out)
    return out


def _describe_groups(con: duckdb.DuckDBPyConnection, links: Links) -> list[dict]:
    """Each group: its children, places found, settings and providers, areas, dates and risk flags."""
    groups: dict[str, dict] = {}
    for node in links.nodes:
        g = groups.setdefault(node["group_id"], {"group_id": node["group_id"], "children": [], "places": [],
                                                 "settings": set(), "providers": set(), "links": 0,
                                                 "occasions": 0, "first_day": None, "last_day": None})
        (g["children"] if node["kind"] == "child" else g["places"]).append(node["id"])
    for link in links.links:
        g = groups.get(link["group_id"])
        if g is None:
            continue
        g["links"] += 1
        g["occasions"] += link["occasions"]
        if link["link"] == "together":
            g["settings" if link["level"] == "placement" else "providers"].add(link["setting"])
        g["first_day"] = min(d for d in (g["first_day"], link["first_day"]) if d is not None)
        g["last_day"] = max(d for d in (g["last_day"], link["last_day"]) if d is not None)
    out = []
    for g in groups.values():
        detail = _rows(
            con,
            """
            SELECT list(DISTINCT urn ORDER BY urn) FILTER (WHERE urn IS NOT NULL) AS providers,
                   list(DISTINCT placement_area ORDER BY placement_area) AS placement_areas,
                   list(DISTINCT found_area ORDER BY found_area)
                       FILTER (WHERE found_area IS NOT NULL AND found_sector IN (SELECT unnest(?::VARCHAR[])))
                       AS found_areas,
                   count(*) FILTER (WHERE exploitation_concern) AS incidents_with_exploitation_concern,
                   count(*) AS incidents
            FROM oversight_missing
            WHERE CHILD IN (SELECT unnest(?::VARCHAR[])) AND mis_start BETWEEN ? AND ?
            """,
            [g["places"], g["children"], links.start, links.end],
        )[0]
        settings_providers = {s.split(" ")[0] for s in g["settings"] if not s.startswith("-")}
        g["providers"] = sorted(g["providers"] | settings_providers) or (detail["providers"] or [])
        g["settings"] = sorted(g["settings"])
        g["placement_areas"] = detail["placement_areas"] or []
        g["found_areas"] = detail["found_areas"] or []
        g["incidents"] = detail["incidents"]
        g["incidents_with_exploitation_concern"] = detail["incidents_with_exploitation_concern"]
        out.append(g)
    return sorted(out, key=lambda g: g["group_id"])


def linked_group_summary(con: duckdb.DuckDBPyConnection, la: str, year: int) -> dict:
    """For members: how many linked groups in the year, how many children in them, and the providers
    and areas involved, naming no child (raw counts: publish/ suppresses)."""
    found = missing_links(con, la, years.year_start(year), years.year_end(year))
    providers: dict[str, dict] = {}
    areas: dict[str, dict] = {}
    for g in found.groups:
        for urn in g["providers"]:
            p = providers.setdefault(urn, {"provider": urn, "groups": 0, "children": 0})
            p["groups"] += 1
            p["children"] += len(g["children"])
        for area in sorted(set(g["placement_areas"]) | set(g["found_areas"])):
            a = areas.setdefault(area, {"area": area, "groups": 0, "children": 0})
            a["groups"] += 1
            a["children"] += len(g["children"])
    return {
        "la": la,
        "year": year,
        "groups": len(found.groups),
        "children": sum(len(g["children"]) for g in found.groups),
        "groups_with_exploitation_concern": sum(g["incidents_with_exploitation_concern"] > 0 for g in found.groups),
        "providers": sorted(providers.values(), key=lambda p: (-p["children"], p["provider"])),
        "areas": sorted(areas.values(), key=lambda a: (-a["children"], a["area"])),
    }
