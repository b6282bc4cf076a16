"""DfE rules on where a child is placed: postcodes, the derived distance (PL_DISTANCE), the derived
placing authority (PL_LA) and IN/OUT location (PL_LOCATION)."""

from careboard.validate.rule import Rule

# Children who are UASC this year or were last year (Header.UASC = '1' in either return).
_UASC_NOW_OR_LAST = """
    SELECT CHILD FROM header WHERE UASC = '1'
    UNION SELECT CHILD FROM header_last WHERE UASC = '1'
"""

# Postcodes (HOME_POST, PL_POST) given but not found.  A postcode is found when it is well formed and
# its sector is in the reference centroids (a derived distance means both were).  Northern Ireland
# (BT) and the Crown dependencies (GY, JE, IM) are in the DfE's postcode directory but not in
# careboard's sector centroids, so a well-formed postcode there is taken as found.
_POSTCODES_NOT_FOUND = """
    SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child
    FROM (SELECT source_file, source_row, CHILD, HOME_POST, PL_POST,
                 postcode_sector(HOME_POST) AS home_sector, postcode_sector(PL_POST) AS pl_sector
          FROM episodes WHERE PL_DISTANCE IS NULL) e
    LEFT JOIN ref_sector h ON h.sector = e.home_sector
    LEFT JOIN ref_sector p ON p.sector = e.pl_sector
    WHERE (e.HOME_POST IS NOT NULL AND h.sector IS NULL
           AND NOT coalesce(regexp_matches(e.home_sector, '^(BT|GY|JE|IM)[0-9]'), false))
       OR (e.PL_POST IS NOT NULL AND p.sector IS NULL
           AND NOT coalesce(regexp_matches(e.pl_sector, '^(BT|GY|JE|IM)[0-9]'), false))
"""

# Both postcodes given and one is in Northern Ireland: the DfE derives a distance, careboard's sector
# centroids cannot (they cover Great Britain only), so no distance here is not the return's fault.
_NI_DISTANCE_UNKNOWN = (
    "(HOME_POST IS NOT NULL AND PL_POST IS NOT NULL AND coalesce(regexp_matches(postcode_sector(HOME_POST), '^BT[0-9]')"
    " OR regexp_matches(postcode_sector(PL_POST), '^BT[0-9]'), false))"
)
_NOT_SHORT_BREAK = "coalesce(LS, '') NOT IN ('V3', 'V4')"
_NOT_UASC = f"CHILD NOT IN (SELECT CHILD FROM ({_UASC_NOW_OR_LAST}) WHERE CHILD IS NOT NULL)"

RULES = [
    Rule(
        "392a",
        table="Episodes",
        where=f"PL_DISTANCE IS NULL AND {_NOT_SHORT_BREAK} AND {_NOT_UASC} AND NOT {_NI_DISTANCE_UNKNOWN}",
        note="Distance is derived from the home and placement postcodes; children UASC this year or last "
        "year (in the UASC table) and V3/V4 episodes are excluded, as are Northern Ireland postcodes "
        "(careboard derives no distance for them).",
    ),
    Rule(
        "392b",
        table="Episodes",
        where=f"(HOME_POST IS NULL OR PL_POST IS NULL) AND {_NOT_SHORT_BREAK} AND {_NOT_UASC}",
        note="Either postcode missing; children UASC this year or last year and V3/V4 episodes are excluded.",
    ),
    Rule(
        "392c",
        sql=_POSTCODES_NOT_FOUND,
        note="A postcode is found when it is well formed and its postcode sector exists; well-formed "
        "Northern Ireland, Channel Islands and Isle of Man postcodes are accepted (not in the sector data).",
    ),
    Rule(
        "392d",
        table="Episodes",
        where="PLACE IS DISTINCT FROM 'P1' AND replace(HOME_POST, ' ', '') = replace(PL_POST, ' ', '')",
        note="Postcodes compared ignoring spaces.",
    ),
    Rule(
        "398",
        table="Episodes",
        where="LS IN ('V3', 'V4') AND (HOME_POST IS NOT NULL OR PL_POST IS NOT NULL)",
        note="Distance is derived from the postcodes, so either postcode given counts as completed.",
    ),
    Rule(
        "406",
        table="Episodes",
        where=f"PL_DISTANCE IS NOT NULL AND CHILD IN (SELECT CHILD FROM ({_UASC_NOW_OR_LAST}))",
        note="UASC this year or last year (a row in either year's UASC table).",
    ),
    Rule(
        "411",
        table="Episodes",
        where="PL_LOCATION = 'IN' AND PL_LA IS DISTINCT FROM this_la()",
        note="Both fields are derived from PL_POST, so this can only fire if they are supplied inconsistently.",
    ),
    Rule("420", table="Episodes", where="LS IN ('V3', 'V4') AND PL_LA IS NOT NULL"),
    Rule("454", table="Episodes", where="PL_DISTANCE > 350 AND PL_DISTANCE <> 999.9"),
    Rule(
        "1015",
        table="Episodes",
        where="PLACE_PROVIDER = 'PR1' AND LS IS NOT NULL AND LS NOT IN ('V3', 'V4') AND PLACE IS NOT NULL "
        "AND PLACE NOT IN ('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6') "
        "AND NOT (year(collection_end()) >= 2026 AND PLACE = 'K3') "
        "AND PL_LA IS NOT NULL AND PL_LA <> this_la()",
        note="Adoption and foster placements and V3/V4 episodes are excluded (and K3 from 2025-26); "
        "not flagged when the placement authority is unknown (PL_POST blank or not found).",
    ),
]
