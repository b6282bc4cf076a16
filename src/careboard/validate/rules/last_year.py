"""DfE rules comparing this year's return with last year's: a child's characteristics (Header,
UASC) and how the first episode of the year continues the episode open at the end of last year."""

from careboard.validate.rule import Rule

# This year's Header rows of children also in last year's Header, with last year's values (``l_``,
# the UASC flag of both years among them; the first row when last year's Header repeats a child): the
# run's view header_both_years (context.sql).  The rules that only filter it are table+where rules
# over it (Rule.view), checked together in one scan.
_BOTH_YEARS = "header_both_years"
_HEADER_BOTH_YEARS = f"SELECT * FROM {_BOTH_YEARS}"

# Last year's collection year, for the date a child ceased to be UASC.
_LAST_START = "CAST(collection_start() - INTERVAL 1 YEAR AS DATE)"
_LAST_END = "CAST(collection_end() - INTERVAL 1 YEAR AS DATE)"

# UASC in both years (a UASC row each year) with the date ceased of either year before this year's
# start: the child had stopped being UASC before the year, yet is UASC this year.  One row per child.
_UASC_CEASED_BEFORE_YEAR = f"""
    SELECT b.CHILD, b.source_file, b.source_row
    FROM ({_HEADER_BOTH_YEARS}) b
    WHERE b.UASC = '1' AND b.l_uasc = '1'
      AND (b.CHILD IN (SELECT CHILD FROM uasc WHERE DUC < collection_start())
           OR b.CHILD IN (SELECT CHILD FROM uasc_last WHERE DUC < collection_start()))
"""

_HEADER = "SELECT 'Header' AS tbl, source_file, source_row, CHILD AS child"
_EPISODES = "SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child"

# Sex codes changed from 1/2 to M/F in 2024-25 (collection year 2025).  Only when last year's return
# predates the change (this year is 2024-25) are last year's 1/2 read as M/F; otherwise both years
# use the same codes and are compared as they are (a 1 in a 2024-25 return is not a valid code).
SEX_CODES_CHANGED = 2025
_SEX_LAST = (
    f"CASE WHEN year(collection_end()) = {SEX_CODES_CHANGED} THEN "
    "CASE l_sex WHEN '1' THEN 'M' WHEN '2' THEN 'F' ELSE l_sex END ELSE l_sex END"
)

# This year's Header rows whose child's first Header row last year gave a date of birth that could not
# be read (a cell in last year's invalid_cells).
_LAST_DOB_UNREADABLE = """
    SELECT h.source_file, h.source_row, h.CHILD
    FROM header h
    JOIN header_last_first l ON l.CHILD = h.CHILD
    WHERE h.DOB IS NOT NULL
      AND EXISTS (SELECT 1 FROM invalid_cells_last i
                  WHERE i.table_name = 'Header' AND i.field = 'DOB'
                    AND i.source_file = l.source_file AND i.source_row = l.source_row)
"""

_UN_CODES = "('UN1', 'UN2', 'UN3', 'UN4', 'UN5')"

# The child's first episode this year (by start date) beside last year's final episode (by start
# date, ``p_`` columns) for children with episodes in both years: the TEMP table first_and_last_year,
# worked out once per run from episode_sequence (validate/context.sql).  The rules reading it are
# checked together, in one scan of it (Rule.view).
_FIRST_AND_LAST_YEAR = "first_and_last_year"

# Placement distances that disagree: 0.2 miles or more apart, or only one of them known.
_DISTANCE_DIFFERS = (
    "(round(abs(PL_DISTANCE - p_distance), 1) >= 0.2 OR (PL_DISTANCE IS NULL) <> (p_distance IS NULL))"
)


def _header(condition: str) -> str:
    """This year's Header rows of children in both years where ``condition`` holds."""
    return f"{_HEADER} FROM ({_HEADER_BOTH_YEARS}) WHERE {condition}"


def _continues(code: str, field: str, last: str) -> Rule:
    """Rule ``code``: this year's first episode must carry ``field`` from last year's open final episode."""
    return Rule(
        code, table="Episodes", view=_FIRST_AND_LAST_YEAR, where=f"p_dec IS NULL AND {field} IS DISTINCT FROM {last}"
    )


RULES = [
    Rule(
        "202",
        table="Header",
        view=_BOTH_YEARS,
        where=f"l_sex IS NOT NULL AND SEX IS DISTINCT FROM ({_SEX_LAST})",
        note="Only when last year recorded a sex.  Last year's 1/2 are read as M/F only in 2024-25, whose "
        "last year (2023-24) predates that change of codes; in other years both returns use the same codes, "
        "so a 1 last year conflicts with this year's M.",
    ),
    Rule(
        "203",
        sql=_header("l_dob IS NOT NULL AND DOB IS DISTINCT FROM l_dob")
        + f" UNION ALL {_HEADER} FROM ({_LAST_DOB_UNREADABLE})",
        note="When last year recorded a date of birth that differs; or gave one that is not a date (as the "
        "DfE portal compares them) while this year's is a date (when both are unreadable, rule 102 reports "
        "this year's).  Last year's unreadable dates are known only when its files are checked "
        "(--last-year): a loaded return has none.",
    ),
    Rule(
        "204",
        table="Header",
        view=_BOTH_YEARS,
        where="l_ethnic IS NOT NULL AND ETHNIC IS DISTINCT FROM l_ethnic",
        note="Only when last year recorded an ethnic origin.",
    ),
    Rule(
        "205D",
        table="Header",
        view=_BOTH_YEARS,
        where="UASC = '1' AND l_uasc IS DISTINCT FROM '1'",
        note="UASC is derived from the UASC table in both years (a child is UASC when it has a row there).",
    ),
    Rule(
        "205A",
        sql=_header(f"""UASC = '0' AND l_uasc = '1'
          AND CHILD IN (SELECT CHILD FROM episodes
                        WHERE DECOM <= collection_end() AND (DEC IS NULL OR DEC >= collection_start()))
          AND CHILD NOT IN (SELECT CHILD FROM uasc_last
                            WHERE DUC >= {_LAST_START} AND DUC <= {_LAST_END} AND CHILD IS NOT NULL)"""),
        note="UASC is derived from the UASC table, so 'no longer UASC' means a UASC row last year and none this "
        "year (and so no date ceased this year).  Only children looked after in the year are checked: care "
        "leavers must not have UASC rows (rule 1014).  Flagged unless last year's date ceased is within "
        "last year's collection year (a blank one is flagged).",
    ),
    Rule(
        "205B",
        sql=f"""
        {_HEADER} FROM ({_UASC_CEASED_BEFORE_YEAR}) b
        UNION ALL
        SELECT 'UASC', u.source_file, u.source_row, u.CHILD FROM uasc u
        WHERE u.CHILD IN (SELECT CHILD FROM ({_UASC_CEASED_BEFORE_YEAR}))
        """,
        note="UASC in both years means a UASC row in both years' returns.  Flagged when the date ceased of "
        "either year is before this year's start (the status had ended before the year).  A blank date "
        "(still UASC), or one changed to another date in or after this year, is not flagged.  Flags the "
        "Header row and the child's UASC row(s).",
    ),
    Rule(
        "207",
        sql=_header("l_mother = '1' AND MOTHER IS DISTINCT FROM '1' AND CHILD IN (SELECT CHILD FROM episodes)"),
        note="A child recorded as a mother last year, with episodes this year, must still be recorded as "
        "a mother (blank is flagged).",
    ),
    Rule(
        "208",
        table="Header",
        view=_BOTH_YEARS,
        where=f"""
        l_upn IS NOT NULL AND upper(UPN) IS DISTINCT FROM upper(l_upn)
          AND NOT (upper(l_upn) = 'UN1' AND upper(UPN) IN ('UN2', 'UN3', 'UN4', 'UN5'))
          AND NOT (upper(l_upn) IN {_UN_CODES} AND UPN IS NOT NULL AND upper(UPN) NOT IN {_UN_CODES})
        """,
        note="Only when last year recorded a UPN (so blank -> UN1 is not flagged).  Allowed changes: UN1 to "
        "UN2-UN5, and any UN code to a real UPN.",
    ),
    Rule(
        "452",
        table="Episodes",
        view=_FIRST_AND_LAST_YEAR,
        where="p_dec IS NULL AND RNE = p_rne AND PL_LA IS DISTINCT FROM p_la",
        note="Compared when last year's final episode is open and the first episode this year has the same "
        "reason for new episode; blank (postcode not found) counts as the same as blank.",
    ),
    Rule(
        "453",
        table="Episodes",
        view=_FIRST_AND_LAST_YEAR,
        where=f"p_dec IS NULL AND RNE = p_rne AND {_DISTANCE_DIFFERS}",
        note="Distances 0.2 miles or more apart, or known in only one of the years, when last year's final "
        "episode is open and the reason for new episode is the same.",
    ),
    Rule(
        "502",
        table="Episodes",
        view=_FIRST_AND_LAST_YEAR,
        where="p_dec IS NULL AND DECOM <> p_decom",
        note="Compared with last year's final episode (by start date) when it is open.",
    ),
    _continues("503A", "RNE", "p_rne"),
    _continues("503B", "LS", "p_ls"),
    _continues("503C", "CIN", "p_cin"),
    Rule(
        "503D",
        table="Episodes",
        view=_FIRST_AND_LAST_YEAR,
        where="""p_dec IS NULL AND PLACE IS DISTINCT FROM p_place
          AND NOT coalesce(year(collection_end()) = 2025 AND p_place = 'H5' AND PLACE = 'K3', false)
          AND NOT coalesce(year(collection_end()) = 2026 AND p_place = 'Z1'
                           AND PLACE IN ('Z11', 'Z12', 'Z13', 'Z14'), false)
        """,
        note="Needs last year's return (nothing is flagged without it).  H5 -> K3 accepted in 2024-25 and "
        "Z1 -> Z11-Z14 in 2025-26, when those codes were replaced.",
    ),
    _continues("503E", "PLACE_PROVIDER", "p_provider"),
    _continues("503F", "URN", "p_urn"),
    Rule(
        "503G",
        table="Episodes",
        view=_FIRST_AND_LAST_YEAR,
        where=f"p_dec IS NULL AND {_DISTANCE_DIFFERS}",
        note="Distances 0.2 miles or more apart, or known in only one of the years.",
    ),
    _continues("503H", "PL_LA", "p_la"),
    _continues("503J", "PL_LOCATION", "p_location"),
    Rule(
        "562",
        sql=f"""
        {_EPISODES} FROM (  -- the child's first episode by start date, when it starts before the year
            SELECT * FROM episode_sequence WHERE first_by_start AND DECOM < collection_start()) e
        WHERE NOT EXISTS (
            SELECT 1 FROM (SELECT CHILD, max(DECOM) AS last_decom FROM episodes_last GROUP BY CHILD) p
            WHERE p.CHILD = e.CHILD AND p.last_decom = e.DECOM)
        """,
        note="The earliest episode starting before the year must be last year's final episode (same start "
        "date).",
    ),
    Rule(
        "624",
        table="Header",
        view=_BOTH_YEARS,
        where="l_mc_dob IS NOT NULL AND MC_DOB IS DISTINCT FROM l_mc_dob",
    ),
    Rule(
        "626",
        table="Header",
        view=_BOTH_YEARS,
        where="MOTHER = '1' AND l_mother = '0' AND MC_DOB < collection_start()",
    ),
    Rule(
        "NoE",
        sql=f"""
        {_EPISODES} FROM episodes
        WHERE DECOM < collection_start() AND CHILD NOT IN (SELECT CHILD FROM episodes_last WHERE CHILD IS NOT NULL)
        """,
        note="Every episode starting before the year is flagged for a child with no episodes last year.",
    ),
]
