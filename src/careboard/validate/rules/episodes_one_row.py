"""DfE rules on one Episodes row at a time: dates, placement location, provider and Ofsted URN.

Rules whose code lists changed between collection years compare against the list for the year
being validated (``year(collection_end())`` is the year a collection ends, e.g. 2026 for 2025-26).
"""

from careboard.validate.rule import Rule

_TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
_OTHER_2026 = ("Z11", "Z12", "Z13", "Z14")  # Z1 split into Z11-Z14 in 2025-26
# PL_LA values for placements outside England (careboard derives WAL/SCO/NIR; CON and NUK are the
# DfE's codes for elsewhere and are kept so that a value supplied that way is understood too).
_OUTSIDE_ENGLAND = "('WAL', 'SCO', 'NIR', 'NUK', 'CON')"


def _in(column: str, codes: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


def _in_by_year(column: str, by_year: dict[int, tuple[str, ...]]) -> str:
    """``column`` is in the list for the collection year: ``by_year`` maps the last year a list
    applies to (its keys ascending; the last list also applies to every later year)."""
    years = sorted(by_year)
    whens = " ".join(f"WHEN year(collection_end()) <= {y} THEN {_in(column, by_year[y])}" for y in years[:-1])
    return f"(CASE {whens} ELSE {_in(column, by_year[years[-1]])} END)"


# Placement types for which no Ofsted URN is recorded (rule 222) / required (rule 218), by year.
_NO_URN = {
    2023: ("H5", "P1", "P2", "P3", "R1", "R2", "R5", *_TEMPORARY, "Z1"),
    2024: ("P1", "P2", "P3", "R1", "R2", "R5", *_TEMPORARY, "Z1"),
    2025: ("P1", "P3", "R1", "R2", "R5", *_TEMPORARY, "Z1"),
    2026: ("P1", "P3", "R1", "R2", "R5", *_TEMPORARY, *_OTHER_2026),
}
_URN_EXEMPT = {
    2024: ("H5", "P1", "P2", "P3", "R1", "R2", "R5", *_TEMPORARY, "Z1"),
    2025: ("P1", "P3", "R1", "R2", "R5", *_TEMPORARY, "Z1"),
    2026: ("P1", "P3", "R1", "R2", "R5", *_TEMPORARY, *_OTHER_2026),
}

RULES = [
    Rule("147", invalid=("Episodes", "DEC")),
    Rule(
        "148",
        table="Episodes",
        where="(DEC IS NULL) <> (REC IS NULL)",
        note="A DEC that is not a valid date counts as blank here (rule 147 reports the date itself).",
    ),
    Rule("353", table="Episodes", where="DECOM < DATE '1991-10-14'"),
    Rule(
        "354",
        table="Episodes",
        where="DECOM > collection_end()",
        note="Checks the start date (DECOM), the field the DfE lists for this rule; rule 385 checks DEC.",
    ),
    Rule("355", table="Episodes", where="DECOM = DEC"),
    Rule("356", table="Episodes", where="DEC < DECOM"),
    Rule(
        "164",
        sql="""
        SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child FROM episodes
        WHERE coalesce(LS, '') NOT IN ('V3', 'V4')
          AND CHILD NOT IN (SELECT CHILD FROM uasc WHERE CHILD IS NOT NULL
                            UNION SELECT CHILD FROM uasc_last WHERE CHILD IS NOT NULL)
          AND (PL_DISTANCE IS NULL OR PL_DISTANCE NOT BETWEEN 0.0 AND 999.9)
        """,
        note="A distance that cannot be worked out (a postcode blank or not found) is not between 0.0 and "
        "999.9, so is flagged, as the DfE message ('check a valid postcode has been entered') asks; UASC "
        "children (this year or last) and V3/V4 short breaks are exempt.  The community validator skips "
        "distances it cannot work out (e.g. a home postcode cut to its outward code).",
    ),
    Rule(
        "169",
        table="Episodes",
        where="coalesce(LS, '') NOT IN ('V3', 'V4') AND PL_LA IS NULL",
        note="PL_LA comes from the April 2023 district to upper-tier lookup; the community validator's "
        "2021 lookup has no authority for postcodes in North Yorkshire, Cumberland, Westmorland and "
        "Furness or Somerset, so it flags those placements too.",
    ),
    Rule("179", table="Episodes", where="coalesce(LS, '') NOT IN ('V3', 'V4') AND PL_LOCATION IS NULL"),
    Rule(
        "178",
        table="Episodes",
        where="PLACE_PROVIDER IS NOT NULL AND (NOT valid_code('PLACE_PROVIDER', PLACE_PROVIDER) OR "
        + _in_by_year("PLACE", {2025: (*_TEMPORARY, "Z1"), 2026: ("T0", "T1", "T2", "T3", *_OTHER_2026)})
        + ")",
        note="A provider given for a placement that takes none (T0-T4 and Z1; T0-T3 and Z11-Z14 from "
        "2025-26, as the DfE lists them) is also not valid.",
    ),
    Rule(
        "213",
        table="Episodes",
        where="PLACE_PROVIDER IS NOT NULL AND "
        + _in_by_year("PLACE", {2025: _TEMPORARY, 2026: (*_TEMPORARY, *_OTHER_2026)}),
    ),
    Rule("214", table="Episodes", where="LS IN ('V3', 'V4') AND (PL_POST IS NOT NULL OR URN IS NOT NULL)"),
    Rule(
        "217",
        table="Episodes",
        where="PLACE IN ('A3', 'A5') AND DECOM >= DATE '2015-04-01' AND coalesce(RNE, '') NOT IN ('S', 'T', 'U')",
        note="Applies to episodes starting on or after 1 April 2015.",
    ),
    Rule(
        "217t",
        table="Episodes",
        where="PLACE = 'P2' AND (DEC IS NULL OR DEC > DATE '2023-10-28')",
        note="P2 episodes still open after 28 October 2023.",
    ),
    Rule(
        "218",
        table="Episodes",
        where=f"URN IS NULL AND (DEC IS NULL OR DEC > DATE '2015-03-31')"
        f" AND coalesce(PL_LA, '') NOT IN {_OUTSIDE_ENGLAND}"
        f" AND NOT coalesce({_in_by_year('PLACE', _URN_EXEMPT)}, false)",
        note="As the DfE words it: episodes open after 31 March 2015, placed in England or where the "
        "placement's authority is unknown (a missing postcode does not exempt the URN).",
    ),
    Rule(
        "222",
        table="Episodes",
        where=f"URN IS NOT NULL AND URN <> 'XXXXXXX' AND {_in_by_year('PLACE', _NO_URN)}",
    ),
    Rule(
        "230",
        table="Episodes",
        where=f"PLACE = 'H5' AND (DEC IS NULL OR DEC > DATE '2023-10-28') AND (URN IS NULL OR URN = 'XXXXXXX')"
        f" AND coalesce(PL_LA, '') NOT IN {_OUTSIDE_ENGLAND}",
        note="H5 episodes open after 28 October 2023 not known to be outside England.",
    ),
    Rule("233", table="Episodes", where="DEC IS NULL AND REASON_PLACE_CHANGE IS NOT NULL"),
    Rule(
        "242",
        table="Episodes",
        where="URN = 'XXXXXXX' AND coalesce(PLACE, '') NOT IN "
        "('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6')",
    ),
    Rule("243", table="Episodes", where=f"URN IS NOT NULL AND PL_LA IN {_OUTSIDE_ENGLAND}"),
    Rule("378", table="Episodes", where="PLACE = 'P1' AND LS = 'V2'"),
    Rule(
        "380",
        table="Episodes",
        where=f"{_in('PLACE', _TEMPORARY)} AND coalesce(RNE, '') NOT IN ('P', 'B')",
        note="A temporary placement must start with a change of placement and carer (RNE P or B).",
    ),
    Rule("381", table="Episodes", where=f"{_in('PLACE', _TEMPORARY)} AND REC IS NOT NULL AND REC <> 'X1'"),
    Rule("382", table="Episodes", where=f"LS IN ('V3', 'V4') AND {_in('PLACE', _TEMPORARY)}"),
    Rule("365", table="Episodes", where="LS = 'V3' AND coalesce(DEC, collection_end()) > DECOM + 17"),
    Rule("366", table="Episodes", where="LS = 'V3' AND coalesce(RNE, '') <> 'S'"),
]
