from harness import check


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def mis(child, start=None, end=None, missing="M", **kw):
    return {"CHILD": child, "MISSING": missing, "MIS_START": start, "MIS_END": end, **kw}


def rev(child, review=None, code=None, dob=None, **kw):
    return {"CHILD": child, "DOB": dob, "REVIEW": review, "REVIEW_CODE": code, **kw}


# --- Reviews -------------------------------------------------------------------------------------


def test_166_review_date_invalid_or_blank():
    check("166", {"Reviews": [
        rev("1", "01/06/2025", "PN1"),
        rev("2", None, "PN1", _flag=True),
        rev("3", "31/06/2025", "PN1", _flag=True),  # no 31 June
    ]})


def test_167_participation_code():
    check("167", {"Reviews": [
        rev("1", "01/06/2025", "PN0"),
        rev("2", "01/06/2025", "pn7"),  # upper-cased on read
        rev("3", "01/06/2025", "PN8", _flag=True),
        rev("4", "01/06/2025", None, _flag=True),
    ]})


def test_399_short_breaks_only_child_with_mother_or_reviews():
    check("399", {
        "Header": [
            {"CHILD": "1", "MOTHER": "1", "_flag": True},   # V3 only, MOTHER given
            {"CHILD": "2"},                                 # V4 only, a review given
            {"CHILD": "3", "MOTHER": "0"},                  # V3 and C2: not short breaks only
            {"CHILD": "4"},                                 # V3 only, nothing completed
            {"CHILD": "5", "MOTHER": "1"},                  # C2 only
        ],
        "Episodes": [
            ep("1", "01/05/2025", "03/05/2025", "E8", LS="V3", _flag=True),
            ep("1", "01/06/2025", "03/06/2025", "E8", LS="V3", _flag=True),
            ep("2", "01/05/2025", LS="V4", _flag=True),
            ep("3", "01/05/2025", "03/05/2025", "E8", LS="V3"),
            ep("3", "01/06/2025", LS="C2"),
            ep("4", "01/05/2025", LS="V3"),
            ep("5", "01/05/2025", LS="C2"),
        ],
        "Reviews": [
            rev("2", "01/07/2025", "PN1", _flag=True),
            rev("2", None, None),                        # a blank row is not a completed field
            rev("3", "01/07/2025", "PN1"),
            rev("5", "01/07/2025", "PN1"),
        ],
    })


def test_440_pn0_but_aged_four_or_over():
    check("440", {"Reviews": [
        rev("1", "01/06/2025", "PN0", "02/06/2021"),              # a day before 4th birthday
        rev("2", "01/06/2025", "PN0", "01/06/2021", _flag=True),  # on the 4th birthday
        rev("3", "01/06/2025", "PN0", "01/01/2015", _flag=True),
        rev("4", "01/06/2025", "PN1", "01/01/2015"),
        rev("5", "01/06/2025", "PN0"),                             # no DOB
    ]})


def test_441_participation_but_under_four():
    check("441", {"Reviews": [
        rev("1", "01/06/2025", "PN1", "02/06/2021", _flag=True),  # a day before 4th birthday
        rev("2", "01/06/2025", "PN7", "01/06/2021"),              # on the 4th birthday
        rev("3", "01/06/2025", "PN0", "01/01/2024"),
        rev("4", "01/06/2025", "PN3", "01/01/2024", _flag=True),
        rev("5", None, "PN3", "01/01/2024"),
    ]})


# --- Missing: single rows --------------------------------------------------------------------------


def test_564_missing_without_start():
    check("564", {"Missing": [
        mis("1", "01/06/2025"),
        mis("2", None, _flag=True),
        mis("3", None, missing="A", _flag=True),
        mis("4", None, missing=None),   # nothing says the child was missing
        mis("5", None, missing="X"),    # not a missing type (rule 1006)
    ]})


def test_565_566_dates_without_missing_type():
    check("565", {"Missing": [
        mis("1", "01/06/2025"),
        mis("2", "01/06/2025", missing=None, _flag=True),
        mis("3", None, "02/06/2025", missing=None),
    ]})
    check("566", {"Missing": [
        mis("1", "01/06/2025", "02/06/2025"),
        mis("2", "01/06/2025", "02/06/2025", missing=None, _flag=True),
        mis("3", "01/06/2025", None, missing=None),
    ]})


def test_567_end_before_start():
    check("567", {"Missing": [
        mis("1", "01/06/2025", "01/06/2025"),
        mis("2", "01/06/2025", "31/05/2025", _flag=True),
        mis("3", "01/06/2025"),
    ]})


def test_570_571_collection_year():
    check("570", {"Missing": [
        mis("1", "31/03/2026"),
        mis("2", "01/04/2026", _flag=True),
        mis("3", "01/01/2024"),  # open from earlier years is fine
    ]})
    check("571", {"Missing": [
        mis("1", "01/03/2025", "01/04/2025"),
        mis("2", "01/03/2026", "31/03/2026"),
        mis("3", "01/03/2025", "31/03/2025", _flag=True),
        mis("4", "01/03/2026", "01/04/2026", _flag=True),
        mis("5", "01/03/2026"),
    ]})
    check("570", {"Missing": [mis("1", "01/04/2025", _flag=True), mis("2", "31/03/2025")]}, year=2025)


def test_586_missing_before_birth():
    check("586", {"Missing": [
        mis("1", "01/06/2025", DOB="01/06/2025"),
        mis("2", "31/05/2025", DOB="01/06/2025", _flag=True),
        mis("3", "31/05/2025"),
    ]})


def test_1004_1005_invalid_dates():
    check("1004", {"Missing": [
        mis("1", "01/06/2025"),
        mis("2", "32/06/2025", _flag=True),
        mis("3", None),  # blank is rule 564's
    ]})
    check("1005", {"Missing": [
        mis("1", "01/06/2025", "02/06/2025"),
        mis("2", "01/06/2025", "02/13/2025", _flag=True),
        mis("3", "01/06/2025"),  # still missing
    ]})


def test_1006_missing_type():
    check("1006", {"Missing": [
        mis("1", "01/06/2025"),
        mis("2", "01/06/2025", missing="a"),
        mis("3", "01/06/2025", missing="X", _flag=True),
        mis("4", "01/06/2025", missing=None),  # blank is rules 565/566's
    ]})


# --- Missing: across rows and tables ---------------------------------------------------------------


def test_574_overlapping_or_open_periods():
    check("574", {"Missing": [
        mis("1", "01/06/2025", "05/06/2025"),
        mis("1", "05/06/2025", "06/06/2025"),             # starts the day the last ended
        mis("2", "01/06/2025", _flag=True),                # still open when the next starts
        mis("2", "10/06/2025", "11/06/2025", _flag=True),
        mis("3", "01/06/2025", "20/06/2025", _flag=True),
        mis("3", "05/06/2025", "06/06/2025", _flag=True),  # inside the first
        mis("3", "10/06/2025", "12/06/2025", _flag=True),  # still inside the first
        mis("3", "21/06/2025"),                            # after it, and open as the latest
        mis("4", "10/06/2025", "11/06/2025", _flag=True),  # listed first, but starts later
        mis("4", "01/06/2025", "15/06/2025", _flag=True),
        mis("5", "01/06/2025", "02/06/2025"),
        mis("6", "03/06/2025"),                            # another child
        mis("7", "05/06/2025", "05/06/2025", _flag=True),  # same start day as a longer one
        mis("7", "05/06/2025", "10/06/2025", _flag=True),
        mis("8", "01/06/2025", "02/06/2025"),
        mis("8", None, "03/06/2025"),                      # no start: cannot be placed
    ]})


def test_575_open_missing_from_placement_that_ended():
    check("575", {
        "Episodes": [
            ep("1", "01/05/2025", "01/07/2025", "X1", RNE="S"), ep("1", "01/07/2025", RNE="P"),
            ep("2", "01/05/2025", "01/07/2025", "X1", RNE="S"), ep("2", "01/07/2025", RNE="L"),
            ep("3", "01/05/2025", "01/07/2025", "E4A", RNE="S"),
            ep("4", "01/05/2025", RNE="S"),
        ],
        "Missing": [
            mis("1", "10/06/2025", _flag=True),         # placement changed 01/07 while still missing
            mis("1", "01/07/2025"),                     # went missing from the new placement
            mis("1", "15/06/2025", "20/06/2025"),       # ended
            mis("2", "10/06/2025"),                     # only the legal status changed
            mis("3", "01/07/2025", _flag=True),         # the day the placement ended
            mis("3", "02/07/2025"),                     # after care ended (rule 578)
            mis("4", "10/06/2025"),                     # placement still open
            mis("5", "10/06/2025"),                     # no episodes
        ],
    })


def test_576_open_period_last_year_carried_forward():
    last = {"Missing": [
        mis("1", "01/03/2025"),
        mis("2", "01/03/2025"),
        mis("3", "01/02/2025", "05/02/2025"),
        mis("4", "01/03/2025"),
    ]}
    check("576", {"Missing": [
        mis("1", "01/03/2025", "10/04/2025"),               # carried forward
        mis("1", "01/05/2025"),
        mis("2", "01/04/2025", "10/04/2025", _flag=True),   # a different start date
        mis("2", "01/05/2025"),
        mis("3", "01/04/2025", "10/04/2025"),               # last year's period was closed
        mis("5", "01/04/2025"),                             # nothing last year
    ]}, last=last)


def test_577_open_missing_after_care_ceased():
    check("577", {
        "Episodes": [
            ep("1", "01/05/2025", "01/07/2025", "E4A"),
            ep("2", "01/05/2025", "01/07/2025", "X1"), ep("2", "01/07/2025"),
            ep("3", "01/05/2025", "01/07/2025", "E4A"), ep("3", "01/09/2025"),
        ],
        "Missing": [
            mis("1", "10/06/2025", _flag=True),
            mis("1", "12/06/2025", "13/06/2025"),
            mis("2", "10/06/2025"),                   # care continues
            mis("3", "10/06/2025", _flag=True),       # first period of care ended
            mis("3", "10/09/2025"),                   # in the current period
            mis("4", "10/06/2025"),                   # no episodes
        ],
    })


def test_578_missing_starts_after_care_ceased():
    check("578", {
        "Episodes": [
            ep("1", "01/05/2025", "01/07/2025", "E4A"),
            ep("2", "01/05/2025", "01/07/2025", "E4A"), ep("2", "01/09/2025"),
            ep("3", "01/05/2025"),
        ],
        "Missing": [
            mis("1", "01/07/2025", "02/07/2025"),              # the day care ended
            mis("1", "02/07/2025", "03/07/2025", _flag=True),
            mis("2", "10/08/2025", "11/08/2025", _flag=True),  # between periods of care
            mis("2", "10/09/2025"),
            mis("3", "10/04/2025"),                            # before care started (rule 581)
        ],
    })


def test_580_missing_at_18th_birthday_needs_e8():
    check("580", {
        "Header": [{"CHILD": "1", "DOB": "01/07/2007"}, {"CHILD": "2", "DOB": "01/07/2007"},
                   {"CHILD": "3", "DOB": "01/07/2007"}, {"CHILD": "4", "DOB": "01/07/2007"},
                   {"CHILD": "5", "DOB": "02/07/2007"}],
        "Episodes": [
            ep("1", "01/05/2025", "01/07/2025", "E17", _flag=True),
            ep("2", "01/05/2025", "01/07/2025", "E8"),
            ep("3", "01/05/2025", "01/07/2025", "E17"),
            ep("4", "01/05/2025", "01/07/2025", "E17", _flag=True),
            ep("5", "01/05/2025", "01/07/2025", "E17"),
        ],
        "Missing": [
            mis("1", "20/06/2025", "01/07/2025", DOB="01/07/2007"),
            mis("2", "20/06/2025", "01/07/2025", DOB="01/07/2007"),
            mis("3", "20/06/2025", "30/06/2025", DOB="01/07/2007"),  # found the day before
            mis("4", "20/06/2025", "01/07/2025"),                    # DOB from Header
            mis("5", "20/06/2025", "01/07/2025", DOB="02/07/2007"),  # care ended before 18
        ],
    })


def test_581_missing_before_care_started():
    check("581", {
        "Episodes": [ep("1", "01/05/2025", "01/07/2025", "E4A"), ep("1", "01/09/2025"), ep("2", "01/05/2025")],
        "Missing": [
            mis("1", "30/04/2025", "01/05/2025", _flag=True),
            mis("1", "01/05/2025", "02/05/2025"),           # the day care started
            mis("1", "10/08/2025", "11/08/2025"),           # between periods of care (rule 578)
            mis("2", "10/06/2025"),
            mis("3", "10/06/2025"),                         # no episodes
        ],
    })
