"""Tests for the rules comparing this year's return with last year's (Header, UASC, Episodes).

Year 2026 (2025-26) unless stated; last year's rows are loaded as 2024-25.  The authority is 886
(Kent).  Distances are from home ME14 1: ME15 6 is 0.6 miles, ME14 5 0.7, ME16 8 0.8; CT1 1 is in
Kent, SE1 7 in Southwark (208).
"""

from harness import check

HOME = "ME14 1AB"
KENT = "CT1 1AB"
LONDON = "SE1 7PB"


def hdr(child, **kw):
    return {"CHILD": child, "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI", **kw}


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def placed(child, decom, dec=None, rec=None, **kw):
    base = {"RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4", "PLACE_PROVIDER": "PR1", "URN": "XXXXXXX",
            "HOME_POST": HOME, "PL_POST": KENT}
    return ep(child, decom, dec, rec, **{**base, **kw})


# --- Header -------------------------------------------------------------------------------------


def test_202_sex_conflicts():
    check("202", {"Header": [
        hdr("1"), hdr("2", SEX="M", _flag=True), hdr("3", SEX=None, _flag=True), hdr("4", SEX="M"),
        hdr("5", SEX="M"),  # not in last year's return
    ]}, last={"Header": [hdr("1"), hdr("2"), hdr("3"), hdr("4", SEX=None)]})
    # 1/2 became M/F in 2024-25: the same sex across the change is not a conflict.
    check("202", {"Header": [hdr("1", SEX="M"), hdr("2", SEX="F"), hdr("3", SEX="M", _flag=True)]}, year=2025,
          last={"Header": [hdr("1", SEX="1"), hdr("2", SEX="2"), hdr("3", SEX="2")]})


def test_202_codes_mapped_only_across_the_change_of_sex_codes():
    # Both years use M/F (2025-26 after 2024-25): last year's 1 was invalid then and conflicts now.
    check("202", {"Header": [hdr("1", SEX="M", _flag=True), hdr("2", SEX="F", _flag=True), hdr("3", SEX="M")]},
          year=2026, last={"Header": [hdr("1", SEX="1"), hdr("2", SEX="2"), hdr("3", SEX="M")]})
    # Both years use 1/2 (2023-24 after 2022-23): compared as they are.
    check("202", {"Header": [hdr("1", SEX="1"), hdr("2", SEX="2", _flag=True), hdr("3", SEX="M", _flag=True)]},
          year=2024, last={"Header": [hdr("1", SEX="1"), hdr("2", SEX="1"), hdr("3", SEX="1")]})


def test_203_dob_conflicts():
    check("203", {"Header": [
        hdr("1"), hdr("2", DOB="02/01/2012", _flag=True), hdr("3", DOB=None, _flag=True), hdr("4"),
    ]}, last={"Header": [hdr("1"), hdr("2"), hdr("3"), hdr("4", DOB=None)]})


def test_203_last_years_dob_unreadable():
    """Last year's date of birth was given but is not a date: it disagrees with this year's."""
    check("203", {"Header": [
        hdr("1", _flag=True), hdr("2", _flag=True), hdr("3", DOB="31/02/2012"), hdr("4"),
    ]}, last={"Header": [hdr("1", DOB="31/02/2012"), hdr("2", DOB="next week"), hdr("3", DOB="31/02/2012"),
                         hdr("4", DOB="2012-01-01")]})


def test_204_ethnic_conflicts():
    check("204", {"Header": [
        hdr("1"), hdr("2", ETHNIC="WIRI", _flag=True), hdr("3", ETHNIC=None, _flag=True), hdr("4", ETHNIC="MOTH"),
    ]}, last={"Header": [hdr("1"), hdr("2"), hdr("3"), hdr("4", ETHNIC=None)]})


def test_205d_uasc_now_but_not_last_year():
    check("205D", {
        "Header": [hdr("1", _flag=True), hdr("2"), hdr("3"), hdr("4")],
        "UASC": [{"CHILD": "1"}, {"CHILD": "2", "DUC": "01/01/2030"}, {"CHILD": "3"}],
    }, last={
        "Header": [hdr("1"), hdr("2"), hdr("4")],  # child 3 is new this year
        "UASC": [{"CHILD": "2", "DUC": "01/01/2030"}],
    })


def test_205a_no_longer_uasc_without_a_date_ceased_last_year():
    # UASC comes from the UASC table: a row last year and none this year is 'no longer UASC'.
    # Last year's collection year is 1 April 2024 to 31 March 2025.
    check("205A", {
        "Header": [hdr("1"), hdr("2", _flag=True), hdr("3", _flag=True), hdr("4", _flag=True), hdr("5"), hdr("6"),
                   hdr("7"), hdr("8"), hdr("9"), hdr("10")],
        "UASC": [{"CHILD": "7", "DUC": "01/01/2027"}],
        "Episodes": [ep(c, "01/01/2024") for c in ("1", "2", "3", "4", "5", "6", "7", "8", "9")]
        + [ep("10", "01/01/2024", "31/03/2025", "E4A")],  # left care before the year: a care leaver
    }, last={
        "Header": [hdr(c) for c in ("1", "2", "3", "4", "5", "6", "7", "8", "10")],  # child 9 is new this year
        "UASC": [
            {"CHILD": "1", "DUC": "01/10/2024"},  # ceased last year
            {"CHILD": "2"},  # still UASC at the end of last year
            {"CHILD": "3", "DUC": "01/10/2025"},  # ceases after last year
            {"CHILD": "4", "DUC": "31/03/2024"},  # ceased before last year
            {"CHILD": "5", "DUC": "01/04/2024"},
            {"CHILD": "6", "DUC": "31/03/2025"},
            {"CHILD": "7", "DUC": "01/01/2027"},  # UASC in both years: rule 205B
            {"CHILD": "9"},  # not in last year's Header
            {"CHILD": "10", "DUC": "01/01/2027"},  # no UASC row needed for a care leaver (rule 1014)
        ],
    })


def test_205b_uasc_both_years_but_ceased_before_this_year():
    # This year starts on 1 April 2025.
    check("205B", {
        "Header": [hdr("1"), hdr("2"), hdr("3", _flag=True), hdr("4"), hdr("5", _flag=True), hdr("6"), hdr("7")],
        "UASC": [
            {"CHILD": "1"},
            {"CHILD": "2", "DUC": "01/01/2027"},
            {"CHILD": "3", "DUC": "31/03/2025", "_flag": True},
            {"CHILD": "4", "DUC": "01/04/2025"},
            {"CHILD": "5", "DUC": "15/03/2025", "_flag": True},  # this year's date is before the year
            {"CHILD": "6", "DUC": "01/01/2020"},  # not UASC last year
            {"CHILD": "7", "DUC": "01/06/2025"},  # ceased this year, earlier than last year expected
        ],
    }, last={
        "Header": [hdr(c) for c in ("1", "2", "3", "4", "5", "6", "7")],
        "UASC": [
            {"CHILD": "1"},
            {"CHILD": "2", "DUC": "01/01/2027"},
            {"CHILD": "3", "DUC": "31/03/2025"},  # ceased the day before this year
            {"CHILD": "4", "DUC": "01/04/2025"},
            {"CHILD": "5"},
            {"CHILD": "7", "DUC": "01/01/2027"},
        ],
    })


def test_207_mother_status_changed():
    check("207", {
        "Header": [hdr("1", MOTHER="1"), hdr("2", MOTHER="0", _flag=True), hdr("3", MOTHER=None, _flag=True),
                   hdr("4", MOTHER="0"), hdr("5", MOTHER="1"), hdr("6", MOTHER="0")],
        "Episodes": [ep(str(i), "01/05/2025") for i in range(1, 6)],  # child 6 has no episodes
    }, last={"Header": [hdr("1", MOTHER="1"), hdr("2", MOTHER="1"), hdr("3", MOTHER="1"), hdr("4", MOTHER="0"),
                        hdr("5", MOTHER="0"), hdr("6", MOTHER="1")]})


def test_208_upn_conflicts():
    real, other = "A123456789012", "B123456789012"
    check("208", {"Header": [
        hdr("1", UPN=real),
        hdr("2", UPN=other, _flag=True),
        hdr("3", UPN="UN2"),  # UN1 -> UN2-UN5
        hdr("4", UPN=real),  # UN code -> real UPN
        hdr("5", UPN="UN3", _flag=True),  # UN2 -> UN3
        hdr("6", UPN="UN1", _flag=True),  # real UPN -> unknown
        hdr("7", UPN=None, _flag=True),
        hdr("8", UPN="UN1"),  # nothing recorded last year
        hdr("9", UPN=real.lower()),
        hdr("10", UPN="UN1", _flag=True),  # UN2 -> UN1
    ]}, last={"Header": [
        hdr("1", UPN=real), hdr("2", UPN=real), hdr("3", UPN="UN1"), hdr("4", UPN="UN4"), hdr("5", UPN="UN2"),
        hdr("6", UPN=real), hdr("7", UPN=real), hdr("8"), hdr("9", UPN=real), hdr("10", UPN="UN2"),
    ]})


def test_624_first_child_dob_conflicts():
    check("624", {"Header": [
        hdr("1", MOTHER="1", MC_DOB="01/01/2024"),
        hdr("2", MOTHER="1", MC_DOB="02/01/2024", _flag=True),
        hdr("3", MOTHER="1", _flag=True),
        hdr("4", MOTHER="1", MC_DOB="01/01/2025"),  # none recorded last year
    ]}, last={"Header": [hdr("1", MC_DOB="01/01/2024"), hdr("2", MC_DOB="01/01/2024"),
                         hdr("3", MC_DOB="01/01/2024"), hdr("4")]})


def test_626_mother_with_child_born_before_year():
    check("626", {"Header": [
        hdr("1", MOTHER="1", MC_DOB="31/03/2025", _flag=True),
        hdr("2", MOTHER="1", MC_DOB="01/04/2025"),  # born this year
        hdr("3", MOTHER="1", MC_DOB="31/03/2025"),  # a mother last year too
        hdr("4", MOTHER="1", MC_DOB="31/03/2025"),  # not in last year's return
        hdr("5", MOTHER="1", MC_DOB="31/03/2025"),  # status not given last year
    ]}, last={"Header": [hdr("1", MOTHER="0"), hdr("2", MOTHER="0"), hdr("3", MOTHER="1"), hdr("5")]})


# --- first episode against last year's open episode -----------------------------------------------


def test_502_first_episode_starts_as_last_years_open_one():
    check("502", {"Episodes": [
        placed("1", "01/01/2025"),
        placed("2", "02/01/2025", _flag=True),
        placed("3", "01/05/2025"),  # last year's final episode ended
        placed("4", "01/01/2025", "01/05/2025", "X1"), placed("4", "01/05/2025", RNE="P"),  # only the first
        placed("5", "01/06/2025"),  # new this year
        placed("6", "01/01/2025"),
    ]}, last={"Episodes": [
        placed("1", "01/01/2025"), placed("2", "01/01/2025"), placed("3", "01/01/2025", "01/02/2025", "E4A"),
        placed("4", "01/01/2025"),
        placed("6", "01/10/2024"), placed("6", "01/01/2025", RNE="P"),  # compared with the final one
    ]})


def _continuation(field, same, different, blank_last=None):
    """Rows (this year, last year) for a 503 rule: child 1 same value, 2 different, 3 last year's final episode closed,
    4 later episode differs (only the first counts), 5 blank in both years."""
    now = {"Episodes": [
        placed("1", "01/01/2025", **{field: same}),
        placed("2", "01/01/2025", **{field: different}, _flag=True),
        placed("3", "01/05/2025", **{field: different}),
        placed("4", "01/01/2025", "01/06/2025", "X1", **{field: same}),
        placed("4", "01/06/2025", **{field: different}),
        placed("5", "01/01/2025", **{field: blank_last}),
    ]}
    last = {"Episodes": [
        placed("1", "01/01/2025", **{field: same}), placed("2", "01/01/2025", **{field: same}),
        placed("3", "01/01/2025", "01/03/2025", "E4A", **{field: same}), placed("4", "01/01/2025", **{field: same}),
        placed("5", "01/01/2025", **{field: blank_last}),
    ]}
    return now, last


def test_503a_503b_503c_503e_503f():
    now, last = _continuation("RNE", "S", "P")
    check("503A", now, last=last)
    now, last = _continuation("LS", "C2", "C1")
    check("503B", now, last=last)
    now, last = _continuation("CIN", "N1", "N2")
    check("503C", now, last=last)
    now, last = _continuation("PLACE_PROVIDER", "PR1", "PR4")
    check("503E", now, last=last)
    now, last = _continuation("URN", "SC123456", "SC654321")
    check("503F", now, last=last)


def test_503h_503j_placement_la_and_location():
    now, last = _continuation("PL_POST", KENT, LONDON, blank_last="ZZ99 9ZZ")  # not found: no LA either year
    check("503H", now, last=last)
    check("503J", now, last=last)


def test_503g_distance():
    check("503G", {"Episodes": [
        placed("1", "01/01/2025", PL_POST="ME14 5AB"),  # 0.9 against 1.0 (full postcodes' grid references)
        placed("2", "01/01/2025", PL_POST="ME14 1AE", _flag=True),  # 0.7 against 1.0
        placed("3", "01/01/2025", PL_POST="ME14 1AE"),  # last year's final episode closed
        placed("4", "01/01/2025", PL_POST="ME16 8AB", _flag=True),  # no distance last year
        placed("5", "01/01/2025", PL_POST=None, _flag=True),  # no distance this year
        placed("6", "01/01/2025", PL_POST="ME14 1AE", RNE="P", _flag=True),  # RNE is not compared here
    ]}, last={"Episodes": [
        placed("1", "01/01/2025", PL_POST="ME16 8AB"), placed("2", "01/01/2025", PL_POST="ME16 8AB"),
        placed("3", "01/01/2025", "01/02/2025", "E4A", PL_POST="ME16 8AB"),
        placed("4", "01/01/2025", PL_POST=None), placed("5", "01/01/2025", PL_POST="ME16 8AB"),
        placed("6", "01/01/2025", PL_POST="ME16 8AB"),
    ]})


def test_452_453_compared_when_reason_for_new_episode_agrees():
    now = {"Episodes": [
        placed("1", "01/01/2025", PL_POST="ME14 5AB"),
        placed("2", "01/01/2025", PL_POST="ME14 1AE", _flag=True),
        placed("3", "01/01/2025", PL_POST="ME14 1AE", RNE="P"),  # different RNE: not compared
        placed("4", "01/01/2025", PL_POST="ME14 1AE"),  # last year's final episode closed
    ]}
    last = {"Episodes": [
        placed("1", "01/01/2025", PL_POST="ME16 8AB"), placed("2", "01/01/2025", PL_POST="ME16 8AB"),
        placed("3", "01/01/2025", PL_POST="ME16 8AB"),
        placed("4", "01/01/2025", "01/02/2025", "E4A", PL_POST="ME16 8AB"),
    ]}
    check("453", now, last=last)
    check("452", {"Episodes": [
        placed("1", "01/01/2025"),
        placed("2", "01/01/2025", PL_POST=LONDON, _flag=True),
        placed("3", "01/01/2025", PL_POST=LONDON, RNE="P"),
        placed("4", "01/01/2025", PL_POST=LONDON),
    ]}, last={"Episodes": [
        placed("1", "01/01/2025"), placed("2", "01/01/2025"), placed("3", "01/01/2025"),
        placed("4", "01/01/2025", "01/02/2025", "E4A"),
    ]})


def test_562_episode_before_year_missing_from_last_year():
    check("562", {"Episodes": [
        placed("1", "01/01/2025"),
        placed("2", "01/02/2025", _flag=True),  # last year's final episode started 01/01
        placed("3", "01/01/2025", _flag=True),  # not last year's final episode
        placed("4", "01/01/2025", _flag=True),  # no episodes last year
        placed("5", "01/04/2025"),  # started this year
        placed("6", "01/01/2025", "01/02/2025", "X1"), placed("6", "01/02/2025", RNE="P"),  # later one is fine
    ]}, last={"Episodes": [
        placed("1", "01/01/2025"), placed("2", "01/01/2025"),
        placed("3", "01/01/2025", "01/03/2025", "X1"), placed("3", "01/03/2025", RNE="P"),
        placed("6", "01/01/2025"),
    ]})


def test_noe_no_episodes_last_year():
    check("NoE", {"Episodes": [
        placed("1", "01/01/2025"),
        placed("2", "01/01/2025", "01/02/2025", "X1", _flag=True), placed("2", "01/02/2025", RNE="P", _flag=True),
        placed("2", "01/04/2025", RNE="P"),  # started this year
        placed("3", "01/04/2025"),
    ]}, last={"Episodes": [placed("1", "01/01/2025")], "Header": [hdr("2")]})
