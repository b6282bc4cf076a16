"""The children and family social work workforce (CSWW census) and social workers of children looked
after (SSDA903), for one authority and year.  ``summary`` gives the figures the workforce measures
divide, and the measures' values, as one row: aggregates naming no worker and no child."""

from __future__ import annotations

import duckdb

from careboard.oversight.iro import ensure_model
from careboard.oversight.sqlfile import query


def _pct(num: float | None, den: float | None) -> float | None:
    return round(100 * num / den, 1) if num is not None and den else None


def summary(con: duckdb.DuckDBPyConnection, la: str, year: int) -> dict:
    """The census figures for ``year`` (census of 30 September ``year - 1``) and the 903's social workers.

    Empty census figures (None) when no CSWW return is loaded for the year.
    """
    ensure_model(con)
    cur = con.execute(f"SELECT * FROM ({query('workforce.sql', 'workforce_year')}) WHERE la = ? AND year = ?",
                      [la, year])
    names = [d[0] for d in cur.description]
    found = cur.fetchall()
    w = dict(zip(names, found[0], strict=True)) if found else {n: None for n in names}
    sw = con.execute(
        f"""
        SELECT count(*) AS children, count(*) FILTER (WHERE workers_in_year >= 2) AS changed,
               count(*) FILTER (WHERE workers_in_year >= 3) AS three_or_more,
               count(DISTINCT worker_at_year_end) AS workers_at_year_end,
               count(worker_at_year_end) AS children_with_worker_at_year_end
        FROM ({query('workforce.sql', 'sw_child_year')}) WHERE la = ? AND year = ?
        """,
        [la, year],
    ).fetchall()[0]
    children, changed, three, workers, allocated = sw
    fte = w["social_worker_fte"]
    return {
        "la": la, "year": year, "census_date": w["census_date"],
        "social_worker_fte": round(fte, 1) if fte is not None else None,
        "social_workers": w["social_workers"], "agency_fte": w["agency_fte"], "agency_workers": w["agency_workers"],
        "vacancies_fte": w["vacancies"], "agency_covering_vacancies_fte": w["agency_covering"],
        "agency_rate_pct": _pct(w["agency_fte"], (w["agency_fte"] or 0) + (fte or 0)),
        "vacancy_rate_pct": _pct(w["vacancies"], (w["vacancies"] or 0) + (fte or 0)),
        "agency_covering_vacancies_pct": _pct(w["agency_covering"], w["agency_fte"]),
        "vacancies_covered_by_agency_pct": _pct(w["agency_covering"], w["vacancies"]),
        "starters_fte": w["starters_fte"], "leavers_fte": w["leavers_fte"],
        "turnover_pct": _pct(w["leavers_fte"], fte),
        "absence_pct": _pct(w["days_lost"], fte * w["working_days"] if fte else None),
        "cases": w["cases"],
        "caseload_per_fte": round(w["cases"] / w["case_holding_fte"], 1) if w["case_holding_fte"] else None,
        "caseholders_pct": _pct(w["caseholder_fte"], fte),
        "under_2_years_pct": _pct(w["under_2_years"], w["with_start_date"]),
        "five_years_or_more_pct": _pct(w["five_years_or_more"], w["with_start_date"]),
        "looked_after_with_social_worker": children,
        "social_worker_changed_pct": _pct(changed, children),
        "three_or_more_social_workers_pct": _pct(three, children),
        "looked_after_per_social_worker": round(allocated / workers, 1) if workers else None,
    }
