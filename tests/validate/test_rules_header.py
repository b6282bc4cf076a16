from harness import check


def test_101_sex_code_for_the_year():
    check("101", {"Header": [
        {"CHILD": "1", "SEX": "M"},
        {"CHILD": "2", "SEX": "1", "_flag": True},  # 1/2 retired in 2024-25
        {"CHILD": "3", "_flag": True},
        {"CHILD": "4", "SEX": "u"},  # lower case is normalised on read
    ]})
    check("101", {"Header": [{"CHILD": "1", "SEX": "1"}, {"CHILD": "2", "SEX": "M", "_flag": True}]}, year=2024)


def test_102_invalid_date_of_birth():
    check("102", {"Header": [
        {"CHILD": "1", "DOB": "29/02/2012"},
        {"CHILD": "2", "DOB": "30/02/2012", "_flag": True},
        {"CHILD": "3", "DOB": "2012-01-01"},
        {"CHILD": "4", "DOB": "soon", "_flag": True},
    ]})


def test_103_ethnicity():
    check("103", {"Header": [
        {"CHILD": "1", "ETHNIC": "WBRI"},
        {"CHILD": "2", "ETHNIC": "WBR", "_flag": True},
        {"CHILD": "3", "_flag": True},
    ]})


def test_168_upn_format():
    check("168", {"Header": [
        {"CHILD": "1", "UPN": "A123456789012"},
        {"CHILD": "2", "UPN": "A12345678901B"},
        {"CHILD": "3", "UPN": "UN3"},
        {"CHILD": "4", "UPN": "I123456789012", "_flag": True},  # I is never a first letter
        {"CHILD": "5", "UPN": "A12345678901", "_flag": True},  # too short
        {"CHILD": "6", "UPN": "UN6", "_flag": True},
        {"CHILD": "7", "_flag": True},
    ]})

def hd(child, **kw):
    return {"CHILD": child, "SEX": "F", "DOB": "01/01/2010", "ETHNIC": "WBRI", "UPN": "UN2", **kw}


def test_104_invalid_duc():
    check("104", {"Header": [hd("1"), hd("2"), hd("3")], "UASC": [
        {"CHILD": "1", "SEX": "F", "DOB": "01/01/2010", "DUC": "01/01/2026"},
        {"CHILD": "2", "SEX": "F", "DOB": "01/01/2010", "DUC": "31/02/2026", "_flag": True},
        {"CHILD": "3", "SEX": "F", "DOB": "01/01/2010"},  # blank DUC is allowed
    ]})


def test_105_derived_uasc_is_always_valid():
    check("105", {"Header": [hd("1"), hd("2")], "UASC": [{"CHILD": "1", "SEX": "F", "DOB": "01/01/2010"}]})


def test_171_invalid_mother_child_dob():
    check("171", {"Header": [
        hd("1", MOTHER="1", MC_DOB="01/01/2025"),
        hd("2", MOTHER="1", MC_DOB="32/01/2025", _flag=True),
        hd("3", MOTHER="0"),
    ]})


def test_174_male_with_child_dob_by_year():
    check("174", {"Header": [
        hd("1", SEX="M", MC_DOB="01/01/2025", _flag=True),
        hd("2", SEX="M"),
        hd("3", SEX="F", MOTHER="1", MC_DOB="01/01/2025"),
        hd("4", SEX="U", MC_DOB="01/01/2025"),
    ]})
    check("174", {"Header": [
        hd("1", SEX="1", MC_DOB="01/01/2023", _flag=True),
        hd("2", SEX="2", MOTHER="1", MC_DOB="01/01/2023"),
        hd("3", SEX="1"),
    ]}, year=2024)


def test_209_school_age_child_with_un1():
    # 2025-26: school age means 4 or over on 31/08/2024
    check("209", {"Header": [
        hd("1", UPN="UN1", DOB="31/08/2020", _flag=True),  # 4 on the day
        hd("2", UPN="UN1", DOB="01/09/2020"),
        hd("3", UPN="UN2", DOB="01/01/2010"),
        hd("4", UPN="UN1", DOB="01/01/2005", _flag=True),
    ]})
    check("209", {"Header": [hd("1", SEX="2", UPN="UN1", DOB="31/08/2018", _flag=True),
                             hd("2", SEX="2", UPN="UN1", DOB="01/09/2018")]}, year=2024)


def test_210_un4_after_a_week_in_care():
    def ep(child, decom, dec=None):
        return {"CHILD": child, "DECOM": decom, "DEC": dec, "RNE": "S", "LS": "C2", "PLACE": "U4"}

    check("210", {
        "Header": [
            hd("1", UPN="UN4", _flag=True),  # in care since January
            hd("2", UPN="UN4"),  # came into care on 25 March: less than a week
            hd("3", UPN="UN4"),  # left care in February
            hd("4", UPN="UN3"),  # another unknown-UPN code
            hd("5", UPN="UN4", _flag=True),  # in care since 23 March: eight days
        ],
        "Episodes": [ep("1", "05/01/2026"), ep("2", "25/03/2026"), ep("3", "05/01/2026", "01/02/2026"),
                     ep("4", "05/01/2026"), ep("5", "23/03/2026")],
    })


def test_231_uasc_under_11():
    uasc = [{"CHILD": c, "SEX": "M", "DOB": d} for c, d in (("1", "01/04/2015"), ("2", "31/03/2015"))]
    check("231", {"Header": [
        hd("1", SEX="M", DOB="01/04/2015", _flag=True),  # 10 at 31/03/2026
        hd("2", SEX="M", DOB="31/03/2015"),  # 11 on 31/03/2026
        hd("3", SEX="M", DOB="01/01/2020"),  # young but not UASC
    ], "UASC": uasc})


def test_232_sex_unknown():
    check("232", {"Header": [hd("1", SEX="U", _flag=True), hd("2", SEX="M"), hd("3", SEX="F")]})


def test_301_born_after_year_end():
    check("301", {"Header": [hd("1", DOB="31/03/2026"), hd("2", DOB="01/04/2026", _flag=True), hd("3", DOB=None)]})


def test_303_duc_needs_uasc_status():
    # UASC status is derived from the UASC table, so a child with a DUC always has status 1
    check("303", {"Header": [hd("1"), hd("2")], "UASC": [{"CHILD": "1", "SEX": "F", "DOB": "01/01/2010",
                                                           "DUC": "01/01/2026"}]})


def test_304_duc_after_18th_birthday():
    check("304", {"Header": [hd("1"), hd("2"), hd("3"), hd("4", DOB="02/01/2008")], "UASC": [
        {"CHILD": "1", "SEX": "F", "DOB": "01/01/2008", "DUC": "01/01/2026"},  # the birthday itself
        {"CHILD": "2", "SEX": "F", "DOB": "01/01/2008", "DUC": "02/01/2026", "_flag": True},
        {"CHILD": "3", "SEX": "F", "DOB": "01/01/2008"},
        {"CHILD": "4", "SEX": "F", "DUC": "03/01/2026", "_flag": True},  # DOB from the Header
    ]})


def test_351_over_25_at_year_start():
    check("351", {"Header": [hd("1", DOB="01/04/2000"), hd("2", DOB="31/03/2000", _flag=True)]})


def test_444_duplicate_upn():
    check("444", {"Header": [
        hd("1", UPN="A123456789012", _flag=True),
        hd("2", UPN="A123456789012", _flag=True),
        hd("3", UPN="B123456789012"),
        hd("4", UPN="UN1"), hd("5", UPN="UN1"),
        hd("6", UPN=None), hd("7", UPN=None),
    ]})


def test_611_mother_without_child_dob():
    check("611", {"Header": [hd("1", MOTHER="1", _flag=True), hd("2", MOTHER="1", MC_DOB="01/01/2025"),
                             hd("3", MOTHER="0"), hd("4")]})


def test_612_child_dob_but_not_a_mother():
    check("612", {"Header": [
        hd("1", MOTHER="0", MC_DOB="01/01/2025", _flag=True),
        hd("2", MC_DOB="01/01/2025", _flag=True),  # MOTHER blank
        hd("3", MOTHER="1", MC_DOB="01/01/2025"),
        hd("4", MOTHER="0"),
        hd("5", SEX="M", MOTHER="0", MC_DOB="01/01/2025"),  # male: rule 174's business
    ]})
    check("612", {"Header": [hd("1", SEX="2", MOTHER="0", MC_DOB="01/01/2023", _flag=True),
                             hd("2", SEX="F", MOTHER="0", MC_DOB="01/01/2023")]}, year=2024)


def test_620_mother_under_11():
    check("620", {"Header": [
        hd("1", MOTHER="1", DOB="01/04/2014", MC_DOB="01/01/2025"),  # 11 on the first day of the year
        hd("2", MOTHER="1", DOB="02/04/2014", MC_DOB="01/01/2025", _flag=True),
        hd("3", MOTHER="0", DOB="02/04/2016"),
    ]})


def test_621_mother_younger_than_child():
    check("621", {"Header": [
        hd("1", DOB="01/01/2008", MOTHER="1", MC_DOB="01/01/2025"),
        hd("2", DOB="01/01/2008", MOTHER="1", MC_DOB="01/01/2008", _flag=True),
        hd("3", DOB="01/01/2008", MOTHER="1", MC_DOB="01/01/2007", _flag=True),
        hd("4", DOB="01/01/2008", MOTHER="1"),
    ]})


def test_epi_child_without_episodes_or_oc3():
    check("EPI", {
        "Header": [hd("1"), hd("2"), hd("3", _flag=True)],
        "Episodes": [{"CHILD": "1", "DECOM": "01/05/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1"}],
        "OC3": [{"CHILD": "2", "DOB": "01/01/2006", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}],
    })
