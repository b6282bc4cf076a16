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
