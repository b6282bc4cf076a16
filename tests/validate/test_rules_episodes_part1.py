from harness import check

# Postcodes in the reference data: ME14 1 (Maidstone, Kent = 886, this LA in the harness), TN1 1
# (Tunbridge Wells, Kent), SW1A 1 (Westminster, 213), CF10 1 (Cardiff), EH1 1 (Edinburgh).
KENT, KENT2, LONDON, WALES, SCOTLAND = "ME14 1AA", "TN1 1AA", "SW1A 1AA", "CF10 1AA", "EH1 1AA"


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


# ---------------------------------------------------------------- dates


def test_147_invalid_end_date():
    check("147", {"Episodes": [
        ep("1", "01/05/2025", "02/06/2025", "E8"),
        ep("2", "01/05/2025"),                          # blank is not invalid
        ep("3", "01/05/2025", "31/06/2025", "E8", _flag=True),
        ep("4", "01/05/2025", "someday", "E8", _flag=True),
    ]})


def test_148_end_date_and_reason_together():
    check("148", {"Episodes": [
        ep("1", "01/05/2025"),
        ep("2", "01/05/2025", "02/06/2025", "E8"),
        ep("3", "01/05/2025", "02/06/2025", _flag=True),
        ep("4", "01/05/2025", None, "E8", _flag=True),
    ]})


def test_353_start_before_october_1991():
    check("353", {"Episodes": [
        ep("1", "13/10/1991", _flag=True),
        ep("2", "14/10/1991"),
        ep("3", "01/05/2025"),
    ]})


def test_354_start_after_collection_year():
    check("354", {"Episodes": [
        ep("1", "31/03/2026"),
        ep("2", "01/04/2026", _flag=True),
        ep("3", "01/05/2025", "02/05/2026", "E8"),       # a late DEC is rule 385's
    ]})
    check("354", {"Episodes": [ep("1", "31/03/2025"), ep("2", "01/04/2025", _flag=True)]}, year=2025)


def test_355_episode_under_a_day():
    check("355", {"Episodes": [
        ep("1", "01/05/2025", "01/05/2025", "E8", _flag=True),
        ep("2", "01/05/2025", "02/05/2025", "E8"),
        ep("3", "01/05/2025"),
    ]})


def test_356_end_before_start():
    check("356", {"Episodes": [
        ep("1", "01/05/2025", "30/04/2025", "E8", _flag=True),
        ep("2", "01/05/2025", "01/05/2025", "E8"),
        ep("3", "01/05/2025"),
    ]})


# ---------------------------------------------------------------- placement location


def test_164_distance_needs_both_postcodes_unless_uasc_or_short_break():
    check("164", {
        "Episodes": [
            ep("1", "01/05/2025", HOME_POST=KENT, PL_POST=LONDON),
            ep("2", "01/05/2025", HOME_POST=KENT, PL_POST=KENT),               # 0.0 miles is valid
            ep("3", "01/05/2025", HOME_POST=KENT, _flag=True),                 # no placement postcode
            ep("4", "01/05/2025", HOME_POST="ZZ99 9ZZ", PL_POST=KENT, _flag=True),  # home not found
            ep("5", "01/05/2025", PL_POST=KENT),                               # UASC this year
            ep("6", "01/05/2025", PL_POST=KENT),                               # UASC last year
            ep("7", "01/05/2025", LS="V3"),                                    # short breaks exempt
            ep("8", "01/05/2025", LS="V4"),
            ep("9", "01/05/2025", LS="C2", _flag=True),
        ],
        "UASC": [{"CHILD": "5", "DOB": "01/01/2010", "DUC": "01/01/2028"}],
    }, last={"UASC": [{"CHILD": "6", "DOB": "01/01/2008", "DUC": "01/01/2026"}]})


def _authority_rows():
    return {"Episodes": [
        ep("1", "01/05/2025", PL_POST=KENT),
        ep("2", "01/05/2025", PL_POST=WALES),
        ep("3", "01/05/2025", _flag=True),
        ep("4", "01/05/2025", PL_POST="XX1 1XX", _flag=True),
        ep("5", "01/05/2025", LS="V3"),
        ep("6", "01/05/2025", LS="V4", PL_POST="nonsense"),
        ep("7", "01/05/2025", LS="C2", _flag=True),
    ]}


def test_169_placement_authority_from_postcode():
    check("169", _authority_rows())


def test_179_placement_location_from_postcode():
    check("179", _authority_rows())


def test_214_no_location_for_short_breaks():
    check("214", {"Episodes": [
        ep("1", "01/05/2025", LS="V3", PL_POST=KENT, _flag=True),
        ep("2", "01/05/2025", LS="V4", URN="SC123456", _flag=True),
        ep("3", "01/05/2025", LS="V3"),
        ep("4", "01/05/2025", LS="C2", PL_POST=KENT, URN="SC123456"),
    ]})


# ---------------------------------------------------------------- placement provider


def test_178_provider_code_valid_and_only_where_needed():
    check("178", {"Episodes": [
        ep("1", "01/05/2025", PLACE="U4", PLACE_PROVIDER="PR1"),
        ep("2", "01/05/2025", PLACE="U4", PLACE_PROVIDER="PR9", _flag=True),
        ep("3", "01/05/2025", PLACE="U4"),                                   # blank is not invalid
        ep("4", "01/05/2025", PLACE="T1", PLACE_PROVIDER="PR1", _flag=True),
        ep("5", "01/05/2025", PLACE="Z12", PLACE_PROVIDER="PR4", _flag=True),
        ep("6", "01/05/2025", PLACE="T4", PLACE_PROVIDER="PR4"),             # T4 not listed for 2025-26
        ep("7", "01/05/2025", PLACE="T2"),
    ]})
    check("178", {"Episodes": [
        ep("1", "01/05/2024", PLACE="T4", PLACE_PROVIDER="PR4", _flag=True),
        ep("2", "01/05/2024", PLACE="Z1", PLACE_PROVIDER="PR4", _flag=True),
        ep("3", "01/05/2024", PLACE="K3", PLACE_PROVIDER="PR4"),
    ]}, year=2025)


def test_213_no_provider_for_temporary_or_other_placements():
    check("213", {"Episodes": [
        ep("1", "01/05/2025", PLACE="T0", PLACE_PROVIDER="PR1", _flag=True),
        ep("2", "01/05/2025", PLACE="T4", PLACE_PROVIDER="PR1", _flag=True),
        ep("3", "01/05/2025", PLACE="Z14", PLACE_PROVIDER="PR1", _flag=True),
        ep("4", "01/05/2025", PLACE="T3"),
        ep("5", "01/05/2025", PLACE="U1", PLACE_PROVIDER="PR1"),
    ]})
    check("213", {"Episodes": [
        ep("1", "01/05/2024", PLACE="T3", PLACE_PROVIDER="PR1", _flag=True),
        ep("2", "01/05/2024", PLACE="Z1", PLACE_PROVIDER="PR1"),
    ]}, year=2025)


# ---------------------------------------------------------------- Ofsted URN


def test_218_urn_required():
    check("218", {"Episodes": [
        ep("1", "01/05/2025", PLACE="K2", PL_POST=KENT, _flag=True),
        ep("2", "01/05/2025", PLACE="K2", PL_POST=KENT, URN="SC123456"),
        ep("3", "01/05/2025", PLACE="K3", PL_POST=LONDON, URN="XXXXXXX"),
        ep("4", "01/05/2025", PLACE="K2", PL_POST=WALES),                     # outside England
        ep("5", "01/05/2025", PLACE="K2", PL_POST=SCOTLAND),
        ep("6", "01/05/2025", PLACE="K2", _flag=True),                        # LA unknown: not exempt
        ep("7", "01/05/2025", PLACE="P1", PL_POST=KENT),
        ep("8", "01/05/2025", PLACE="Z13", PL_POST=KENT),
        ep("9", "01/05/2025", PLACE="T4", PL_POST=KENT),
        ep("10", "01/03/2015", "31/03/2015", "E8", PLACE="K2", PL_POST=KENT),  # ended by 31 March 2015
        ep("11", "01/03/2015", "01/04/2015", "E8", PLACE="K2", PL_POST=KENT, _flag=True),
        ep("12", "01/05/2025", PLACE="U4", PL_POST=KENT, _flag=True),
    ]})
    check("218", {"Episodes": [
        ep("1", "01/05/2024", PLACE="K3", PL_POST=KENT, _flag=True),
        ep("2", "01/05/2024", PLACE="Z1", PL_POST=KENT),
    ]}, year=2025)
    check("218", {"Episodes": [
        ep("1", "01/05/2023", PLACE="H5", PL_POST=KENT),                      # H5 exempt until 2024-25
        ep("2", "01/05/2023", PLACE="P2", PL_POST=KENT),
        ep("3", "01/05/2023", PLACE="K2", PL_POST=KENT, _flag=True),
    ]}, year=2024)


def test_222_no_urn_for_placement_type():
    check("222", {"Episodes": [
        ep("1", "01/05/2025", PLACE="P1", URN="SC123456", _flag=True),
        ep("2", "01/05/2025", PLACE="Z11", URN="SC123456", _flag=True),
        ep("3", "01/05/2025", PLACE="T2", URN="XXXXXXX"),
        ep("4", "01/05/2025", PLACE="K2", URN="SC123456"),
        ep("5", "01/05/2025", PLACE="R1"),
    ]})
    check("222", {"Episodes": [
        ep("1", "01/05/2023", PLACE="H5", URN="SC123456", _flag=True),
        ep("2", "01/05/2023", PLACE="P2", URN="SC123456", _flag=True),
    ]}, year=2023)
    check("222", {"Episodes": [
        ep("1", "01/05/2023", PLACE="H5", URN="SC123456"),                    # H5 needs a URN from 2023-24
        ep("2", "01/05/2023", PLACE="P2", URN="SC123456", _flag=True),
        ep("3", "01/05/2023", PLACE="Z1", URN="SC123456", _flag=True),
    ]}, year=2024)
    check("222", {"Episodes": [
        ep("1", "01/05/2024", PLACE="P2", URN="SC123456"),
        ep("2", "01/05/2024", PLACE="Z1", URN="SC123456", _flag=True),
        ep("3", "01/05/2024", PLACE="Z11", URN="SC123456"),                   # not a code yet (rule 146)
    ]}, year=2025)


def test_230_h5_needs_urn_from_28_october_2023():
    check("230", {"Episodes": [
        ep("1", "01/05/2023", PLACE="H5", PL_POST=KENT, _flag=True),
        ep("2", "01/05/2023", "28/10/2023", "E8", PLACE="H5", PL_POST=KENT),
        ep("3", "01/05/2023", "29/10/2023", "E8", PLACE="H5", PL_POST=KENT, _flag=True),
        ep("4", "01/05/2023", PLACE="H5", PL_POST=KENT, URN="XXXXXXX", _flag=True),
        ep("5", "01/05/2023", PLACE="H5", PL_POST=KENT, URN="2600001"),
        ep("6", "01/05/2023", PLACE="H5", PL_POST=WALES),
        ep("7", "01/05/2023", PLACE="K2", PL_POST=KENT),
    ]}, year=2024)


def test_242_placeholder_urn_only_for_adoption_and_fostering():
    check("242", {"Episodes": [
        ep("1", "01/05/2025", PLACE="A5", URN="XXXXXXX"),
        ep("2", "01/05/2025", PLACE="U6", URN="XXXXXXX"),
        ep("3", "01/05/2025", PLACE="K2", URN="XXXXXXX", _flag=True),
        ep("4", "01/05/2025", URN="XXXXXXX", _flag=True),
        ep("5", "01/05/2025", PLACE="K2", URN="SC123456"),
    ]})


def test_243_no_urn_outside_england():
    check("243", {"Episodes": [
        ep("1", "01/05/2025", PL_POST=WALES, URN="SC123456", _flag=True),
        ep("2", "01/05/2025", PL_POST=SCOTLAND, URN="XXXXXXX", _flag=True),
        ep("3", "01/05/2025", PL_POST=WALES),
        ep("4", "01/05/2025", PL_POST=KENT, URN="SC123456"),
        ep("5", "01/05/2025", URN="SC123456"),                                # authority unknown
    ]})


# ---------------------------------------------------------------- placement and legal status codes


def test_217_adoption_with_foster_carers_rne():
    check("217", {"Episodes": [
        ep("1", "01/05/2025", PLACE="A3", RNE="P", _flag=True),
        ep("2", "01/05/2025", PLACE="A5", RNE="B", _flag=True),
        ep("3", "01/05/2025", PLACE="A5", _flag=True),
        ep("4", "01/05/2025", PLACE="A3", RNE="T"),
        ep("5", "01/05/2025", PLACE="A5", RNE="U"),
        ep("6", "01/05/2025", PLACE="A3", RNE="S"),
        ep("7", "01/05/2025", PLACE="A4", RNE="P"),
        ep("8", "31/03/2015", PLACE="A3", RNE="P"),                           # before April 2015
        ep("9", "01/04/2015", PLACE="A3", RNE="P", _flag=True),
    ]})


def test_217t_p2_after_28_october_2023():
    check("217t", {"Episodes": [
        ep("1", "01/05/2023", PLACE="P2", _flag=True),
        ep("2", "01/05/2023", "28/10/2023", "E8", PLACE="P2"),
        ep("3", "01/05/2023", "29/10/2023", "E8", PLACE="P2", _flag=True),
        ep("4", "01/05/2023", PLACE="P1"),
    ]}, year=2024)


def test_233_no_reason_for_change_on_open_episode():
    check("233", {"Episodes": [
        ep("1", "01/05/2025", REASON_PLACE_CHANGE="CARPL", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "X1", REASON_PLACE_CHANGE="CARPL"),
        ep("3", "01/05/2025"),
    ]})


def test_378_placed_with_parents_under_s20():
    check("378", {"Episodes": [
        ep("1", "01/05/2025", PLACE="P1", LS="V2", _flag=True),
        ep("2", "01/05/2025", PLACE="P1", LS="C2"),
        ep("3", "01/05/2025", PLACE="U1", LS="V2"),
    ]})


def test_380_temporary_placement_starts_with_change_of_carer():
    check("380", {"Episodes": [
        ep("1", "01/05/2025", PLACE="T1", RNE="P"),
        ep("2", "01/05/2025", PLACE="T4", RNE="B"),
        ep("3", "01/05/2025", PLACE="T0", RNE="S", _flag=True),
        ep("4", "01/05/2025", PLACE="T3", RNE="L", _flag=True),
        ep("5", "01/05/2025", PLACE="T2", _flag=True),
        ep("6", "01/05/2025", PLACE="U1", RNE="S"),
    ]})


def test_381_temporary_placement_cannot_end_care():
    check("381", {"Episodes": [
        ep("1", "01/05/2025", "05/05/2025", "X1", PLACE="T1"),
        ep("2", "01/05/2025", "05/05/2025", "E4A", PLACE="T2", _flag=True),
        ep("3", "01/05/2025", PLACE="T3"),
        ep("4", "01/05/2025", "05/05/2025", "E4A", PLACE="U1"),
    ]})


def test_382_no_temporary_placement_in_respite():
    check("382", {"Episodes": [
        ep("1", "01/05/2025", LS="V3", PLACE="T0", _flag=True),
        ep("2", "01/05/2025", LS="V4", PLACE="T4", _flag=True),
        ep("3", "01/05/2025", LS="V3", PLACE="U1"),
        ep("4", "01/05/2025", LS="C2", PLACE="T1"),
    ]})


def test_365_individual_short_break_at_most_17_days():
    check("365", {"Episodes": [
        ep("1", "01/05/2025", "18/05/2025", "E8", LS="V3"),                   # 17 days
        ep("2", "01/05/2025", "19/05/2025", "E8", LS="V3", _flag=True),
        ep("3", "01/05/2025", "19/05/2025", "E8", LS="V4"),
        ep("4", "20/03/2026", LS="V3"),                                       # open, 11 days to 31 March
        ep("5", "01/03/2026", LS="V3", _flag=True),                           # open, 30 days to 31 March
    ]})


def test_366_short_break_starts_with_s():
    check("366", {"Episodes": [
        ep("1", "01/05/2025", LS="V3", RNE="S"),
        ep("2", "01/05/2025", LS="V3", RNE="P", _flag=True),
        ep("3", "01/05/2025", LS="V3", _flag=True),
        ep("4", "01/05/2025", LS="V4", RNE="P"),
    ]})


# ---------------------------------------------------------------- sequences


def test_142_earlier_episodes_must_be_closed():
    check("142", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1"), ep("1", "01/06/2025"),     # fine
        ep("2", "01/05/2025", _flag=True), ep("2", "01/06/2025"),             # open, then another
        ep("3", "01/05/2025", "01/06/2025", _flag=True), ep("3", "01/06/2025", "05/06/2025", "E8"),
        ep("4", "01/05/2025", None, "X1", _flag=True), ep("4", "01/06/2025"),
        ep("5", "01/05/2025"),                                                 # only episode, open
        ep("6", "01/06/2025"), ep("6", "01/05/2025", "01/06/2025", "X1"),     # file order differs
        ep("7", "01/05/2025", "01/05/2025", "X1"), ep("7", "01/05/2025"),     # same-day start
    ]})


def test_357_first_episode_starts_with_s():
    check("357", {"Episodes": [
        ep("1", "01/05/2025", RNE="P", _flag=True),
        ep("2", "01/05/2025", RNE="S"),
        ep("3", "01/04/2025", "01/06/2025", "X1", RNE="S"), ep("3", "01/06/2025", RNE="P"),
        ep("4", "31/03/2025", "01/06/2025", "X1", RNE="P"), ep("4", "01/06/2025", RNE="L"),  # began before
        ep("5", "01/04/2025", _flag=True),
        ep("6", "01/07/2025", RNE="S"), ep("6", "01/05/2025", "01/07/2025", "X1", RNE="B", _flag=True),
    ]})


def test_199_episode_after_adoption():
    check("199", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E11"),                           # the adoption itself
        ep("2", "01/05/2025", "01/06/2025", "E12"), ep("2", "01/09/2025", RNE="S", _flag=True),
        ep("3", "01/05/2025", "01/06/2025", "E4A"), ep("3", "01/09/2025", RNE="S"),
        ep("4", "01/05/2025", RNE="S", _flag=True),                           # adopted last year
        ep("5", "01/05/2025", RNE="S"),
        ep("6", "01/05/2025", "01/06/2025", "E11"), ep("6", "01/09/2025", "01/10/2025", "E12", _flag=True),
    ]}, last={"Episodes": [
        ep("4", "01/05/2024", "01/06/2024", "E11"),
        ep("5", "01/05/2024", "01/06/2024", "E4A"),
    ]})
    # without last year's return the rule still runs on this year's episodes
    check("199", {"Episodes": [ep("1", "01/05/2025", "01/06/2025", "E11"), ep("1", "01/07/2025", _flag=True)]})


def test_199_duplicate_adoption_episode_on_the_same_day():
    check("199", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "E11"), ep("1", "01/05/2025", "01/06/2025", "E11", _flag=True),
        ep("2", "01/05/2025", "01/06/2025", "E12"), ep("2", "01/05/2025", "01/07/2025", "E11", _flag=True),
        ep("3", "01/05/2025", "01/06/2025", "E11"), ep("3", "01/05/2025", "01/06/2025", "E4A"),  # not adopted twice
        ep("4", "01/05/2025", "01/06/2025", "E11", _flag=True),  # the same adoption as last year's, again
    ]}, last={"Episodes": [ep("4", "01/05/2025", "01/06/2025", "E11")]})


def test_225_reason_for_placement_change_needed():
    check("225", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1", PLACE="U1", _flag=True), ep("1", "01/06/2025", RNE="P", PLACE="U4"),
        ep("2", "01/05/2025", "01/06/2025", "X1", PLACE="U1", REASON_PLACE_CHANGE="CARPL"),
        ep("2", "01/06/2025", RNE="P", PLACE="U4"),
        ep("3", "01/05/2025", "01/06/2025", "X1", PLACE="U1"), ep("3", "01/06/2025", RNE="L", PLACE="U1"),
        ep("4", "01/05/2025", "01/06/2025", "X1", PLACE="U1"), ep("4", "01/06/2025", RNE="P", PLACE="T3"),
        ep("5", "01/05/2025", "01/06/2025", "X1", PLACE="T3"), ep("5", "01/06/2025", RNE="P", PLACE="U1"),
        ep("6", "01/05/2025", "01/06/2025", "E4A", PLACE="U1"), ep("6", "01/09/2025", RNE="S", PLACE="U1"),
        ep("7", "01/05/2025", "01/06/2025", "X1", PLACE="K2", _flag=True), ep("7", "01/06/2025", RNE="U", PLACE="K2"),
    ]})


def test_226_no_reason_for_change_around_temporary_placement():
    check("226", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1", PLACE="U1"), ep("1", "01/06/2025", RNE="P", PLACE="T3"),
        ep("2", "01/05/2025", "01/06/2025", "X1", PLACE="U1", REASON_PLACE_CHANGE="CARPL"),
        ep("2", "01/06/2025", RNE="P", PLACE="T3", _flag=True),
        ep("3", "01/05/2025", "01/06/2025", "X1", PLACE="T1", REASON_PLACE_CHANGE="CARPL", _flag=True),
        ep("3", "01/06/2025", RNE="P", PLACE="U1"),
        ep("4", "01/05/2025", "01/06/2025", "X1", PLACE="U1", REASON_PLACE_CHANGE="CARPL"),
        ep("4", "01/06/2025", RNE="P", PLACE="U4"),
    ]})


def test_336_foster_placement_before_adoption_with_foster_carers():
    check("336", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1", PLACE="U4"), ep("1", "01/06/2025", RNE="T", PLACE="A3"),
        ep("2", "01/05/2025", "01/06/2025", "X1", PLACE="K2"), ep("2", "01/06/2025", RNE="T", PLACE="A5", _flag=True),
        ep("3", "01/05/2025", "01/06/2025", "X1", PLACE="T1"), ep("3", "01/06/2025", RNE="T", PLACE="A3", _flag=True),
        ep("4", "01/05/2025", "01/06/2025", "X1", PLACE="K2"), ep("4", "01/06/2025", RNE="P", PLACE="A4"),
        ep("5", "01/05/2025", PLACE="A3"),                                    # first episode in the return
        ep("6", "01/05/2025", "01/06/2025", "X1", PLACE="A5"), ep("6", "01/06/2025", RNE="L", PLACE="A3"),
        ep("7", "01/05/2025", "01/06/2025", "X1"), ep("7", "01/06/2025", RNE="P", PLACE="A5", _flag=True),
    ]})


def test_361_police_protection_72_hours():
    check("361", {"Episodes": [
        ep("1", "01/05/2025", "04/05/2025", "E4A", LS="L1"),                  # 3 days
        ep("2", "01/05/2025", "05/05/2025", "E4A", LS="L1", _flag=True),
        ep("3", "01/05/2025", "03/05/2025", "X1", LS="L1", _flag=True),       # 2 + 2 days back to back
        ep("3", "03/05/2025", "05/05/2025", "E4A", LS="L1", _flag=True),
        ep("4", "01/05/2025", "03/05/2025", "X1", LS="L1"),                   # L1 then C1: L1 is 2 days
        ep("4", "03/05/2025", "20/05/2025", "E4A", LS="C1"),
        ep("5", "01/05/2025", "03/05/2025", "E4A", LS="L1"),                  # two separate spells
        ep("5", "10/05/2025", "12/05/2025", "E4A", LS="L1"),
        ep("6", "29/03/2026", LS="L1"),                                        # open, 2 days to 31 March
        ep("7", "20/03/2026", LS="L1", _flag=True),
        ep("8", "01/05/2025", "20/05/2025", "E4A", LS="L2"),
    ]})


def test_362_emergency_protection_order_21_days():
    check("362", {"Episodes": [
        ep("1", "01/05/2025", "22/05/2025", "E4A", LS="L2"),
        ep("2", "01/05/2025", "23/05/2025", "E4A", LS="L2", _flag=True),
        ep("3", "01/05/2025", "15/05/2025", "X1", LS="L2", _flag=True),
        ep("3", "15/05/2025", "30/05/2025", "X1", LS="L2", _flag=True),
        ep("3", "30/05/2025", LS="C2"),
        ep("4", "01/05/2025", "30/05/2025", "E4A", LS="L1"),
    ]})


def test_363_child_assessment_order_7_days():
    check("363", {"Episodes": [
        ep("1", "01/05/2025", "08/05/2025", "E4A", LS="L3"),
        ep("2", "01/05/2025", "09/05/2025", "E4A", LS="L3", _flag=True),
        ep("3", "01/05/2025", "05/05/2025", "X1", LS="L3", _flag=True),
        ep("3", "05/05/2025", "10/05/2025", "E4A", LS="L3", _flag=True),
        ep("4", "01/05/2025", "05/05/2025", "E4A", LS="L3"),
        ep("4", "06/05/2025", "10/05/2025", "E4A", LS="L3"),                  # a day apart: separate
    ]})


def test_364_pace_21_days():
    check("364", {"Episodes": [
        ep("1", "01/05/2025", "22/05/2025", "E14", LS="J2"),
        ep("2", "01/05/2025", "23/05/2025", "E14", LS="J2", _flag=True),
        ep("3", "01/03/2026", LS="J2", _flag=True),
        ep("4", "01/05/2025", "30/05/2025", "E14", LS="J1"),
    ]})


def test_367_respite_at_most_75_days_a_year():
    check("367", {"Episodes": [
        # 40 + 40 days of V3 in the year
        ep("1", "01/05/2025", "10/06/2025", "E8", LS="V3", _flag=True),
        ep("1", "01/08/2025", "10/09/2025", "E8", LS="V3", _flag=True),
        # 40 + 35 = 75 days
        ep("2", "01/05/2025", "10/06/2025", "E8", LS="V3"),
        ep("2", "01/08/2025", "05/09/2025", "E8", LS="V3"),
        # counted from 1 April: 20 days in the year, + 55
        ep("3", "01/01/2025", "21/04/2025", "E8", LS="V3"),
        ep("3", "01/08/2025", "25/09/2025", "E8", LS="V3"),
        # open to 31 March: 30 days, + 50
        ep("4", "01/03/2026", LS="V3", _flag=True),
        ep("4", "01/05/2025", "20/06/2025", "E8", LS="V3", _flag=True),
        ep("4", "01/07/2025", "01/09/2025", "E8", LS="C2"),                   # not respite
    ]})


def test_377_three_holiday_placements_in_a_year():
    check("377", {"Episodes": [
        ep("1", "01/05/2025", PLACE="T3", _flag=True),
        ep("1", "01/08/2025", PLACE="U1"),
        ep("1", "01/09/2025", PLACE="T3", _flag=True),
        ep("1", "01/12/2025", PLACE="T3", _flag=True),
        ep("2", "01/05/2025", PLACE="T3"), ep("2", "01/09/2025", PLACE="T3"),
        ep("3", "01/05/2025", PLACE="T1"), ep("3", "01/06/2025", PLACE="T1"), ep("3", "01/07/2025", PLACE="T1"),
        # more than 12 months between the first and third
        ep("4", "01/03/2025", PLACE="T3"), ep("4", "01/08/2025", PLACE="T3"), ep("4", "01/03/2026", PLACE="T3"),
    ]})
