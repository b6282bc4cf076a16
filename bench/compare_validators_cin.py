"""Compare careboard's CIN census validation with the community validator (csc-validator-be-cin),
rule by rule, on the same census file.

    python bench/compare_validators_cin.py CENSUS.xml [--manifest cin_errors_manifest.csv]
        [--d2i-python /opt/d2i-cin/bin/python] [--out agreement.md]

For every rule either flags, the records each flags are compared as (table, record number), in
careboard's tables (the community validator's ChildIdentifiers and ChildCharacteristics rows are
careboard's Child records, its Reviews rows the first review date of each plan, and so on).
Findings about the whole return are compared as the Header record.  With ``--manifest`` (``cin_errors_manifest.csv``,
written by ``careboard synth --errors``) it also counts, per validator, the injected mistakes found at their
record.  careboard's own checks (codes CB-...) are listed apart: the community validator has none.

The community validator is run in its own virtual environment, since it pins pandas below 2:
``python -m venv /opt/d2i-cin && /opt/d2i-cin/bin/pip install csc-validator-be-cin 'numpy<2'``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from lxml import etree

from careboard.validate.rule_lists import cin_rules
from careboard.validate.runner import validate_all_files

D2I_SCRIPT = r"""
import json, sys, importlib, logging, time, io, contextlib
import xml.etree.ElementTree as ET
logging.disable(logging.CRITICAL)
from cin_validator import cin_validator
path, ruleset = sys.argv[1:3]
started = time.perf_counter()
root = ET.parse(path).getroot()
data = cin_validator.process_data(cin_validator.convert_data(root))
registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
errors = io.StringIO()
with contextlib.redirect_stdout(errors):
    v = cin_validator.CinValidator(data, registry)
seconds = time.perf_counter() - started
flags = {}
for r in v.full_issue_df[["rule_code", "tables_affected", "row_id"]].itertuples(index=False):
    if r.tables_affected is None or r.row_id is None or r.row_id != r.row_id:
        continue
    flags.setdefault(str(r.rule_code), []).append([str(r.tables_affected), int(r.row_id)])
whole = sorted({str(c) for c in v.multichild_issues["rule_code"].tolist()}) if len(v.multichild_issues) else []
crashed = [line.split(":")[0].replace("Error with rule ", "") for line in errors.getvalue().splitlines()
           if line.startswith("Error with rule")]
print(json.dumps({"flags": flags, "whole": whole, "crashed": crashed, "seconds": seconds}))
"""

# The community validator's tables -> careboard's, for tables numbered the same way.
_SAME = {
    "childidentifiers": "Child", "childcharacteristics": "Child", "disabilities": "Disability",
    "cindetails": "CINEpisode", "assessments": "Assessment", "cinplandates": "CINPlan", "section47": "Section47",
    "childprotectionplans": "CPPlan",
}


def ruleset_for(year: int) -> str:
    """The community validator's ruleset for a census year (2022-23 to 2025-26)."""
    y = min(max(year, 2023), 2026)
    return f"cin{y - 1}_{y % 100:02d}"


def review_rows(path: Path) -> list[int]:
    """For each <Reviews> block in document order, careboard's record number of its first review date."""
    rows, n = [], 0
    for el in etree.parse(str(path)).iter("{*}Reviews", "Reviews"):
        dates = [c for c in el if etree.QName(c).localname == "CPPreviewDate"]
        if dates:
            rows.append(n + 1)
        n += len(dates)
    return rows


def d2i_findings(python: Path, census: Path, year: int) -> dict:
    done = subprocess.run([str(python), "-c", D2I_SCRIPT, str(census), ruleset_for(year)],
                          capture_output=True, text=True, timeout=7200)
    if done.returncode != 0:
        raise SystemExit(f"community validator failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def theirs_as_ours(raw: dict, census: Path) -> dict[str, set[tuple[str, int]]]:
    reviews = review_rows(census)
    out: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for code, rows in raw["flags"].items():
        for table, row in rows:
            key = table.lower()
            if key == "reviews":
                out[code].add(("CPPReview", reviews[row]))
            elif key == "header":
                out[code].add(("Header", 1))
            else:
                out[code].add((_SAME[key], row + 1))
    for code in raw["whole"]:
        out[code].add(("Header", 1))
    return out


def manifest_recall(manifest: Path, year: int, found: dict[str, set[tuple[str, int]]]) -> tuple[int, int]:
    wanted = [(m["rule"], m["table"], int(m["line"])) for m in csv.DictReader(manifest.open())
              if int(m["year"]) == year]
    hit = sum((table, line) in found.get(rule, set()) for rule, table, line in wanted)
    return hit, len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("census", type=Path)
    parser.add_argument("--manifest", type=Path)
    parser.add_argument("--d2i-python", type=Path, default=Path("/opt/d2i-cin/bin/python"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    started = time.perf_counter()
    (ours,) = validate_all_files([args.census], None, None, kinds=["cin"])
    our_seconds = time.perf_counter() - started
    mine: dict[str, set] = defaultdict(set)
    for f in ours.findings:
        mine[f["rule"]].add((f["table"], f["row"]))  # the record (row), as the community validator counts
    raw = d2i_findings(args.d2i_python, args.census, ours.year)
    theirs = theirs_as_ours(raw, args.census)

    rules = cin_rules()
    dfe = sorted(c for c in set(mine) | set(theirs) if not (c in rules and rules[c].careboard))
    lines = [
        "| rule | careboard | community | both | only careboard | only community | agreement |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    exact = 0
    for code in dfe:
        a, b = mine.get(code, set()), theirs.get(code, set())
        both = len(a & b)
        agreement = both / len(a | b) if a | b else 1.0
        exact += a == b
        lines.append(f"| {code} | {len(a)} | {len(b)} | {both} | {len(a - b)} | {len(b - a)} | {agreement:.0%} |")
    own = sorted(c for c in mine if c in rules and rules[c].careboard)
    lines += [
        "",
        f"{exact} of {len(dfe)} DfE rules that fired in either validator flagged exactly the same records; "
        f"careboard ran {len(ours.result.rules_run)} rules in {our_seconds:.1f} s (reading included), "
        f"the community validator {raw['seconds']:.1f} s; its rules that crashed: "
        f"{', '.join(sorted(raw['crashed'])) or 'none'}.",
    ]
    if own:
        lines.append("careboard's own checks that fired: " + ", ".join(f"{c} ({len(mine[c])})" for c in own) + ".")
    if args.manifest:
        ours_hit, wanted = manifest_recall(args.manifest, ours.year, mine)
        theirs_hit, _ = manifest_recall(args.manifest, ours.year, theirs)
        lines.append(f"Injected mistakes found at their record: careboard {ours_hit} of {wanted}, "
                     f"the community validator {theirs_hit} of {wanted}.")
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
