"""Breakdowns read in their natural order and in words (issue 13, item 5)."""

from __future__ import annotations

import pytest

from careboard.publish import categories


def test_age_bands_in_natural_order_not_as_text():
    values = ["10 to 15", "16 and over", "1 to 4", "Under 1", "5 to 9", "Unknown"]
    assert categories.ordered("age_band", values) == ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over",
                                                      "Unknown"]
    # Care leavers' single years of age, after the bands, by number (not "19" < "2")
    assert categories.ordered("age_band", ["21", "19", "20", "18", "17"]) == ["17", "18", "19", "20", "21"]
    assert categories.ordered("entry_age_band", ["5 to 9", "Under 1"]) == ["Under 1", "5 to 9"]


@pytest.mark.parametrize(("breakdown", "value", "label"), [
    ("sex", "F", "Female"), ("sex", "M", "Male"), ("sex", "U", "Unknown"),
    ("uasc", "UASC", "Unaccompanied asylum-seeking children"), ("uasc", "Not UASC", "Other children"),
    ("ethnic_group", "White", "White"), ("legal_group", "Care order", "Care order"),
    ("placement_type", "Kinship fostering", "Kinship fostering"),  # the sufficiency page's name too
])
def test_labels_in_words_from_the_dfe_code_lists(breakdown, value, label):
    assert categories.label(breakdown, value) == label


def test_dfe_orders_and_not_known_last():
    assert categories.ordered("sex", ["F", "U", "M"]) == ["M", "F", "U"]  # the SSDA903 SEX code list's order
    assert categories.ordered("ethnic_group", ["White", "Refused or not yet obtained", "Asian or Asian British",
                                               "Black, African, Caribbean or Black British"]) == [
        "White", "Asian or Asian British", "Black, African, Caribbean or Black British", "Refused or not yet obtained"]
    assert categories.ordered("placement_type", ["Other", "Agency fostering", "Kinship fostering", "Unknown"]) == [
        "Kinship fostering", "Agency fostering", "Other", "Unknown"]
    assert categories.ordered("legal_group", ["Voluntary agreement (section 20)", "Care order", "Placement order"]) == [
        "Care order", "Placement order", "Voluntary agreement (section 20)"]
