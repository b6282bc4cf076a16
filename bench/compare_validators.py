"""Compare careboard's validation with the community validator (csc-validator-be-903), rule by rule.

    python bench/compare_validators.py RETURN_FOLDER [--last-year FOLDER] --la 886 --year 2026
        [--d2i-python /opt/d2i/bin/python] [--out docs/validation-agreement.md]

Both are run on the same CSV set; for every DfE rule either flags, the rows each flags are compared
as (table, 1-based data row).  careboard's own format checks (CB-...) are counted, not compared.  With
``--out``, the hand-written part of the existing report (between the KEEP markers: the commands used
and the adjudication of every disagreement) is kept.  The community validator is run in its own
virtual environment (it pins pandas and other packages careboard does not use); install it with
``python -m venv /opt/d2i && /opt/d2i/bin/pip install csc-validator-be-903``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from careboard import authorities
from careboard.validate.rule_lists import dfe_rules
from careboard.validate.runner import validate_files

D2I_SCRIPT = r"""
import json, sys, pathlib, importlib, logging, time
logging.disable(logging.CRITICAL)
from lac_validator.lac_validator import LacValidator
this_year, last_year, ruleset, la_ons, year = sys.argv[1:6]
files = [{"name": p.name, "file_content": p.read_bytes(), "description": "This year"}
         for p in sorted(pathlib.Path(this_year).glob("*.csv"))]
if last_year != "-":
    files += [{"name": p.name, "file_content": p.read_bytes(), "description": "Prev year"}
              for p in sorted(pathlib.Path(last_year).glob("*.csv"))]
registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
started = time.perf_counter()
v = LacValidator(metadata={"collectionYear": year, "localAuthority": la_ons}, files=files, registry=registry)
out = {"flags": {}, "fails": v.fails, "skips": v.skips, "seconds": time.perf_counter() - started}
for table, df in v.ds_results.items():
    if table.endswith("_last") or not hasattr(df, "columns"):
        continue
    for col in [c for c in df.columns if str(c).startswith("ERR_")]:
        rows = [int(i) + 1 for i in df.index[df[col] == True]]  # noqa: E712
        if rows:
            out["flags"].setdefault(col[4:], []).extend([table, r] for r in rows)
print(json.dumps(out))
"""


def d2i_findings(python: Path, this_year: Path, last_year: Path | None, year: int, la: str) -> dict:
    ruleset = f"lac{year - 1}_{year % 100:02d}"
    ons = authorities.resolve(la).ons_code
    done = subprocess.run(
        [str(python), "-c", D2I_SCRIPT, str(this_year), str(last_year or "-"), ruleset, ons, str(year)],
        capture_output=True, text=True, timeout=3600,
    )
    if done.returncode != 0:
        raise SystemExit(f"community validator failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


KEEP_START, KEEP_END = "<!-- kept: written by hand, kept by compare_validators.py -->", "<!-- /kept -->"


def _kept(out: Path | None) -> list[str]:
    """The hand-written part of an existing report (the commands used and the per-rule adjudication,
    between the KEEP markers), so regenerating the table keeps it."""
    if out is None or not out.exists():
        return []
    text = out.read_text()
    if KEEP_START not in text or KEEP_END not in text:
        return []
    start, end = text.index(KEEP_START), text.index(KEEP_END) + len(KEEP_END)
    return [*text[start:end].splitlines(), ""]


CIN_SECTION = "# Validation agreement: CIN census"


def _cin_section(out: Path | None) -> str:
    """The CIN census section of an existing report (bench/compare_validators_cin.py and the
    adjudication written by hand), which follows the SSDA903 section and is kept as it is."""
    if out is None or not out.exists():
        return ""
    text = out.read_text()
    return "\n\n" + text[text.index(CIN_SECTION):] if CIN_SECTION in text else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--last-year", type=Path)
    parser.add_argument("--la", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--d2i-python", type=Path, default=Path("/opt/d2i/bin/python"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    ours = validate_files([args.folder], args.la, args.year, [args.last_year] if args.last_year else None)
    mine: dict[str, set] = defaultdict(set)
    own = defaultdict(int)  # careboard's own checks (CB-...), which the community validator does not have
    for batch in ours.batches():
        for rule, table, row in zip(*(batch[c].to_pylist() for c in ("rule", "table", "row")), strict=True):
            if rule.startswith("CB-"):
                own[rule] += 1
            else:
                mine[rule].add((table, row))
    theirs_raw = d2i_findings(args.d2i_python, args.folder, args.last_year, args.year, args.la)
    theirs = {code: {tuple(x) for x in rows} for code, rows in theirs_raw["flags"].items()}

    rules = dfe_rules()
    lines = [
        f"# Validation agreement: careboard and csc-validator-be-903 ({args.folder.name}, {args.year})",
        "",
        *_kept(args.out),
        "| rule | careboard | community | both | only careboard | only community | agreement |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    exact = 0
    codes = sorted(set(mine) | set(theirs))
    for code in codes:
        a, b = mine.get(code, set()), theirs.get(code, set())
        both = len(a & b)
        agreement = both / len(a | b) if a | b else 1.0
        exact += a == b
        run_note = "" if code in rules else " (not a DfE code)"
        lines.append(
            f"| {code}{run_note} | {len(a)} | {len(b)} | {both} | {len(a - b)} | {len(b - a)} | {agreement:.0%} |"
        )
    lines += [
        "",
        f"{exact} of {len(codes)} rules that fired in either validator flagged exactly the same rows.",
        f"careboard ran {sum(not r.startswith('CB-') for r in ours.result.rules_run)} DfE rules; "
        "the community validator could not run "
        f"{len(theirs_raw['fails'])}: {', '.join(sorted(theirs_raw['fails'])) or 'none'}.",
        "careboard's own format checks (not DfE rules, so not compared): "
        + (", ".join(f"{code} {n:,}" for code, n in sorted(own.items())) or "none fired") + ".",
    ]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text + _cin_section(args.out))
    print(text)


if __name__ == "__main__":
    sys.exit(main())
