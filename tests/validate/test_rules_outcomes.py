"""OC2 (children looked after 12 months) and OC3 (care leavers) rules.

Year 2026 unless stated: the collection year runs 1 April 2025 to 31 March 2026.
"""

from harness import check


def ep(child, decom, dec=None, rec=None, rne="S", ls="C2", **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, "RNE": rne, "LS": ls, **kw}


def cla(child):
    """An episode open since before the year: looked after continuously for 12 months."""
    return ep(child, "01/01/2020")


def new(child):
    """Started to be looked after during the year: not in the 12-month cohort."""
    return ep(child, "01/06/2025")


def oc2(child, dob="01/06/2012", **kw):
    return {"CHILD": child, "DOB": dob, **kw}


def oc3(child, dob="01/06/2006", in_touch="YES", activ="F1", accom="B1", **kw):
    return {"CHILD": child, "DOB": dob, "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom, **kw}


def blank3(child, dob="01/06/2006", **kw):
    return oc3(child, dob, None, None, None, **kw)


CORE = {"IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "0", "SUBSTANCE_MISUSE": "0"}


# ---------------------------------------------------------------- OC2 codes


def test_180_sdq_score_0_to_40():
    check("180", {"OC2": [
        oc2("1", SDQ_SCORE="0"), oc2("2", SDQ_SCORE="40"), oc2("3"),
        oc2("4", SDQ_SCORE="41", _flag=True), oc2("5", SDQ_SCORE="-1", _flag=True),
        oc2("6", SDQ_SCORE="12.0"),  # Excel's whole number, repaired on read
    ]})


def test_181_items_are_0_or_1():
    check("181", {"OC2": [
        oc2("1", **CORE, CONVICTED="1"), oc2("2"),
        oc2("3", CONVICTED="2", _flag=True), oc2("4", **CORE, INTERVENTION_OFFERED="Y", _flag=True),
        oc2("5", HEALTH_CHECK="1.0"),  # Excel decimal ending removed on read
    ]})


def test_196_sdq_reason_code():
    check("196", {"OC2": [
        oc2("1", SDQ_REASON="SDQ1"), oc2("2", SDQ_REASON="sdq5"), oc2("3"),
        oc2("4", SDQ_REASON="SDQ6", _flag=True), oc2("5", SDQ_REASON="1", _flag=True),
    ]})


# ---------------------------------------------------------------- OC2 item consistency


def test_182_core_items_complete_or_all_blank():
    check("182", {"OC2": [
        oc2("1"), oc2("2", **CORE), oc2("3", **CORE, CONVICTED="0", HEALTH_CHECK="1"),
        oc2("4", IMMUNISATIONS="1", _flag=True),  # one core item alone
        oc2("5", CONVICTED="0", _flag=True),
        oc2("6", **{**CORE, "TEETH_CHECK": None}, _flag=True),
        oc2("7", SDQ_SCORE="10"),  # SDQ is not one of the items
    ]})


def test_544_conviction_given_needs_core_items():
    check("544", {"OC2": [
        oc2("1", **CORE, CONVICTED="1"), oc2("2"), oc2("3", IMMUNISATIONS="1"),
        oc2("4", CONVICTED="1", _flag=True),
        oc2("5", CONVICTED="0", IMMUNISATIONS="1", _flag=True),  # 0 is conviction information too
    ]})


def test_547_health_check_given_needs_core_items():
    check("547", {"OC2": [
        oc2("1", **CORE, HEALTH_CHECK="1"), oc2("2"),
        oc2("3", HEALTH_CHECK="1", **{**CORE, "SUBSTANCE_MISUSE": None}, _flag=True),
        oc2("4", HEALTH_CHECK="0", _flag=True),
    ]})


def test_158_intervention_received_so_offered_blank():
    check("158", {"OC2": [
        oc2("1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1"),
        oc2("2", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1", INTERVENTION_OFFERED="0", _flag=True),
        oc2("3", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1"),
    ]})


def test_159_not_received_so_offered_needed():
    check("159", {"OC2": [
        oc2("1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", _flag=True),
        oc2("2", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1"),
        oc2("3", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1"),
        oc2("4", SUBSTANCE_MISUSE="0", INTERVENTION_RECEIVED="0"),  # no problem identified: rule 193
    ]})


def test_192_misuse_needs_intervention_received():
    check("192", {"OC2": [
        oc2("1", SUBSTANCE_MISUSE="1", _flag=True),
        oc2("2", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0"),
        oc2("3", SUBSTANCE_MISUSE="0"), oc2("4"),
    ]})


def test_193_no_misuse_so_no_intervention_items():
    check("193", {"OC2": [
        oc2("1", SUBSTANCE_MISUSE="0", INTERVENTION_RECEIVED="0", _flag=True),
        oc2("2", INTERVENTION_OFFERED="1", _flag=True),
        oc2("3", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1"),
        oc2("4", SUBSTANCE_MISUSE="0"),
    ]})


# ---------------------------------------------------------------- the 12-month cohort


def test_190_items_only_for_the_12_month_cohort():
    check("190", {
        "Episodes": [
            cla("1"), new("2"), new("3"),
            ep("5", "01/01/2020", "01/09/2025", "E4A"), ep("5", "01/10/2025"),  # left and came back
            ep("6", "01/01/2020", "01/09/2025", "X1"), ep("6", "01/09/2025", rne="P"),  # care continues
        ],
        "OC2": [
            oc2("1", **CORE), oc2("2", CONVICTED="0", _flag=True),
            oc2("3", SDQ_SCORE="10"),  # SDQ is rule 185's
            oc2("4", HEALTH_CHECK="1", _flag=True),  # no episodes at all
            oc2("5", **CORE, _flag=True), oc2("6", **CORE),
        ],
    })


def test_191_cohort_needs_core_items():
    check("191", {
        "Episodes": [
            cla("1"), cla("2"),
            ep("3", "01/09/2025", rne="P"), ep("3", "01/01/2020", "01/09/2025", "X1", _flag=True),  # earliest
            ep("4", "01/01/2020", "01/10/2025", "E4A"),  # left care in the year
            new("5"),
            ep("6", "01/01/2020", ls="V3"),  # short breaks
            ep("7", "01/01/2020", "01/09/2025", "E4A"), ep("7", "01/10/2025"),
        ],
        "OC2": [
            oc2("1", **CORE), oc2("2", **{**CORE, "TEETH_CHECK": None}, _flag=True), oc2("5"),
            oc2("7"),
        ],
    })


def test_191_cohort_boundaries():
    # Care from 1 April, or to 31 March, covers the whole year: in the cohort, so OC2 is needed (the
    # child with no OC2 row is flagged on its first episode).  From 2 April, or to 30 March, is not.
    check("191", {
        "Episodes": [
            ep("1", "01/04/2025", _flag=True),
            ep("2", "01/01/2020", "31/03/2026", "E4A", _flag=True),
            ep("3", "02/04/2025"),
            ep("4", "01/01/2020", "30/03/2026", "E4A"),
        ],
    })


def test_543_conviction_needed_from_age_10():
    check("543", {
        "Episodes": [cla("1"), cla("2"), cla("3"), new("4")],
        "OC2": [
            oc2("1", "31/03/2016", **CORE, _flag=True),  # 10 on 31 March
            oc2("2", "01/04/2016", **CORE),  # 10 the day after
            oc2("3", "01/06/2012", **CORE, CONVICTED="0"),
            oc2("4", "01/06/2012", **CORE),  # not in the cohort
        ],
    })


def test_545_health_check_needed_under_5():
    check("545", {
        "Episodes": [cla("1"), cla("2"), cla("3"), new("4")],
        "OC2": [
            oc2("1", "01/04/2021", **CORE, _flag=True),  # 4 at 31 March
            oc2("2", "31/03/2021", **CORE),  # 5 on 31 March
            oc2("3", "01/06/2022", **CORE, HEALTH_CHECK="1"),
            oc2("4", "01/06/2022", **CORE),
        ],
    })


def test_546_no_health_check_from_5():
    check("546", {
        "Episodes": [cla("1"), cla("2"), cla("3"), cla("4"), new("5")],
        "OC2": [
            oc2("1", "31/03/2021", **CORE, HEALTH_CHECK="1", _flag=True),
            oc2("2", "01/04/2021", **CORE, HEALTH_CHECK="1"),
            oc2("3", "01/06/2015", **CORE, HEALTH_CHECK="0", _flag=True),
            oc2("4", "01/06/2015", **CORE),
            oc2("5", "01/06/2015", HEALTH_CHECK="1", _flag=True),
        ],
    })


# ---------------------------------------------------------------- SDQ


def test_185_198_sdq_only_for_the_cohort():
    rows = {
        "Episodes": [cla("1"), new("2"), new("3")],
        "OC2": [
            oc2("1", SDQ_SCORE="10", SDQ_REASON="SDQ2"),
            oc2("2", SDQ_SCORE="10", _flag=True),
            oc2("3", SDQ_REASON="SDQ2"),
        ],
    }
    check("185", rows)
    rows["OC2"][1:] = [oc2("2", SDQ_SCORE="10"), oc2("3", SDQ_REASON="SDQ2", _flag=True)]
    check("198", rows)


def test_197a_score_or_reason_not_both():
    check("197a", {"OC2": [
        oc2("1", SDQ_SCORE="0", SDQ_REASON="SDQ4", _flag=True),
        oc2("2", SDQ_SCORE="0"), oc2("3", SDQ_REASON="SDQ4"), oc2("4"),
    ]})


def test_186_sdq_needed_aged_4_to_16():
    check("186", {
        "Episodes": [cla(c) for c in "12345"] + [new("7")] + [cla("8")],
        "Header": [{"CHILD": "8", "DOB": "01/06/2012"}],
        "OC2": [
            oc2("1", "01/04/2021", _flag=True),  # 4 on 1 April
            oc2("2", "02/04/2021"),  # 3 on 1 April: rule 197B's
            oc2("3", "01/04/2009", _flag=True),  # still 16 on 31 March
            oc2("4", "31/03/2009"),  # 17 on 31 March
            oc2("5", SDQ_REASON="SDQ2"),
            oc2("7"),  # not in the cohort
            oc2("8", None, _flag=True),  # date of birth from Header
        ],
    })


def test_157_sdq1_only_outside_4_to_16():
    check("157", {"OC2": [
        oc2("1", SDQ_REASON="SDQ1", _flag=True),
        oc2("2", "01/04/2021", SDQ_REASON="SDQ1", _flag=True),
        oc2("3", "02/04/2021", SDQ_REASON="SDQ1"),
        oc2("4", "01/04/2009", SDQ_REASON="SDQ1", _flag=True),
        oc2("5", "31/03/2009", SDQ_REASON="SDQ1"),
        oc2("6", SDQ_REASON="SDQ2"),
    ]})


def test_188_no_sdq_under_4():
    check("188", {"OC2": [
        oc2("1", "01/04/2022", SDQ_REASON="SDQ1", _flag=True),
        oc2("2", "01/04/2022", SDQ_SCORE="3", _flag=True),
        oc2("3", "31/03/2022", SDQ_SCORE="3"),  # 4 on 31 March
        oc2("4", "01/04/2022"),
    ]})


def test_189_no_sdq_from_17_at_start():
    check("189", {"OC2": [
        oc2("1", "01/04/2008", SDQ_REASON="SDQ1", _flag=True),  # 17 on 1 April
        oc2("2", "02/04/2008", SDQ_SCORE="20"),
        oc2("3", "01/01/2005"),
    ]})


def test_197b_sdq_for_4_and_17_year_olds():
    check("197B", {
        "Episodes": [cla(c) for c in "12345678"] + [new("9"), cla("10")],
        "OC2": [
            oc2("1", "02/04/2021", _flag=True),  # 4 on 2 April
            oc2("2", "31/03/2022", _flag=True),  # 4 on 31 March
            oc2("3", "01/04/2022"),  # 4 after the year
            oc2("4", "02/04/2008", _flag=True),  # 17 on 2 April
            oc2("5", "01/04/2008"),  # already 17 on 1 April: rule 189
            oc2("6", "31/03/2009", _flag=True),
            oc2("7", "02/04/2021", SDQ_REASON="SDQ1"),
            oc2("8", "01/06/2012"),  # 13: rule 186's
            oc2("9", "02/04/2021"),  # not in the cohort
            oc2("10", "02/04/2021", SDQ_SCORE="5"),
        ],
    })


# ---------------------------------------------------------------- OC3 codes


def test_131_132_133_codes_when_given():
    check("131", {"OC3": [oc3("1"), oc3("2", in_touch="MAYBE", _flag=True), blank3("3"),
                          oc3("4", in_touch="nreq")]})
    check("132", {"OC3": [oc3("1", activ="F4"), oc3("2", activ="F3", _flag=True), oc3("3", activ="0"),
                          blank3("4")]})
    check("133", {"OC3": [oc3("1"), oc3("2", accom="S1", _flag=True), oc3("3", accom="X1", _flag=True),
                          oc3("4", accom="0"), blank3("5")]})


def test_153_all_or_none():
    check("153", {"OC3": [
        oc3("1"), blank3("2"),
        oc3("3", activ=None, accom=None, _flag=True),
        oc3("4", in_touch=None, _flag=True),
    ]})


def test_344_died_or_home_so_activity_and_accommodation_0():
    check("344", {"OC3": [
        oc3("1", "01/06/2006", "DIED", "0", "0"),
        oc3("2", "01/06/2006", "DIED", "F1", "0", _flag=True),
        oc3("3", "01/06/2006", "RHOM", "0", "B1", _flag=True),
        oc3("4", "01/06/2006", "NO", "F1", "B1"),
        oc3("5", "01/06/2006", "DIED", None, None),  # blank is rule 153's
    ]})


def test_345_in_touch_so_not_0():
    check("345", {"OC3": [
        oc3("1", activ="0", _flag=True), oc3("2", accom="0", _flag=True), oc3("3"),
        oc3("4", in_touch="NO", activ="0", accom="0"),
    ]})


# ---------------------------------------------------------------- OC3 cohort by age


def test_391_aged_17_to_21_in_the_year():
    check("391", {
        "Header": [{"CHILD": "7", "DOB": "01/01/2015"}],
        "OC3": [
            oc3("1", "01/04/2009", _flag=True),  # 17 after 31 March
            oc3("2", "31/03/2009"),
            oc3("3", "01/04/2003", _flag=True),  # 22 on 1 April
            oc3("4", "02/04/2003"),  # 21 on 1 April
            blank3("5", "01/04/2009"),
            oc3("6", "01/06/2006"),
            oc3("7", None, _flag=True),  # date of birth from Header
        ],
    })


def test_347_no_foyer_under_18():
    rows = {"OC3": [
        oc3("1", "01/06/2007", accom="T1", _flag=True),  # 17 on 1 April
        oc3("2", "01/04/2007", accom="T2"),  # 18 on 1 April
        oc3("3", "01/06/2005", accom="T1"),
        oc3("4", "01/06/2007", accom="B1"),
    ]}
    check("347", rows)
    check("347", {"OC3": [oc3("1", "01/06/2006", accom="T1", _flag=True), oc3("2", "01/04/2005", accom="T2")]},
          year=2024)


def test_3001_no_former_foster_carers_at_17():
    check("3001", {"OC3": [
        oc3("1", "02/04/2008", accom="Z1", _flag=True),
        oc3("2", "31/03/2009", accom="Z2", _flag=True),
        oc3("3", "01/04/2008", accom="Z1", _flag=True),  # 17 on 1 April
        oc3("4", "01/04/2009", accom="Z1"),  # 17 after the year
        oc3("5", "01/06/2007", accom="Z1"),  # 18th birthday year
        oc3("6", "02/04/2008", accom="B1"),
    ]})


def test_1007_not_for_17_18_looked_after_on_birthday():
    check("1007", {
        "Episodes": [
            cla("1"),
            ep("2", "01/01/2020", "01/06/2025", "E4A"),  # left on the birthday
            ep("3", "01/01/2020", "02/06/2025", "E4A"),
            ep("4", "01/01/2020", "01/06/2025", "E17"),  # left at 18
            cla("5"), cla("6"),
            ep("7", "01/09/2025"),  # came into care after the birthday
        ],
        "OC3": [
            oc3("1", "01/06/2008", _flag=True), oc3("2", "01/06/2008"), oc3("3", "01/06/2008", _flag=True),
            oc3("4", "01/06/2007"), oc3("5", "01/06/2006"), blank3("6", "01/06/2008"), oc3("7", "01/06/2008"),
        ],
    })


def test_1016_not_for_17_18_leaving_after_birthday():
    check("1016", {
        "Episodes": [
            ep("1", "01/01/2020", "02/06/2025", "E4A"),
            ep("2", "01/01/2020", "01/06/2025", "E4A"),
            cla("3"),
            ep("4", "01/01/2020", "01/09/2025", "X1"), ep("4", "01/09/2025", rne="P"),
            ep("5", "01/01/2020", "01/06/2025", "E17"),
            ep("6", "01/01/2020", "01/09/2025", "E4A"),
        ],
        "OC3": [
            oc3("1", "01/06/2008", _flag=True), oc3("2", "01/06/2008"), oc3("3", "01/06/2008"),
            oc3("4", "01/06/2008"), oc3("5", "01/06/2007"), oc3("6", "01/06/2006"),
        ],
    })


# ---------------------------------------------------------------- OC3 against the care history


def test_1000_died_in_care():
    current = {
        "Episodes": [ep("1", "01/01/2020", "01/06/2025", "E2"), ep("3", "01/01/2020", "01/06/2025", "E4A"),
                     ep("4", "01/01/2020", "01/06/2025", "E2")],
        "OC3": [oc3("1", in_touch="DIED", activ="0", accom="0", _flag=True),
                oc3("2", in_touch="DIED", activ="0", accom="0", _flag=True), oc3("3"), blank3("4")],
    }
    check("1000", current, last={"Episodes": [ep("2", "01/01/2020", "01/06/2024", "E2")]})
    check("1000", {"Episodes": current["Episodes"], "OC3": [oc3("1", _flag=True), oc3("2"), oc3("3")]})


def test_1001_relevant_or_former_relevant():
    check(
        "1001",
        {
            "Header": [{"CHILD": c, "DOB": "01/06/2007"} for c in "12345789"] + [{"CHILD": "6", "DOB": "01/06/2005"}],
            "Episodes": [
                ep("1", "01/01/2020", "01/06/2025", "E17"),
                ep("5", "01/01/2020", "01/05/2025", "E11"),
                ep("8", "01/01/2020", ls="V3"),
                ep("9", "01/03/2025", "15/04/2025", "E4A"),
            ],
            # 1 left at 18; 2 59 days; 3 91 days; 4 none after 16; 5 adopted; 6 aged 20; 7 no episodes
            # (rule 1002); 8 short breaks only; 9 45 days (last year's open copy replaced by this year's)
            "OC3": [oc3(c, None, _flag=c in ("2", "4", "5", "8", "9")) for c in "123456789"],
        },
        last={"Episodes": [
            ep("1", "01/01/2020"),
            ep("2", "01/01/2025", "01/03/2025", "E4A"),  # 59 days
            ep("3", "01/01/2024", "01/04/2024", "E4A"),  # 91 days, after the 16th birthday
            ep("4", "01/01/2020", "01/05/2023", "E4A"),  # ended before the 16th birthday
            ep("6", "01/01/2025", "01/03/2025", "E4A"),  # 20 at 31 March: not checked
            ep("9", "01/03/2025"),  # open last year, ended this year: this year's row counts
        ]},
    )


def test_1002_needs_some_episode():
    check(
        "1002",
        {"Episodes": [cla("2")], "OC3": [oc3("1", _flag=True), oc3("2"), oc3("3"), blank3("4")]},
        last={"Episodes": [ep("3", "01/01/2020", "01/06/2024", "E4A")]},
    )


def test_1010_open_last_year_but_no_episodes_now():
    check(
        "1010",
        {"Episodes": [cla("3")], "OC3": [oc3("1", _flag=True), oc3("2"), oc3("3"), blank3("4"), oc3("5")]},
        last={"Episodes": [
            ep("1", "01/01/2023", rne="P"), ep("1", "01/01/2020", "01/01/2023", "X1"),
            ep("2", "01/01/2020", "01/06/2024", "E4A"),
            cla("3"), cla("4"),
            ep("5", "01/01/2020"), ep("5", "01/01/2024", "01/02/2025", "E4A"),  # final episode closed
        ]},
    )


def test_1011_transferred_to_another_authority():
    check("1011", {
        "Episodes": [
            ep("1", "01/01/2020", "01/06/2025", "E3"),
            ep("2", "01/01/2020", "01/03/2025", "E3"), ep("2", "01/05/2025", "01/06/2025", "E4A"),
            ep("3", "01/01/2020", "01/06/2025", "E3"),
        ],
        "OC3": [oc3("1", _flag=True), oc3("2"), blank3("3")],
    })


def test_1014_no_uasc_for_care_leavers():
    check("1014", {
        "Episodes": [cla("2"), ep("5", "01/01/2020", "01/01/2025", "E4A")],
        "UASC": [{"CHILD": c, "DOB": "01/06/2006", "_flag": c in ("1", "5")} for c in "1235"],
        "OC3": [oc3("1", _flag=True), oc3("2"), blank3("3"), oc3("4"), oc3("5", _flag=True)],
    })


def test_348_reported_died_last_year():
    check(
        "348",
        {"OC3": [oc3("1", _flag=True), oc3("2", in_touch="DIED", activ="0", accom="0"), oc3("3"),
                 blank3("4")]},
        last={"OC3": [oc3(c, in_touch="DIED", activ="0", accom="0") for c in "124"] + [oc3("3", in_touch="NO")]},
    )


def test_215_care_leaver_without_12_month_items():
    check("215", {
        "OC3": [oc3("1", _flag=True), oc3("2"), blank3("3")],
        "OC2": [oc2("1", **CORE, _flag=True), oc2("2", SDQ_SCORE="10"), oc2("3", **CORE)],
    })


# ---------------------------------------------------------------- motherhood


def test_165_mother_status():
    check("165", {
        "Header": [
            {"CHILD": "1", "SEX": "F", "MOTHER": "1"},
            {"CHILD": "2", "SEX": "F", "_flag": True},
            {"CHILD": "3", "SEX": "M", "MOTHER": "0", "_flag": True},
            {"CHILD": "4", "SEX": "F", "MOTHER": "2", "_flag": True},
            {"CHILD": "5", "SEX": "F"},  # care leaver not looked after this year
            {"CHILD": "6", "SEX": "M"},
            {"CHILD": "7", "SEX": "U"},
        ],
        "Episodes": [cla(c) for c in "123467"],
        "OC3": [oc3("5")],
    })
    check("165", {
        "Header": [{"CHILD": "1", "SEX": "2", "_flag": True}, {"CHILD": "2", "SEX": "1", "MOTHER": "0", "_flag": True},
                   {"CHILD": "3", "SEX": "2", "MOTHER": "0"}],
        "Episodes": [ep(c, "01/01/2020") for c in "123"],
    }, year=2024)


def test_165_short_breaks_only_need_no_mother_status():
    """Rule 399 requires MOTHER blank for children looked after only under V3/V4: 165 must not ask for it."""
    check("165", {
        "Header": [
            {"CHILD": "1", "SEX": "F"},  # short breaks only: MOTHER must be blank (399)
            {"CHILD": "2", "SEX": "F"},  # both V3 and V4 short breaks
            {"CHILD": "3", "SEX": "F", "_flag": True},  # a short break and a care episode in the year
            {"CHILD": "4", "SEX": "F", "_flag": True},  # looked after, no short break
            {"CHILD": "5", "SEX": "F", "MOTHER": "0"},  # short breaks with MOTHER given: rule 399's finding
            {"CHILD": "6", "SEX": "F", "MOTHER": "X", "_flag": True},  # short breaks, MOTHER not 0/1
        ],
        "Episodes": [
            ep("1", "01/05/2025", "03/05/2025", "E41", ls="V3"), ep("1", "01/08/2025", "03/08/2025", "E41", ls="V3"),
            ep("2", "01/05/2025", "03/05/2025", "E41", ls="V3"), ep("2", "01/09/2025", ls="V4"),
            ep("3", "01/05/2025", "03/05/2025", "E41", ls="V3"), ep("3", "01/09/2025", ls="C2"),
            cla("4"),
            ep("5", "01/05/2025", ls="V4"),
            ep("6", "01/05/2025", ls="V4"),
        ],
    })


def test_628_no_mother_status_for_care_leavers_not_looked_after():
    check("628", {
        "Header": [
            {"CHILD": "1", "SEX": "F", "MOTHER": "1", "_flag": True},
            {"CHILD": "2", "SEX": "F", "MOTHER": "0"},
            {"CHILD": "3", "SEX": "F"},
            {"CHILD": "4", "SEX": "F", "MOTHER": "0"},
            {"CHILD": "5", "SEX": "F", "MOTHER": "0", "_flag": True},
        ],
        "Episodes": [cla("2"), ep("5", "01/01/2020", "01/01/2025", "E4A")],
        "OC3": [oc3("1"), oc3("2"), oc3("3"), blank3("4"), oc3("5")],
    })
