"""Write docs/validation.md (SSDA903) and docs/validation-cin.md (CIN census) from the rule
registries and the DfE rule lists.

    python -m careboard.validate.docs > docs/validation.md
    python -m careboard.validate.docs cin > docs/validation-cin.md
"""

from __future__ import annotations

from careboard.validate.catalogue import dfe_rules
from careboard.validate.rule import NOT_RUN, all_rules

HEADER = """# SSDA903 validation rules

Generated from `src/careboard/validate/rules/` and the DfE rule list (`validate/dfe_rules.csv`) by
`python -m careboard.validate.docs`; do not edit by hand.

Each rule is one declarative unit: its DfE code and one set-based SQL check (or, for "is not a valid
date" rules, the cells the reader could not type). The DfE's wording is the specification. Where
careboard had to read that wording, or differs from the community validator
(`csc-validator-be-903`), the rule's note says so below.

Known differences from `csc-validator-be-903` 0.1.17, by design:

* a valid `K3` placement is accepted in 2024-25 (that validator compares with lower-case `k3`);
* rules 231, 233 (2025-26) and 709, 710 (2026-27) are implemented from the DfE wording (that
  validator references columns that do not exist and skips them);
* rule 706 runs without last year's DoLo table (that validator crashes);
* placement authority and in/out of area use the April 2023 district to upper-tier lookup, so
  placements in Cumberland, Westmorland and Furness, North Yorkshire and Somerset are placed by
  their current authorities;
* a second file for the same table is an error, never a silent replacement;
* placement distance is measured between postcode-sector centroids (ONSPD November 2025), not full
  postcodes: accurate to about a mile.
"""


def render() -> str:
    implemented = all_rules()
    rules = dfe_rules()
    done = [c for c in rules if c in implemented]
    missing = [c for c in rules if c not in implemented]
    parts = [HEADER, f"\n{len(done)} of {len(rules)} DfE rules are implemented.\n"]
    parts.append("\n| rule | DfE message | years | careboard's reading |\n| --- | --- | --- | --- |\n")
    for code in done:
        info = rules[code]
        yrs = ", ".join(str(y) for y in sorted(info.years))
        note = implemented[code].note.replace("|", "/").replace("\n", " ")
        parts.append(f"| {code} | {info.message.replace('|', '/')} | {yrs} | {note} |\n")
    if missing:
        parts.append("\n## Not run\n\nThese are reported as 'not run', with the reason, in every validation; never "
                     "passed silently.\n\n")
        for code in missing:
            parts.append(f"* {code}: {NOT_RUN.get(code, 'not yet implemented')}\n")
    return "".join(parts)


CIN_HEADER = """# CIN census validation rules

Generated from `src/careboard/validate/rules_cin/` and the CIN rule list (`validate/cin_rules.csv`) by
`python -m careboard.validate.docs cin`; do not edit by hand.

The DfE's CIN census rules for 2022-23 to 2025-26 (the list and wording as the community validator
`csc-validator-be-cin` transcribed them from the DfE's rule specification), each one
declarative unit run by the same engine as the SSDA903 rules.  A census before 2022-23 is checked
against the 2022-23 rules with its own year's code lists; a 2026-27 census against the 2025-26
rules (the DfE's 2026-27 rules for the new pre-proceedings module are not in a released validator
yet, so careboard does not guess them).  Queries (codes ending Q) ask the authority to check and
explain rather than correct.

Codes beginning **CB-** are careboard's own checks, clearly not DfE rules: a value the census
schema would reject (CB-TYPE), the census against last year's (CB-LY-...: the DfE compares whole-
return figures between years, not records, with thresholds it does not publish) and against the
SSDA903 of the same year (CB-903-...).  Where careboard reads the DfE wording differently from the
community validator, the rule's note says so; `docs/validation-agreement.md` shows the two side
by side on a synthetic census.

The census period is 1 April to 31 March.  The DfE's rules measure it to the header's
<ReferenceDate>, which rule 100 requires to be that 31 March; careboard uses the 31 March itself, so
one wrong header date is one finding (rule 100), not one on every record.  Working days skip
weekends and England's bank holidays.
"""


def render_cin() -> str:
    from careboard.validate.catalogue import cin_rules
    from careboard.validate.ruleset import CIN

    implemented = CIN.rules()
    rules = cin_rules()
    dfe = [c for c in rules if not rules[c].careboard]
    own = [c for c in rules if rules[c].careboard]
    parts = [CIN_HEADER, f"\n{sum(c in implemented for c in dfe)} of {len(dfe)} DfE rules are implemented, "
             f"and {len(own)} careboard checks.\n"]
    for title, codes in (("DfE rules", dfe), ("careboard's own checks", own)):
        parts.append(f"\n## {title}\n\n| rule | message | type | years | careboard's reading |\n"
                     "| --- | --- | --- | --- | --- |\n")
        for code in codes:
            info = rules[code]
            yrs = ", ".join(str(y) for y in sorted(info.years))
            distinct = {m for _, m in info.wordings}
            wording = " / ".join(f"{m} ({', '.join(str(y) for y in sorted(ys))})" for ys, m in info.wordings) \
                if len(distinct) > 1 else info.message
            note = implemented[code].note.replace("|", "/").replace("\n", " ") if code in implemented else ""
            kind = "query" if info.query else "error"
            parts.append(f"| {code} | {wording.replace('|', '/')} | {kind} | {yrs} | {note} |\n")
    missing = [c for c in rules if c not in implemented]
    if missing:
        parts.append("\n## Not run\n\n")
        for code in missing:
            parts.append(f"* {code}: {CIN.not_run.get(code, 'not yet implemented')}\n")
    return "".join(parts)


if __name__ == "__main__":
    import sys

    print(render_cin() if sys.argv[1:] == ["cin"] else render(), end="")
