"""Tests for the social worker episode (SWEpisodes) rules; the table exists from 2023-24 (year 2024)."""

from harness import check


def sw(child, decom, dec=None, reason="MANAGE", sw_id="SW1234", **kw):
    return {"CHILD": child, "DOB": "01/01/2012", "SW_ID": sw_id, "SW_DECOM": decom, "SW_DEC": dec,
            "SW_REASON": reason, **kw}


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def test_sw01_looked_after_at_year_end_without_social_worker():
    check("SW01STG1", {
        "Episodes": [
            ep("1", "01/05/2023", LS="C2"),
            ep("2", "01/05/2023", LS="C2", _flag=True),  # no social worker episodes
            ep("3", "01/05/2023", LS="V3"),  # short breaks
            ep("4", "01/05/2023", "01/06/2023", "E4A", LS="C2"),  # not looked after at 31 March
            ep("5", "01/05/2023", LS="C2", _flag=True),  # no reason on any episode
            ep("6", "01/05/2023", LS="C2"),  # items spread over two episodes
        ],
        "SWEpisodes": [
            sw("1", "01/05/2023"),
            sw("5", "01/05/2023", reason=None),
            sw("6", "01/05/2022", "01/06/2023", reason=None), sw("6", "01/06/2023", sw_id=None),
        ],
    }, year=2024)


def test_sw01a_sw01b_complete_by_start_date():
    rows = {"SWEpisodes": [
        sw("1", "01/03/2023", reason=None),  # before April 2023: reason not needed
        sw("2", "01/03/2023", sw_id=None),
        sw("3", "01/04/2023", reason=None),
        sw("4", "01/04/2023", sw_id=None),
        sw("5", None),
        sw("6", "01/04/2023"),
    ]}
    for i in (1, 4):  # rows 2 and 5
        rows["SWEpisodes"][i]["_flag"] = True
    check("SW01aSTG1", rows, year=2025)
    for r in rows["SWEpisodes"]:
        r.pop("_flag", None)
    for i in (2, 3, 4):  # rows 3, 4 and 5
        rows["SWEpisodes"][i]["_flag"] = True
    check("SW01bSTG1", rows, year=2025)


def test_sw02_social_worker_id_prefix():
    rows = {"SWEpisodes": [
        sw("1", "01/05/2023", sw_id="SW1234"),
        sw("2", "01/05/2023", sw_id="XX99"),
        sw("3", "01/05/2023", sw_id="sw5678"),  # lower case is upper-cased by the DfE
        sw("4", "01/05/2023", sw_id="AB1234", _flag=True),
        sw("5", "01/05/2023", sw_id=None, _flag=True),
        sw("6", "01/05/2023", sw_id="XSW1", _flag=True),
        sw("7", "01/05/2023", sw_id="SW1"),  # short, but only checked from 2025-26
    ]}
    check("SW02STG1", rows, year=2024)
    rows["SWEpisodes"][6]["_flag"] = True
    check("SW02STG1", rows, year=2026)


def test_sw03_complete():
    check("SW03STG1", {"SWEpisodes": [
        sw("1", "01/05/2023"),
        sw("2", "01/05/2023", sw_id=None, _flag=True),
        sw("3", None, _flag=True),
        sw("4", "01/05/2023", reason=None, _flag=True),
        sw("5", "01/05/2023", "01/06/2023"),
    ]}, year=2024)


def test_sw04_sw05_invalid_dates():
    check("SW04STG1", {"SWEpisodes": [sw("1", "01/05/2023"), sw("2", "31/02/2024", _flag=True), sw("3", None)]},
          year=2024)
    check("SW05STG1", {"SWEpisodes": [sw("1", "01/05/2023", "01/06/2023"), sw("2", "01/05/2023", "1/13/2023",
                                                                          _flag=True), sw("3", "01/05/2023")]},
          year=2024)


def test_sw06_start_within_reporting_year():
    check("SW06STG2", {"SWEpisodes": [
        sw("1", "31/03/2024"),
        sw("2", "01/04/2024", _flag=True),
        sw("3", "01/01/2020"),  # began long before: fine
        sw("4", None),
    ]}, year=2024)


def test_sw07_end_within_reporting_period():
    rows = {"SWEpisodes": [
        sw("1", "01/01/2022", "31/03/2023"),
        sw("2", "01/01/2022", "01/04/2023"),
        sw("3", "01/01/2022", "31/03/2024"),
        sw("4", "01/01/2022", "01/04/2024", _flag=True),
        sw("5", "01/01/2022"),
    ]}
    rows["SWEpisodes"][0]["_flag"] = True
    check("SW07STG2", rows, year=2024)
    # From 2024-25 the period starts a year before the collection year.
    check("SW07STG2", {"SWEpisodes": [
        sw("1", "01/01/2022", "31/03/2023", _flag=True),
        sw("2", "01/01/2022", "01/04/2023"),
        sw("3", "01/01/2022", "31/03/2025"),
        sw("4", "01/01/2022", "01/04/2025", _flag=True),
    ]}, year=2025)


def test_sw08_previous_episode_not_ended():
    check("SW08STG2", {"SWEpisodes": [
        sw("1", "01/05/2023", _flag=True), sw("1", "01/08/2023"),
        sw("2", "01/05/2023", "01/08/2023"), sw("2", "01/08/2023"),
        sw("3", "01/08/2023"), sw("3", "01/05/2023", _flag=True),  # rows out of order
        sw("4", "01/05/2023"), sw("4", None),  # undatable episode does not count
    ]}, year=2024)


def test_sw09_less_than_a_day():
    check("SW09STG2", {"SWEpisodes": [
        sw("1", "01/05/2023", "01/05/2023", _flag=True),
        sw("2", "01/05/2023", "02/05/2023"),
        sw("3", "01/05/2023"),
        sw("4", None, None),
    ]}, year=2026)


def test_sw10_started_before_previous_ended():
    rows = {"SWEpisodes": [
        sw("1", "01/05/2023", "01/08/2023"), sw("1", "25/07/2023"),  # 7 days early: tolerated
        sw("2", "01/05/2023", "01/08/2023"), sw("2", "24/07/2023", _flag=True),  # 8 days early
        sw("3", "01/05/2023"), sw("3", "01/08/2023", _flag=True),  # previous never ended
        sw("4", "01/05/2023", "01/08/2023"), sw("4", "01/12/2023"),  # a gap is not this rule
        sw("5", "01/05/2023", "01/08/2023"), sw("5", "01/07/2023", reason="FCONTA"),
    ]}
    rows["SWEpisodes"][9]["_flag"] = True  # first contact counts in 2023-24 ...
    check("SW10STG2", rows, year=2024)
    rows["SWEpisodes"][9]["_flag"] = False  # ... and is left to SW10b from 2024-25
    check("SW10STG2", rows, year=2026)


def test_sw10a_not_within_seven_days():
    check("SW10aSTG2", {"SWEpisodes": [
        sw("1", "01/05/2025", "01/08/2025"), sw("1", "08/08/2025"),
        sw("2", "01/05/2025", "01/08/2025"), sw("2", "09/08/2025", _flag=True),
        sw("3", "01/05/2025", "01/08/2025"), sw("3", "24/07/2025", _flag=True),
        sw("4", "01/05/2025", "01/08/2025"), sw("4", "01/12/2025", reason="FCONTA"),
        sw("5", "01/05/2025"), sw("5", "01/08/2025", reason=None, _flag=True),
        sw("6", "01/05/2025", "01/08/2025"),
    ]}, year=2026)


def test_sw10b_first_contact_before_previous_ended():
    check("SW10bSTG2", {"SWEpisodes": [
        sw("1", "01/05/2025", "01/08/2025"), sw("1", "02/08/2025", reason="FCONTA"),
        sw("2", "01/05/2025", "01/08/2025"), sw("2", "01/08/2025", reason="FCONTA", _flag=True),
        sw("3", "01/05/2025"), sw("3", "01/09/2025", reason="FCONTA", _flag=True),
        sw("4", "01/05/2025", "01/08/2025"), sw("4", "01/07/2025", reason="MANAGE"),
        sw("5", "01/05/2025", reason="FCONTA"),
    ]}, year=2026)


def test_sw11b_ended_without_a_successor():
    check("SW11bSTG2", {
        "Episodes": [ep(str(i), "01/05/2023", LS="C2") for i in range(1, 6)]
        + [ep("6", "01/05/2023", "01/08/2023", "E4A", LS="C2"), ep("7", "01/05/2023", LS="V4")],
        "SWEpisodes": [
            sw("1", "01/05/2023", "01/08/2023", _flag=True),
            sw("2", "01/05/2023", "01/08/2023"), sw("2", "01/08/2023"),
            sw("3", "01/05/2023", "31/03/2024"),  # ended on 31 March, not before
            sw("4", "01/05/2023", "01/08/2023"), sw("4", "01/08/2023", "01/09/2023", _flag=True),
            sw("5", "01/05/2023"),
            sw("6", "01/05/2023", "01/08/2023"),  # left care in the year
            sw("7", "01/05/2023", "01/08/2023"),  # short breaks only
        ],
    }, year=2024)


def test_sw13_reason_code():
    rows = {"SWEpisodes": [
        sw("1", "01/05/2023", reason="FCONTA"),
        sw("2", "01/05/2023", reason="OTHER", _flag=True),
        sw("3", "01/05/2023", reason=None, _flag=True),
        sw("4", "01/03/2023", reason=None),
    ]}
    rows["SWEpisodes"][3]["_flag"] = True  # in 2023-24 a reason is always needed
    check("SW13STG1", rows, year=2024)
    rows["SWEpisodes"][3]["_flag"] = False  # from 2024-25 not for episodes before April 2023
    check("SW13STG1", rows, year=2025)


def test_sw14_end_date_blank_before_last_episode():
    check("SW14STG2", {"SWEpisodes": [
        sw("1", "01/05/2023", _flag=True), sw("1", "01/08/2023"),
        sw("2", "01/05/2023", "01/08/2023"), sw("2", "01/08/2023"),
        sw("3", "01/05/2023"),
    ]}, year=2024)


def test_sw17_no_episode_open_at_year_end():
    check("SW17STG2", {
        "Episodes": [ep(str(i), "01/05/2025", LS="C2") for i in range(1, 5)]
        + [ep("5", "01/05/2025", "01/08/2025", "E4A", LS="C2")],
        "SWEpisodes": [
            sw("1", "01/05/2025", "01/08/2025"), sw("1", "01/08/2025", "01/09/2025", _flag=True),
            sw("2", "01/05/2025", "01/08/2025"), sw("2", "01/08/2025"),
            sw("3", "01/08/2025"), sw("3", "01/05/2025", "01/08/2025"),
            sw("4", "01/05/2025", "31/03/2026", _flag=True),
            sw("5", "01/05/2025", "01/08/2025"),  # left care in the year
        ],
    }, year=2026)


def test_sw18_end_before_start():
    check("SW18STG2", {"SWEpisodes": [
        sw("1", "01/05/2025", "30/04/2025", _flag=True),
        sw("2", "01/05/2025", "01/05/2025"),
        sw("3", "01/05/2025", "02/05/2025"),
        sw("4", "01/05/2025"),
    ]}, year=2026)


def test_sw19_two_episodes_same_start():
    check("SW19STG2", {"SWEpisodes": [
        sw("1", "01/05/2025", "01/08/2025", _flag=True), sw("1", "01/05/2025", _flag=True),
        sw("2", "01/05/2025", "01/08/2025"), sw("2", "01/08/2025"),
        sw("3", "01/05/2025"), sw("4", "01/05/2025"),  # different children
        sw("5", None), sw("5", None),
    ]}, year=2026)


def test_sw12_looked_after_time_in_the_year_without_social_worker_episodes():
    # 2023-24: the year is 1 April 2023 to 31 March 2024.
    check("SW12STG2", {
        "Episodes": [
            ep("1", "01/01/2023"),
            ep("2", "01/01/2023"),
            ep("3", "01/01/2023"),
            ep("4", "01/01/2023", _flag=True),  # a day without a social worker
            ep("5", "01/10/2023"),  # came into care in the year: earlier time cannot be checked
            ep("6", "01/05/2023", "01/07/2023", "E4A", _flag=True),  # earlier period of care in the year
            ep("6", "01/11/2023"),
            ep("7", "01/05/2023", "01/07/2023", "E4A"),
            ep("7", "01/11/2023"),
            ep("8", "01/01/2023", "01/02/2024", "E4A"),  # not looked after on 31 March
            ep("9", "01/01/2022", _flag=True),  # social worker episodes start after 1 April
            ep("10", "01/01/2022"),
            ep("11", "01/05/2023", LS="V3"),  # short breaks
            ep("12", "01/01/2022", "01/08/2023", "X1"),
            ep("12", "01/08/2023"),
            ep("13", "01/01/2022", "01/08/2023", "X1", _flag=True),  # 31 July not covered
            ep("13", "01/08/2023"),
            ep("14", "01/01/2023", "01/04/2023", "E4A"),  # left care on the first day of the year
            ep("14", "01/10/2023"),
            ep("15", "01/01/2022", _flag=True),  # social worker episodes end in June
            ep("16", "01/01/2022"),  # no dated social worker episode: SW01STG1
        ],
        "SWEpisodes": [
            sw("1", "01/01/2023"),
            sw("2", "01/01/2023", "01/06/2023"), sw("2", "02/06/2023"),  # the next day
            sw("3", "01/01/2023", "01/06/2023"), sw("3", "01/06/2023"),  # the same day
            sw("4", "01/01/2023", "01/06/2023"), sw("4", "03/06/2023"),
            sw("5", "01/09/2023"),
            sw("6", "01/11/2023"),
            sw("7", "01/05/2023", "01/07/2023"), sw("7", "01/10/2023"),
            sw("8", "01/06/2023"),
            sw("9", "15/04/2023"),
            sw("10", "01/03/2023", "31/03/2023"), sw("10", "01/04/2023"),
            sw("11", "01/06/2023"),
            sw("12", "01/01/2022", "31/07/2023"), sw("12", "01/08/2023"),
            sw("13", "01/01/2022", "30/07/2023"), sw("13", "01/08/2023"),
            sw("14", "01/10/2023"),
            sw("15", "01/01/2022", "01/06/2023"),
            sw("16", None),
        ],
    }, year=2024)
    # Overlapping episodes cover the year together (2025-26).
    check("SW12STG2", {
        "Episodes": [ep("1", "01/01/2024"), ep("2", "01/01/2024", _flag=True)],
        "SWEpisodes": [
            sw("1", "01/01/2024", "01/12/2025"), sw("1", "01/02/2025", "01/06/2025"), sw("1", "01/12/2025"),
            sw("2", "01/01/2024", "01/06/2025"), sw("2", "01/02/2025", "01/07/2025"), sw("2", "03/07/2025"),
        ],
    })
