from harness import check


def hd(child, dob="01/01/2010", **kw):
    return {"CHILD": child, "SEX": "F", "DOB": dob, "ETHNIC": "WBRI", "UPN": "UN2", "MOTHER": "0", **kw}


def ep(child, decom, dec=None, rec=None, **kw):
    row = {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, "RNE": "S", "LS": "C2", "CIN": "N1",
           "PLACE": "U1"}
    row.update(kw)
    return row


def test_234_custody_move_under_10():
    check("234", {
        "Header": [hd("1", "01/06/2016", _flag=True), hd("2", "01/09/2015"), hd("3", "01/06/2016"),
                   hd("4", "01/01/2016", _flag=True)],
        "Episodes": [
            ep("1", "01/05/2025", "01/09/2025", "X1", REASON_PLACE_CHANGE="CUSTOD", _flag=True),
            ep("1", "01/09/2025", RNE="P", PLACE="R5"),  # aged 9 on the day of the move
            ep("2", "01/05/2025", "01/09/2025", "X1", REASON_PLACE_CHANGE="CUSTOD"),
            ep("2", "01/09/2025", RNE="P", PLACE="R5"),  # 10th birthday on the day of the move
            ep("3", "01/05/2025", "01/09/2025", "X1", REASON_PLACE_CHANGE="CHILD"),
            ep("3", "01/09/2025", RNE="P"),
            ep("4", "01/05/2025", "01/10/2025", "E9", REASON_PLACE_CHANGE="CUSTOD", _flag=True),
        ],
    })


def test_302_first_episode_before_birth():
    check("302", {
        "Header": [hd("1", "01/06/2015", _flag=True), hd("2", "01/05/2015")],
        "Episodes": [
            ep("1", "01/07/2015", RNE="P"),
            ep("1", "01/05/2015", "01/07/2015", "X1", _flag=True),
            ep("2", "01/05/2015"),  # born that day
        ],
    })


def test_352_started_care_at_18():
    check("352", {
        "Header": [hd("1", "01/05/2007"), hd("2", "02/05/2007"), hd("3", "01/05/2006")],
        "Episodes": [
            ep("1", "01/05/2025", _flag=True),  # 18th birthday
            ep("2", "01/05/2025"),
            ep("3", "01/05/2025", RNE="P"),  # not a start of care
        ],
    })


def test_358_youth_justice_status_under_10():
    check("358", {
        "Header": [hd("1", "01/05/2015"), hd("2", "01/05/2015", _flag=True), hd("3", "01/05/2020")],
        "Episodes": [
            ep("1", "01/05/2025", LS="J1"),  # 10th birthday
            ep("2", "30/04/2025", LS="J3", _flag=True),
            ep("3", "30/04/2025", LS="C2"),
        ],
    })


def test_359_over_18_must_be_v2_in_k2():
    check("359", {
        "Header": [hd("1", "01/01/2008"), hd("2", "01/01/2008"), hd("3", "01/01/2008"), hd("4", "31/03/2008"),
                   hd("5", "01/01/2008")],
        "Episodes": [
            ep("1", "01/05/2025", PLACE="K2", _flag=True),  # C2
            ep("2", "01/05/2025", LS="V2", PLACE="K2"),
            ep("3", "01/05/2025", "01/02/2026", "E8", PLACE="K2"),  # closed
            ep("4", "01/05/2025", PLACE="U4"),  # 18 on the last day of the year
            ep("5", "01/05/2025", LS="V2", PLACE=None, _flag=True),
        ],
    })


def test_370_independent_living_age_by_year():
    rows = {
        "Header": [hd("1", "01/05/2007", SEX="2"), hd("2", "01/05/2007", SEX="2"), hd("3", "01/05/2007", SEX="2")],
        "Episodes": [ep("1", "30/04/2023", PLACE="P2"), ep("2", "01/05/2023", PLACE="P2"),
                     ep("3", "30/04/2023", PLACE="U1")],
    }
    rows["Episodes"][0]["_flag"] = True  # a day short of 16 in 2023-24
    check("370", rows, year=2024)
    check("370", {
        "Header": [hd("1", "01/05/2007", SEX="2"), hd("2", "01/05/2007", SEX="2")],
        "Episodes": [ep("1", "30/04/2022", PLACE="P2", _flag=True),  # a day short of 15
                     ep("2", "01/06/2022", PLACE="P2")],  # 15: enough in 2022-23
    }, year=2023)


def test_371_supported_accommodation_age_by_year():
    check("371", {
        "Header": [hd("1", "01/05/2009"), hd("2", "01/05/2009"), hd("3", "01/05/2010"), hd("4", "01/05/2010")],
        "Episodes": [ep("1", "30/04/2025", PLACE="K3", _flag=True), ep("2", "01/05/2025", PLACE="K3"),
                     ep("3", "01/05/2025", PLACE="H5"),  # H5 is not this rule's code from 2024-25
                     ep("4", "01/05/2025", "01/07/2025", "E8", PLACE="K3", _flag=True)],
    })
    check("371", {
        "Header": [hd("1", "01/05/2007", SEX="2"), hd("2", "01/05/2007", SEX="2")],
        "Episodes": [ep("1", "30/04/2023", PLACE="H5", _flag=True), ep("2", "30/04/2023", PLACE="K3")],
    }, year=2024)
    check("371", {
        "Header": [hd("1", "01/05/2008", SEX="2"), hd("2", "01/05/2008", SEX="2")],
        "Episodes": [ep("1", "30/04/2022", PLACE="H5", _flag=True), ep("2", "01/05/2022", PLACE="H5")],
    }, year=2023)


def min_age_rows(place, dob):
    return {
        "Header": [hd("1", dob), hd("2", dob), hd("3", dob)],
        "Episodes": [ep("1", "30/04/2025", PLACE=place, _flag=True),  # the day before the birthday
                     ep("2", "01/05/2025", PLACE=place),
                     ep("3", "30/04/2025", PLACE="U4")],
    }


def test_372_373_374_minimum_ages_for_placements():
    check("372", min_age_rows("R5", "01/05/2015"))  # 10
    check("373", min_age_rows("S1", "01/05/2021"))  # 4
    check("374", min_age_rows("P3", "01/05/2011"))  # 14


def temporary_rows(place, last_ok, first_bad):
    return {
        "Header": [hd(c) for c in "12345"],
        "Episodes": [
            ep("1", "01/05/2025", last_ok, "X1", PLACE=place),
            ep("2", "01/05/2025", first_bad, "X1", PLACE=place, _flag=True),
            ep("3", "01/01/2026", PLACE=place, _flag=True),  # open at the year end, long past the limit
            ep("4", "29/03/2026", PLACE=place),  # open, only two days in
            ep("5", "01/05/2025", first_bad, "X1", PLACE="T2"),
        ],
    }


def test_375_376_379_temporary_placements_too_long():
    check("375", temporary_rows("T1", "12/06/2025", "13/06/2025"))  # 42 days
    check("376", temporary_rows("T3", "22/05/2025", "23/05/2025"))  # 21 days
    check("379", temporary_rows("T4", "08/05/2025", "09/05/2025"))  # 7 days


def test_386_387_389_460_407_age_at_ceasing():
    check("386", {
        "Header": [hd("1", "01/06/2007"), hd("2", "01/06/2007"), hd("3", "01/06/2007")],
        "Episodes": [ep("1", "01/04/2025", "01/06/2025", "E11", _flag=True),
                     ep("2", "01/04/2025", "31/05/2025", "E12"),
                     ep("3", "01/04/2025", "01/06/2025", "E4A")],
    })
    check("387", {
        "Header": [hd("1", "01/06/2011"), hd("2", "01/06/2011"), hd("3", "01/06/2011")],
        "Episodes": [ep("1", "01/04/2025", "31/05/2025", "E5", _flag=True),
                     ep("2", "01/04/2025", "01/06/2025", "E6"),
                     ep("3", "01/04/2025", "31/05/2025", "E4A")],
    })
    check("389", {
        "Header": [hd("1", "01/06/2009"), hd("2", "01/06/2009"), hd("3", "01/06/2009")],
        "Episodes": [ep("1", "01/04/2025", "31/05/2025", "E7", _flag=True),
                     ep("2", "01/04/2025", "01/06/2025", "E7"),
                     ep("3", "01/04/2025", rec="E7")],  # no end date: nothing to compare
    })
    check("460", {
        "Header": [hd("1", "01/06/2007"), hd("2", "01/06/2007"), hd("3", "01/06/2007")],
        "Episodes": [ep("1", "01/04/2025", "31/05/2025", "E17", _flag=True),
                     ep("2", "01/04/2025", "01/06/2025", "E17"),
                     ep("3", "01/04/2025", "31/05/2025", "E4A")],
    })
    check("407", {
        "Header": [hd("1", "01/06/2007", _flag=True), hd("2", "01/06/2007"), hd("3", "01/06/2007")],
        "Episodes": [ep("1", "01/04/2025", "01/06/2025", "E45", _flag=True),  # the 18th birthday
                     ep("2", "01/04/2025", "31/05/2025", "E48"),
                     ep("3", "01/04/2025", "01/06/2025", "E4A")],
    })


def test_393_mother_field_for_girls_looked_after():
    check("393", {
        "Header": [hd("1", "01/01/2008", MOTHER=None, _flag=True), hd("2", "01/01/2008", MOTHER=None),
                   hd("3", "01/01/2008"), hd("4", "01/01/2008", SEX="M", MOTHER=None),
                   hd("5", "01/01/2008", MOTHER=None)],
        "Episodes": [ep("1", "01/05/2025"), ep("2", "01/05/2025", LS="V3"), ep("3", "01/05/2025"),
                     ep("4", "01/05/2025")],  # 5 has no episode
    })
    check("393", {
        "Header": [hd("1", "01/01/2006", SEX="2", MOTHER=None, _flag=True), hd("2", "01/01/2006", SEX="1",
                                                                              MOTHER=None)],
        "Episodes": [ep("1", "01/05/2023"), ep("2", "01/05/2023")],
    }, year=2024)


def test_442_upn_missing_for_child_looked_after():
    check("442", {
        "Header": [hd("1", UPN=None, _flag=True), hd("2", UPN=None), hd("3", UPN=None), hd("4")],
        "Episodes": [ep("1", "01/05/2025", LS="V4"), ep("1", "01/06/2025", LS="C2"),
                     ep("2", "01/05/2025", LS="V4"), ep("4", "01/05/2025")],  # 3 has no episode
    })


def test_542_conviction_under_10():
    def oc2(child, dob, convicted, **kw):
        return {"CHILD": child, "DOB": dob, "CONVICTED": convicted, "HEALTH_CHECK": "1", "IMMUNISATIONS": "1",
                "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0", **kw}

    check("542", {"OC2": [oc2("1", "01/04/2016", "0", _flag=True), oc2("2", "31/03/2016", "0"),
                          oc2("3", "01/04/2016", None)]})


def test_607_mother_field_when_girl_leaves_care():
    check("607", {
        "Header": [hd("1", "01/01/2008", MOTHER=None, _flag=True), hd("2", "01/01/2008", MOTHER=None),
                   hd("3", "01/01/2008", MOTHER=None), hd("4", "01/01/2008", MOTHER=None),
                   hd("5", "01/01/2008"), hd("6", "01/01/2008", SEX="M", MOTHER=None)],
        "Episodes": [
            ep("1", "01/05/2025", "01/06/2025", "E4A", _flag=True),
            ep("2", "01/05/2025", "01/06/2025", "X1"), ep("2", "01/06/2025", RNE="P"),
            ep("3", "01/05/2025", "01/06/2025", "E4A", LS="V3"),
            ep("4", "01/05/2024", "31/03/2025", "E4A"),  # ended last year
            ep("5", "01/05/2025", "01/06/2025", "E4A"),
            ep("6", "01/05/2025", "01/06/2025", "E4A"),
        ],
    })


def test_625_mother_child_born_after_care_or_year_ended():
    check("625", {
        "Header": [hd("1", "01/01/2008", MOTHER="1", MC_DOB="02/07/2025", _flag=True),
                   hd("2", "01/01/2008", MOTHER="1", MC_DOB="01/08/2025"),
                   hd("3", "01/01/2008", MOTHER="1", MC_DOB="01/04/2026", _flag=True),
                   hd("4", "01/01/2008", MOTHER="1", MC_DOB="01/07/2025")],
        "Episodes": [
            ep("1", "01/05/2025", "01/07/2025", "E4A", _flag=True),
            ep("2", "01/05/2025", "01/07/2025", "X1"), ep("2", "01/07/2025", RNE="P"),  # still looked after
            ep("3", "01/05/2025"),
            ep("4", "01/05/2025", "01/07/2025", "E4A"),  # born the day care ended
        ],
    })
