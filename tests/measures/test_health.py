"""OC2 measures on a hand-made 2025-26 return, with every figure worked out by hand from the DfE rules.

Year 2026 runs 1 April 2025 to 31 March 2026; ages are on 31 March 2026.  The DfE's OC2 cohort is
children looked after on 31 March who had been looked after continuously for 12 months (short breaks
excluded).  In the cohort (8 children):

    child sex age  in care since                 HA teeth imm subst conv dev  SDQ
    H1    M   13   2023-01-10                    1  1     1   0     0    -    12
    H2    F   3    2024-02-01                    1  0     1   0     -    1    (SDQ1)
    H3    M   16   2020-03-01, moved 2025-07-01  0  1     0   1     1    -    20
    H4    F   10   2019-07-01 (11 on 1 April)    1  1     0   0     0    -    17
    H8    M   8    2021-01-01                    no OC2 row: in the cohort, counts as not done
    H10   F   12   2025-03-31 (day before year)  1  0     0   0     0    -    15
    H12   M   2    2024-01-15                    0  0     0   0     -    0    (SDQ1)
    H13   F   17   2022-05-05                    1  1     1   0     1    -    30 (17: outside SDQ)

Not in the cohort, each with an OC2 row of all 1s, SDQ 40, to show they do not leak in:
H5 entered care mid-year; H6 looked after only under a short-break agreement (V4); H7 turned 18 and
left care in October; H9 started care on 1 April 2025 (in the year); H11 left care and came back.
"""

from __future__ import annotations

from builders_outcomes import computed, episode, header, oc2

HEALTH = [
    "health_assessment", "dental_check", "immunisations", "development_checks", "sdq_received",
    "sdq_average", "sdq_concern", "convictions", "substance_misuse",
]

ALL_ONES = {"health_assessment": "1", "teeth": "1", "immunisations": "1", "substance": "1", "convicted": "1",
            "health_check": "1", "sdq": 40}

RETURN_2026 = {
    "Header": [
        header("H1", "M", "2012-05-01"), header("H2", "F", "2022-06-15"), header("H3", "M", "2009-09-09"),
        header("H4", "F", "2015-04-01"), header("H8", "M", "2017-08-08"), header("H10", "F", "2014-01-01"),
        header("H12", "M", "2023-12-01"), header("H13", "F", "2008-11-30"),
        header("H5", "M", "2011-02-02"), header("H6", "F", "2013-03-03"), header("H7", "M", "2007-10-20"),
        header("H9", "F", "2012-12-12"), header("H11", "M", "2010-10-10"),
    ],
    "Episodes": [
        episode("H1", "2023-01-10", "S", "C2", "U4"),
        episode("H2", "2024-02-01", "S", "C2", "U4"),
        episode("H3", "2020-03-01", "S", "C2", "U4", "2025-07-01", "X1"),
        episode("H3", "2025-07-01", "P", "C2", "K2"),
        episode("H4", "2019-07-01", "S", "C2", "U4"),
        episode("H8", "2021-01-01", "S", "C2", "U4"),
        episode("H10", "2025-03-31", "S", "V2", "U4"),
        episode("H12", "2024-01-15", "S", "C1", "U4", "2024-06-01", "X1"),
        episode("H12", "2024-06-01", "L", "C2", "U4"),
        episode("H13", "2022-05-05", "S", "V2", "K2"),
        episode("H5", "2025-09-01", "S", "V2", "U4"),
        episode("H6", "2023-06-01", "S", "V4", "U4"),
        episode("H7", "2019-01-01", "S", "C2", "U4", "2025-10-20", "E17"),
        episode("H9", "2025-04-01", "S", "C1", "U4"),
        episode("H11", "2020-01-01", "S", "V2", "U4", "2025-06-30", "E4A"),
        episode("H11", "2025-08-01", "S", "V2", "U4"),
    ],
    "OC2": [
        oc2("H1", "2012-05-01", health_assessment="1", teeth="1", immunisations="1", substance="0",
            convicted="0", sdq=12),
        oc2("H2", "2022-06-15", health_assessment="1", teeth="0", immunisations="1", substance="0",
            health_check="1", sdq_reason="SDQ1"),
        oc2("H3", "2009-09-09", health_assessment="0", teeth="1", immunisations="0", substance="1",
            intervention_received="1", convicted="1", sdq=20),
        oc2("H4", "2015-04-01", health_assessment="1", teeth="1", immunisations="0", substance="0",
            convicted="0", sdq=17),
        oc2("H10", "2014-01-01", health_assessment="1", teeth="0", immunisations="0", substance="0",
            convicted="0", sdq=15),
        oc2("H12", "2023-12-01", health_assessment="0", teeth="0", immunisations="0", substance="0",
            health_check="0", sdq_reason="SDQ1"),
        oc2("H13", "2008-11-30", health_assessment="1", teeth="1", immunisations="1", substance="0",
            convicted="1", sdq=30),
        *[oc2(c, dob, **ALL_ONES) for c, dob in [("H5", "2011-02-02"), ("H6", "2013-03-03"),
                                                 ("H7", "2007-10-20"), ("H9", "2012-12-12"),
                                                 ("H11", "2010-10-10")]],
    ],
}


def test_health_measures_follow_the_dfe_cohort():
    got = computed({2026: RETURN_2026}, HEALTH)

    def overall(measure):
        return got[(measure, 2026, "all", "All")]

    # Health assessment: H1, H2, H4, H10, H13 of the 8 (H8 has no OC2 row: not done).
    assert overall("health_assessment") == (5, 8, 62.5)
    # Dental: H1, H3, H4, H13.
    assert overall("dental_check") == (4, 8, 50.0)
    # Immunisations: H1, H2, H13.
    assert overall("immunisations") == (3, 8, 37.5)
    # Substance misuse: H3 only.
    assert overall("substance_misuse") == (1, 8, 12.5)
    # Development checks, aged 4 or under on 31 March: H2 (yes) and H12 (no).
    assert overall("development_checks") == (1, 2, 50.0)
    # Convictions, aged 10-17: H1, H3, H4 (10 until 1 April), H10, H13; convicted H3 and H13.
    assert overall("convictions") == (2, 5, 40.0)
    # SDQ, aged 5-16: H1, H3, H4, H8, H10; scores from all but H8 (H13 is 17, her 30 is left out).
    assert overall("sdq_received") == (4, 5, 80.0)
    # Average of 12, 20, 17, 15 = 64 / 4.
    assert overall("sdq_average") == (None, 4, 16.0)
    # 17 or more: H3 (20) and H4 (17, the bottom of the band) of the 4 scores.
    assert overall("sdq_concern") == (2, 4, 50.0)


def test_health_breakdowns_describe_the_cohort():
    got = computed({2026: RETURN_2026}, ["health_assessment", "convictions"])
    # Boys H1 (yes), H3, H8, H12 (no); girls H2, H4, H10, H13 all yes.
    assert got[("health_assessment", 2026, "sex", "M")] == (1, 4, 25.0)
    assert got[("health_assessment", 2026, "sex", "F")] == (4, 4, 100.0)
    # Convictions by age band: 10 to 15 = H1, H4, H10 (none); 16 and over = H3, H13 (both).
    assert got[("convictions", 2026, "age_band", "10 to 15")] == (0, 3, 0.0)
    assert got[("convictions", 2026, "age_band", "16 and over")] == (2, 2, 100.0)


def test_each_year_reads_its_own_oc2_rows():
    # X and Y are in care throughout both years.  2024-25: both had their assessment.  2025-26: X's row
    # says no, and Y has no row at all (still in the cohort, counted as not done).
    people = [header("X", "F", "2012-02-02"), header("Y", "M", "2013-03-03")]
    eps = [episode("X", "2020-01-01", "S", "C2", "U4"), episode("Y", "2021-01-01", "S", "C2", "U4")]
    got = computed(
        {
            2025: {"Header": people, "Episodes": eps,
                   "OC2": [oc2("X", "2012-02-02", health_assessment="1", teeth="1", immunisations="1",
                               substance="0", convicted="0", sdq=10),
                           oc2("Y", "2013-03-03", health_assessment="1", teeth="1", immunisations="1",
                               substance="0", convicted="0", sdq=10)]},
            2026: {"Header": people, "Episodes": eps,
                   "OC2": [oc2("X", "2012-02-02", health_assessment="0", teeth="1", immunisations="1",
                               substance="0", convicted="0", sdq=10)]},
        },
        ["health_assessment"],
    )
    assert got[("health_assessment", 2025, "all", "All")] == (2, 2, 100.0)
    assert got[("health_assessment", 2026, "all", "All")] == (0, 2, 0.0)
