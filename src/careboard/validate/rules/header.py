"""DfE rules on the Header and UASC tables (one row per child): codes, UPN, dates, ages, motherhood
and UASC status."""

from careboard.validate.rule import Rule

# The SEX codes for male and female in the return's year: 1/2 until 2023-24, M/F from 2024-25.
MALE = "(CASE WHEN collection_end() >= DATE '2025-03-31' THEN 'M' ELSE '1' END)"
FEMALE = "(CASE WHEN collection_end() >= DATE '2025-03-31' THEN 'F' ELSE '2' END)"


def plus_years(date: str, n: int) -> str:
    """SQL for the date n years after ``date`` (29 February + n years is 28 February in other years)."""
    return f"({date} + INTERVAL ({n}) YEAR)::DATE"


RULES = [
    Rule("101", table="Header", where="SEX IS NULL OR NOT valid_code('SEX', SEX)"),
    Rule("102", invalid=("Header", "DOB")),
    Rule("103", table="Header", where="ETHNIC IS NULL OR NOT valid_code('ETHNIC', ETHNIC)"),
    Rule(
        "168",
        table="Header",
        where=(
            "UPN IS NULL OR NOT ("
            "regexp_full_match(UPN, '[A-HJ-NP-RT-Z][0-9]{12}')"
            " OR regexp_full_match(UPN, '[A-HJ-NP-RT-Z][0-9]{11}[A-Z]')"
            " OR UPN IN ('UN1', 'UN2', 'UN3', 'UN4', 'UN5'))"
        ),
        note="Format only (a letter other than I, O or S, then 12 digits or 11 digits and a letter); "
        "the DfE check letter is not tested, as the DfE wording does not ask for it.",
    ),
    Rule(
        "104",
        invalid=("UASC", "DUC"),
        note="Flags a DUC that is not a date.  The DfE-community validator also flags a valid DUC "
        "before the collection year; the DfE wording does not ask for that.",
    ),
    Rule(
        "105",
        table="Header",
        where="UASC IS NULL OR UASC NOT IN ('0', '1')",
        note="Header UASC is derived from the UASC table ('1' when the child has a UASC row, else '0'), "
        "as the DfE does for a CSV return, so it is always valid here.",
    ),
    Rule("171", invalid=("Header", "MC_DOB")),
    Rule(
        "174",
        table="Header",
        where=f"MC_DOB IS NOT NULL AND SEX = {MALE}",
        note="Male is SEX 1 until 2023-24 and M from 2024-25.",
    ),
    Rule(
        "209",
        table="Header",
        where=f"UPN = 'UN1' AND {plus_years('DOB', 4)} <= make_date(year(collection_start()) - 1, 8, 31)",
        note="School age: aged 4 or over on 31 August of the year before the collection year starts "
        "(31/08/2024 for 2025-26), as the DfE's rule defines it.",
    ),
    Rule(
        "210",
        sql="""
        SELECT 'Header' AS tbl, h.source_file, h.source_row, h.CHILD AS child
        FROM header h
        JOIN (
            SELECT CHILD FROM episodes
            WHERE DEC IS NULL AND DECOM < collection_end() - INTERVAL 7 DAY AND coalesce(LS, '') NOT IN ('V3', 'V4')
            GROUP BY CHILD
        ) open_a_week USING (CHILD)
        WHERE h.UPN = 'UN4'
        """,
        note="From the DfE wording: a child looked after on 31 March whose current episode began more than a week "
        "before (before 24 March) must not have UN4. The community validator flags UN4 children whose episode "
        "began in the last week instead, the opposite reading; careboard follows the wording.",
    ),
    Rule(
        "231",
        table="Header",
        where=f"UASC = '1' AND DOB > {plus_years('collection_end()', -11)}",
        note="UASC children under 11 at the end of the collection year (UASC status from the UASC table).",
    ),
    Rule("232", table="Header", where="SEX = 'U'"),
    Rule("301", table="Header", where="DOB > collection_end()"),
    Rule(
        "303",
        sql="""
        WITH bad AS (
            SELECT u.source_file AS u_file, u.source_row AS u_row, h.source_file AS h_file, h.source_row AS h_row,
                   u.CHILD
            FROM uasc u JOIN header h ON h.CHILD = u.CHILD
            WHERE u.DUC IS NOT NULL AND h.UASC IS DISTINCT FROM '1'
        )
        SELECT 'UASC' AS tbl, u_file AS source_file, u_row AS source_row, CHILD AS child FROM bad
        UNION ALL
        SELECT 'Header', h_file, h_row, CHILD FROM bad
        """,
        note="Header UASC is derived from the UASC table, so a child with a DUC always has UASC 1 in a "
        "CSV return and this rule cannot fire.",
    ),
    Rule(
        "304",
        sql=f"""
        SELECT 'UASC' AS tbl, u.source_file, u.source_row, u.CHILD AS child
        FROM uasc u LEFT JOIN (SELECT CHILD, arg_min(DOB, source_row) AS DOB FROM header GROUP BY CHILD) h
             ON h.CHILD = u.CHILD
        WHERE u.DUC > {plus_years('coalesce(u.DOB, h.DOB)', 18)}
        """,
        note="Uses the UASC table's DOB, or the Header's where the UASC DOB is blank.",
    ),
    Rule("351", table="Header", where=f"collection_start() > {plus_years('DOB', 25)}"),
    Rule(
        "444",
        sql="""
        SELECT 'Header' AS tbl, source_file, source_row, CHILD AS child
        FROM (SELECT *, count(*) OVER (PARTITION BY UPN) AS n FROM header
              WHERE UPN IS NOT NULL AND UPN NOT IN ('UN1', 'UN2', 'UN3', 'UN4', 'UN5'))
        WHERE n > 1
        """,
        note="Every Header row sharing a UPN (other than UN1-UN5) is flagged.",
    ),
    Rule("611", table="Header", where="MOTHER = '1' AND MC_DOB IS NULL"),
    Rule(
        "612",
        table="Header",
        where=f"coalesce(MOTHER, '0') = '0' AND SEX = {FEMALE} AND MC_DOB IS NOT NULL",
        note="Female is SEX 2 until 2023-24 and F from 2024-25; a blank MOTHER counts as not a mother.",
    ),
    Rule("620", table="Header", where=f"MOTHER = '1' AND {plus_years('DOB', 11)} > collection_start()"),
    Rule("621", table="Header", where="MC_DOB <= DOB"),
    Rule(
        "EPI",
        table="Header",
        where="CHILD NOT IN (SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL) "
        "AND CHILD NOT IN (SELECT CHILD FROM oc3 WHERE CHILD IS NOT NULL)",
        note="Children in Header with no episode and no care leaver (OC3) row.",
    ),
]
