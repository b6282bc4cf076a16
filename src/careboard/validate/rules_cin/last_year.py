"""careboard's own checks of a CIN census against last year's (clearly labelled: not DfE rules).

The DfE has no record-level rule comparing two censuses; COLLECT compares key figures between years
with thresholds it does not publish.  A census must, though, include every case open on 1 April,
and a child's date of birth and sex do not change, so these checks follow from the census guide.
Findings about last year's records point at them (table ``Last year: ...``).
"""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import CHILD

# Sex as M/F across the change of codes in 2024-25 (GenderCurrent 1/2 before, Sex M/F after);
# NULL for anything else (not recorded, indeterminate, unknown).
_MF = "CASE {v} WHEN '1' THEN 'M' WHEN '2' THEN 'F' WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' END"

RULES = [
    Rule(
        "CB-LY-OPEN",
        sql="""
        SELECT 'Last year: CINEpisode' AS tbl, l.source_file, l.source_row, l.LAchildID AS child
        FROM cinepisode_last l
        WHERE l.CINclosureDate IS NULL AND l.ReferralNFA IS DISTINCT FROM '1'
          AND NOT EXISTS (SELECT 1 FROM cinepisode e
                          WHERE e.LAchildID = l.LAchildID AND e.CINreferralDate = l.CINreferralDate)
        """,
        note="An episode with no closure date in last year's census (not a referral with no further action) "
        "must be in this one, with the same referral date.  Flags last year's record.",
    ),
    Rule(
        "CB-LY-CPP",
        sql="""
        SELECT 'Last year: CPPlan' AS tbl, l.source_file, l.source_row, l.LAchildID AS child
        FROM cpplan_last l
        WHERE l.CPPendDate IS NULL
          AND NOT EXISTS (SELECT 1 FROM cpplan p WHERE p.LAchildID = l.LAchildID AND p.CPPstartDate = l.CPPstartDate)
        """,
        note="A plan with no end date in last year's census must be in this one with the same start date.  Flags "
        "last year's record.",
    ),
    Rule(
        "CB-LY-DOB",
        sql=f"""
        {CHILD} FROM child c
        WHERE EXISTS (SELECT 1 FROM child_last l WHERE l.LAchildID = c.LAchildID
                      AND l.PersonBirthDate <> c.PersonBirthDate)
        """,
        note="Both dates given; flags this year's record.",
    ),
    Rule(
        "CB-LY-SEX",
        sql=f"""
        {CHILD} FROM child c
        WHERE EXISTS (SELECT 1 FROM child_last l WHERE l.LAchildID = c.LAchildID
                      AND {_MF.format(v='l.Sex')} <> {_MF.format(v='c.Sex')})
        """,
        note="Male or female in both years (codes 1/2 until 2023-24, M/F from 2024-25) and different; flags this "
        "year's record.",
    ),
]
