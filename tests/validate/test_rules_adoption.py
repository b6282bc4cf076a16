"""Adoption (AD1), placed-for-adoption decisions (PlacedAdoption) and previous permanence (PrevPerm).

Year 2026 is the 2025-26 collection: 1 April 2025 to 31 March 2026.
"""

from harness import check

_FULL_AD1 = {"DATE_INT": "01/05/2025", "DATE_MATCH": "01/06/2025", "FOSTER_CARE": "0", "NB_ADOPTR": "1",
             "SEX_ADOPTR": "F1", "LS_ADOPTR": "L0"}


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def ad1(child, **kw):
    """A complete AD1 row, with fields overridden (None to blank one)."""
    return {"CHILD": child, **_FULL_AD1, **kw}


def blank_ad1(child, **kw):
    return {"CHILD": child, **kw}


def pa(child, placed=None, ceased=None, reason=None, **kw):
    return {"CHILD": child, "DATE_PLACED": placed, "DATE_PLACED_CEASED": ceased, "REASON_PLACED_CEASED": reason,
            **kw}


def pp(child, perm=None, la=None, date=None, **kw):
    return {"CHILD": child, "PREV_PERM": perm, "LA_PERM": la, "DATE_PERM": date, **kw}


# --- AD1: dates, codes, completeness -------------------------------------------------------------

def test_112_113_invalid_ad1_dates():
    check("112", {"AD1": [ad1("1"), ad1("2", DATE_INT="31/04/2025", _flag=True), ad1("3", DATE_INT=None)]})
    check("113", {"AD1": [ad1("1"), ad1("2", DATE_MATCH="2025-13-01", _flag=True), ad1("3", DATE_MATCH=None)]})


def test_114_175_176_177_ad1_codes_blank_allowed():
    check("114", {"AD1": [ad1("1", FOSTER_CARE="0"), ad1("2", FOSTER_CARE="1"),
                          ad1("3", FOSTER_CARE="2", _flag=True), ad1("4", FOSTER_CARE=None)]})
    check("175", {"AD1": [ad1("1", NB_ADOPTR="1"), ad1("2", NB_ADOPTR="2"),
                          ad1("3", NB_ADOPTR="3", _flag=True), ad1("4", NB_ADOPTR=None)]})
    check("176", {"AD1": [ad1("1", SEX_ADOPTR="MF"), ad1("2", SEX_ADOPTR="mf"),
                          ad1("3", SEX_ADOPTR="M2", _flag=True), ad1("4", SEX_ADOPTR=None)]})
    check("177", {"AD1": [ad1("1", LS_ADOPTR="L11"), ad1("2", LS_ADOPTR="L4"),
                          ad1("3", LS_ADOPTR="L1", _flag=True), ad1("4", LS_ADOPTR=None)]})


def test_151_all_or_nothing():
    check("151", {"AD1": [
        ad1("1"),
        blank_ad1("2"),
        ad1("3", LS_ADOPTR=None, _flag=True),
        blank_ad1("4", FOSTER_CARE="1", _flag=True),
    ]})


def test_134_no_adoption_data_for_care_leavers():
    check("134", {
        "AD1": [ad1("1", _flag=True), ad1("2"), blank_ad1("3"), ad1("4")],
        "OC3": [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2"}, {"CHILD": "3", "ACCOM": "B1"}],
    })


def test_187_no_adoption_or_care_leaver_data_for_oc2_cohort():
    check("187", {
        "Episodes": [
            ep("1", "01/01/2024", RNE="S", LS="C2"),                      # looked after all year
            ep("2", "01/06/2025", RNE="S", LS="C2"),                      # started this year
            ep("3", "01/01/2024", RNE="S", LS="C2"),
            ep("4", "01/01/2024", "01/09/2025", "E11", RNE="S", LS="E1"),  # left this year
        ],
        "AD1": [ad1("1", _flag=True), ad1("2"), blank_ad1("3"), ad1("4")],
        "OC3": [{"CHILD": "1", "ACTIV": "F1", "_flag": True}, {"CHILD": "2", "IN_TOUCH": "YES"}, {"CHILD": "3"}],
    })



def test_187_cohort_boundaries_as_the_shared_12_month_cohort():
    # Looked after from 1 April to 31 March is the whole year: a child adopted on 31 March, or one
    # whose care started on 1 April, was looked after continuously for 12 months at 31 March (the
    # cohort every OC2 rule uses); leaving on 30 March, or starting on 2 April, is not.
    check("187", {
        "Episodes": [
            ep("1", "01/01/2024", "31/03/2026", "E11", RNE="S", LS="E1"),
            ep("2", "01/04/2025", RNE="S", LS="C2"),
            ep("3", "01/01/2024", "30/03/2026", "E11", RNE="S", LS="E1"),
            ep("4", "02/04/2025", RNE="S", LS="C2"),
        ],
        "AD1": [ad1("1", _flag=True), ad1("2", _flag=True), ad1("3"), ad1("4")],
    })

# --- AD1: dates against one another and against episodes -----------------------------------------

def test_331_matched_no_later_than_placement():
    check("331", {
        "AD1": [ad1("1", DATE_MATCH="01/06/2025", _flag=True), ad1("2", DATE_MATCH="01/05/2025"),
                ad1("3", DATE_MATCH="01/06/2025")],
        "Episodes": [
            ep("1", "01/05/2025", "01/11/2025", "E11", PLACE="A5", _flag=True),
            ep("2", "01/05/2025", "01/11/2025", "E12", PLACE="A5"),
            ep("3", "01/05/2025", "01/11/2025", "E4A", PLACE="U4"),
        ],
    })


def test_333_date_should_be_placed_on_or_before_match():
    check("333", {"AD1": [
        ad1("1", DATE_INT="02/06/2025", DATE_MATCH="01/06/2025", _flag=True),
        ad1("2", DATE_INT="01/06/2025", DATE_MATCH="01/06/2025"),
        ad1("3", DATE_INT=None, DATE_MATCH="01/06/2025", _flag=True),
        ad1("4", DATE_INT="01/06/2025", DATE_MATCH=None),
        blank_ad1("5"),
    ]})


def test_334_latest_period_of_care_starts_on_or_before_date_should_be_placed():
    check("334", {
        "AD1": [ad1("1", DATE_INT="01/02/2024", _flag=True), ad1("2", DATE_INT="01/03/2024"),
                ad1("3", DATE_INT="01/01/2020")],
        "Episodes": [
            ep("1", "01/01/2020", "01/06/2020", "E4A", RNE="S"),   # an earlier period of care
            ep("1", "01/03/2024", RNE="S", _flag=True),
            ep("2", "01/03/2024", RNE="S"),
            ep("3", "01/05/2025", RNE="P"),                         # started before the return
        ],
    })


def test_335_foster_carer_flag_matches_adoptive_placement():
    check("335", {
        "AD1": [ad1("1", FOSTER_CARE="0", _flag=True), ad1("2", FOSTER_CARE="1"),
                ad1("3", FOSTER_CARE="1", _flag=True), ad1("4", FOSTER_CARE="0"), ad1("5", FOSTER_CARE="0")],
        "Episodes": [
            ep("1", "01/05/2025", "01/11/2025", "E11", PLACE="A5", _flag=True),
            ep("2", "01/05/2025", "01/11/2025", "E11", PLACE="A5"),
            ep("3", "01/05/2025", "01/11/2025", "E12", PLACE="A6", _flag=True),
            ep("4", "01/05/2025", "01/11/2025", "E11", PLACE="A6"),
            ep("5", "01/05/2025", "01/11/2025", "E4A", PLACE="A3"),   # not the adoption
        ],
    })


def test_511_two_adopters_need_couple_genders():
    check("511", {"AD1": [
        ad1("1", NB_ADOPTR="2", SEX_ADOPTR="M1", _flag=True),
        ad1("2", NB_ADOPTR="2", SEX_ADOPTR="MF"),
        ad1("3", NB_ADOPTR="2", SEX_ADOPTR=None),
        ad1("4", NB_ADOPTR="1", SEX_ADOPTR="M1"),
        ad1("5", NB_ADOPTR="2", SEX_ADOPTR="XX", _flag=True),
    ]})


def test_514_single_adopter_shown_as_couple():
    check("514", {"AD1": [
        ad1("1", LS_ADOPTR="L0", SEX_ADOPTR="MM", _flag=True),
        ad1("2", LS_ADOPTR="L0", SEX_ADOPTR="M1"),
        ad1("3", LS_ADOPTR="L0", SEX_ADOPTR=None),
        ad1("4", LS_ADOPTR="L11", SEX_ADOPTR="MM"),
    ]})


def test_517_518_519_520_524_legal_status_against_genders():
    check("517", {"AD1": [ad1("1", LS_ADOPTR="L3", SEX_ADOPTR="MF"),
                          ad1("2", LS_ADOPTR="L3", SEX_ADOPTR="MM", _flag=True),
                          ad1("3", LS_ADOPTR="L3", SEX_ADOPTR=None, _flag=True),
                          ad1("4", LS_ADOPTR="L4", SEX_ADOPTR="MM")]})
    check("518", {"AD1": [ad1("1", LS_ADOPTR="L4", SEX_ADOPTR="MM"), ad1("2", LS_ADOPTR="L4", SEX_ADOPTR="FF"),
                          ad1("3", LS_ADOPTR="L4", SEX_ADOPTR="MF", _flag=True),
                          ad1("4", LS_ADOPTR="L4", SEX_ADOPTR=None, _flag=True),
                          ad1("5", LS_ADOPTR="L3", SEX_ADOPTR="MF")]})
    check("519", {"AD1": [ad1("1", LS_ADOPTR="L2", SEX_ADOPTR="MM"), ad1("2", LS_ADOPTR="L2", SEX_ADOPTR="MF"),
                          ad1("3", LS_ADOPTR="L2", SEX_ADOPTR="F1", _flag=True),
                          ad1("4", LS_ADOPTR="L2", SEX_ADOPTR=None, _flag=True),
                          ad1("5", LS_ADOPTR="L0", SEX_ADOPTR="F1")]})
    check("520", {"AD1": [ad1("1", LS_ADOPTR="L11", SEX_ADOPTR="MF"),
                          ad1("2", LS_ADOPTR="L11", SEX_ADOPTR="MM", _flag=True),
                          ad1("3", LS_ADOPTR="L11", SEX_ADOPTR="FF", _flag=True),
                          ad1("4", LS_ADOPTR="L11", SEX_ADOPTR="M1"),     # not a same-gender couple
                          ad1("5", LS_ADOPTR="L12", SEX_ADOPTR="MM")]})
    check("524", {"AD1": [ad1("1", LS_ADOPTR="L12", SEX_ADOPTR="FF"), ad1("2", LS_ADOPTR="L12", SEX_ADOPTR="MM"),
                          ad1("3", LS_ADOPTR="L12", SEX_ADOPTR="MF", _flag=True),
                          ad1("4", LS_ADOPTR="L12", SEX_ADOPTR=None, _flag=True),
                          ad1("5", LS_ADOPTR="L11", SEX_ADOPTR="MF")]})


def test_521_date_should_be_placed_on_or_before_placement_for_adoption():
    check("521", {
        "AD1": [ad1("1", DATE_INT="01/08/2025", _flag=True), ad1("2", DATE_INT="01/05/2025"),
                ad1("3", DATE_INT="01/08/2025")],
        "Episodes": [
            ep("1", "01/01/2025", "01/05/2025", "X1", PLACE="U4"),
            ep("1", "01/05/2025", "01/07/2025", "X1", PLACE="A5", LS="C2", _flag=True),  # placed for adoption
            ep("1", "01/07/2025", PLACE="A5", LS="E1"),                                  # same placement
            ep("2", "01/05/2025", PLACE="A6"),
            ep("3", "01/05/2025", PLACE="U4"),
        ],
    })


def test_582_adoption_date_same_as_matching_date():
    check("582", {
        "AD1": [ad1("1", DATE_MATCH="01/11/2025"), ad1("2", DATE_MATCH="01/10/2025"),
                ad1("3", DATE_MATCH="01/11/2025")],
        "Episodes": [
            ep("1", "01/05/2025", "01/11/2025", "E11", PLACE="A5", _flag=True),
            ep("2", "01/05/2025", "01/11/2025", "E12", PLACE="A5"),
            ep("3", "01/05/2025", "01/11/2025", "E4A", PLACE="U4"),
        ],
    })


def test_601_adopted_in_year_needs_adoption_data():
    check("601", {
        "Episodes": [
            ep("1", "01/05/2025", "01/11/2025", "E11"),
            ep("2", "01/05/2025", "01/11/2025", "E12", _flag=True),
            ep("3", "01/05/2024", "01/04/2025", "E11", _flag=True),  # no AD1 row at all; first day of year
            ep("4", "01/05/2024", "31/03/2025", "E11"),              # adopted last year
            ep("5", "01/05/2025", "01/11/2025", "E4A"),
        ],
        "AD1": [ad1("1"), ad1("2", LS_ADOPTR=None, _flag=True)],
    })


def test_602_adoption_data_needs_an_adoption_in_year():
    check("602", {
        "Episodes": [
            ep("1", "01/05/2025", "01/11/2025", "E11"),
            ep("2", "01/05/2025"),
            ep("3", "01/05/2025"),
            ep("4", "01/05/2024", "01/04/2025", "E12"),
            ep("5", "01/05/2024", "31/03/2025", "E12"),
        ],
        "AD1": [ad1("1"), ad1("2", _flag=True), blank_ad1("3"), ad1("4"), ad1("5", _flag=True),
                ad1("6", _flag=True)],
    })


# --- PlacedAdoption: one row at a time ------------------------------------------------------------

def test_115_116_invalid_decision_dates():
    check("115", {"PlacedAdoption": [pa("1", "01/05/2025"), pa("2", "31/06/2025", _flag=True), pa("3")]})
    check("116", {"PlacedAdoption": [pa("1", "01/05/2025", "01/06/2025", "RD1"),
                                     pa("2", "01/05/2025", "1st June", "RD1", _flag=True), pa("3", "01/05/2025")]})


def test_119_date_and_reason_ceased_together():
    check("119", {"PlacedAdoption": [
        pa("1", "01/05/2025", "01/06/2025", "RD1"),
        pa("2", "01/05/2025", "01/06/2025", _flag=True),
        pa("3", "01/05/2025", reason="RD2", _flag=True),
        pa("4", "01/05/2025"),
    ]})


def test_120_reason_ceased_code():
    check("120", {"PlacedAdoption": [pa("1", "01/05/2025", "01/06/2025", "RD4"),
                                     pa("2", "01/05/2025", "01/06/2025", "RD5", _flag=True),
                                     pa("3", "01/05/2025")]})


def test_522_ceased_not_before_decision():
    check("522", {"PlacedAdoption": [
        pa("1", "01/05/2025", "30/04/2025", "RD1", _flag=True),
        pa("2", "01/05/2025", "01/05/2025", "RD1"),
        pa("3", "01/05/2025"),
    ]})


def test_563_ceased_decision_needs_a_decision_date():
    check("563", {"PlacedAdoption": [
        pa("1", None, "01/06/2025", "RD1", _flag=True),
        pa("2", "01/05/2025", "01/06/2025", "RD1"),
        pa("3", None, None, "RD1"),
    ]})


def test_184_decision_not_before_birth():
    check("184", {
        "Header": [{"CHILD": "1", "DOB": "01/01/2020"}, {"CHILD": "2", "DOB": "01/01/2020"},
                   {"CHILD": "3", "DOB": "01/01/2020"}],
        "PlacedAdoption": [pa("1", "31/12/2019", _flag=True), pa("2", "01/01/2020"), pa("3")],
    })


# --- PlacedAdoption against episodes --------------------------------------------------------------

def test_117_decisions_not_after_year_end_or_leaving_care():
    check("117", {
        "Episodes": [
            ep("1", "01/05/2025"),
            ep("2", "01/05/2025", "01/10/2025", "E41", _flag=True),
            ep("3", "01/05/2025", "01/10/2025", "E41"),
            ep("4", "01/05/2025", "01/06/2025", "E4A"), ep("4", "01/09/2025", RNE="S"),
            ep("5", "01/05/2025"),
        ],
        "PlacedAdoption": [
            pa("1", "01/04/2026", _flag=True),                      # after the collection year
            pa("2", "01/06/2025", "02/10/2025", "RD1", _flag=True),  # ceased after leaving care
            pa("3", "01/06/2025", "01/10/2025", "RD1"),              # the same day is allowed
            pa("4", "01/10/2025"),                                  # back in care by then
            pa("5", "31/03/2026"),
        ],
    })


def test_118_ceased_not_before_year_or_start_of_care():
    check("118", {
        "Episodes": [
            ep("1", "01/05/2025", RNE="S", LS="C2", _flag=True),
            ep("2", "01/01/2024", RNE="S", LS="C2"),
            ep("3", "01/05/2025", "01/07/2025", "X1", RNE="S", LS="V3"),
            ep("3", "01/07/2025", RNE="L", LS="C2", _flag=True),
            ep("4", "01/05/2025", RNE="S", LS="C2"),
            ep("5", "01/05/2025", RNE="S", LS="C2"),
        ],
        "PlacedAdoption": [
            pa("1", "01/01/2025", "30/04/2025", "RD1", _flag=True),
            pa("2", "01/01/2025", "31/03/2025", "RD1", _flag=True),  # before the collection year
            pa("3", "01/01/2025", "01/06/2025", "RD1", _flag=True),  # short breaks do not count
            pa("4", "01/01/2025", "01/05/2025", "RD1"),
            pa("5", "01/01/2025"),
        ],
    })


def test_1003_decision_not_before_care_started():
    check("1003", {
        "Episodes": [
            ep("1", "01/05/2025", RNE="S", _flag=True),
            ep("2", "01/05/2025", RNE="S"),
            ep("3", "01/05/2025", "01/07/2025", "E4A", RNE="S"), ep("3", "01/09/2025", RNE="S"),
            ep("4", "01/05/2025", RNE="P"),
        ],
        "PlacedAdoption": [pa("1", "30/04/2025", _flag=True), pa("2", "01/05/2025"), pa("3", "01/06/2025"),
                           pa("4", "01/01/2025")],
    })


def test_523_decision_date_same_as_date_should_be_placed():
    check("523", {
        "AD1": [ad1("1", DATE_INT="01/05/2025"), ad1("2", DATE_INT="01/05/2025", _flag=True),
                ad1("3", DATE_INT=None), ad1("4", DATE_INT="01/05/2025")],
        "PlacedAdoption": [pa("1", "01/05/2025"), pa("2", "02/05/2025", _flag=True), pa("3", "02/05/2025"),
                           pa("4")],
    })


def test_525_reversed_decision_then_adopted():
    check("525", {
        "PlacedAdoption": [pa("1", "01/05/2025", "01/06/2025", "RD1", _flag=True), pa("2", "01/05/2025"),
                           pa("3", "01/05/2025", "01/06/2025", "RD1")],
        "AD1": [ad1("1", _flag=True), ad1("2"), blank_ad1("3")],
    })


def test_551_placed_for_adoption_needs_a_decision():
    check("551", {
        "Episodes": [
            ep("1", "01/05/2025", PLACE="A5"),
            ep("2", "01/05/2025", PLACE="A5", _flag=True),
            ep("3", "01/05/2025", PLACE="A3", _flag=True),
            ep("4", "01/05/2025", PLACE="U4"),
        ],
        "PlacedAdoption": [pa("1", "01/04/2025"), pa("3", None, "01/06/2025", "RD4")],
    })


def test_552_decision_on_or_before_placement_for_adoption():
    check("552", {
        "Episodes": [
            ep("1", "01/05/2025", PLACE="A5", _flag=True),
            ep("2", "01/05/2025", PLACE="A5"),
            ep("3", "01/05/2025", "01/07/2025", "X1", PLACE="A3", _flag=True),
            ep("3", "01/07/2025", PLACE="A5"),                   # same placement, after the decision
            ep("4", "01/10/2025", PLACE="A5"),
            ep("5", "01/05/2025", PLACE="A5"),                   # no decision: rule 551's case
        ],
        "PlacedAdoption": [
            pa("1", "01/06/2025", _flag=True),
            pa("2", "01/05/2025"),
            pa("3", "01/06/2025", _flag=True),
            pa("4", "01/01/2025", "01/02/2025", "RD1"), pa("4", "01/09/2025"),
        ],
    })


def test_553_placement_order_needs_a_decision():
    check("553", {
        "Episodes": [
            ep("1", "01/05/2025", LS="E1"),
            ep("2", "01/05/2025", LS="E1", _flag=True),
            ep("3", "01/05/2025", LS="E1", _flag=True),
            ep("4", "01/05/2025", LS="E1"),
            ep("5", "01/05/2025", LS="E1"),
            ep("6", "01/05/2025", "01/08/2025", "E4A", LS="E1"),
            ep("7", "01/05/2025", LS="C2"),
        ],
        "PlacedAdoption": [
            pa("1", "01/04/2025"),
            pa("3", None),
            pa("4", "01/04/2025", "01/06/2025", "RD3", _flag=True),   # ceased while the order is open
            pa("5", "01/01/2025", "01/03/2025", "RD1"), pa("5", "01/04/2025"),
            pa("6", "01/04/2025", "01/07/2025", "RD3"),
        ],
    })


def test_554_decision_on_or_before_placement_order():
    check("554", {
        "Episodes": [
            ep("1", "01/05/2025", "01/07/2025", "X1", LS="E1", _flag=True), ep("1", "01/07/2025", LS="E1"),
            ep("2", "01/05/2025", LS="E1"),
            ep("3", "01/05/2025", LS="E1"),
            ep("4", "01/05/2025", LS="C2"),
        ],
        "PlacedAdoption": [
            pa("1", "01/06/2025", _flag=True),
            pa("2", "01/05/2025"),
            pa("3", "01/01/2025", "01/03/2025", "RD2"), pa("3", "01/09/2025"),
            pa("4", "01/06/2025"),
        ],
    })


def test_555_556_freeing_orders_in_2023_24():
    check("555", {
        "Episodes": [ep("1", "01/05/2023", LS="D1"), ep("2", "01/05/2023", LS="D1", _flag=True),
                     ep("3", "01/05/2023", LS="E1")],
        "PlacedAdoption": [pa("1", "01/04/2023")],
    }, year=2024)
    check("556", {
        "Episodes": [ep("1", "01/05/2023", LS="D1", _flag=True), ep("2", "01/05/2023", LS="D1"),
                     ep("3", "01/05/2023", LS="E1")],
        "PlacedAdoption": [pa("1", "01/06/2023", _flag=True), pa("2", "01/05/2023"), pa("3", "01/06/2023")],
    }, year=2024)


def test_557_left_care_not_adopted_needs_decision_ceased():
    episodes = [
        ep("1", "01/05/2025", "01/10/2025", "E41", PLACE="A5", _flag=True),  # no decision recorded
        ep("2", "01/05/2025", "01/10/2025", "E45", PLACE="A5"),
        ep("3", "01/05/2025", "01/10/2025", "E4A", PLACE="U4", LS="E1", _flag=True),
        ep("4", "01/05/2025", "01/10/2025", "E11", PLACE="A5"),
        ep("5", "01/05/2025", "01/10/2025", "X1", PLACE="A5"), ep("5", "01/10/2025", PLACE="A5"),
        ep("6", "01/05/2025", "01/10/2025", "E4A", PLACE="U4", LS="D1"),
        ep("7", "01/05/2025", "01/10/2025", "E4A", PLACE="A5", _flag=True),
        ep("8", "01/05/2025", PLACE="A5"),
    ]
    decisions = [
        pa("2", "01/04/2025", "01/09/2025", "RD1"),
        pa("3", "01/04/2025", _flag=True),
        pa("4", "01/04/2025"),
        pa("5", "01/04/2025"),
        pa("7", "01/04/2025", "01/09/2025", _flag=True),
        pa("8", "01/04/2025"),
    ]
    check("557", {"Episodes": episodes, "PlacedAdoption": decisions})
    # To 2023-24 a freeing order (D1) also shows the decision was made.
    check("557", {"Episodes": [ep("6", "01/05/2023", "01/10/2023", "E4A", PLACE="U4", LS="D1", _flag=True)]},
          year=2024)


def test_558_adopted_child_latest_decision_not_ceased():
    check("558", {
        "Episodes": [
            ep("1", "01/05/2025", "01/11/2025", "E11", PLACE="A5", _flag=True),
            ep("2", "01/05/2025", "01/11/2025", "E11", PLACE="A5"),
            ep("3", "01/05/2025", "01/11/2025", "E12", PLACE="A5"),
            ep("4", "01/05/2025", "01/11/2025", "E4A", PLACE="U4"),
        ],
        "PlacedAdoption": [
            pa("1", "01/04/2025", "01/10/2025", "RD4", _flag=True),
            pa("2", "01/09/2025"), pa("2", "01/01/2025", "01/03/2025", "RD1"),
            pa("3", "01/04/2025"),
            pa("4", "01/04/2025", "01/10/2025", "RD4"),
        ],
    })


def test_579_decisions_do_not_overlap():
    check("579", {"PlacedAdoption": [
        pa("1", "01/06/2025", _flag=True), pa("1", "01/01/2025"),          # earlier one still open
        pa("2", "01/01/2025", "01/07/2025", "RD1"), pa("2", "01/06/2025", _flag=True),
        pa("3", "01/01/2025", "01/06/2025", "RD1"), pa("3", "01/06/2025"),
        pa("4", "01/06/2025"),
    ]})


def test_583_earlier_decisions_revoked():
    check("583", {"PlacedAdoption": [
        pa("1", "01/01/2025", _flag=True), pa("1", "01/06/2025"),
        pa("2", "01/01/2025", "01/03/2025", "RD1"), pa("2", "01/06/2025"),
        pa("3", "01/06/2025"),
        pa("4", "01/06/2025"), pa("4", "01/01/2025", _flag=True),
    ]})


# --- PlacedAdoption against last year's return ----------------------------------------------------

def test_559_earlier_decision_was_in_last_years_return():
    check("559", {"PlacedAdoption": [
        pa("1", "01/01/2025"),
        pa("2", "01/01/2025", _flag=True),
        pa("3", "01/02/2025", _flag=True),
        pa("4", "01/04/2025"),
    ]}, last={"PlacedAdoption": [pa("1", "01/01/2025"), pa("3", None)]})


def test_560_open_decision_keeps_its_date():
    check("560", {"PlacedAdoption": [
        pa("1", "01/02/2025", _flag=True),
        pa("2", "01/01/2025"),
        pa("3", "01/01/2025", "01/06/2025", "RD1"), pa("3", "01/10/2025"),
        pa("4", "01/02/2025"),
        pa("5", None, _flag=True),
    ]}, last={"PlacedAdoption": [
        pa("1", "01/01/2025"), pa("2", "01/01/2025"), pa("3", "01/01/2025"),
        pa("4", "01/01/2025", "01/03/2025", "RD1"), pa("5", "01/01/2025"),
    ]})


def test_561_same_date_as_a_decision_ceased_last_year():
    check("561", {"PlacedAdoption": [
        pa("1", "01/01/2025", _flag=True),
        pa("2", "01/01/2025"),
        pa("3", "01/06/2025"),
        pa("4", "01/01/2025", _flag=True),
    ]}, last={"PlacedAdoption": [
        pa("1", "01/01/2025", "01/03/2025", "RD1"), pa("2", "01/01/2025"),
        pa("3", "01/01/2025", "01/03/2025", "RD1"), pa("4", "01/01/2025", None, "RD2"),
    ]})


def test_584_new_decision_after_one_ceased_last_year_is_later():
    check("584", {"PlacedAdoption": [
        pa("1", "01/12/2024", _flag=True),
        pa("2", "01/06/2025"),
        pa("3", "01/01/2025"),
        pa("4", None, _flag=True),
        pa("5", "01/12/2024"),
    ]}, last={"PlacedAdoption": [
        pa("1", "01/01/2025", "01/03/2025", "RD1"), pa("2", "01/01/2025", "01/03/2025", "RD1"),
        pa("3", "01/01/2025", "01/03/2025", "RD1"), pa("4", "01/01/2025", "01/03/2025", "RD1"),
        pa("5", "01/01/2025"),
    ]})


# --- PrevPerm -------------------------------------------------------------------------------------

def test_631_previous_permanence_code():
    check("631", {"PrevPerm": [pp("1", "P1"), pp("2", "z1"), pp("3", "P5", _flag=True), pp("4")]})


def test_633_la_code_of_previous_permanence():
    check("633", {"PrevPerm": [
        pp("1", "P1", "886"), pp("2", "P1", "wal"), pp("3", "P1", "941"), pp("4", "P1", "835"),
        pp("5", "P2", "NUK"), pp("6", "P2", "123", _flag=True), pp("7", "P2", "ENG", _flag=True),
        pp("8", "P2"),
    ]})


def test_635_no_order_details_with_z1():
    check("635", {"PrevPerm": [
        pp("1", "Z1", "886", _flag=True),
        pp("2", "Z1", date="01/01/2019", _flag=True),
        pp("3", "Z1"),
        pp("4", "P1", "886", "01/01/2019"),
        pp("5", None, "886"),
    ]})


def test_630_previous_permanence_for_children_starting_care():
    check("630", {
        "Episodes": [
            ep("1", "01/05/2025", RNE="S"),
            ep("2", "01/05/2025", RNE="S", _flag=True),
            ep("3", "01/05/2025", RNE="S", _flag=True),
            ep("4", "01/05/2025", RNE="S"),
            ep("5", "31/03/2025", RNE="S"),
            ep("6", "01/04/2025", RNE="S", _flag=True),
            ep("7", "01/05/2025", RNE="P"),
            ep("8", "01/05/2025", RNE="S"),
            ep("9", "01/05/2025", RNE="S", _flag=True),
        ],
        "PrevPerm": [pp("1", "Z1"), pp("3", "P1", "886"), pp("4", "P2", "886", "zz/zz/2019"), pp("6"),
                     pp("8", "P4"),                                  # unknown: no LA or date to give
                     pp("9", "P3", date="01/01/2019")],
    })


def test_632_date_of_previous_permanence_order():
    check("632", {
        "Episodes": [
            ep("1", "01/05/2025"),
            ep("2", "01/05/2025", _flag=True), ep("2", "01/09/2025"),
            ep("3", "15/05/2025"),
            ep("4", "01/01/2025", _flag=True),
            ep("5", "01/05/2025"),
            ep("6", "01/05/2025"),
            ep("7", "01/05/2025"),
            ep("10", "15/05/2025", _flag=True),
            ep("12", "01/05/2024", "01/06/2025", "E4A", RNE="S"), ep("12", "01/09/2025", RNE="S", _flag=True),
            ep("13", "01/05/2024", "01/06/2025", "E4A", RNE="S"), ep("13", "01/09/2025", RNE="S"),
        ],
        "PrevPerm": [
            pp("1", "P1", "886", "01/01/2020"),
            pp("2", "P1", "886", "01/05/2025", _flag=True),    # not before care started
            pp("3", "P1", "886", "zz/05/2025"),                 # could be 1-14 May
            pp("4", "P1", "886", "ZZ/zz/2025", _flag=True),     # no day of 2025 is before 1 January
            pp("5", "P1", "886", "31/02/2019", _flag=True),     # no such day
            pp("6", "P1", "886", "31/zz/2019"),
            pp("7", "P1", "886", "10/13/2019", _flag=True),
            pp("8", "P1", "886", "unknown", _flag=True),
            pp("9", "P1", "886", "01/01/2020"),                 # no episodes to compare with
            pp("10", "P1", "886", "zz/06/2025", _flag=True),
            pp("11", "P1", "886"),
            pp("12", "P2", "886", "01/09/2025", _flag=True),    # on the day the latest period started
            pp("13", "P2", "886", "01/07/2025"),                # between periods of care
        ],
    })


def test_634_previous_permanence_only_from_april_2016():
    check("634", {
        "Episodes": [
            ep("1", "01/01/2015", RNE="S", _flag=True),
            ep("2", "01/05/2016", RNE="S"),
            ep("3", "01/01/2016", RNE="P", _flag=True), ep("3", "01/05/2025", RNE="P"),
            ep("4", "01/05/2016", RNE="P"),
            ep("5", "01/01/2010", "01/01/2011", "E4A", RNE="S"), ep("5", "01/06/2025", RNE="S"),
            ep("6", "01/01/2015", RNE="S"),
            ep("7", "01/04/2016", RNE="S"),
        ],
        "PrevPerm": [pp("1", "P1", _flag=True), pp("2", "P1"), pp("3", "Z1", _flag=True), pp("4", "P2"),
                     pp("5", "P3"), pp("6"), pp("7", "P1")],
    })
