"""Tests for Episodes rules part 2 (codes, placement location, episode sequence).

The authority is 886 (Kent).  Postcodes used (sector centroids): ME14 1, CT1 1 in Kent; SE1 7 in
Southwark (208); CF10 1 in Wales; EH22 5 is 350.0 miles from ME14 1, KA18 1 350.1 miles; ME14 6 is
not a postcode sector.
"""

from harness import check

HOME = "ME14 1AB"
KENT = "CT1 1AB"
LONDON = "SE1 7PB"


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def placed(child, decom="01/05/2025", **kw):
    """An episode with home and placement postcodes (both valid, distance known)."""
    return ep(child, decom, **{"HOME_POST": HOME, "PL_POST": KENT, "LS": "C2", "PLACE": "U4", **kw})


# --- codes within one episode -------------------------------------------------------------------


def test_384_short_breaks_not_long_term_fostering():
    check("384", {"Episodes": [
        ep("1", "01/05/2025", LS="V3", PLACE="U1", _flag=True),
        ep("2", "01/05/2025", LS="V4", PLACE="U4", _flag=True),
        ep("3", "01/05/2025", LS="V3", PLACE="U2"),
        ep("4", "01/05/2025", LS="C2", PLACE="U1"),
        ep("5", "01/05/2025", LS="V4"),
    ]})


def test_385_ceased_after_year_end():
    check("385", {"Episodes": [
        ep("1", "01/05/2025", "01/04/2026", "E4A", _flag=True),
        ep("2", "01/05/2025", "31/03/2026", "E4A"),
        ep("3", "01/05/2025"),
    ]})
    check("385", {"Episodes": [ep("1", "01/05/2023", "01/04/2024", "E4A", _flag=True),
                               ep("2", "01/05/2023", "31/03/2024", "E4A")]}, year=2024)


def test_390_adopted_needs_adoption_placement():
    check("390", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E11", PLACE="U4", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "E12", _flag=True),
        ep("3", "01/05/2025", "01/06/2025", "E11", PLACE="A5"),
        ep("4", "01/05/2025", "01/06/2025", "E12", PLACE="A3"),
        ep("5", "01/05/2025", "01/06/2025", "E4A", PLACE="U4"),
    ]})


def test_408_placement_order_for_a5_a6():
    check("408", {"Episodes": [
        ep("1", "01/05/2025", PLACE="A5", LS="C2", _flag=True),
        ep("2", "01/05/2025", PLACE="A6", _flag=True),
        ep("3", "01/05/2025", PLACE="A6", LS="E1"),
        ep("4", "01/05/2025", PLACE="A3", LS="C2"),
    ]})


def test_426_v3_and_v4_in_one_year():
    check("426", {"Episodes": [
        ep("1", "01/05/2025", "02/05/2025", "E8", LS="V3", _flag=True),
        ep("1", "01/06/2025", "02/06/2025", "E8", LS="V4", _flag=True),
        ep("1", "01/07/2025", LS="C2"),
        ep("2", "01/05/2025", "02/05/2025", "E8", LS="V3"),
        ep("2", "01/06/2025", "02/06/2025", "E8", LS="V3"),
        ep("3", "01/05/2025", LS="V4"),
    ]})


def test_445_freeing_order_after_2005():
    check("445", {"Episodes": [
        ep("1", "01/01/2006", LS="D1", _flag=True),
        ep("2", "31/12/2005", LS="D1"),
        ep("3", "01/01/2010", LS="E1"),
    ]}, year=2024)


def test_446_placement_order_before_december_2005():
    check("446", {"Episodes": [
        ep("1", "30/11/2005", LS="E1", _flag=True),
        ep("2", "01/12/2005", LS="E1"),
        ep("3", "30/11/2005", LS="D1"),
    ]})


def test_451_still_freed_for_adoption():
    check("451", {"Episodes": [
        ep("1", "01/01/2005", LS="D1", _flag=True),
        ep("2", "01/01/2005", "01/06/2023", "E11", LS="D1"),
        ep("3", "01/01/2010", LS="E1"),
    ]}, year=2024)


def test_516_sgo_to_former_foster_carers():
    check("516", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E45", PLACE="K2", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "E46", _flag=True),
        ep("3", "01/05/2025", "01/06/2025", "E45", PLACE="U3"),
        ep("4", "01/05/2025", "01/06/2025", "E47", PLACE="K2"),
    ]})


def test_526_provider_needed_by_year():
    check("526", {"Episodes": [
        ep("1", "01/05/2025", PLACE="U4", _flag=True),
        ep("2", "01/05/2025", _flag=True),
        ep("3", "01/05/2025", PLACE="T4"),
        ep("4", "01/05/2025", PLACE="Z12"),
        ep("5", "01/05/2025", PLACE="Z1", _flag=True),  # Z1 retired in 2025-26
        ep("6", "01/05/2025", PLACE="U4", PLACE_PROVIDER="PR1"),
    ]})
    check("526", {"Episodes": [
        ep("1", "01/05/2024", PLACE="Z1"),
        ep("2", "01/05/2024", PLACE="Z11", _flag=True),
        ep("3", "01/05/2024", PLACE="K2", _flag=True),
    ]}, year=2025)


def _providers(*pairs):
    return [ep(str(i), "01/05/2025", PLACE=place, PLACE_PROVIDER=provider, _flag=flag)
            for i, (place, provider, flag) in enumerate(pairs, start=1)]


def test_527_528_own_and_other_la_provision():
    check("527", {"Episodes": _providers(("P1", "PR1", True), ("R2", "PR1", True), ("R5", "PR1", True),
                                         ("U4", "PR1", False), ("P1", "PR2", False))})
    check("528", {"Episodes": _providers(("R5", "PR2", True), ("P1", "PR2", True), ("K2", "PR2", False),
                                         ("R5", "PR1", False))})


def test_529_other_public_provision():
    check("529", {"Episodes": _providers(("K2", "PR3", True), ("A4", "PR3", True), ("U6", "PR3", True),
                                         ("P1", "PR3", True), ("K1", "PR3", True), ("R1", "PR3", False),
                                         ("K3", "PR3", False), ("K2", "PR1", False))})


def test_530_531_550_parent_placements():
    check("530", {"Episodes": _providers(("P1", "PR4", True), ("U4", "PR4", False), ("P1", "PR5", False))})
    check("531", {"Episodes": _providers(("P1", "PR5", True), ("K2", "PR5", False), ("P1", "PR4", False))})
    check("550", {"Episodes": _providers(("U4", "PR0", True), (None, "PR0", True), ("P1", "PR0", False),
                                         ("U4", "PR1", False))})


def test_1009_reason_for_placement_change():
    check("1009", {"Episodes": [
        ep("1", "01/05/2025", REASON_PLACE_CHANGE="XYZ", _flag=True),
        ep("2", "01/05/2025", REASON_PLACE_CHANGE="CARPL"),
        ep("3", "01/05/2025", REASON_PLACE_CHANGE="custod"),
        ep("4", "01/05/2025"),
    ]})


def test_1012_no_other_data_for_care_leavers_only():
    check("1012", {
        "Header": [{"CHILD": "1"}, {"CHILD": "2"}],
        "Episodes": [ep("1", "01/05/2025")],
        "OC3": [{"CHILD": "2", "IN_TOUCH": "YES"}],
        "UASC": [{"CHILD": "2", "DUC": "01/01/2024"}],
        "Reviews": [{"CHILD": "1", "REVIEW": "01/06/2025"}, {"CHILD": "2", "REVIEW": "01/06/2025", "_flag": True}],
        "OC2": [{"CHILD": "2", "CONVICTED": "0", "_flag": True}],
        "Missing": [{"CHILD": "1", "MISSING": "M"}, {"CHILD": "2", "MISSING": "M", "_flag": True}],
        "PrevPerm": [{"CHILD": "2", "PREV_PERM": "P1", "_flag": True}],
        "AD1": [{"CHILD": "2", "DATE_INT": "01/06/2025", "_flag": True}],
        "PlacedAdoption": [{"CHILD": "2", "DATE_PLACED": "01/06/2025", "_flag": True}],
    })


# --- placement location -----------------------------------------------------------------------


def test_392a_distance_recorded():
    rows = {
        "Header": [{"CHILD": str(i)} for i in range(1, 10)],
        "UASC": [{"CHILD": "5", "DUC": "01/01/2030"}],
        "Episodes": [
            placed("1"),
            placed("2", PL_POST=None, _flag=True),
            placed("3", PL_POST="ME14 6AB", _flag=True),  # not a postcode: no distance
            placed("4", LS="V3", HOME_POST=None, PL_POST=None),
            placed("5", PL_POST=None),  # UASC this year
            placed("6", PL_POST=None),  # UASC last year
            placed("7", PLACE="P1", PL_POST=HOME),  # zero distance is a distance
            placed("8", PL_POST="BT1 1AA"),  # Northern Ireland: the DfE derives a distance
            placed("9", HOME_POST="BT1 1AA", PL_POST=None, _flag=True),
        ],
    }
    last = {"Header": [{"CHILD": "6"}], "UASC": [{"CHILD": "6", "DUC": "01/01/2030"}]}
    check("392a", rows, last=last)
    rows["Episodes"][5]["_flag"] = True  # without last year, child 6 is not known to be UASC
    check("392a", rows)


def test_392b_postcodes_recorded():
    check("392b", {
        "Header": [{"CHILD": str(i)} for i in range(1, 6)],
        "UASC": [{"CHILD": "5", "DUC": "01/01/2030"}],
        "Episodes": [
            placed("1"),
            placed("2", HOME_POST=None, _flag=True),
            placed("3", HOME_POST=None, PL_POST=None, _flag=True),
            placed("4", LS="V4", PL_POST=None),
            placed("5", HOME_POST=None),
            placed("6", PL_POST="ME14 6AB"),  # given, though not found (that is rule 392c)
        ],
    })


def test_392c_postcodes_found():
    check("392c", {"Episodes": [
        placed("1"),
        placed("2", HOME_POST="ME14 6AB", _flag=True),  # sector does not exist
        placed("3", PL_POST="ME14", _flag=True),  # not a full postcode
        placed("4", PL_POST="XX1 1AA", _flag=True),
        placed("5", PL_POST="me141ab"),
        placed("6", PL_POST="BT1 1AA"),  # Northern Ireland
        placed("7", HOME_POST=None, PL_POST=None),
    ]})


def test_392d_same_postcode_only_for_p1():
    check("392d", {"Episodes": [
        placed("1", PL_POST="ME141AB", _flag=True),
        placed("2", PL_POST=HOME, PLACE=None, _flag=True),
        placed("3", PL_POST=HOME, PLACE="P1"),
        placed("4"),
        placed("5", HOME_POST=None, PL_POST=None),
    ]})


def test_398_no_postcodes_for_short_breaks():
    check("398", {"Episodes": [
        placed("1", LS="V3", PL_POST=None, _flag=True),
        placed("2", LS="V4", HOME_POST=None, _flag=True),
        placed("3", LS="V3", HOME_POST=None, PL_POST=None),
        placed("4", LS="C2"),
    ]})


def test_406_no_distance_for_uasc():
    rows = {
        "Header": [{"CHILD": str(i)} for i in range(1, 5)],
        "UASC": [{"CHILD": "1", "DUC": "01/01/2030"}, {"CHILD": "2", "DUC": "01/01/2030"}],
        "Episodes": [placed("1", _flag=True), placed("2", PL_POST=None), placed("3"), placed("4", _flag=True)],
    }
    check("406", rows, last={"Header": [{"CHILD": "4"}], "UASC": [{"CHILD": "4", "DUC": "01/01/2030"}]})
    rows["Episodes"][3]["_flag"] = False
    check("406", rows)


def test_411_location_agrees_with_la():
    # PL_LOCATION and PL_LA are both derived from PL_POST, so they always agree.
    check("411", {"Episodes": [placed("1"), placed("2", PL_POST=LONDON), placed("3", PL_POST=None)]})


def test_420_no_placement_la_for_short_breaks():
    check("420", {"Episodes": [
        placed("1", LS="V3", _flag=True),
        placed("2", LS="V4", PL_POST=LONDON, _flag=True),
        placed("3", LS="V3", PL_POST=None),
        placed("4", LS="V3", PL_POST="ME14 6AB"),  # not found: no placement LA
        placed("5", LS="C2"),
    ]})


def test_454_distance_over_350_miles():
    check("454", {"Episodes": [
        placed("1", PL_POST="KA18 1BX", _flag=True),  # 350.1 miles (full postcodes' grid references)
        placed("2", PL_POST="EH22 4PX"),  # 350.0 miles
        placed("3", PL_POST="ZE1 0AB", _flag=True),
        placed("4", PL_POST=None),
        placed("5"),
    ]})


def test_1015_own_provision_outside_own_la():
    rows = {"Episodes": [
        placed("1", PLACE="K2", PLACE_PROVIDER="PR1", PL_POST=LONDON, _flag=True),
        placed("2", PLACE="R1", PLACE_PROVIDER="PR1", PL_POST="CF10 1AB", _flag=True),
        placed("3", PLACE="K2", PLACE_PROVIDER="PR1"),  # in Kent
        placed("4", PLACE="U4", PLACE_PROVIDER="PR1", PL_POST=LONDON),  # foster carers may live anywhere
        placed("5", PLACE="K2", PLACE_PROVIDER="PR1", PL_POST=LONDON, LS="V3"),
        placed("6", PLACE="K2", PLACE_PROVIDER="PR1", PL_POST=LONDON, LS=None),
        placed("7", PLACE="K2", PLACE_PROVIDER="PR2", PL_POST=LONDON),
        placed("8", PLACE="K2", PLACE_PROVIDER="PR1", PL_POST=None),  # placement LA unknown
        placed("9", PLACE="K3", PLACE_PROVIDER="PR1", PL_POST=LONDON),  # K3 excluded from 2025-26
    ]}
    check("1015", rows)
    rows["Episodes"][8]["_flag"] = True
    check("1015", rows, year=2025)


# --- episode sequence -------------------------------------------------------------------------


def test_383_return_from_temporary_placement():
    def after_temp(child, rne="P", place="U4", post=HOME, flag=False):
        return [ep(child, "01/05/2025", "01/06/2025", "X1", PLACE="U4", PL_POST=HOME),
                ep(child, "01/06/2025", "05/06/2025", "X1", PLACE="T1", PL_POST=LONDON),
                ep(child, "05/06/2025", RNE=rne, PLACE=place, PL_POST=post, _flag=flag)]
    rows = {"Episodes": [
        *after_temp("1"),
        *after_temp("2", rne="T", flag=True),
        *after_temp("3", place="K2", flag=True),
        *after_temp("4", post=KENT, flag=True),  # a different placement postcode (from 2025-26)
        *after_temp("5", post="ME141AB"),
        ep("6", "01/05/2025", "05/05/2025", "X1", PLACE="T1"), ep("6", "05/05/2025", RNE="P", PLACE="U4"),
    ]}
    check("383", rows)
    # Before 2025-26 only the placement type is compared.
    check("383", {"Episodes": [
        ep("4", "01/05/2024", "01/06/2024", "X1", PLACE="U4", PL_POST=HOME),
        ep("4", "01/06/2024", "05/06/2024", "X1", PLACE="T1", PL_POST=LONDON),
        ep("4", "05/06/2024", RNE="P", PLACE="U4", PL_POST=KENT),
        ep("3", "01/05/2024", "01/06/2024", "X1", PLACE="U4", PL_POST=HOME),
        ep("3", "01/06/2024", "05/06/2024", "X1", PLACE="T1", PL_POST=LONDON),
        ep("3", "05/06/2024", RNE="P", PLACE="K2", PL_POST=HOME, _flag=True),
    ]}, year=2025)


def test_431_started_to_be_looked_after_same_day():
    check("431", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E4A"), ep("1", "01/06/2025", RNE="S", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "E4A"), ep("2", "02/06/2025", RNE="S"),
        ep("3", "01/05/2025", "01/07/2025", "E4A"), ep("3", "01/06/2025", RNE="S", _flag=True),
        ep("4", "01/05/2025", RNE="S"),
        ep("5", "01/05/2025", "01/06/2025", "X1"), ep("5", "01/06/2025", RNE="P"),
    ]})


def test_432_new_episode_after_leaving_care_is_s():
    check("432", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E4A"), ep("1", "05/06/2025", RNE="P", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "X1"), ep("2", "01/06/2025", RNE="P"),
        ep("3", "01/05/2025", "01/06/2025", "E4A"), ep("3", "05/06/2025", RNE="S"),
        ep("4", "01/05/2025", "01/06/2025", "E13"), ep("4", "05/06/2025", _flag=True),
        ep("5", "01/05/2025"), ep("5", "05/06/2025", RNE="P"),
        ep("6", "01/05/2025", "01/06/2025", "E44"), ep("6", "05/06/2025", RNE="P"),  # not a REC code
    ]})


def test_433_continuation_starts_when_last_ended():
    check("433", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1"), ep("1", "01/06/2025", RNE="P"),
        ep("2", "01/05/2025", "01/06/2025", "X1"), ep("2", "02/06/2025", RNE="L", _flag=True),
        ep("3", "01/05/2025"), ep("3", "01/06/2025", RNE="T", _flag=True),
        ep("4", "01/05/2025", "01/06/2025", "E4A"), ep("4", "05/06/2025", RNE="S"),
        ep("5", "01/05/2025", RNE="B"),
    ]})


def _change(child, rne, flag=False, **now):
    before = {"LS": "C1", "PLACE": "U4", "PL_POST": HOME, "URN": "SC123456", "PLACE_PROVIDER": "PR1"}
    return [ep(child, "01/05/2025", "01/06/2025", "X1", **before),
            ep(child, "01/06/2025", RNE=rne, _flag=flag, **{**before, **now})]


def test_434_legal_status_change_only():
    check("434", {"Episodes": [
        *_change("1", "L", LS="C2"),
        *_change("2", "L", flag=True),  # legal status unchanged
        *_change("3", "L", flag=True, LS="C2", PLACE="U5"),
        *_change("4", "L", LS="C2", PL_POST="ME141AB"),
        *_change("5", "L", flag=True, LS="C2", URN=None),
        *_change("6", "L", flag=True, LS="C2", PLACE_PROVIDER="PR4"),
        *_change("7", "P", PLACE="U5"),
        ep("8", "01/05/2025", RNE="L"),
    ]})


def test_435_placement_change_only():
    check("435", {"Episodes": [
        *_change("1", "P", PLACE="U5"),
        *_change("2", "T", flag=True, LS="C2", PLACE="U5"),
        *_change("3", "P", flag=True),  # nothing changed
        *_change("4", "T", PL_POST=KENT),
        *_change("5", "P", flag=True, URN=None, LS=None),
        *_change("6", "L", LS="C2"),
    ]})
    # A blank URN on both episodes is still an unchanged placement.
    same_blank = [ep("1", "01/05/2025", "01/06/2025", "X1", LS="C2", PLACE="K2", PL_POST=HOME),
                  ep("1", "01/06/2025", RNE="P", LS="C2", PLACE="K2", PL_POST=HOME, _flag=True)]
    check("435", {"Episodes": same_blank})


def test_436_legal_status_and_placement_change():
    check("436", {"Episodes": [
        *_change("1", "B", LS="C2", PLACE="K2"),
        *_change("2", "U", flag=True, PLACE="K2"),  # legal status unchanged
        *_change("3", "B", flag=True, LS="C2"),  # placement unchanged
        *_change("4", "U", LS="C2", PL_POST=KENT),
        *_change("5", "P", PLACE="K2"),
    ]})


def test_437_no_episodes_after_death_or_18():
    check("437", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E2", _flag=True), ep("1", "05/06/2025", RNE="S"),
        ep("2", "01/05/2025", "01/06/2025", "E15"),
        ep("3", "01/05/2025", "01/06/2025", "E4A"), ep("3", "05/06/2025", RNE="S"),
        ep("4", "05/06/2025", RNE="S"), ep("4", "01/05/2025", "01/06/2025", "E15", _flag=True),
    ]})


def test_501_episode_starts_before_previous_ends():
    check("501", {"Episodes": [
        ep("1", "01/05/2025", "10/06/2025", "X1"), ep("1", "01/06/2025", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "X1"), ep("2", "01/06/2025"),
        ep("3", "01/05/2025"), ep("3", "01/06/2025"),
        ep("4", "01/05/2025", "01/06/2025", "E4A"), ep("4", "05/06/2025"),
    ]})


def test_503d_first_placement_matches_last_years_open_one():
    last = {"Episodes": [
        ep("1", "01/05/2024", PLACE="U4"),
        ep("2", "01/04/2024", "01/05/2024", "X1", PLACE="U4"), ep("2", "01/05/2024", PLACE="K2"),
        ep("3", "01/05/2024", "01/06/2024", "E4A", PLACE="U4"),
        ep("4", "01/05/2024", PLACE="Z1"),
        ep("5", "01/05/2024", PLACE="H5"),
    ]}
    now = {"Episodes": [
        ep("1", "01/05/2024", "01/06/2025", "X1", PLACE="U4"), ep("1", "01/06/2025", PLACE="K2"),
        ep("2", "01/05/2024", PLACE="U4", _flag=True),
        ep("3", "01/05/2025", PLACE="K2"),
        ep("4", "01/05/2024", PLACE="Z12"),
        ep("5", "01/05/2024", PLACE="K3", _flag=True),
        ep("6", "01/05/2025", PLACE="K2"),
    ]}
    check("503D", now, last=last)
    # Without last year's return the rule is not run at all (uses_last_year = required).
    # 2024-25: H5 became K3 (accepted); Z1 was still a code, so Z1 -> Z12 is a change.
    check("503D", {"Episodes": [ep("4", "01/05/2023", PLACE="Z12", _flag=True), ep("5", "01/05/2023", PLACE="K3")]},
          year=2025, last={"Episodes": [ep("4", "01/05/2023", PLACE="Z1"), ep("5", "01/05/2023", PLACE="H5")]})


def test_504_category_of_need_within_period_of_care():
    check("504", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1", CIN="N1"),
        ep("1", "01/06/2025", "01/07/2025", "X1", CIN="N2", _flag=True),
        ep("1", "01/07/2025", CIN="N2", _flag=True),  # still differs from the start of the period
        ep("2", "01/05/2025", "01/06/2025", "X1", CIN="N1"), ep("2", "01/06/2025", CIN="N1"),
        ep("3", "01/05/2025", "01/06/2025", "E4A", CIN="N1"), ep("3", "05/06/2025", RNE="S", CIN="N3"),
        ep("4", "01/05/2025", "01/06/2025", "X1", CIN="N1"), ep("4", "05/06/2025", CIN="N2"),  # not continuous
        ep("5", "01/05/2025", "01/06/2025", "X1", CIN="N1"), ep("5", "01/06/2025", _flag=True),
    ]})
