"""Every CIN census rule on the DfE list is implemented (or says why not), carries the DfE wording,
and has its own test."""

import csv
import re
from pathlib import Path

from careboard.validate.rule_lists import cin_rules
from careboard.validate.ruleset import CIN
from sample_files import sample

# The rule list the D2I validator holds, kept in the repository (tests/data/samples/README.md).
SHARED_LIST = sample("cin/cin_rules.csv")


def test_every_listed_cin_rule_is_implemented():
    missing = sorted(set(cin_rules()) - set(CIN.rules()))
    assert not missing, f"CIN rules not implemented: {missing}"


def test_the_packaged_list_holds_every_dfe_code_and_wording_of_the_shared_list():
    listed = cin_rules()
    for row in csv.DictReader(SHARED_LIST.open(encoding="utf-8")):
        info = listed[row["code"]]
        years = [int(r[3:7]) + 1 for r in row["applies_to_rulesets"].split(";")]
        for y in years:
            assert info.message_for(y) == row["message"].strip(), (row["code"], y)
            assert info.applies_to(y)
        assert info.query == (row["rule_type"] == "Query")
    own = [code for code, info in listed.items() if info.careboard]
    assert own and all(code.startswith("CB-") for code in own)
    assert all("careboard" in listed[code].message for code in own)


def test_every_cin_rule_has_a_test_that_runs_it():
    tested: set[str] = set()
    for path in Path(__file__).parent.glob("test_cin_rules_*.py"):
        tested |= set(re.findall(r"(?:check|flagged)\(\s*\"([A-Za-z0-9-]+)\"", path.read_text()))
    untested = sorted(set(CIN.rules()) - tested)
    assert not untested, f"CIN rules without a test: {untested}"


def test_cin_validation_doc_is_generated_from_the_rules():
    from careboard.validate import docs

    path = Path(__file__).resolve().parents[2] / "docs" / "validation-cin.md"
    assert path.read_text() == docs.render_cin(), (
        "docs/validation-cin.md is stale: run python -m careboard.validate.docs cin > docs/validation-cin.md"
    )
