"""The IRO service: caseloads against the IRO Handbook's range, reviews, continuity and travel.

Service functions for one authority, each returning plain rows (dicts) a page, the pack or the
command line renders.  Two audiences:

* **managers and IROs (analysts' roles, audited)**: per-IRO tables (IROs are named by their
  extract id) and child-level lists (overdue reviews, children without an IRO);
* **members**: ``annual_report``, the IRO annual report's figures, naming no IRO and no child (to be
  disclosure-controlled by publish/ before it is shown).

The queries are in ``iro.sql``.  Distances are straight lines between grid references
(``places.py``), reviews are assumed to be held where the child lives, and an IRO's base is the
extract's optional IRO_BASE_POSTCODE, else an office postcode the caller gives.
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import duckdb

from careboard import years
from careboard.oversight import places
from careboard.oversight.sqlfile import query

# The IRO Handbook's range for a full-time IRO's caseload, and where it comes from.
HANDBOOK_RANGE = (50, 70)
HANDBOOK_SOURCE = (
    "IRO Handbook: statutory guidance for independent reviewing officers and local authorities on their "
    "functions in relation to case management and review for looked after children (DCSF, 2010), "
    "paragraph 7.15: a caseload of 50 to 70 looked after children for a full-time equivalent IRO is "
    "estimated to ensure the delivery of a quality service, including the full range of the IRO's functions."
)
FAR_MILES = 20.0


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def ensure_model(con: duckdb.DuckDBPyConnection) -> None:
    """The care histories (built if the loads changed since they were last built) and the shared
    macros and reference tables, in this connection."""
    from careboard.model.build import build
    from careboard.store.reference import install

    build(con)
    install(con)


def band(per_fte: float | None) -> str | None:
    """Where a caseload per full-time IRO sits against the Handbook's range."""
    if per_fte is None:
        return None
    low, high = HANDBOOK_RANGE
    if per_fte > high:
        return "over range"
    return "within range" if per_fte >= low else "below range"


# Each child's IRO on each day of ``days`` (a relation with a ``day`` column): the allocation covering the
# day in a period of care still open after it (a child who left care that day is not looked after on it, as
# the DfE counts 31 March), the latest one should two start that day.  The same rule as iro.sql's
# iro_at_year_end, so a manager's caseload on 31 March is the caseload members see.
_HELD_ON = f"""
    SELECT d.day, s.CHILD, arg_max(s.iro, (s.spell_start, s.spell_no)) AS iro
    FROM days d
    JOIN ({query("iro.sql", "iro_spells")}) s ON s.la = $la AND s.spell_start <= d.day
     AND coalesce(s.spell_end, DATE '9999-12-31') >= d.day AND coalesce(s.period_end, DATE '9999-12-31') > d.day
    GROUP BY d.day, s.CHILD
"""


def _caseloads(con: duckdb.DuckDBPyConnection, la: str, days: list[date]) -> list[dict]:
    """Each IRO's children on each of ``days``: day, iro, fte, children, per_fte, band."""
    ensure_model(con)
    rows = _rows(
        con,
        f"""
        WITH days AS (SELECT unnest($days::DATE[]) AS day),
             held AS ({_HELD_ON}),
             officers AS ({query("iro.sql", "iro_officers")})
        SELECT h.day, h.iro, any_value(o.fte) AS fte, count(*) AS children
        FROM held h JOIN officers o ON o.la = $la AND o.iro = h.iro
        GROUP BY h.day, h.iro ORDER BY h.day, h.iro
        """,
        {"la": la, "days": days},
    )
    for r in rows:
        r["per_fte"] = round(r["children"] / r["fte"], 1) if r["fte"] else None
        r["band"] = band(r["per_fte"])
    return rows


def caseload_on(con: duckdb.DuckDBPyConnection, la: str, on: date) -> list[dict]:
    """Each IRO's children on ``on``: iro, fte, children, per_fte, band (analysts: IROs named)."""
    return [{k: v for k, v in r.items() if k != "day"} for r in _caseloads(con, la, [on])]


def distribution(caseloads: list[dict]) -> dict:
    """The spread of caseloads across IROs, naming none: for members and for the managers' summary."""
    per = [r["per_fte"] for r in caseloads if r["per_fte"] is not None]
    fte = sum(r["fte"] for r in caseloads)
    children = sum(r["children"] for r in caseloads)
    return {
        "iros": len(caseloads),
        "fte": round(fte, 2),
        "children": children,
        "per_fte": round(children / fte, 1) if fte else None,
        "lowest": min(per) if per else None,
        "median": round(statistics.median(per), 1) if per else None,
        "highest": max(per) if per else None,
        "over_range": sum(r["band"] == "over range" for r in caseloads),
        "within_range": sum(r["band"] == "within range" for r in caseloads),
        "below_range": sum(r["band"] == "below range" for r in caseloads),
        "range": HANDBOOK_RANGE,
    }


def _reviews_with_places(con: duckdb.DuckDBPyConnection, la: str, base_postcode: str | None) -> str:
    """TEMP TABLE of the authority's reviews with their IRO, placement, distances and travel; its name."""
    ensure_model(con)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE oversight_iro_reviews AS "
        f"WITH officers AS ({query('iro.sql', 'iro_officers')}) "
        f"SELECT r.*, coalesce(o.base_postcode, ?) AS base_postcode, o.fte "
        f"FROM ({query('iro.sql', 'iro_reviews')}) r JOIN officers o ON o.la = r.la AND o.iro = r.iro "
        f"WHERE r.la = ?",
        [base_postcode, la],
    )
    places.locate(
        con,
        "SELECT pl_post FROM oversight_iro_reviews UNION ALL SELECT home_post FROM oversight_iro_reviews "
        "UNION ALL SELECT base_postcode FROM oversight_iro_reviews",
        "oversight_iro_places",
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE oversight_iro_travel AS
        SELECT r.*, pl.la AS placement_la, pl.district_name AS placement_area,
               CASE WHEN pl.la IS NULL THEN NULL ELSE pl.la <> r.la END AS out_of_area,
               {places.miles_sql("h", "pl")} AS home_miles,
               {places.miles_sql("b", "pl")} AS base_miles
        FROM oversight_iro_reviews r
        LEFT JOIN oversight_iro_places pl ON pl.postcode = {places.normalise_sql("r.pl_post")}
        LEFT JOIN oversight_iro_places h ON h.postcode = {places.normalise_sql("r.home_post")}
        LEFT JOIN oversight_iro_places b ON b.postcode = {places.normalise_sql("r.base_postcode")}
        """
    )
    return "oversight_iro_travel"


def year_by_iro(con: duckdb.DuckDBPyConnection, la: str, year: int, base_postcode: str | None = None) -> list[dict]:
    """Each IRO's year (analysts: IROs named).

    Columns: iro, fte, children_in_year (allocated at any time in the year), children_at_year_end,
    per_fte_at_year_end, band, reviews (chaired in the year), on_time, on_time_pct, participation_counted
    (reviews coded PN1-PN7), participated (PN1-PN6), participation_pct, reviews_far (the child placed
    outside the authority or more than 20 miles from home), reviews_out_of_area, reviews_over_20_miles,
    travel_miles (there and back from the IRO's base to each review, straight lines), travel_unknown
    (reviews whose base or placement is not known).
    """
    start, end = years.year_start(year), years.year_end(year)
    travel = _reviews_with_places(con, la, base_postcode)
    reviews = {
        r["iro"]: r
        for r in _rows(
            con,
            f"""
            SELECT iro, count(*) AS reviews, count(*) FILTER (WHERE on_time) AS on_time,
                   count(participated) AS participation_counted, coalesce(sum(participated), 0) AS participated,
                   count(*) FILTER (WHERE out_of_area OR home_miles > {FAR_MILES}) AS reviews_far,
                   count(*) FILTER (WHERE out_of_area) AS reviews_out_of_area,
                   count(*) FILTER (WHERE home_miles > {FAR_MILES}) AS reviews_over_20_miles,
                   round(2 * coalesce(sum(base_miles), 0), 1) AS travel_miles,
                   count(*) FILTER (WHERE base_miles IS NULL) AS travel_unknown
            FROM {travel} WHERE review_date BETWEEN ? AND ? GROUP BY iro
            """,
            [start, end],
        )
    }
    children = {
        r["iro"]: r
        for r in _rows(
            con,
            f"""
            WITH spells AS ({query("iro.sql", "iro_spells")}),
                 officers AS ({query("iro.sql", "iro_officers")})
            SELECT s.iro, any_value(o.fte) AS fte, count(DISTINCT s.CHILD) AS children_in_year
            FROM spells s JOIN officers o ON o.la = s.la AND o.iro = s.iro
            WHERE s.la = ? AND s.spell_start <= ? AND coalesce(s.spell_end, DATE '9999-12-31') >= ?
            GROUP BY s.iro
            """,
            [la, end, start],
        )
    }
    for r in caseload_on(con, la, end):
        children.setdefault(r["iro"], {"fte": r["fte"], "children_in_year": r["children"]})
        children[r["iro"]]["children_at_year_end"] = r["children"]
    out = []
    for iro in sorted(set(reviews) | set(children)):
        c = children.get(iro, {})
        r = reviews.get(iro, {})
        fte = c.get("fte") or _fte(con, la, iro)
        at_end = c.get("children_at_year_end", 0)
        per_fte = round(at_end / fte, 1) if fte else None
        n = r.get("reviews", 0)
        counted = r.get("participation_counted", 0)
        out.append({
            "iro": iro, "fte": fte, "children_in_year": c.get("children_in_year", 0),
            "children_at_year_end": at_end, "per_fte_at_year_end": per_fte, "band": band(per_fte),
            "reviews": n, "on_time": r.get("on_time", 0),
            "on_time_pct": round(100 * r["on_time"] / n, 1) if n else None,
            "participation_counted": counted, "participated": r.get("participated", 0),
            "participation_pct": round(100 * r["participated"] / counted, 1) if counted else None,
            "reviews_far": r.get("reviews_far", 0), "reviews_out_of_area": r.get("reviews_out_of_area", 0),
            "reviews_over_20_miles": r.get("reviews_over_20_miles", 0),
            "travel_miles": r.get("travel_miles", 0.0), "travel_unknown": r.get("travel_unknown", 0),
        })
    return out


def _fte(con: duckdb.DuckDBPyConnection, la: str, iro: str) -> float:
    found = con.execute(f"SELECT fte FROM ({query('iro.sql', 'iro_officers')}) WHERE la = ? AND iro = ?",
                        [la, iro]).fetchall()
    return found[0][0] if found else 1.0


def review_travel(con: duckdb.DuckDBPyConnection, la: str, year: int, base_postcode: str | None = None) -> list[dict]:
    """Every review in the year with its IRO, placement and distances (analysts: child-level)."""
    travel = _reviews_with_places(con, la, base_postcode)
    return _rows(
        con,
        f"""
        SELECT CHILD, review_date, iro, on_time, review_code, place, pl_post, placement_area, out_of_area,
               home_miles, base_postcode, base_miles
        FROM {travel} WHERE review_date BETWEEN ? AND ? ORDER BY iro, review_date, CHILD
        """,
        [years.year_start(year), years.year_end(year)],
    )


def continuity(con: duckdb.DuckDBPyConnection, la: str, year: int) -> list[dict]:
    """Each child looked after in the year with an IRO on record: IROs in their latest period so far,
    changes of IRO in the year, and their IRO at the end (analysts: child-level)."""
    ensure_model(con)
    return _rows(
        con,
        f"""
        WITH spells AS ({query("iro.sql", "iro_spells")}),
             per_child AS ({query("iro.sql", "iro_child_year")})
        SELECT k.CHILD, c.period_start, k.in_care_at_year_end, k.iros_in_period, k.changes_in_year,
               (SELECT arg_max(s.iro, s.spell_start) FROM spells s WHERE s.la = k.la AND s.CHILD = k.CHILD
                  AND s.period_no = c.period_no AND s.spell_start <= c.last_day) AS iro_at_end
        FROM per_child k
        JOIN model_child_year c ON c.la = k.la AND c.year = k.year AND c.CHILD = k.CHILD
        WHERE k.la = ? AND k.year = ?
        ORDER BY k.changes_in_year DESC, k.iros_in_period DESC, k.CHILD
        """,
        [la, year],
    )


def continuity_summary(rows: list[dict]) -> dict:
    """How many children kept their IRO (from ``continuity`` rows), naming none."""
    n = len(rows)
    changed = sum(r["changes_in_year"] > 0 for r in rows)
    three = sum(r["iros_in_period"] >= 3 for r in rows)
    return {
        "children": n,
        "changed_in_year": changed,
        "changed_in_year_pct": round(100 * changed / n, 1) if n else None,
        "three_or_more_iros": three,
        "three_or_more_iros_pct": round(100 * three / n, 1) if n else None,
    }


def overdue_reviews(con: duckdb.DuckDBPyConnection, la: str, on: date) -> list[dict]:
    """Children looked after on ``on`` whose next review was due before that day and not yet held,
    with their IRO (analysts: child-level).  A review held on its due date is on time."""
    ensure_model(con)
    return _rows(
        con,
        f"""
        WITH spells AS ({query("iro.sql", "iro_spells")}),
        open_at AS (
            SELECT p.la, p.CHILD, p.period_no, p.period_start FROM model_periods p
            WHERE p.la = $la AND p.period_start <= $on AND coalesce(p.period_end, DATE '9999-12-31') >= $on
        ),
        held AS (
            SELECT o.la, o.CHILD, o.period_no, o.period_start, max(r.review_no) AS reviews,
                   max(r.review_date) AS last_review
            FROM open_at o
            LEFT JOIN model_reviews r ON r.la = o.la AND r.CHILD = o.CHILD AND r.period_no = o.period_no
             AND r.review_date <= $on
            GROUP BY ALL
        ),
        due AS (
            SELECT h.*,
                   CASE WHEN h.reviews IS NULL THEN f.day
                        WHEN h.reviews = 1 THEN (h.last_review + INTERVAL 3 MONTH)::DATE
                        ELSE (h.last_review + INTERVAL 6 MONTH)::DATE END AS next_due
            FROM held h
            JOIN ref_working_day w ON w.day = h.period_start
            JOIN ref_working_day f ON f.working_day_no = w.working_day_no + 20 AND f.is_working_day
        )
        SELECT d.CHILD, d.period_start, coalesce(d.reviews, 0) AS reviews_held, d.last_review, d.next_due,
               date_diff('day', d.next_due, $on::DATE) AS days_overdue,
               (SELECT arg_max(s.iro, s.spell_start) FROM spells s WHERE s.la = d.la AND s.CHILD = d.CHILD
                  AND s.period_no = d.period_no AND s.spell_start <= $on) AS iro
        FROM due d WHERE d.next_due < $on
        ORDER BY days_overdue DESC, d.CHILD
        """,
        {"la": la, "on": on},
    )


def unallocated(con: duckdb.DuckDBPyConnection, la: str, on: date) -> list[dict]:
    """Children looked after on ``on`` for more than five working days with no IRO allocation on
    record covering that day (analysts: child-level).  Empty when no extract covers the day."""
    ensure_model(con)
    return _rows(
        con,
        f"""
        WITH iro_rows AS ({query("iro.sql", "iro_rows")}),
             spells AS ({query("iro.sql", "iro_spells")})
        SELECT p.CHILD, p.period_start, w1.working_day_no - w0.working_day_no AS working_days_in_care
        FROM model_periods p
        JOIN ref_working_day w0 ON w0.day = p.period_start
        JOIN ref_working_day w1 ON w1.day = $on
        WHERE p.la = $la AND p.period_start <= $on AND coalesce(p.period_end, DATE '9999-12-31') >= $on
          AND w1.working_day_no - w0.working_day_no > 5
          AND EXISTS (SELECT 1 FROM iro_rows r WHERE r.la = $la
                      AND coalesce(r.review_date, r.allocated) BETWEEN $on::DATE - INTERVAL 1 YEAR AND $on)
          AND NOT EXISTS (SELECT 1 FROM spells s WHERE s.la = p.la AND s.CHILD = p.CHILD
                          AND s.spell_start <= $on AND coalesce(s.spell_end, DATE '9999-12-31') >= $on)
        ORDER BY working_days_in_care DESC, p.CHILD
        """,
        {"la": la, "on": on},
    )


def month_ends(start: date, end: date) -> list[date]:
    """Every month's last day from ``start``'s month to ``end``'s."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def caseload_trend(con: duckdb.DuckDBPyConnection, la: str, start: date, end: date) -> list[dict]:
    """Each IRO's children at every month end from ``start`` to ``end`` (analysts: IROs named).

    Rows: month_end, iro, fte, children, per_fte, band.
    """
    return [{"month_end": r.pop("day"), **r} for r in _caseloads(con, la, month_ends(start, end))]


def yearly_caseloads(con: duckdb.DuckDBPyConnection, la: str, year_list: list[int]) -> list[dict]:
    """The caseloads on 31 March of each year, summed over IROs (:func:`distribution` of each, naming none),
    oldest first; years with no IRO allocation on record are left out."""
    by_day: dict[date, list[dict]] = {}
    for r in _caseloads(con, la, [years.year_end(y) for y in year_list]):
        by_day.setdefault(r["day"], []).append(r)
    return [{"year": y, **distribution(by_day[years.year_end(y)])} for y in year_list if years.year_end(y) in by_day]


def monthly_caseloads(trend: list[dict]) -> list[dict]:
    """:func:`caseload_trend` rows summed over IROs, month by month (naming none)."""
    by_month: dict[date, list[dict]] = {}
    for r in trend:
        by_month.setdefault(r["month_end"], []).append(r)
    return [{"month_end": m, **distribution(rows)} for m, rows in sorted(by_month.items())]


def manager_view(con: duckdb.DuckDBPyConnection, la: str, on: date) -> dict:
    """What an IRO service manager needs on ``on`` (analysts' roles only; child-level; audited):

    * ``caseloads``: each IRO's children, per FTE and band; ``over_range``: those above the range;
    * ``overdue``: children whose review is overdue, with their IRO;
    * ``unallocated``: children without an allocated IRO;
    * ``trend``: each IRO's caseload at the last twelve month ends.
    """
    caseloads = caseload_on(con, la, on)
    first = date(on.year - 1, on.month, 1)
    return {
        "on": on,
        "caseloads": caseloads,
        "distribution": distribution(caseloads),
        "over_range": [r for r in caseloads if r["band"] == "over range"],
        "overdue": overdue_reviews(con, la, on),
        "unallocated": unallocated(con, la, on),
        "trend": caseload_trend(con, la, first, on),
    }


def annual_report(con: duckdb.DuckDBPyConnection, la: str, year: int, base_postcode: str | None = None) -> dict:
    """The IRO annual report's figures for members: no IRO and no child is named.

    Counts here are raw; publish/ must apply disclosure control before members see them.
    """
    end = years.year_end(year)
    at_end = caseload_on(con, la, end)
    per_iro = year_by_iro(con, la, year, base_postcode)
    kept = continuity_summary(continuity(con, la, year))
    reviews = sum(r["reviews"] for r in per_iro)
    counted = sum(r["participation_counted"] for r in per_iro)
    on_time = sum(r["on_time"] for r in per_iro)
    participated = sum(r["participated"] for r in per_iro)
    far = sum(r["reviews_far"] for r in per_iro)
    return {
        "la": la,
        "year": year,
        "handbook_range": HANDBOOK_RANGE,
        "handbook_source": HANDBOOK_SOURCE,
        "caseloads_at_year_end": distribution(at_end),
        "reviews": reviews,
        "reviews_on_time": on_time,
        "reviews_on_time_pct": round(100 * on_time / reviews, 1) if reviews else None,
        "participation_counted": counted,
        "participated": participated,
        "participation_pct": round(100 * participated / counted, 1) if counted else None,
        "reviews_far": far,
        "reviews_far_pct": round(100 * far / reviews, 1) if reviews else None,
        "reviews_out_of_area": sum(r["reviews_out_of_area"] for r in per_iro),
        "reviews_over_20_miles": sum(r["reviews_over_20_miles"] for r in per_iro),
        "travel_miles": round(sum(r["travel_miles"] for r in per_iro), 1),
        "travel_unknown": sum(r["travel_unknown"] for r in per_iro),
        "continuity": kept,
        "unallocated_at_year_end": len(unallocated(con, la, end)),
        "overdue_at_year_end": len(overdue_reviews(con, la, end)),
    }
