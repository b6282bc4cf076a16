"""DfE rules checking an episode's Ofsted URN against the Ofsted provider lists.

They run only when the user supplies the lists (see ``validate/providers.py``, which loads them into
the TEMP table ``providers``: URN, PLACE_CODES, PROVIDER_CODES, POSTCODE_NOSPACE, CLOSED_DATE ...).
An episode's URN is looked up when given and not the placeholder XXXXXXX.
"""

from careboard.validate.rule import Rule

# Episodes with a real URN, joined to the provider list entry for it (p.URN is NULL when the URN
# is not in the lists).
EPISODES_WITH_PROVIDER = """
    SELECT e.*, p.URN AS p_urn, p.PLACE_CODES AS p_place_codes, p.PROVIDER_CODES AS p_provider_codes,
           p.POSTCODE AS p_postcode, p.POSTCODE_NOSPACE AS p_postcode_nospace, p.CLOSED_DATE AS p_closed
    FROM episodes e LEFT JOIN providers p ON p.URN = upper(trim(e.URN))
    WHERE e.URN IS NOT NULL AND upper(trim(e.URN)) <> 'XXXXXXX'
"""


def flag(condition: str, source: str = EPISODES_WITH_PROVIDER) -> str:
    return f"""
        SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child FROM ({source}) e
        WHERE {condition}
    """


# As above with the upper-tier authority of the provider's postcode (2023 boundaries; NULL when the
# postcode is not found).
EPISODES_WITH_PROVIDER_LA = f"""
    SELECT w.*, d.la AS provider_la
    FROM ({EPISODES_WITH_PROVIDER}) w
    LEFT JOIN ref_sector s ON s.sector = postcode_sector(w.p_postcode)
    LEFT JOIN ref_district_la d ON d.district = s.district
"""

# The placement codes rule 221 compares postcodes for, by year.
_221_PLACES = """(e.PLACE IN ('K1', 'K2', 'R3', 'S1')
       OR (e.PLACE = 'H5' AND collection_end() = DATE '2024-03-31')
       OR (e.PLACE = 'K3' AND collection_end() >= DATE '2025-03-31'))"""

# Placements rule 229 leaves out from 2025-26.
_229_EXCLUDED = "('K3', 'P1', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z11', 'Z12', 'Z13', 'Z14')"

RULES = [
    Rule("1008", sql=flag("e.p_urn IS NULL")),
    Rule(
        "219",
        sql=flag("e.p_place_codes IS NOT NULL AND e.PLACE IS NOT NULL AND NOT list_contains(e.p_place_codes, e.PLACE)"),
        note="Only URNs found in the lists (an unknown URN is rule 1008) whose entry gives placement codes.",
    ),
    Rule(
        "221",
        sql=flag(
            f"e.p_postcode_nospace IS NOT NULL AND e.PL_POST IS NOT NULL AND coalesce(e.LS, '') NOT IN ('V3', 'V4') "
            f"AND {_221_PLACES} AND replace(e.PL_POST, ' ', '') <> e.p_postcode_nospace"
        ),
        note="Placements K1, K2, R3, S1 (and H5 in 2023-24, K3 from 2024-25) outside short breaks; postcodes "
        "compared without spaces; only URNs found in the lists with a postcode.",
    ),
    Rule(
        "224",
        sql=flag(
            "e.p_provider_codes IS NOT NULL AND e.PLACE_PROVIDER IS NOT NULL "
            "AND NOT list_contains(e.p_provider_codes, e.PLACE_PROVIDER)"
        ),
        note="Only URNs found in the lists whose entry gives placement provider codes.",
    ),
    Rule(
        "227",
        sql=flag("e.DECOM >= e.p_closed"),
        note="The episode starts on or after the provider's closure (deregistration) date.",
    ),
    Rule(
        "228",
        sql=flag("coalesce(e.DEC, collection_end()) > e.p_closed"),
        note="The episode ends after the provider closed; an open episode is checked at the year end.",
    ),
    Rule(
        "229",
        sql=flag(
            f"""e.provider_la IS NOT NULL
            AND ((e.PLACE_PROVIDER = 'PR1' AND e.provider_la <> this_la())
              OR (e.PLACE_PROVIDER = 'PR2' AND e.provider_la = this_la()))
            AND (collection_end() < DATE '2026-03-31' OR coalesce(e.PLACE, '') NOT IN {_229_EXCLUDED})""",
            source=EPISODES_WITH_PROVIDER_LA,
        ),
        note="The provider's authority is the upper-tier authority of its postcode (2023 boundaries); a "
        "provider whose postcode is not found is not checked.  From 2025-26 placements K3, P1, P3, R1, R2, "
        "R5, T0-T4 and Z11-Z14 are left out.",
    ),
    Rule(
        "241",
        sql=flag(
            "e.PLACE = 'K3' AND e.provider_la IS NOT NULL AND e.PL_LA IS NOT NULL AND e.PL_LA <> e.provider_la",
            source=EPISODES_WITH_PROVIDER_LA,
        ),
        note="Supported accommodation (K3) placements.  The provider's premises are known only from the "
        "postcode the lists give for its URN (one per URN), whose upper-tier authority (2023 boundaries) "
        "must be the placement's; not checked when either postcode is not found.",
    ),
]
