"""careboard's own cross-checks of a CIN census with the SSDA903 return of the same authority and
year (clearly labelled: not DfE rules).

Children looked after are children in need, so each is in both returns under the same local
identifier (CIN LAchildID = SSDA903 CHILD), and the two returns must agree about who the child is.
Findings about SSDA903 records point at them (table ``SSDA903: ...``).
"""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import CHILD

_MF = "CASE {v} WHEN '1' THEN 'M' WHEN '2' THEN 'F' WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' END"

RULES = [
    Rule(
        "CB-903-DOB",
        sql=f"""
        {CHILD} FROM child c
        WHERE EXISTS (SELECT 1 FROM ssda903_header_now h WHERE h.CHILD = c.LAchildID AND h.DOB <> c.PersonBirthDate)
        """,
        note="Both dates given; flags the CIN census record.",
    ),
    Rule(
        "CB-903-SEX",
        sql=f"""
        {CHILD} FROM child c
        WHERE EXISTS (SELECT 1 FROM ssda903_header_now h WHERE h.CHILD = c.LAchildID
                      AND {_MF.format(v='h.SEX')} <> {_MF.format(v='c.Sex')})
        """,
        note="Male or female in both returns (1/2 or M/F, whichever the year uses) and different.",
    ),
    Rule(
        "CB-903-UPN",
        sql=f"""
        {CHILD} FROM child c
        WHERE c.UPN IS NOT NULL
          AND EXISTS (SELECT 1 FROM ssda903_header_now h WHERE h.CHILD = c.LAchildID AND h.UPN IS NOT NULL
                      AND h.UPN NOT LIKE 'UN_' AND upper(h.UPN) <> upper(c.UPN))
        """,
        note="Both returns give a UPN (the SSDA903's UN1-UN5 'reason unknown' codes are not UPNs) and they "
        "differ.",
    ),
    Rule(
        "CB-903-CIN",
        sql="""
        SELECT 'SSDA903: Header' AS tbl, h.source_file, h.source_row, h.CHILD AS child
        FROM ssda903_header_now h
        WHERE EXISTS (SELECT 1 FROM ssda903_episodes_now e WHERE e.CHILD = h.CHILD
                      AND e.DECOM <= collection_end() AND coalesce(e.DEC, collection_end()) >= collection_start())
          AND NOT EXISTS (SELECT 1 FROM child c WHERE c.LAchildID = h.CHILD)
        """,
        note="A child with an episode of care in the year (short breaks included: those children are disabled "
        "children in need) and no CIN census record; flags the SSDA903 Header record.",
    ),
]
