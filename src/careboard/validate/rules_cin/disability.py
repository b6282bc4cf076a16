"""DfE CIN rules on the child's disabilities."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import CHILD, DISABILITY, RETURN_LEVEL

RULES = [
    Rule(
        "2887Q",
        sql=f"""
        {RETURN_LEVEL} FROM disability
        HAVING count(DISTINCT Disability) FILTER (WHERE Disability IS DISTINCT FROM 'NONE') <= 7
        """,
        note="A finding about the whole return, on the header record: 7 or fewer different codes other than "
        "NONE used (a census with no disability recorded at all is flagged too).",
    ),
    Rule(
        "2888Q",
        sql=f"""
        {RETURN_LEVEL} FROM (SELECT LAchildID, count(*) AS n FROM disability
                             WHERE Disability IS DISTINCT FROM 'NONE' GROUP BY LAchildID)
        HAVING count(*) > 0 AND max(n) = 1
        """,
        note="A finding about the whole return, on the header record: every child with a disability other than "
        "NONE has just one code.  Not raised when no child has a disability (2887Q covers that).",
    ),
    Rule(
        "8540",
        sql=f"""
        {CHILD} FROM child c
        WHERE c.PersonBirthDate IS NOT NULL
          AND EXISTS (SELECT 1 FROM cinepisode e WHERE e.LAchildID = c.LAchildID AND e.ReferralNFA = '0')
          AND NOT EXISTS (SELECT 1 FROM disability d WHERE d.LAchildID = c.LAchildID AND d.Disability IS NOT NULL)
        UNION ALL
        {DISABILITY} FROM disability d
        WHERE (d.Disability IS NULL OR NOT valid_code('DISABILITY', d.Disability))
          AND EXISTS (SELECT 1 FROM child c WHERE c.LAchildID = d.LAchildID AND c.PersonBirthDate IS NOT NULL)
          AND EXISTS (SELECT 1 FROM cinepisode e WHERE e.LAchildID = d.LAchildID AND e.ReferralNFA = '0')
        """,
        note="For a born child with a referral that went on to further action: no disability at all flags the "
        "child; a blank or invalid code flags that disability.",
    ),
    Rule(
        "8790",
        sql=f"""
        {DISABILITY} FROM disability d
        WHERE d.Disability IS DISTINCT FROM 'NONE'
          AND EXISTS (SELECT 1 FROM disability n WHERE n.LAchildID = d.LAchildID AND n.Disability = 'NONE')
        """,
        note="The codes other than NONE are flagged, as the community validator does.",
    ),
    Rule(
        "8794",
        sql=f"""
        {DISABILITY} FROM disability WHERE Disability IS NOT NULL
        QUALIFY count(*) OVER (PARTITION BY LAchildID, Disability) > 1
        """,
        note="Every repeat of the code is flagged.",
    ),
]
