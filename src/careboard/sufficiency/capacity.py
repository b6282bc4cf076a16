"""Read and check the capacity and needs extracts (schemas: docs/extracts.md and docs/sufficiency.md).

* ``foster_households.csv``: in-house foster households: approved places, age range, skills, postcode;
* ``placement_capacity.csv``: children's homes (K2) and supported accommodation places;
* ``child_needs.csv`` (optional): needs the 903 does not hold: ``CHILD, SIBLING_GROUP,
  DISABILITY, PARENT_AND_CHILD`` (0/1 flags; children with the same SIBLING_GROUP should live together).

Every problem is reported with file, line and field, all at once, so a file is fixed in one pass.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HOUSEHOLD_COLUMNS = ("HOUSEHOLD_ID", "POSTCODE", "APPROVED_PLACES", "AGE_FROM", "AGE_TO", "SIBLINGS", "DISABILITY",
                     "PARENT_AND_CHILD", "TEENAGERS", "UASC")
PROVIDER_COLUMNS = ("PROVIDER_ID", "TYPE", "POSTCODE", "PLACES", "AGE_FROM", "AGE_TO")
NEEDS_COLUMNS = ("CHILD",)
SKILLS = ("SIBLINGS", "DISABILITY", "PARENT_AND_CHILD", "UASC")


class CapacityError(ValueError):
    """Problems in a capacity or needs extract; ``problems`` lists every one (file, line, field, message)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


@dataclass
class Settings:
    """Places children can live in: one row per household or provider."""

    ident: np.ndarray
    kind: np.ndarray  # 'fostering', 'childrens_home', 'supported'
    postcode: np.ndarray
    places: np.ndarray
    occupied: np.ndarray
    age_from: np.ndarray
    age_to: np.ndarray
    skills: np.ndarray  # (n, len(SKILLS)) bool; homes and supported accommodation take any need

    def __len__(self) -> int:
        return len(self.ident)


def _read(path: Path, required: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        f = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return []
    with f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{path} line 1: missing column(s) {', '.join(missing)}")
            return []
        return [(i, {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(reader, start=2)]


def _int(path: Path, line: int, row: dict[str, str], field: str, problems: list[str], default: int | None = None,
         low: int = 0, high: int = 1000) -> int:
    text = row.get(field, "")
    if text == "" and default is not None:
        return default
    try:
        value = int(text)
    except ValueError:
        problems.append(f"{path} line {line}, {field}: {text!r} is not a whole number")
        return default or 0
    if not low <= value <= high:
        problems.append(f"{path} line {line}, {field}: {value} is outside {low}..{high}")
    return value


def read_capacity(folder: Path) -> Settings:
    """All places in ``folder`` (foster_households.csv and/or placement_capacity.csv), checked."""
    problems: list[str] = []
    rows: list[tuple] = []
    fh, pc = folder / "foster_households.csv", folder / "placement_capacity.csv"
    if not fh.exists() and not pc.exists():
        raise CapacityError([f"{folder}: neither foster_households.csv nor placement_capacity.csv is there"])
    if fh.exists():
        for line, r in _read(fh, HOUSEHOLD_COLUMNS, problems):
            skills = tuple(_int(fh, line, r, s, problems, 0, 0, 1) == 1 for s in SKILLS)
            rows.append((r["HOUSEHOLD_ID"], "fostering", r["POSTCODE"],
                         _int(fh, line, r, "APPROVED_PLACES", problems),
                         _int(fh, line, r, "OCCUPIED_AT_REFERENCE", problems, 0),
                         _int(fh, line, r, "AGE_FROM", problems, None, 0, 25),
                         _int(fh, line, r, "AGE_TO", problems, None, 0, 25), skills, fh, line))
    if pc.exists():
        kinds = {"K2": "childrens_home", "K1": "childrens_home", "SUPPORTED": "supported", "K3": "supported",
                 "H5": "supported"}
        for line, r in _read(pc, PROVIDER_COLUMNS, problems):
            kind = kinds.get(r["TYPE"].upper())
            if kind is None:
                problems.append(f"{pc} line {line}, TYPE: {r['TYPE']!r} is not K2, K1, SUPPORTED, K3 or H5")
            rows.append((r["PROVIDER_ID"], kind or "", r["POSTCODE"], _int(pc, line, r, "PLACES", problems),
                         _int(pc, line, r, "OCCUPIED_AT_REFERENCE", problems, 0),
                         _int(pc, line, r, "AGE_FROM", problems, None, 0, 25),
                         _int(pc, line, r, "AGE_TO", problems, None, 0, 25), (True,) * len(SKILLS), pc, line))
    for ident, _, _, places, occ, lo, hi, _, path, line in rows:
        if not ident:
            problems.append(f"{path} line {line}: blank identifier")
        if lo > hi:
            problems.append(f"{path} line {line}, AGE_FROM: {lo} is above AGE_TO {hi}")
        if occ > places:
            problems.append(f"{path} line {line}, OCCUPIED_AT_REFERENCE: {occ} is more than the {places} places")
    if problems:
        raise CapacityError(problems)
    cols = list(zip(*rows, strict=True)) if rows else [()] * 10
    return Settings(
        ident=np.array(cols[0], dtype=object), kind=np.array(cols[1], dtype=object),
        postcode=np.array(cols[2], dtype=object), places=np.array(cols[3], dtype=np.int64),
        occupied=np.array(cols[4], dtype=np.int64), age_from=np.array(cols[5], dtype=np.int64),
        age_to=np.array(cols[6], dtype=np.int64),
        skills=np.array(cols[7], dtype=bool).reshape(len(rows), len(SKILLS)),
    )


def read_needs(path: Path) -> dict[str, dict[str, object]]:
    """child_needs.csv: CHILD -> {sibling_group, disability, parent_and_child}."""
    problems: list[str] = []
    out: dict[str, dict[str, object]] = {}
    for line, r in _read(path, NEEDS_COLUMNS, problems):
        if not r["CHILD"]:
            problems.append(f"{path} line {line}, CHILD: blank")
            continue
        if r["CHILD"] in out:
            problems.append(f"{path} line {line}, CHILD: {r['CHILD']} appears twice")
        out[r["CHILD"]] = {
            "sibling_group": r.get("SIBLING_GROUP") or None,
            "disability": _int(path, line, r, "DISABILITY", problems, 0, 0, 1) == 1,
            "parent_and_child": _int(path, line, r, "PARENT_AND_CHILD", problems, 0, 0, 1) == 1,
        }
    if problems:
        raise CapacityError(problems)
    return out
