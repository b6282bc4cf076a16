"""DfE rules comparing Episodes (and OC2) with the child's Header: ages at events, mother, UPN."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import CHILD_DOB, EPISODES_WITH_NEIGHBOURS

# The SEX code for female in the return's year: 2 until 2023-24, F from 2024-25.
FEMALE = "(CASE WHEN collection_end() >= DATE '2025-03-31' THEN 'F' ELSE '2' END)"


def plus_years(date: str, n: str | int) -> str:
    """SQL for the date n years after ``date`` (29 February + n years is 28 February in other years)."""
    return f"({date} + INTERVAL ({n}) YEAR)::DATE"


def episodes_where(condition: str) -> str:
    """Episodes (with the child's Header DOB as DOB) where ``condition`` holds."""
    return f"""
        SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child
        FROM episodes e JOIN ({CHILD_DOB}) h ON h.CHILD = e.CHILD
        WHERE {condition}
    """


def episode_and_header(episodes_sql: str, condition: str) -> str:
    """Flag both the episode and the child's Header row(s) where ``condition`` holds.

    ``episodes_sql`` is a query over episodes (aliased e in ``condition``); h is the Header row.
    """
    return f"""
        WITH bad AS (
            SELECT e.source_file AS e_file, e.source_row AS e_row, h.source_file AS h_file,
                   h.source_row AS h_row, e.CHILD
            FROM ({episodes_sql}) e JOIN header h ON h.CHILD = e.CHILD
            WHERE {condition}
        )
        SELECT 'Episodes' AS tbl, e_file AS source_file, e_row AS source_row, CHILD AS child FROM bad
        UNION ALL
        SELECT 'Header', h_file, h_row, CHILD FROM bad
    """


def too_young_for_placement(place: str, age: str) -> str:
    """Episodes in placement ``place`` starting before the child's ``age``-th birthday."""
    return episodes_where(f"e.PLACE = {place} AND e.DECOM < {plus_years('h.DOB', age)}")


def temporary_too_long(place: str, days: int) -> str:
    """Temporary placements lasting more than ``days`` days (open ones measured to the year end): the
    condition on an Episodes row (so the rule is checked in the table's one scan)."""
    return f"PLACE = '{place}' AND coalesce(DEC, collection_end()) > DECOM + {days}"


_OPEN_MEASURED = "Open episodes are measured to the end of the collection year."

RULES = [
    Rule(
        "234",
        sql=episode_and_header(
            EPISODES_WITH_NEIGHBOURS,
            f"e.REASON_PLACE_CHANGE = 'CUSTOD' AND coalesce(e.next_decom, e.DEC) < {plus_years('h.DOB', 10)}",
        ),
        note="Age is taken on the day the placement changed (the next episode's start, else this "
        "episode's end); the episode giving CUSTOD and the Header are flagged.",
    ),
    Rule(
        "302",
        sql=episode_and_header("SELECT * FROM episode_sequence", "e.first_by_start AND e.DECOM < h.DOB"),
        note="The child's first episode by start date (episode_sequence.first_by_start: two starting the "
        "same day in file order) starting before the date of birth.",
    ),
    Rule("352", sql=episodes_where(f"e.RNE = 'S' AND e.DECOM >= {plus_years('h.DOB', 18)}")),
    Rule(
        "358",
        sql=episode_and_header(
            "SELECT * FROM episodes", f"e.LS IN ('J1', 'J2', 'J3') AND e.DECOM < {plus_years('h.DOB', 10)}"
        ),
        note="A child starting the episode on their 10th birthday is 10, not under 10, so is not flagged "
        "(the DfE-community validator flags the birthday too).",
    ),
    Rule(
        "359",
        sql=episodes_where(
            f"e.DEC IS NULL AND {plus_years('h.DOB', 18)} < collection_end() "
            "AND NOT coalesce(e.LS = 'V2' AND e.PLACE = 'K2', false)"
        ),
        note="Open episodes of young people who turned 18 before the end of the collection year must be "
        "LS V2 in placement K2.",
    ),
    Rule(
        "370",
        sql=too_young_for_placement("'P2'", "CASE WHEN collection_end() <= DATE '2023-03-31' THEN 15 ELSE 16 END"),
        note="At least 15 in 2022-23 and 16 in 2023-24, as the DfE rule was in each year; closed and open "
        "episodes alike (the DfE-community validator skips open episodes).",
    ),
    Rule(
        "371",
        sql=too_young_for_placement(
            "CASE WHEN collection_end() >= DATE '2025-03-31' THEN 'K3' ELSE 'H5' END",
            "CASE WHEN collection_end() <= DATE '2023-03-31' THEN 14 ELSE 16 END",
        ),
        note="H5 until 2023-24 (at least 14 in 2022-23, 16 in 2023-24), K3 from 2024-25; closed and "
        "open episodes alike; an episode starting before the child was born is too young too.",
    ),
    Rule("372", sql=too_young_for_placement("'R5'", 10), note="Closed and open episodes alike."),
    Rule("373", sql=too_young_for_placement("'S1'", 4), note="Closed and open episodes alike."),
    Rule("374", sql=too_young_for_placement("'P3'", 14), note="Closed and open episodes alike."),
    Rule("375", table="Episodes", where=temporary_too_long("T1", 42), note="More than 42 days. " + _OPEN_MEASURED),
    Rule("376", table="Episodes", where=temporary_too_long("T3", 21), note="More than 21 days. " + _OPEN_MEASURED),
    Rule("379", table="Episodes", where=temporary_too_long("T4", 7), note="More than 7 days. " + _OPEN_MEASURED),
    Rule("386", sql=episodes_where(f"e.REC IN ('E11', 'E12') AND e.DEC >= {plus_years('h.DOB', 18)}")),
    Rule(
        "387",
        sql=episodes_where(f"e.REC IN ('E5', 'E6') AND e.DEC < {plus_years('h.DOB', 14)}"),
        note="Needs a readable date of birth: an impossible DOB is rule 102's (the community validator "
        "flags every E5/E6 ending of such a child here too).",
    ),
    Rule("389", sql=episodes_where(f"e.REC = 'E7' AND e.DEC < {plus_years('h.DOB', 16)}")),
    Rule(
        "393",
        table="Header",
        where=f"SEX = {FEMALE} AND MOTHER IS NULL AND CHILD IN "
        "(SELECT CHILD FROM episodes WHERE coalesce(LS, '') NOT IN ('V3', 'V4'))",
        note="Girls with an episode other than short breaks (V3/V4); female is SEX 2 until 2023-24, F after.",
    ),
    Rule(
        "407",
        sql=episode_and_header(
            "SELECT * FROM episodes", f"e.REC IN ('E45', 'E46', 'E47', 'E48') AND e.DEC >= {plus_years('h.DOB', 18)}"
        ),
        note="Ceasing on the 18th birthday counts as having reached 18 (the DfE-community validator only "
        "flags days after it).",
    ),
    Rule(
        "442",
        table="Header",
        where="UPN IS NULL AND CHILD IN (SELECT CHILD FROM episodes WHERE coalesce(LS, '') NOT IN ('V3', 'V4'))",
        note="Children with an episode other than short breaks (V3/V4).",
    ),
    Rule("460", sql=episodes_where(f"e.REC = 'E17' AND e.DEC < {plus_years('h.DOB', 18)}")),
    Rule(
        "542",
        sql=f"""
        SELECT 'OC2' AS tbl, o.source_file, o.source_row, o.CHILD AS child
        FROM oc2 o LEFT JOIN ({CHILD_DOB}) h ON h.CHILD = o.CHILD
        WHERE o.CONVICTED IS NOT NULL AND {plus_years('coalesce(o.DOB, h.DOB)', 10)} > collection_end()
        """,
        note="Uses the OC2 table's DOB, or the Header's where the OC2 DOB is blank.",
    ),
    Rule(
        "607",
        sql=episode_and_header(
            "SELECT * FROM episodes",
            f"e.DEC BETWEEN collection_start() AND collection_end() AND e.REC IS NOT NULL AND e.REC <> 'X1' "
            f"AND coalesce(e.LS, '') NOT IN ('V3', 'V4') AND h.SEX = {FEMALE} AND h.MOTHER IS NULL",
        ),
        note="Girls whose episode ended in the year for a reason other than X1, outside short breaks.",
    ),
    Rule(
        "625",
        sql="""
        WITH latest AS (
            SELECT CHILD, DEC, source_file AS e_file, source_row AS e_row
            FROM episode_sequence  -- the latest by start date: the last in NEIGHBOUR_ORDER, if dated
            WHERE DECOM IS NOT NULL AND nb_episode_no = episodes_of_child
        ),
        checked AS (
            SELECT h.source_file, h.source_row, h.CHILD, h.MC_DOB > l.DEC AS after_ceased,
                   l.e_file, l.e_row, h.MC_DOB > collection_end() AS after_year
            FROM header h LEFT JOIN latest l ON l.CHILD = h.CHILD
            WHERE h.MC_DOB IS NOT NULL
        )
        SELECT 'Header' AS tbl, source_file, source_row, CHILD AS child FROM checked
        WHERE after_year OR after_ceased
        UNION ALL
        SELECT 'Episodes', e_file, e_row, CHILD FROM checked WHERE after_ceased
        """,
        note="The date the child ceased to be looked after is the end of their latest episode (by start "
        "date), when it has ended; that episode is flagged with the Header.",
    ),
]
