"""The declarations of what each measure counts (publish/cohorts.py): complete, and true of real-shaped data."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from careboard.measures.measure import all_measures
from careboard.publish import cohorts
from careboard.publish.release import read_values

# Whole tables that happen to be equal in synthetic returns without being the same children by definition:
# every synthetic child has a social worker recorded (social_workers_3_plus and social_worker_changed share
# that denominator), and no synthetic care leaver has gone abroad (whose accommodation cannot be judged).
# Disclosure control relates them through their populations anyway (a sub-cohort equal to its cohort at the
# headline is equal in every cell, as a reader can work out).
COINCIDENCES = {"social_workers_3_plus", "social_worker_changed", "care_leavers_suitable_accommodation_17_18",
                "care_leavers_suitable_accommodation_19_21"}
# Pairs of tables equal in these synthetic returns by chance of how they are made, not by definition:
COINCIDENT_PAIRS = {
    # synthetic missing incidents never run across 31 March, so the children missing during the year (the
    # year's return) are the children whose incidents began in it (every return; oversight's missing.sql)
    frozenset({"missing_children", "missing_repeat_share"}),
    # ... and every incident ends in the year it began, with a row in the synthetic missing_detail extract
    frozenset({"missing_over_24_hours", "return_interviews_within_72h"}),
    frozenset({"missing_incidents", "return_interviews_offered"}),
    # one care leaver aged 17-18 in higher education, one not in touch: the same single 1 in one year
    frozenset({"care_leavers_higher_education_17_18", "care_leavers_not_in_touch_17_18"}),
}


AUTHORITIES = {"returns": "small_authority", "everything": "small_authority_everything"}


@pytest.fixture(params=list(AUTHORITIES))
def authority(request):
    """The synthetic authority with its returns only, and with the extracts and workforce census too (the
    oversight measures: IRO service, missing detail, workforce)."""
    return request.getfixturevalue(AUTHORITIES[request.param])


@pytest.fixture
def releases(request, authority):
    """The authority's releases, built once per session (publish/conftest.py)."""
    return request.getfixturevalue(AUTHORITIES[request.node.callspec.params["authority"]] + "_releases")


def test_every_catalogue_measure_says_what_it_counts():
    """A measure left out would be controlled only within its own tables, blind to its links to others."""
    declared = set(cohorts.COUNTS) | set(cohorts.RATIOS) | cohorts.AVERAGES_WITHOUT_COUNTS
    missing = {m.id for m in all_measures().values()} - declared
    assert not missing, f"declare these in publish/cohorts.py: {sorted(missing)}"
    for mid, pair in cohorts.RATIOS.items():
        assert all(p in cohorts.COUNTS for p in pair), mid
    for mid in cohorts.AVERAGES_WITHOUT_COUNTS:
        assert all_measures()[mid].kind in ("mean", "median"), mid


def test_the_declarations_hold_for_synthetic_returns(authority, releases):
    """No count is given two values, no relation is broken, so no measure falls back to a table of its own."""
    con, _, years = authority
    for year in years:
        fallbacks = releases.get(con, year).fallbacks  # decide()'s, over the year's figures and validation counts
        assert fallbacks == set(), (year, fallbacks)


def test_tables_that_are_always_equal_are_declared_as_the_same_children(authority):
    """Scan every pair of measures' numerator/denominator tables: equal in every cell of every year means the
    same count (or a known coincidence), so the declarations must give them the same keys."""
    con, la, years = authority
    measures = all_measures()
    tables: dict[tuple, dict] = defaultdict(dict)
    for year in years:
        for r in read_values(con, la, year):
            m = measures[r["measure"]]
            if m.kind not in ("count", "proportion"):
                continue
            for part, field in (("num", "numerator"), ("den", "denominator")):
                if r[field] is not None:
                    tables[(r["measure"], part, r["breakdown"])][(year, r["breakdown_value"])] = r[field]
    undeclared, equal = [], 0
    for (a, b) in itertools.combinations(sorted(tables), 2):
        if a[0] == b[0] or a[2] != b[2] or {a[0], b[0]} & COINCIDENCES or frozenset({a[0], b[0]}) in COINCIDENT_PAIRS:
            continue
        ta, tb = tables[a], tables[b]
        cells = set(ta) | set(tb)
        if any(ta.get(c, 0) != tb.get(c, 0) for c in cells) or not any(ta.get(c, 0) for c in cells):
            continue
        equal += 1
        ka = {cohorts.COUNTS[a[0]].key(a[1], a[2], v) for _, v in cells}
        kb = {cohorts.COUNTS[b[0]].key(b[1], b[2], v) for _, v in cells}
        if ka != kb:
            undeclared.append((a, b))
    assert not undeclared, undeclared[:10]
    assert equal > 100  # not vacuous: the children-looked-after denominators alone give many
