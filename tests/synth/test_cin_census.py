"""Synthetic CIN censuses: valid against the census schema, clean under careboard's CIN rules (apart
from documented queries), consistent with the SSDA903, every injected mistake found where the
manifest says, and calibrated to England's 2025 figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree
from synth_helpers import YEARS

from careboard.validate.runner import validate_all_files
from sample_files import SAMPLES

XSD = SAMPLES / "schemas" / "cin_xsd"  # Social Finance's CIN census XSDs, kept in the repository

# DfE queries that a clean synthetic census raises, as real censuses do, and why that is right.
EXPECTED_ON_CLEAN = {
    # an assessment that takes more than 45 working days (14% do, C2 2025) and is still going on 31 March
    "8670Q": "assessment started over 45 working days before 31 March and not yet authorised",
    # a conference later than 15 working days (19% are, LAIT 2025) not yet held on 31 March
    "8675Q": "section 47 started over 15 working days before 31 March, conference not yet held",
    # the assessment was authorised last year and the section 47 started then, its conference this year
    "2991Q": "section 47 whose episode's assessment was authorised in the previous census year",
}
CIN_TABLES = {
    "Child",
    "Disability",
    "CINEpisode",
    "Assessment",
    "AssessmentFactor",
    "CINPlan",
    "Section47",
    "CPPlan",
    "CPPReview",
}


def label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def census(root: Path, year: int) -> Path:
    return root / "cin" / label(year) / f"cin_census_{root.name}_{label(year)}.xml"


@pytest.mark.parametrize("year", [2021, 2024, 2025, 2026])
def test_clean_census_is_valid_against_the_schema_of_its_year(small_authority, year):
    schema = etree.XMLSchema(etree.parse(str(XSD / f"CIN_schema_{year}.xsd")))
    assert schema.validate(etree.parse(str(census(small_authority, year)))), list(schema.error_log)[:5]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_clean_census_raises_only_documented_queries_with_every_cross_check(small_authority, year):
    this, last = label(year), label(year - 1)
    checked = {
        c.kind: c
        for c in validate_all_files(
            [small_authority / "cin" / this, small_authority / "ssda903" / this],
            None,
            None,
            [small_authority / "cin" / last, small_authority / "ssda903" / last],
        )
    }
    cin = checked["cin"]
    assert not cin.result.skipped, cin.result.skipped  # last year's census and the SSDA903 were there
    unexpected = [f for f in cin.findings if f["rule"] not in EXPECTED_ON_CLEAN]
    assert not unexpected, f"{len(unexpected)} unexpected CIN findings in {year}, e.g. {unexpected[:5]}"


def test_every_child_looked_after_is_in_the_census_with_the_same_identity(small_authority):
    # the cross-checks above found nothing; here, that they had something to compare
    import duckdb

    from careboard.returns.reader import read_returns

    rets = {
        r.kind: r for r in read_returns([small_authority / "cin" / "2025-26", small_authority / "ssda903" / "2025-26"])
    }
    con = duckdb.connect()
    con.register("child", rets["cin"].tables["Child"])
    con.register("header", rets["ssda903"].tables["Header"])
    both = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE c.PersonBirthDate = h.DOB) FROM header h "
        "JOIN child c ON c.LAchildID = h.CHILD"
    ).fetchone()
    assert both[0] > 100 and both[0] == both[1]


def test_every_injected_cin_mistake_is_found_at_its_record(with_errors):
    manifest = list(csv.DictReader((with_errors / "cin_errors_manifest.csv").open()))
    assert {m["table"] for m in manifest} <= CIN_TABLES
    assert {m["rule"] for m in manifest} >= {"4220", "8866", "8925", "CB-TYPE", "8869"}
    for year in (2025, 2026):
        (checked,) = validate_all_files([census(with_errors, year)], None, None, kinds=["cin"])
        found = {(f["rule"], f["table"], f["row"]) for f in checked.findings}  # row: the record
        wanted = [(m["rule"], m["table"], int(m["line"])) for m in manifest if int(m["year"]) == year]
        missing = [w for w in wanted if w not in found]
        assert wanted and not missing, (
            f"{len(missing)} of {len(wanted)} injected mistakes in {year} not found: {missing[:5]}"
        )


def test_cin_figures_are_calibrated_to_england(small_authority):
    from careboard.authorities import resolve
    from careboard.synth.cin import simulate_cin
    from careboard.synth.cin_report import CIN_TARGETS, cin_figures
    from careboard.synth.lives import simulate
    from careboard.synth.postcodes import Geography, load_postcodes

    authority = resolve("886")
    lv = simulate(
        authority.code,
        authority.ons_code,
        Geography(load_postcodes(), authority.ons_code),
        400,
        YEARS[0],
        YEARS[-1],
        11,
    )
    history = simulate_cin(lv, 400)
    got = {}
    for year in (2024, 2025, 2026):  # averaged over three years: a 400-child authority is small
        for name, value in cin_figures(history, lv, year).items():
            got[name] = got.get(name, 0) + value / 3
    for name, target in CIN_TARGETS.items():
        small = name.startswith("plans ceasing") or name.startswith("plans open 2 years")
        tolerance = 3.0 if small else 0.15 * target  # percentage points for rare events, else 15%
        assert abs(got[name] - target) <= tolerance, f"{name}: generated {got[name]:.2f}, England {target:.2f}"
