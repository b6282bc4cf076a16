from harness import check


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def test_146_placement_codes_by_year():
    check("146", {"Episodes": [
        ep("1", "01/05/2025", PLACE="K3"),
        ep("2", "01/05/2025", PLACE="k3"),
        ep("3", "01/05/2025", PLACE="H5", _flag=True),  # retired in 2024-25
        ep("4", "01/05/2025", PLACE="Z1", _flag=True),  # split into Z11-Z14 in 2025-26
        ep("5", "01/05/2025", PLACE="Z11"),
        ep("6", "01/05/2025", _flag=True),
    ]})
    check("146", {"Episodes": [ep("1", "01/05/2023", PLACE="H5"), ep("2", "01/05/2023", PLACE="K3", _flag=True)]},
          year=2024)


def test_149_reason_ceased_only_when_given():
    check("149", {"Episodes": [ep("1", "01/05/2025"), ep("2", "01/05/2025", "02/06/2025", "E4A"),
                               ep("3", "01/05/2025", "02/06/2025", "E44", _flag=True)]})


def test_141_invalid_start_date():
    check("141", {"Episodes": [ep("1", "01/05/2025"), ep("2", "31/04/2025", _flag=True)]})


def test_388_x1_needs_a_same_day_continuation():
    check("388", {"Episodes": [
        ep("1", "01/05/2025", "01/06/2025", "X1"), ep("1", "01/06/2025"),           # fine
        ep("2", "01/05/2025", "01/06/2025", "X1", _flag=True), ep("2", "05/06/2025"),  # gap after X1
        ep("3", "01/05/2025", "01/06/2025", "E4A", _flag=True), ep("3", "01/06/2025"),  # same day, not X1
        ep("4", "01/05/2025", "01/06/2025", "X1", _flag=True),                       # X1 on last episode
        ep("5", "01/05/2025", "01/06/2025", "E4A"), ep("5", "01/09/2025"),           # left and came back
    ]})


def test_143_144_145_code_lists():
    check("143", {"Episodes": [ep("1", "01/05/2025", RNE="S"), ep("2", "01/05/2025", RNE="X", _flag=True),
                               ep("3", "01/05/2025", _flag=True)]})
    check("144", {"Episodes": [ep("1", "01/05/2025", LS="J2"), ep("2", "01/05/2025", LS="V1", _flag=True),
                               ep("3", "01/05/2025", _flag=True)]})
    check("145", {"Episodes": [ep("1", "01/05/2025", CIN="N8"), ep("2", "01/05/2025", CIN="N9", _flag=True),
                               ep("3", "01/05/2025", _flag=True)]})
