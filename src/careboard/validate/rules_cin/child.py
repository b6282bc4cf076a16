"""DfE CIN rules on the child: identifiers (LAchildID, UPN), dates of birth and death, sex,
ethnicity, and that the child has a CIN episode."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import CHILD, RETURN_LEVEL, finding

# LA codes valid at characters 2-4 of a UPN (post-April 1998 LA codes and 'pseudo LA' codes), as
# the DfE lists them for rule 1530; 942 and 943 were added from 2023-24.
_LA_CODES = (
    [f"{n:03d}" for n in range(1, 6)]
    + [str(n) for lo, hi in ((201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373),
                             (380, 384), (390, 394), (660, 681), (701, 708), (800, 803), (805, 808),
                             (810, 813), (820, 823), (835, 839), (850, 852), (855, 857), (865, 896),
                             (935, 938), (940, 941)) for n in range(lo, hi + 1)]
    + ["420", "815", "816", "825", "826", "830", "831", "840", "841", "845", "846", "860", "861", "908", "909",
       "916", "919", "921", "925", "926", "928", "929", "931", "933"]
)
_LA_LIST = ", ".join(f"'{c}'" for c in _LA_CODES)

# The value of UPN character i in the check-letter sum: a digit, or (character 13 of a temporary
# UPN) the letter's position in the check-letter table.
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SUM = " + ".join(
    f"{i} * CASE WHEN substr(UPN, {i}, 1) BETWEEN '0' AND '9' THEN ascii(substr(UPN, {i}, 1)) - 48 "
    f"ELSE strpos('{_CHECK_LETTERS}', substr(UPN, {i}, 1)) - 1 END"
    for i in range(2, 14)
)

# Children with a referral that went on to further action (ReferralNFA false), one row per child.
_FURTHER_ACTION = "SELECT DISTINCT LAchildID FROM cinepisode WHERE ReferralNFA = '0'"

RULES = [
    Rule(
        "1510",
        table="Child",
        where=f"""regexp_full_match(UPN, '[A-Z][0-9]{{11}}[0-9{_CHECK_LETTERS}]')
                  AND substr(UPN, 1, 1) <> substr('{_CHECK_LETTERS}', 1 + (({_UPN_SUM}) % 23), 1)""",
        note="Checked where the UPN is otherwise well formed (a letter, 11 digits, a digit or check-table letter), "
        "as the check letter cannot be worked out of anything else; a letter at character 13 (a temporary UPN) "
        "counts by its position in the check-letter table, as the DfE's UPN guide says (the community "
        "validator skips such UPNs).",
    ),
    Rule(
        "1520",
        sql=f"{CHILD} FROM child WHERE UPN IS NOT NULL QUALIFY count(*) OVER (PARTITION BY UPN) > 1",
        note="Every child record sharing a UPN is flagged.",
    ),
    Rule(
        "1530",
        table="Child",
        where=f"UPN IS NOT NULL AND substr(UPN, 2, 3) NOT IN ({_LA_LIST}) "
        "AND NOT (census_year() >= 2024 AND substr(UPN, 2, 3) IN ('942', '943'))",
        note="The DfE's list of LA and pseudo-LA codes; 942 and 943 are valid from 2023-24.  Any UPN given is "
        "checked, whatever its length (the community validator checks only 13-character UPNs).",
    ),
    Rule(
        "1540",
        table="Child",
        where="UPN IS NOT NULL AND NOT regexp_full_match(substr(UPN, 5, 8), '[0-9]{8}')",
        note="Any UPN given is checked, so one too short to have characters 5-12 is flagged.",
    ),
    Rule(
        "1550",
        table="Child",
        where=f"UPN IS NOT NULL AND NOT regexp_full_match(substr(UPN, 13, 1), '[0-9{_CHECK_LETTERS}]')",
        note="Character 13 must be a digit or a letter other than I, O and S; a UPN without a 13th character is "
        "flagged.",
    ),
    Rule(
        "1560Q",
        table="Child",
        where=f"FormerUPN IS NOT NULL AND NOT regexp_full_match(FormerUPN, '[A-Z][0-9]{{11}}[0-9{_CHECK_LETTERS}]')",
        note="The format of a UPN: a letter, 11 digits and a digit or (a temporary UPN) a letter other than I, O "
        "and S.  The community validator also flags former UPNs ending in a letter, but temporary UPNs are "
        "exactly what a former UPN often is.",
    ),
    Rule("1570", table="Child", where="length(LAchildID) > 20"),
    Rule(
        "1580",
        table="Child",
        where="NOT regexp_full_match(LAchildID, '[A-Za-z0-9]+')",
        note="A space counts as a non-alphanumeric character.",
    ),
    Rule(
        "2886Q",
        sql=f"""
        {RETURN_LEVEL} FROM child
        HAVING count(*) > 0
           AND count(*) FILTER (WHERE (Sex IS NULL OR Sex IN ('0', 'U')) AND ExpectedPersonBirthDate IS NULL)
               > 0.02 * count(*)
        """,
        note="A finding about the whole return, on the header record: more than 2% of child records (unborn "
        "children excepted) with no sex recorded (blank, or 0 before 2024-25 and U from then).",
    ),
    Rule(
        "4180",
        table="Child",
        where="Sex IS NULL OR NOT valid_code('SEX', Sex)",
        note="<GenderCurrent> 0, 1, 2 or 9 until 2023-24; <Sex> M, F or U from 2024-25 (careboard reads both into "
        "Sex and checks the year's codes).",
    ),
    Rule("4220", table="Child", where="Ethnicity IS NULL OR NOT valid_code('ETHNIC', Ethnicity)"),
    Rule(
        "8500",
        table="Child",
        where="LAchildID IS NULL",
        note="A child without an LAchildID cannot be read at all (its records could not be linked), so careboard "
        "reports it when reading the file; this rule is kept for completeness.",
    ),
    Rule(
        "8510",
        sql=f"{CHILD} FROM child WHERE LAchildID IS NOT NULL QUALIFY count(*) OVER (PARTITION BY LAchildID) > 1",
        note="Every child record sharing an LAchildID is flagged.",
    ),
    Rule("8520", table="Child", where="PersonBirthDate > collection_end()"),
    Rule(
        "8525Q",
        table="Child",
        where="(PersonBirthDate IS NULL) = (ExpectedPersonBirthDate IS NULL)",
    ),
    Rule(
        "8530Q",
        table="Child",
        where="ExpectedPersonBirthDate < collection_end() - INTERVAL 30 DAY "
        "OR ExpectedPersonBirthDate > collection_end() + INTERVAL 9 MONTH",
        note="Between 30 days before and 9 months after 31 March, both ends allowed.",
    ),
    Rule(
        "8535Q",
        table="Child",
        where="PersonDeathDate < PersonBirthDate",
        note="Only where both dates are given.  The community validator also flags a death date with no date of "
        "birth (an unborn child); the DfE wording compares the two dates.",
    ),
    Rule(
        "8545Q",
        table="Child",
        where="PersonDeathDate < collection_start() OR PersonDeathDate > collection_end()",
    ),
    Rule(
        "8590",
        table="Child",
        where="NOT EXISTS (SELECT 1 FROM cinepisode e WHERE e.LAchildID = child.LAchildID)",
    ),
    Rule(
        "8750",
        table="Child",
        where="PersonBirthDate IS NULL AND ExpectedPersonBirthDate IS NOT NULL "
        "AND Sex IS DISTINCT FROM CASE WHEN census_year() >= 2025 THEN 'U' ELSE '0' END",
        note="An unborn child's sex must be 0 (until 2023-24) or U (from 2024-25).",
    ),
    Rule(
        "8770Q",
        sql=f"""
        {CHILD} FROM child
        WHERE LAchildID IN ({_FURTHER_ACTION})
          AND CASE WHEN census_year() >= 2025
                   THEN PersonBirthDate <= make_date(census_year() - 6, 8, 31)
                   ELSE PersonBirthDate < collection_end() - INTERVAL 6 YEAR END
          AND UPN IS NULL
          AND (UPNunknown IS NULL OR NOT valid_code('UPN_UNKNOWN', UPNunknown) OR UPNunknown = 'UN1')
        """,
        note="For a child with a referral that went on to further action (ReferralNFA 0).  Until 2023-24 'more "
        "than 5 years old' is a date of birth before 31 March six years earlier; from 2024-25 'of school age' "
        "is born on or before 31 August six years before the year the census ends (aged 5 by the start of the "
        "school year in which it ends).  UN1 (not of school age) is no reason for such a child.",
    ),
    Rule(
        "8772",
        sql=f"""
        {CHILD} FROM child WHERE UPNunknown = 'UN7' AND LAchildID IN ({_FURTHER_ACTION})
        UNION ALL
        {finding('CINEpisode', 'e')} FROM cinepisode e JOIN child c ON c.LAchildID = e.LAchildID
        WHERE c.UPNunknown = 'UN7' AND e.ReferralNFA = '0'
        """,
        note="Flags the child and each of its referrals that went on to further action.",
    ),
    Rule(
        "8775Q",
        sql=f"""
        {CHILD} FROM child c
        WHERE PersonBirthDate < collection_end() - INTERVAL 25 YEAR
          AND EXISTS (SELECT 1 FROM cinepisode e WHERE e.LAchildID = c.LAchildID
                      AND (e.CINclosureDate IS NULL OR e.CINclosureDate > c.PersonBirthDate + INTERVAL 25 YEAR))
        """,
        note="Over 25 at 31 March, with an episode open or closed after the 25th birthday.",
    ),
]
