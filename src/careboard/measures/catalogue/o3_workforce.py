"""The children and family social work workforce: the Children's Social Work Workforce census (CSWW)
and, for the social workers of children looked after, the SSDA903 SWEpisodes table.

The census is taken on 30 September; careboard counts it in the collection year that date falls in
(the census of 30 September 2025 is 2025-26), while LAIT files it under 2025, so these measures are
benchmarked against LAIT's year one before theirs (``benchmark_year_lag=1``).  Definitions are the
DfE's, from LAIT's methodology notes for the Children's Services Workforce topic.
"""

from careboard.measures.inputs import shared_query
from careboard.measures.measure import Measure

_THEME = "Social work workforce"
_YEAR = f"SELECT * FROM ({shared_query('workforce.sql', 'workforce_year')})"
_LAIT = "DfE, Children's social work workforce; LAIT"
_NOTES = (
    "From the CSWW census return loaded with `careboard load` (one per year). A social worker is an employee "
    "(AgencyWorker 0) in post on 30 September: RoleStartDate on or before it, RoleEndDate blank or after it; FTE on "
    "30 September is FTE30 where given, else FTE. The year of starters, leavers and absence runs from 1 October "
    "to 30 September."
)


def _workforce(id: str, title: str, sentence: str, definition: str, kind: str, unit: str, polarity: str | None,
               num: str, den: str | None, lait: str | None, notes: str = "") -> Measure:
    columns = f"{num} AS num" + (f", {den} AS den" if den else "")
    where = f" WHERE {den} > 0" if den else ""
    return Measure(
        id=id, title=title, sentence=sentence, definition=definition, kind=kind, unit=unit, polarity=polarity,
        sql=f"SELECT la, year, {columns} FROM ({_YEAR}){where}", lait_code=lait, breakdowns=(), theme=_THEME,
        notes=_NOTES + notes, benchmark_year_lag=1,
    )


MEASURES = [
    _workforce(
        "workforce_fte", "Children and family social workers (FTE)",
        "The number of full-time-equivalent children and family social workers the council employed on 30 September.",
        f"FTE number of children and family social workers in post at 30 September ({_LAIT} Work_Force_NoSW).",
        "count", "number", None, "social_worker_fte", None, "Work_Force_NoSW",
    ),
    _workforce(
        "workforce_agency_rate", "Agency social workers",
        "Of the social workers working for us on 30 September, the share who were agency workers (FTE).",
        "FTE agency workers working as children and family social workers at 30 September, divided by the sum of "
        "FTE agency workers and FTE children and family social workers at 30 September "
        f"({_LAIT} Work_Force_Agecy_Rate).",
        "proportion", "%", "low", "agency_fte", "agency_fte + social_worker_fte", "Work_Force_Agecy_Rate",
    ),
    _workforce(
        "workforce_vacancy_rate", "Social worker vacancies",
        "Of the social worker posts we had on 30 September, the share that were vacant (FTE).",
        "FTE vacancies at 30 September divided by the sum of FTE vacancies and FTE children and family social "
        f"workers in post at 30 September ({_LAIT} Work_Force_Vac_Rate).",
        "proportion", "%", "low", "vacancies", "vacancies + social_worker_fte", "Work_Force_Vac_Rate",
        " Vacancies and agency workers covering them are the return's LALevelVacancies block.",
    ),
    _workforce(
        "workforce_agency_covering_vacancies", "Agency social workers covering vacancies",
        "Of our agency social workers on 30 September, the share covering a vacant post (FTE).",
        "FTE agency workers covering vacancies at 30 September divided by FTE agency workers at 30 September "
        f"({_LAIT} Work_Force_AgencyCover).",
        "proportion", "%", None, "agency_covering", "agency_fte", "Work_Force_AgencyCover",
        " Agency workers covering vacancies: the return's NoAgencyFTE (the census records cover for vacancies for "
        "the authority as a whole, not worker by worker); agency FTE: the agency workers' records in post.",
    ),
    _workforce(
        "workforce_vacancies_covered", "Vacancies covered by agency workers",
        "Of our vacant social worker posts on 30 September, the share covered by an agency worker (FTE).",
        "FTE agency workers in post covering vacancies at 30 September divided by FTE vacancies "
        f"({_LAIT} Vacancies_cover).",
        "proportion", "%", "high", "agency_covering", "vacancies", "Vacancies_cover",
    ),
    _workforce(
        "workforce_turnover", "Social worker turnover",
        "Social workers who left us during the year, as a share of those in post on 30 September (FTE).",
        "FTE children and family social worker leavers in the year divided by FTE children and family social "
        f"workers in post at 30 September ({_LAIT} Work_Force_TO_Rate).",
        "proportion", "%", "low", "leavers_fte", "social_worker_fte", "Work_Force_TO_Rate",
        " Leavers: employees whose RoleEndDate falls in the year, not counting those who also started in it (as "
        "the DfE excludes starting and leaving in the same year).",
    ),
    _workforce(
        "workforce_starters", "Social workers starting (FTE)",
        "Full-time-equivalent social workers who joined us during the year and were still in post on 30 September.",
        "FTE children and family social workers who joined a vacant post in the year ending 30 September, excluding "
        f"those who started and left in the same year ({_LAIT} Social_Work_Starters).",
        "count", "number", None, "starters_fte", None, "Social_Work_Starters",
        " Starters: employees in post on 30 September whose RoleStartDate falls in the year; the census cannot "
        "tell a move within the authority from a new start, which the DfE excludes.",
    ),
    _workforce(
        "workforce_leavers", "Social workers leaving (FTE)",
        "Full-time-equivalent social workers who left us during the year.",
        "FTE children and family social workers who left a post in the year ending 30 September, excluding those "
        f"who started and left in the same year ({_LAIT} Social_Work_Leavers).",
        "count", "number", None, "leavers_fte", None, "Social_Work_Leavers",
    ),
    _workforce(
        "workforce_absence_rate", "Social worker sickness absence",
        "The share of social workers' working days lost to sickness during the year.",
        "Days missed due to sickness absence during the year divided by FTE children and family social workers in "
        "post at 30 September multiplied by 253 working days (254 in a leap year) "
        f"({_LAIT} Work_Force_SWAbsence).",
        "proportion", "%", "low", "days_lost", "social_worker_fte * working_days", "Work_Force_SWAbsence",
        " Days missed: WorkingDaysLost of the employees in post on 30 September.",
    ),
    _workforce(
        "workforce_caseload", "Cases per social worker",
        "On 30 September, the average number of cases held by each full-time social worker holding cases.",
        "Cases held by children and family social workers (including agency workers) at 30 September, divided by "
        "the FTE of those in post who held one or more cases and had an FTE greater than zero "
        f"({_LAIT} Work_Force_AvgNumCase_SW).",
        "ratio", "number", "low", "cases", "case_holding_fte", "Work_Force_AvgNumCase_SW",
        " Cases: Cases30.",
    ),
    _workforce(
        "workforce_cases_held", "Cases held",
        "The number of cases our social workers held on 30 September.",
        f"Cases held by children and family social workers at 30 September ({_LAIT} Work_Force_Num_CaseHeld).",
        "count", "number", None, "cases", None, "Work_Force_Num_CaseHeld",
    ),
    _workforce(
        "workforce_caseholders", "Social workers who are case holders",
        "Of our social workers on 30 September, the share in case-holding roles (FTE).",
        "Children and family social workers in a case holder role (managing cases, not a senior, middle or first "
        "line manager or senior practitioner) as a percentage of all children and family social workers "
        f"({_LAIT} Social_Work_Caseholders_%).",
        "proportion", "%", "high", "caseholder_fte", "social_worker_fte", "Social_Work_Caseholders_%",
        " Case holder: OrgRole 5; measured in FTE.",
    ),
    _workforce(
        "workforce_under_2_years", "Social workers in their role for under two years",
        "Of our social workers on 30 September, the share who had been in their role for less than two years.",
        "Children and family social workers in post at 30 September whose current role began less than two years "
        "before, as a percentage of those in post with a known start date (headcount).",
        "proportion", "%", None, "under_2_years", "with_start_date", None,
        " Experience is measured by RoleStartDate, the start of the worker's current role in the authority; the "
        "DfE's length-of-service tables have no LAIT code.",
    ),
    _workforce(
        "workforce_5_years_plus", "Social workers in their role for five years or more",
        "Of our social workers on 30 September, the share who had been in their role for five years or more.",
        "Children and family social workers in post at 30 September whose current role began five or more years "
        "before, as a percentage of those in post with a known start date (headcount).",
        "proportion", "%", None, "five_years_or_more", "with_start_date", None,
        " Experience is measured by RoleStartDate (see above).",
    ),
    Measure(
        id="social_worker_changed",
        title="Children whose social worker changed during the year",
        sentence="Of the children in our care on 31 March, the share who had more than one social worker during "
        "the year.",
        definition="Children looked after on 31 March with two or more unique social workers assigned between 1 "
        "April and 31 March, as a percentage of children looked after on 31 March with a social worker episode "
        "(SSDA903 SWEpisodes; the DfE publishes 3 or more: Stability_SocialWorker).",
        kind="proportion",
        unit="%",
        polarity="low",
        sql=f"""
            SELECT la, year, CHILD, (workers_in_year >= 2)::INT AS num, 1 AS den
            FROM ({shared_query('workforce.sql', 'sw_child_year')})
        """,
        theme=_THEME,
        notes="Unique SW_ID values in the year's SWEpisodes overlapping the year (as for social_workers_3_plus); "
        "SWEpisodes was first collected in 2023-24.",
    ),
    Measure(
        id="social_worker_looked_after_caseload",
        title="Children looked after per social worker",
        sentence="On 31 March, the average number of children in our care allocated to each social worker who had "
        "at least one.",
        definition="Children looked after on 31 March with a social worker episode open that day, divided by the "
        "number of different social workers (SW_ID) those episodes name (SSDA903 SWEpisodes).",
        kind="ratio",
        unit="number",
        polarity="low",
        sql=f"""
            SELECT la, year, count(*) AS num, 1 AS den
            FROM ({shared_query('workforce.sql', 'sw_child_year')}) WHERE worker_at_year_end IS NOT NULL
            GROUP BY la, year, worker_at_year_end
        """,
        breakdowns=(),
        theme=_THEME,
        notes="Counts only children looked after, whom the 903 covers: a social worker's other cases (children in "
        "need, on protection plans) are not in the 903, so this is not the CSWW caseload.",
    ),
]
