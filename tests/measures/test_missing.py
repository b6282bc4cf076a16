"""Missing / away measures on hand-made 2024-25 and 2025-26 returns, figures worked out by hand.

Children looked after during 2025-26 (1 April 2025 to 31 March 2026): M1, M2, M3, M4, M5, M7 (6);
M6 was looked after only under short breaks (V3) and is in neither count.  Incidents in the 2025-26
Missing table:

    M1  missing 1-2 May 2025 (sent twice: one incident), missing 10 Aug 2025 (back the same day),
        away 1-3 Sep 2025
    M2  missing 28 Mar 2025 to 2 Apr 2025: began last year (open in the 2024-25 return), counts in both
    M3  missing 1-4 Jul 2025; turned 18 and left care 15 Nov 2025; "missing" 1-2 Dec 2025 after leaving
        care does not count
    M4  a row for 1-5 Jan 2025, before the year: does not count
    M5  entered care 1 Oct 2025; missing 20-21 Nov 2025, and from 30 Mar 2026, still missing on 31 March
    M6  short breaks only: not counted
    M7  left care 20 Apr 2025, never missing
"""

from __future__ import annotations

from builders_outcomes import computed, episode, header, missing

DOB = {"M1": "2010-01-01", "M2": "2009-03-03", "M3": "2007-11-15", "M4": "2012-06-06", "M5": "2011-01-01",
       "M6": "2013-05-05", "M7": "2014-02-02"}
SEX = {"M1": "F", "M2": "M", "M3": "M", "M4": "F", "M5": "M", "M6": "F", "M7": "F"}


def _people(children):
    return [header(c, SEX[c], DOB[c]) for c in children]


RETURNS = {
    2025: {
        "Header": _people(["M1", "M2", "M3", "M4", "M7"]),
        "Episodes": [
            episode("M1", "2022-01-01", "S", "C2", "U4"),
            episode("M2", "2023-02-02", "S", "C2", "K2"),
            episode("M3", "2021-01-01", "S", "C2", "K2"),
            episode("M4", "2024-01-01", "S", "C2", "U4"),
            episode("M7", "2024-05-05", "S", "V2", "U4"),
        ],
        "Missing": [missing("M2", DOB["M2"], "M", "2025-03-28")],
    },
    2026: {
        "Header": _people(DOB),
        "Episodes": [
            episode("M1", "2022-01-01", "S", "C2", "U4"),
            episode("M2", "2023-02-02", "S", "C2", "K2"),
            episode("M3", "2021-01-01", "S", "C2", "K2", "2025-11-15", "E5"),
            episode("M4", "2024-01-01", "S", "C2", "U4"),
            episode("M5", "2025-10-01", "S", "V2", "K2"),
            episode("M6", "2025-06-01", "S", "V3", "U4", "2025-06-12", "E8"),
            episode("M7", "2024-05-05", "S", "V2", "U4", "2025-04-20", "E4A"),
        ],
        "Missing": [
            missing("M1", DOB["M1"], "M", "2025-05-01", "2025-05-02"),
            missing("M1", DOB["M1"], "M", "2025-05-01", "2025-05-02"),
            missing("M1", DOB["M1"], "M", "2025-08-10", "2025-08-10"),
            missing("M1", DOB["M1"], "A", "2025-09-01", "2025-09-03"),
            missing("M2", DOB["M2"], "M", "2025-03-28", "2025-04-02"),
            missing("M3", DOB["M3"], "M", "2025-07-01", "2025-07-04"),
            missing("M3", DOB["M3"], "M", "2025-12-01", "2025-12-02"),
            missing("M4", DOB["M4"], "M", "2025-01-01", "2025-01-05"),
            missing("M5", DOB["M5"], "M", "2025-11-20", "2025-11-21"),
            missing("M5", DOB["M5"], "M", "2026-03-30"),
            missing("M6", DOB["M6"], "M", "2025-06-10", "2025-06-10"),
        ],
    },
}

IDS = ["missing_children", "away_children", "missing_incidents", "missing_more_than_once",
       "missing_incidents_per_child", "missing_duration_median"]


def test_missing_measures_2025_26():
    got = computed(RETURNS, IDS)

    def overall(measure):
        return got[(measure, 2026, "all", "All")]

    # Went missing: M1, M2, M3, M5 of the 6 looked after during the year.
    assert overall("missing_children") == (4, 6, 66.7)
    # Away: M1 only.
    assert overall("away_children") == (1, 6, 16.7)
    # Incidents: M1 2 (the duplicate is one; the away is not missing), M2 1, M3 1, M5 2.
    assert overall("missing_incidents") == (6, None, 6)
    # More than once: M1 and M5.
    assert overall("missing_more_than_once") == (2, None, 2)
    # 6 incidents / 4 children.
    assert overall("missing_incidents_per_child") == (None, 4, 1.5)
    # Ended incidents last 1 (M1), 0 (M1), 5 (M2), 3 (M3), 1 (M5) days; M5's open one has no length.
    assert overall("missing_duration_median") == (None, 5, 1.0)


def test_an_incident_carried_over_counts_in_both_years():
    got = computed(RETURNS, IDS)
    # 2024-25: looked after M1, M2, M3, M4, M7; M2 went missing on 28 March and was still missing.
    assert got[("missing_children", 2025, "all", "All")] == (1, 5, 20.0)
    assert got[("away_children", 2025, "all", "All")] == (0, 5, 0.0)
    assert got[("missing_incidents", 2025, "all", "All")] == (1, None, 1)
    # Nobody went missing twice, and the one incident had not ended: no figure rather than 0.
    assert ("missing_more_than_once", 2025, "all", "All") not in got
    assert ("missing_duration_median", 2025, "all", "All") not in got


def test_missing_breakdowns_describe_the_child():
    got = computed(RETURNS, ["missing_children", "missing_incidents"])
    # Girls M1 (yes), M4, M7 (no); boys M2, M3, M5 all went missing.
    assert got[("missing_children", 2026, "sex", "F")] == (1, 3, 33.3)
    assert got[("missing_children", 2026, "sex", "M")] == (3, 3, 100.0)
    # Incidents: girls 2 (M1), boys 4 (M2 1, M3 1, M5 2).
    assert got[("missing_incidents", 2026, "sex", "F")] == (2, None, 2)
    assert got[("missing_incidents", 2026, "sex", "M")] == (4, None, 4)
