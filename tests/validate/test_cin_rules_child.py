"""CIN census rules on the header, the child and its disabilities: each flags what the DfE wording
describes and passes the near miss beside it."""

from cin_harness import check, child, episode, header

# Valid UPNs worked out by hand from the DfE check-letter table (weights 2-13, remainder of 23).
UPN_OK = "P207000016049"  # 2*2+4*7+9*1+10*6+12*4+13*9 = 266, 266 % 23 = 13 -> P
UPN_TEMP_OK = "Y88620000501A"  # temporary UPN: the final A counts 0


def test_100_reference_date_must_be_31_march():
    rows = {"Child": [child()]}
    check("100", rows, head=header(2026, ReferenceDate="2026-03-28"), whole_return=True)
    check("100", rows, head=header(2026, ReferenceDate=None), whole_return=True)
    check("100", rows, head=header(2026))


def test_cb_type_reports_cells_that_are_not_dates():
    check(
        "CB-TYPE",
        {
            "Child": [child(), child("2", PersonBirthDate="2015-02-30", _flag=True)],
            "CINEpisode": [episode(), episode("2", CINreferralDate="01/13/2025", _flag=True)],
        },
    )


def test_1510_upn_check_letter():
    check(
        "1510",
        {
            "Child": [
                child("1", UPN=UPN_OK),
                child("2", UPN=UPN_TEMP_OK),
                child("3", UPN="Q207000016049", _flag=True),  # the wrong letter
                child("4", UPN="P20700001604"),  # too short to check: 1550's business
                child("5"),
            ]
        },
    )


def test_1520_upn_shared_by_two_children():
    check(
        "1520",
        {
            "Child": [
                child("1", UPN=UPN_OK, _flag=True),
                child("2", UPN=UPN_OK, _flag=True),
                child("3", UPN=UPN_TEMP_OK),
                child("4"),
                child("5"),
            ]
        },
    )


def test_1530_upn_la_code():
    check(
        "1530",
        {
            "Child": [
                child("1", UPN="A886200005001"),
                child("2", UPN="A999200005001", _flag=True),
                child("3", UPN="A942200005001"),
            ]
        },
    )
    # 942 became a valid code in 2023-24
    check("1530", {"Child": [child("1", UPN="A942200005001", _flag=True)]}, year=2023)


def test_1540_upn_characters_5_to_12_numeric():
    check(
        "1540",
        {
            "Child": [
                child("1", UPN=UPN_OK),
                child("2", UPN="P2070000A6049", _flag=True),
                child("3", UPN="P207000", _flag=True),
            ]
        },
    )


def test_1550_upn_character_13():
    check(
        "1550",
        {
            "Child": [
                child("1", UPN=UPN_OK),
                child("2", UPN=UPN_TEMP_OK),
                child("3", UPN="P20700001604I", _flag=True),
                child("4", UPN="P20700001604", _flag=True),
            ]
        },
    )


def test_1560q_former_upn_format():
    check(
        "1560Q",
        {
            "Child": [
                child("1", FormerUPN=UPN_OK),
                child("2", FormerUPN=UPN_TEMP_OK),
                child("3", FormerUPN="207000016049", _flag=True),
                child("4"),
            ]
        },
    )


def test_1570_lachildid_longer_than_20():
    check("1570", {"Child": [child("A" * 20), child("B" * 21, _flag=True)]})


def test_1580_lachildid_not_alphanumeric():
    check("1580", {"Child": [child("AB12"), child("AB-12", _flag=True), child("AB 12", _flag=True)]})


def test_2886q_more_than_2pc_without_sex():
    known = [child(str(i)) for i in range(48)]
    check("2886Q", {"Child": [*known, child("x", Sex=None), child("y", Sex="U")]}, whole_return=True)
    # one in 50 is 2%, not more; an unborn child with sex U does not count
    check(
        "2886Q",
        {
            "Child": [
                *known,
                child("x", Sex=None),
                child("u", PersonBirthDate=None, ExpectedPersonBirthDate="2026-06-01", Sex="U"),
            ]
        },
    )
    check("2886Q", {"Child": [*known, child("x", Sex="0"), child("y", Sex=None)]}, year=2024, whole_return=True)


def test_4180_sex_missing_or_invalid():
    check("4180", {"Child": [child("1", Sex="F"), child("2", Sex=None, _flag=True), child("3", Sex="1", _flag=True)]})
    check("4180", {"Child": [child("1", Sex="1"), child("2", Sex="9"), child("3", Sex="M", _flag=True)]}, year=2024)


def test_4220_ethnicity():
    check(
        "4220", {"Child": [child("1"), child("2", Ethnicity="WBR", _flag=True), child("3", Ethnicity=None, _flag=True)]}
    )


def test_8500_lachildid_missing():
    check("8500", {"Child": [child("1"), child(None, _flag=True)]})


def test_8510_lachildid_repeated():
    check("8510", {"Child": [child("1", _flag=True), child("1", _flag=True), child("2")]})


def test_8520_born_after_the_census():
    check(
        "8520",
        {"Child": [child("1", PersonBirthDate="2026-03-31"), child("2", PersonBirthDate="2026-04-01", _flag=True)]},
    )


def test_8525q_birth_or_expected_birth_but_not_both():
    check(
        "8525Q",
        {
            "Child": [
                child("1"),
                child("2", PersonBirthDate=None, ExpectedPersonBirthDate="2026-05-01"),
                child("3", PersonBirthDate=None, _flag=True),
                child("4", ExpectedPersonBirthDate="2026-05-01", _flag=True),
            ]
        },
    )


def test_8530q_expected_birth_in_range():
    unborn = {"PersonBirthDate": None}
    check(
        "8530Q",
        {
            "Child": [
                child("1", ExpectedPersonBirthDate="2026-03-01", **unborn),  # 31 March less 30 days
                child("2", ExpectedPersonBirthDate="2026-02-28", _flag=True, **unborn),
                child("3", ExpectedPersonBirthDate="2026-12-31", **unborn),  # 31 March plus 9 months
                child("4", ExpectedPersonBirthDate="2027-01-01", _flag=True, **unborn),
            ]
        },
    )


def test_8535q_death_before_birth():
    check(
        "8535Q",
        {
            "Child": [
                child("1", PersonDeathDate="2015-01-01"),
                child("2", PersonDeathDate="2014-12-31", _flag=True),
                child("3", PersonBirthDate=None, PersonDeathDate="2025-06-01"),
            ]
        },
    )


def test_8545q_death_within_the_census_year():
    check(
        "8545Q",
        {
            "Child": [
                child("1", PersonDeathDate="2025-04-01"),
                child("2", PersonDeathDate="2025-03-31", _flag=True),
                child("3", PersonDeathDate="2026-04-01", _flag=True),
            ]
        },
    )


def test_8590_child_without_an_episode():
    check("8590", {"Child": [child("1"), child("2", _flag=True)], "CINEpisode": [episode("1")]})


def test_8750_unborn_child_sex():
    unborn = {"PersonBirthDate": None, "ExpectedPersonBirthDate": "2026-06-01"}
    check(
        "8750",
        {"Child": [child("1", Sex="U", **unborn), child("2", Sex="F", _flag=True, **unborn), child("3", Sex="F")]},
    )
    check("8750", {"Child": [child("1", Sex="0", **unborn), child("2", Sex="2", _flag=True, **unborn)]}, year=2024)


def test_8770q_upn_for_a_school_age_child():
    rows = {
        "Child": [
            child("1", PersonBirthDate="2020-08-31", _flag=True),  # school age: 5 by the start of 2025-26
            child("2", PersonBirthDate="2020-09-01"),  # not yet
            child("3", PersonBirthDate="2020-08-31", UPN=UPN_OK),
            child("4", PersonBirthDate="2020-08-31", UPNunknown="UN2"),
            child("5", PersonBirthDate="2020-08-31", UPNunknown="UN1", _flag=True),  # 'not of school age' is wrong
            child("6", PersonBirthDate="2010-01-01"),  # only a referral with no further action
        ],
        "CINEpisode": [
            episode("1"),
            episode("2"),
            episode("3"),
            episode("4"),
            episode("5"),
            episode("6", ReferralNFA="1"),
        ],
    }
    check("8770Q", rows)
    # 2023-24: more than five years old, i.e. born before 31 March six years earlier
    check(
        "8770Q",
        {
            "Child": [child("1", PersonBirthDate="2018-03-30", _flag=True), child("2", PersonBirthDate="2018-03-31")],
            "CINEpisode": [episode("1", CINreferralDate="2023-05-01"), episode("2", CINreferralDate="2023-05-01")],
        },
        year=2024,
    )


def test_8772_un7_but_further_action():
    check(
        "8772",
        {
            "Child": [child("1", UPNunknown="UN7", _flag=True), child("2", UPNunknown="UN7")],
            "CINEpisode": [episode("1", ReferralNFA="1"), episode("1", 2, _flag=True), episode("2", ReferralNFA="1")],
        },
    )


def test_8775q_over_25():
    check(
        "8775Q",
        {
            "Child": [
                child("1", PersonBirthDate="2000-01-01", _flag=True),
                child("2", PersonBirthDate="2000-01-01"),
                child("3", PersonBirthDate="2001-04-01"),
            ],
            "CINEpisode": [episode("1"), episode("2", CINclosureDate="2024-12-31"), episode("3")],
        },
    )


def test_2887q_fewer_than_8_disability_codes():
    codes = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"]
    rows = {
        "Child": [child(str(i)) for i in range(8)],
        "Disability": [{"LAchildID": str(i), "Disability": c} for i, c in enumerate(codes)],
    }
    check("2887Q", rows)
    rows["Disability"][-1]["Disability"] = "NONE"
    check("2887Q", rows, whole_return=True)


def test_2888q_only_one_disability_per_child():
    one_each = {
        "Child": [child("1"), child("2")],
        "Disability": [{"LAchildID": "1", "Disability": "MOB"}, {"LAchildID": "2", "Disability": "AUT"}],
    }
    check("2888Q", one_each, whole_return=True)
    one_each["Disability"].append({"LAchildID": "2", "Disability": "LD"})
    check("2888Q", one_each)


def test_8540_disability_missing_or_invalid():
    check(
        "8540",
        {
            "Child": [
                child("1"),
                child("2", _flag=True),
                child("3"),
                child("4", PersonBirthDate=None, ExpectedPersonBirthDate="2026-05-01"),
                child("5"),
            ],
            "Disability": [
                {"LAchildID": "1", "Disability": "NONE"},
                {"LAchildID": "3", "Disability": "XYZ", "_flag": True},
            ],
            "CINEpisode": [episode("1"), episode("2"), episode("3"), episode("4"), episode("5", ReferralNFA="1")],
        },
    )


def test_8790_none_with_other_codes():
    check(
        "8790",
        {
            "Child": [child("1"), child("2")],
            "Disability": [
                {"LAchildID": "1", "Disability": "NONE"},
                {"LAchildID": "1", "Disability": "MOB", "_flag": True},
                {"LAchildID": "2", "Disability": "NONE"},
            ],
        },
    )


def test_8794_same_disability_twice():
    check(
        "8794",
        {
            "Child": [child("1"), child("2")],
            "Disability": [
                {"LAchildID": "1", "Disability": "MOB", "_flag": True},
                {"LAchildID": "1", "Disability": "MOB", "_flag": True},
                {"LAchildID": "2", "Disability": "MOB"},
                {"LAchildID": "2", "Disability": "LD"},
            ],
        },
    )
