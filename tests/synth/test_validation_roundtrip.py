"""Synthetic returns against careboard's own DfE validation: clean ones pass, injected mistakes are found."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from careboard.validate.runner import validate_files

# Rules that may fire on clean synthetic data, and why that is right (see docs/synth.md).
EXPECTED_ON_CLEAN = {
    # The validator sees only this year's and last year's returns; a care leaver whose time in care was
    # earlier has no episodes in either, exactly the case these rules' own DfE wording warns about.
    "1001": "care leaver with no episodes in the two returns the validator sees",
    "1002": "care leaver with no episodes in the two returns the validator sees",
    # Relatives' foster placements outside the authority recorded as own provision: a query, which
    # real returns raise too, kept on purpose.
    "1015": "query on PR1 placements placed outside the authority",
    # A young mother who leaves care: last year's Header gave her child's date of birth, this year she
    # is a care leaver not looked after, whose motherhood details rule 628 says are not required, so
    # the blank MC_DOB 'contradicts' last year's.  Rules 624 and 628 cannot both pass; real returns
    # raise it too.
    "624": "care leaver's MC_DOB left blank (rule 628) after last year gave it",
    # A girl who left care, had her first child, then came back: last year's MOTHER 0 was right when
    # she left, and this year's MOTHER 1 with the child's date of birth before the year is true.
    "626": "child born between two periods of care, after last year's MOTHER 0",
}


def findings(root: Path, year: int) -> list[dict]:
    label = f"{year - 1}-{year % 100:02d}"
    last = f"{year - 2}-{(year - 1) % 100:02d}"
    checked = validate_files([root / "ssda903" / label], None, None, [root / "ssda903" / last])
    return checked.findings


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_clean_return_raises_only_documented_queries(small_authority, year):
    unexpected = [f for f in findings(small_authority, year) if f["rule"] not in EXPECTED_ON_CLEAN]
    assert not unexpected, f"{len(unexpected)} unexpected findings in {year}, e.g. {unexpected[:5]}"


def test_every_injected_mistake_is_found(with_errors):
    manifest = list(csv.DictReader((with_errors / "errors_manifest.csv").open()))
    assert manifest
    for year in (2025, 2026):
        found = {(f["rule"], f["table"], f["row"]) for f in findings(with_errors, year)}  # row: the data row
        wanted = [(m["rule"], m["table"], int(m["line"])) for m in manifest if int(m["year"]) == year]
        missing = [w for w in wanted if w not in found]
        assert not missing, f"{len(missing)} of {len(wanted)} injected mistakes in {year} not found: {missing[:5]}"
