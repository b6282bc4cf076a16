"""DfE rules on PrevPerm (the child's previous permanence option: adoption, SGO, CAO)."""

from careboard.validate.rule import Rule
from careboard.validate.rules.adoption_common import flag_pairs

# Valid LA_PERM values (rule 633).  The 3-digit DfE local authority codes: every old_la_code in
# careboard/reference/data/la_lookup.csv (current authorities plus Cumbria 909 and Northamptonshire
# 928, kept there for orders made before their 2021/2023 reorganisations), plus codes the DfE list
# keeps for authorities that no longer exist: 835 Dorset, 836 Poole, 837 Bournemouth (replaced in
# 2019 by 838 Dorset and 839 Bournemouth, Christchurch and Poole), and 999, which the DfE rule's own
# list includes.  Outside England: WAL Wales, SCO Scotland, NIR Northern Ireland, NUK outside the UK.
_LA_PERM_TEXT = (
    "201 202 203 204 205 206 207 208 209 210 211 212 213 "
    "301 302 303 304 305 306 307 308 309 310 311 312 313 314 315 316 317 318 319 320 "
    "330 331 332 333 334 335 336 340 341 342 343 344 350 351 352 353 354 355 356 357 358 359 "
    "370 371 372 373 380 381 382 383 384 390 391 392 393 394 420 "
    "800 801 802 803 805 806 807 808 810 811 812 813 815 816 821 822 823 825 826 830 831 "
    "835 836 837 838 839 840 841 845 846 850 851 852 855 856 857 860 861 865 866 867 868 869 "
    "870 871 872 873 874 876 877 878 879 880 881 882 883 884 885 886 887 888 889 890 891 892 893 894 "
    "895 896 908 909 916 919 921 925 926 928 929 931 933 935 936 937 938 940 941 942 943 999 "
    "WAL SCO NIR NUK"
)
LA_PERM_CODES = tuple(_LA_PERM_TEXT.split())

_LA_PERM_LIST = "(" + ", ".join(f"'{c}'" for c in LA_PERM_CODES) + ")"

# PrevPerm rows with DATE_PERM (dd/mm/yyyy, 'zz' for an unknown day or month) read: whether it is a
# possible date, and the earliest day it can stand for.
_DATE_PERM = """
    SELECT *, CASE WHEN possible THEN make_date(y, coalesce(m, 1), coalesce(d, 1)) END AS earliest
    FROM (
    SELECT *, shaped AND coalesce(d BETWEEN 1 AND 31, true) AND coalesce(m BETWEEN 1 AND 12, true)
              AND (d IS NULL OR NOT coalesce(m BETWEEN 1 AND 12, false)
                   OR d <= day(last_day(make_date(y, CASE WHEN m BETWEEN 1 AND 12 THEN m ELSE 1 END, 1))))
              AS possible
    FROM (
        SELECT *, regexp_full_match(DATE_PERM, '(\\d{1,2}|zz)/(\\d{1,2}|zz)/\\d{4}') AS shaped,
               TRY_CAST(nullif(split_part(DATE_PERM, '/', 1), 'zz') AS INTEGER) AS d,
               TRY_CAST(nullif(split_part(DATE_PERM, '/', 2), 'zz') AS INTEGER) AS m,
               TRY_CAST(split_part(DATE_PERM, '/', 3) AS INTEGER) AS y
        FROM prevperm WHERE DATE_PERM IS NOT NULL
    ))
"""

# Each child's episode where its latest period of care started: the latest episode with RNE S or,
# with none in the return (care started before it), the child's first episode.  Children in PrevPerm only.
_CARE_START = """
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY CHILD
            ORDER BY RNE IS NOT DISTINCT FROM 'S' DESC, CASE WHEN RNE = 'S' THEN DECOM END DESC NULLS LAST,
                     DECOM, source_row) AS rn
        FROM episodes WHERE DECOM IS NOT NULL AND CHILD IN (SELECT CHILD FROM prevperm)
    ) WHERE rn = 1
"""

RULES = [
    Rule("631", table="PrevPerm", where="PREV_PERM IS NOT NULL AND NOT valid_code('PREV_PERM', PREV_PERM)"),
    Rule("633", table="PrevPerm", where=f"LA_PERM IS NOT NULL AND LA_PERM NOT IN {_LA_PERM_LIST}"),
    Rule(
        "635",
        table="PrevPerm",
        where="PREV_PERM = 'Z1' AND (LA_PERM IS NOT NULL OR DATE_PERM IS NOT NULL)",
        note="Flags Z1 with either an LA code or a date of order, as the DfE message says (a blank "
        "PREV_PERM is not this rule's case).",
    ),
    Rule(
        "630",
        sql="""
        SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child
        FROM episodes e LEFT JOIN prevperm p ON p.CHILD = e.CHILD
        WHERE e.RNE = 'S' AND e.DECOM >= collection_start()
          AND (p.CHILD IS NULL OR p.PREV_PERM IS NULL
               OR (p.PREV_PERM IN ('P1', 'P2', 'P3') AND (p.LA_PERM IS NULL OR p.DATE_PERM IS NULL)))
        """,
        note="For each episode starting a period of care in the year: a PrevPerm row with PREV_PERM, and "
        "LA_PERM and DATE_PERM for an adoption, SGO or CAO (P1-P3); P4 (unknown) and Z1 need neither, "
        "as no order is known to date or place, and a code that is not valid is rule 631's.  The "
        "community validator asks for LA_PERM and DATE_PERM with every code but Z1.",
    ),
    Rule(
        "632",
        covers=(("PrevPerm", "DATE_PERM"),),
        sql=flag_pairs(
            f"""
            SELECT p.CHILD, p.source_file AS p_file, p.source_row AS p_row,
                   CASE WHEN p.possible THEN f.source_file END AS e_file,
                   CASE WHEN p.possible THEN f.source_row END AS e_row
            FROM ({_DATE_PERM}) p LEFT JOIN ({_CARE_START}) f ON f.CHILD = p.CHILD
            WHERE NOT p.possible OR p.earliest >= f.DECOM
            """,
            ("PrevPerm", "p"), ("Episodes", "e"),
        ),
        note="Flags an impossible date, or one not before the child started its latest period of care (latest "
        "RNE S episode, else its first episode in the return); with 'zz' the earliest date it can stand for "
        "is compared (zz/zz/2019 counts as 1 January 2019).  The community validator compares with the "
        "child's first episode, so an order made between two periods of care in the year is flagged there.",
    ),
    Rule(
        "634",
        sql=flag_pairs(
            f"""
            SELECT p.CHILD, p.source_file AS p_file, p.source_row AS p_row, s.source_file AS e_file,
                   s.source_row AS e_row
            FROM prevperm p JOIN ({_CARE_START}) s ON s.CHILD = p.CHILD
            WHERE (p.PREV_PERM IS NOT NULL OR p.LA_PERM IS NOT NULL OR p.DATE_PERM IS NOT NULL)
              AND s.DECOM < DATE '2016-04-01'
            """,
            ("PrevPerm", "p"), ("Episodes", "e"),
        ),
        note="The child started to be looked after at its latest RNE S episode or, with none in the "
        "return, no later than its first episode; flagged when that is before 1 April 2016, the date in "
        "the DfE message (the community validator compares the latest start with the collection start).",
    ),
]
