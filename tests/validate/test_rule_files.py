"""A newcomer finds a rule's file without grep: docs/validation*.md name it, and the name says what it checks."""

import re
from pathlib import Path

import pytest

from careboard.validate.ruleset import CIN, SSDA903

SRC = Path(__file__).resolve().parents[2] / "src"
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("ruleset, doc", [(SSDA903, "validation.md"), (CIN, "validation-cin.md")])
def test_every_rule_names_the_file_that_defines_it(ruleset, doc):
    files = ruleset.rule_files()
    assert set(files) == set(ruleset.rules())
    text = (DOCS / doc).read_text()
    for code, path in files.items():
        assert (SRC / path).is_file(), path
        row = next(line for line in text.splitlines() if line.startswith(f"| {code} |"))
        assert f"(../src/{path})" in row, f"{doc} does not give {code}'s file"


def test_rule_module_names_say_what_they_check():
    names = [p.stem for p in (SRC / "careboard/validate/rules").glob("*.py")]
    names += [p.stem for p in (SRC / "careboard/validate/rules_cin").glob("*.py")]
    vague = [n for n in names if re.search(r"_part\d|_more$|_misc|_other", n)]
    assert not vague, f"rename these after what they check: {vague}"


def test_a_last_year_comparison_of_the_first_episode_is_with_the_others():
    """Rules 502 and 503A-503J all compare the first episode with last year's open one: one file."""
    files = SSDA903.rule_files()
    assert {files[c] for c in ("502", "503A", "503B", "503C", "503D", "503E", "503F", "503G", "503H", "503J")} \
        == {"careboard/validate/rules/last_year.py"}
