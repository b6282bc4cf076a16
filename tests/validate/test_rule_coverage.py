"""Every implemented rule is a DfE rule or one of careboard's own checks, with wording and its own
test; the registry loads cleanly."""

import re
from pathlib import Path

from careboard.validate.rule import all_rules
from careboard.validate.rule_lists import careboard_rules, dfe_rules


def test_every_rule_is_a_dfe_rule_or_a_labelled_careboard_check():
    for code, rule in all_rules().items():
        assert rule.info.message, code
        if code.startswith("CB-"):
            assert code in careboard_rules() and rule.info.source == "careboard"
            assert rule.info.message.startswith("careboard"), code  # labelled as careboard's own
        else:
            assert code in dfe_rules() and rule.info.source == "DfE"
    assert not set(careboard_rules()) & set(dfe_rules())


def test_every_rule_has_a_test_that_runs_it():
    tested: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        tested |= set(re.findall(r"(?:check|flagged)\(\s*\"([A-Za-z0-9-]+)\"", path.read_text()))
    untested = sorted(set(all_rules()) - tested)
    assert not untested, f"rules without a test: {untested}"
