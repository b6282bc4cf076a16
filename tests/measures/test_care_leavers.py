"""OC3 care leaver measures on hand-made 2024-25 and 2025-26 returns, figures worked out by hand.

Year 2026 runs 1 April 2025 to 31 March 2026; a care leaver's age is their age on their birthday in
the year (= on 31 March 2026).  The 2025-26 OC3 table:

    who  sex age IN_TOUCH ACTIV ACCOM  notes
    L1   M   17  YES      F2    D1
    L2   F   18  YES      P4    Z1     turned 18 on 1 Sep 2025, left foster care (U4) that day, E17
    L3   M   18  YES      G5    K2     left foster care (U6) on 18th birthday, 12 Dec 2025
    L4   F   17  -        -     -      still in care: an all-blank row reports nothing
    L4b  M   17  YES      F2    C1     still in care on his 17th birthday: not a care leaver yet
    L5   F   18  DIED     0     0      excluded
    L6   F   18  NO       0     0      left a children's home (K2) on her 18th birthday
    L7   M   18  NO       F5    U1     not in touch, but activity known from a third party
    L8   F   18  REFU     0     0
    L9   M   17  YES      G6    G1     17th birthday on 1 April 2025 (in the year); gone abroad
    L10  F   19  YES      F1    Z1     left foster care on 18th birthday, 1 Jun 2024 (2024-25 return)
    L11  M   19  REFU     0     0      left foster care on 18th birthday, 10 Oct 2024 (2024-25 return)
    L12  F   21  NREQ     0     0
    L13  M   21  RHOM     0     0      returned home: excluded
    L14  F   20  YES      G4    S2     homeless: unsuitable
    L15  M   20  YES      G5    X2     in custody: unsuitable
    L16  F   21  YES      P2    U1     born 1 Apr 2004: 21 until 1 April 2026
    L17  M   22  YES      F1    U1     22nd birthday on 31 Mar 2026: outside 17-21
    L18  F   20  NO       0     R2     residence not known: out of the suitability denominator
    L19  M   19  YES      F2    D1     care taken over by another authority (REC E3): excluded

17-18 cohort: L1, L2, L3, L6, L7, L8, L9 (7).  19-21 cohort: L10, L11, L12, L14, L15, L16, L18 (7).
"""

from __future__ import annotations

from builders_outcomes import computed, episode, header, oc3

PEOPLE = {
    "L1": ("M", "2008-06-10"), "L2": ("F", "2007-09-01"), "L3": ("M", "2007-12-12"), "L4": ("F", "2008-08-08"),
    "L4b": ("M", "2008-10-10"), "L5": ("F", "2008-02-02"), "L6": ("F", "2007-05-05"), "L7": ("M", "2007-07-07"),
    "L8": ("F", "2008-03-01"), "L9": ("M", "2008-04-01"), "L10": ("F", "2006-06-01"), "L11": ("M", "2006-10-10"),
    "L12": ("F", "2005-01-20"), "L13": ("M", "2004-12-25"), "L14": ("F", "2005-05-15"), "L15": ("M", "2006-02-28"),
    "L16": ("F", "2004-04-01"), "L17": ("M", "2004-03-31"), "L18": ("F", "2006-01-05"), "L19": ("M", "2006-08-20"),
}
OC3_2026 = {
    "L1": ("YES", "F2", "D1"), "L2": ("YES", "P4", "Z1"), "L3": ("YES", "G5", "K2"), "L4": (None, None, None),
    "L4b": ("YES", "F2", "C1"), "L5": ("DIED", "0", "0"), "L6": ("NO", "0", "0"), "L7": ("NO", "F5", "U1"),
    "L8": ("REFU", "0", "0"), "L9": ("YES", "G6", "G1"), "L10": ("YES", "F1", "Z1"), "L11": ("REFU", "0", "0"),
    "L12": ("NREQ", "0", "0"), "L13": ("RHOM", "0", "0"), "L14": ("YES", "G4", "S2"), "L15": ("YES", "G5", "X2"),
    "L16": ("YES", "P2", "U1"), "L17": ("YES", "F1", "U1"), "L18": ("NO", "0", "R2"), "L19": ("YES", "F2", "D1"),
}


def _header(children):
    return [header(c, *PEOPLE[c]) for c in children]


RETURNS = {
    2025: {
        "Header": _header(["L10", "L11", "L19"]),
        "Episodes": [
            episode("L10", "2019-06-01", "S", "C2", "U4", "2024-06-01", "E17"),
            episode("L11", "2020-10-10", "S", "V2", "U4", "2024-10-10", "E5"),
            episode("L19", "2020-05-01", "S", "C2", "U4", "2024-06-30", "E3"),
        ],
    },
    2026: {
        "Header": _header(PEOPLE),
        "Episodes": [
            episode("L2", "2021-03-01", "S", "C2", "U4", "2025-09-01", "E17"),
            episode("L3", "2022-02-02", "S", "C2", "U6", "2025-12-12", "E5"),
            episode("L4", "2020-05-05", "S", "C2", "U4"),
            episode("L4b", "2020-01-01", "S", "C2", "U4"),
            episode("L6", "2023-01-01", "S", "C2", "K2", "2025-05-05", "E5"),
        ],
        "OC3": [oc3(c, PEOPLE[c][1], *answers) for c, answers in OC3_2026.items()],
    },
}

IDS = [
    f"{m}_{g}"
    for m in ("care_leavers_in_touch", "care_leavers_not_in_touch", "care_leavers_eet", "care_leavers_neet",
              "care_leavers_suitable_accommodation")
    for g in ("17_18", "19_21")
] + ["staying_put_18", "staying_put_19_20"]


def test_care_leaver_measures_follow_the_dfe_definitions():
    got = computed(RETURNS, IDS)

    def overall(measure):
        return got[(measure, 2026, "all", "All")]

    # In touch (YES, or NO with activity known): L1, L2, L3, L7, L9 of 7 | L10, L14, L15, L16 of 7.
    assert overall("care_leavers_in_touch_17_18") == (5, 7, 71.4)
    assert overall("care_leavers_in_touch_19_21") == (4, 7, 57.1)
    # Not in touch (NO, activity not known): L6 | L18.  REFU and NREQ are neither.
    assert overall("care_leavers_not_in_touch_17_18") == (1, 7, 14.3)
    assert overall("care_leavers_not_in_touch_19_21") == (1, 7, 14.3)
    # EET (F*/P*): L1, L2, L7 | L10, L16.  Not known (0) stays in the denominator.
    assert overall("care_leavers_eet_17_18") == (3, 7, 42.9)
    assert overall("care_leavers_eet_19_21") == (2, 7, 28.6)
    # NEET (G4-G6): L3, L9 | L14, L15.
    assert overall("care_leavers_neet_17_18") == (2, 7, 28.6)
    assert overall("care_leavers_neet_19_21") == (2, 7, 28.6)
    # Suitable: L9 (G1) and L18 (R2) leave the denominator; suitable L1, L2, L7 of 6 | L10, L16 of 6
    # (K2, S2, X2 unsuitable; 0 is 'no information' and stays in).
    assert overall("care_leavers_suitable_accommodation_17_18") == (3, 6, 50.0)
    assert overall("care_leavers_suitable_accommodation_19_21") == (2, 6, 33.3)
    # Staying put: left foster care on the 18th birthday - L2 and L3 (18), L10 and L11 (19, from the
    # 2024-25 return); with former foster carers (Z1): L2 | L10.  L6 left a children's home.
    assert overall("staying_put_18") == (1, 2, 50.0)
    assert overall("staying_put_19_20") == (1, 2, 50.0)


def test_care_leaver_breakdowns_come_from_their_own_rows():
    got = computed(RETURNS, ["care_leavers_in_touch_17_18"])
    # Young men L1, L3, L7, L9 all in touch; young women L2 (yes), L6, L8 (no).
    assert got[("care_leavers_in_touch_17_18", 2026, "sex", "M")] == (4, 4, 100.0)
    assert got[("care_leavers_in_touch_17_18", 2026, "sex", "F")] == (1, 3, 33.3)
    # Age on the birthday in the year: 17 = L1, L9; 18 = L2, L3, L6, L7, L8.
    assert got[("care_leavers_in_touch_17_18", 2026, "age_band", "17")] == (2, 2, 100.0)
    assert got[("care_leavers_in_touch_17_18", 2026, "age_band", "18")] == (3, 5, 60.0)
    ages = {k[3] for k in got if k[2] == "age_band"}
    assert ages == {"17", "18"}


def test_no_care_leaver_figures_without_an_oc3_table():
    # 2024-25 has no OC3 rows: nothing is computed for it rather than a figure of 0.
    got = computed(RETURNS, IDS)
    assert not [k for k in got if k[1] == 2025]


def test_higher_education_and_the_numbers_laid_behind_the_19_21_percentages():
    ids = ["care_leavers_higher_education_17_18", "care_leavers_higher_education_19_21", "care_leavers_19_21",
           "care_leavers_eet_19_21_number", "care_leavers_suitable_accommodation_19_21_number",
           "care_leavers_higher_education_19_21_number"]
    got = computed(RETURNS, ids)

    def overall(measure):
        return got[(measure, 2026, "all", "All")]

    # Higher education (F1, P1): nobody aged 17-18 (F2, P4, G5, 0, F5, 0, G6); L10 (F1) of the seven 19-21s.
    assert overall("care_leavers_higher_education_17_18") == (0, 7, 0.0)
    assert overall("care_leavers_higher_education_19_21") == (1, 7, 14.3)
    # LAIT's numbers: 7 care leavers aged 19-21, 2 in EET (L10, L16), 2 suitably housed, 1 in higher education.
    assert overall("care_leavers_19_21")[2] == 7
    assert overall("care_leavers_eet_19_21_number")[2] == 2
    assert overall("care_leavers_suitable_accommodation_19_21_number")[2] == 2
    assert overall("care_leavers_higher_education_19_21_number")[2] == 1
