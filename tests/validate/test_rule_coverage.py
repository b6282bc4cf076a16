"""Every implemented rule is in the DfE list and has its own test; the registry loads cleanly."""

import re
from pathlib import Path

from careboard.validate.catalogue import dfe_rules
from careboard.validate.rule import all_rules


def test_every_rule_is_a_dfe_rule_with_wording():
    for code, rule in all_rules().items():
        assert rule.info.message, code
        assert code in dfe_rules()


def test_every_rule_has_a_test_that_runs_it():
    tested: set[str] = set()
    for path in Path(__file__).parent.glob("test_rules_*.py"):
        tested |= set(re.findall(r"check\(\s*\"([A-Za-z0-9]+)\"", path.read_text()))
    untested = sorted(set(all_rules()) - tested)
    assert not untested, f"rules without a test: {untested}"
