"""Validation reports for the people who fix the data: by rule (what is most wrong) and by child
(work through one case record at a time).  CSV for tools, an Excel workbook and an HTML page for
people.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from careboard import authorities, years
from careboard.validate.runner import Checked

CSV_COLUMNS = ["table", "line", "child", "rule", "message"]


def by_rule(checked: Checked) -> list[dict]:
    """One row per rule that fired: findings and children affected, most findings first."""
    groups: dict[str, dict] = {}
    for f in checked.findings:
        g = groups.setdefault(f["rule"], {"rule": f["rule"], "message": f["message"], "findings": 0, "children": set()})
        g["findings"] += 1
        if f["child"]:
            g["children"].add(f["child"])
    rows = [dict(g, children=len(g["children"])) for g in groups.values()]
    return sorted(rows, key=lambda r: (-r["findings"], r["rule"]))


def by_child(checked: Checked) -> list[dict]:
    """One entry per child with their findings in file order; children with most findings first."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for f in checked.findings:
        groups[f["child"] or "(no child ID)"].append(f)
    entries = [
        {"child": child, "findings": sorted(fs, key=lambda f: (f["table"], f["line"], f["rule"]))}
        for child, fs in groups.items()
    ]
    return sorted(entries, key=lambda e: (-len(e["findings"]), e["child"]))


def write_csv(checked: Checked, path: Path) -> None:
    """``table,line,child,rule,message``; line is the 1-based data row (record number for XML)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for r in sorted(checked.findings, key=lambda r: (r["table"], r["line"], r["rule"])):
            writer.writerow([r["table"], r["line"], r["child"] or "", r["rule"], r["message"]])


def write_xlsx(checked: Checked, path: Path) -> None:
    """A workbook with a sheet by child, a sheet by rule and a sheet of rules not run."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "By child"
    ws.append(["Child", "Table", "File", "Line", "Rule", "DfE message"])
    for entry in by_child(checked):
        for f in entry["findings"]:
            ws.append([entry["child"], f["table"], f["file"], f["line"], f["rule"], f["message"]])
    rules = wb.create_sheet("By rule")
    rules.append(["Rule", "DfE message", "Findings", "Children affected"])
    for r in by_rule(checked):
        rules.append([r["rule"], r["message"], r["findings"], r["children"]])
    skipped = wb.create_sheet("Rules not run")
    skipped.append(["Rule", "Why not run"])
    for code, why in sorted(checked.result.skipped.items()):
        skipped.append([code, why])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    wb.save(path)


def write_html(checked: Checked, path: Path) -> None:
    """A self-contained page a data officer can work through child by child."""
    env = Environment(autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(
        (resources.files("careboard.validate") / "templates" / "report.html").read_text("utf-8")
    )
    html = template.render(
        authority=authorities.resolve(checked.la),
        year_label=years.label(checked.year),
        checked=checked,
        rules=by_rule(checked),
        children=by_child(checked),
        skipped=sorted(checked.result.skipped.items()),
    )
    path.write_text(html, encoding="utf-8")
