"""Read and check the capacity and needs extracts (schemas: docs/extracts.md and docs/sufficiency.md).

* ``foster_households.csv``: in-house foster households: approved places, age range, skills, postcode;
* ``placement_capacity.csv``: children's homes (K2) and supported accommodation places;
* ``child_needs.csv`` (optional): needs the 903 does not hold: ``CHILD, SIBLING_GROUP,
  DISABILITY, PARENT_AND_CHILD`` (0/1 flags; children with the same SIBLING_GROUP should live together);
* ``capacity_changes.csv`` (optional): known openings, closures and carers leaving over the forecast horizon.

Every problem is reported with file, line and field, all at once, so a file is fixed in one pass.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HOUSEHOLD_COLUMNS = ("HOUSEHOLD_ID", "POSTCODE", "APPROVED_PLACES", "AGE_FROM", "AGE_TO", "SIBLINGS", "DISABILITY",
                     "PARENT_AND_CHILD", "TEENAGERS", "UASC")
PROVIDER_COLUMNS = ("PROVIDER_ID", "TYPE", "POSTCODE", "PLACES", "AGE_FROM", "AGE_TO")
NEEDS_COLUMNS = ("CHILD",)
SKILLS = ("SIBLINGS", "DISABILITY", "PARENT_AND_CHILD", "UASC", "TEENAGERS")
CHANGE_COLUMNS = ("CHANGE", "DATE", "ID")
KINDS = {"K2": "childrens_home", "K1": "childrens_home", "SUPPORTED": "supported", "K3": "supported",
         "H5": "supported", "FOSTER": "fostering"}


class CapacityError(ValueError):
    """Problems in a capacity or needs extract; ``problems`` lists every one (file, line, field, message)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


@dataclass
class Settings:
    """Places children can live in: one row per household or provider (or per class of identical ones).

    ``places`` is per setting; ``count`` is how many identical settings the row stands for (1 as
    read; more when the horizon's matching groups them), so the row offers ``places * count`` places.
    """

    ident: np.ndarray
    kind: np.ndarray  # 'fostering', 'childrens_home', 'supported'
    postcode: np.ndarray
    places: np.ndarray
    occupied: np.ndarray
    age_from: np.ndarray
    age_to: np.ndarray
    skills: np.ndarray  # (n, len(SKILLS)) bool; homes and supported accommodation take any need
    count: np.ndarray | None = None
    provider: np.ndarray | None = None  # 903 PLACE_PROVIDER (PR1 own ... PR5 voluntary); '' for households
    in_la: np.ndarray | None = None
    xy: np.ndarray | None = None  # (n, 2) metres, NaN where unknown
    area: np.ndarray | None = None  # index into an Areas list

    def __post_init__(self) -> None:
        n = len(self.ident)
        if self.count is None:
            self.count = np.ones(n, dtype=np.int64)
        if self.provider is None:
            self.provider = np.full(n, "", dtype=object)
        if self.in_la is None:
            self.in_la = np.ones(n, dtype=bool)
        if self.xy is None:
            self.xy = np.full((n, 2), np.nan)
        if self.area is None:
            self.area = np.zeros(n, dtype=np.int16)

    def __len__(self) -> int:
        return len(self.ident)

    def take(self, rows: np.ndarray) -> Settings:
        """The settings at ``rows`` (an index or a boolean mask)."""
        return Settings(**{f: getattr(self, f)[rows] for f in SETTING_FIELDS})

    @staticmethod
    def concat(parts: list[Settings]) -> Settings:
        return Settings(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in SETTING_FIELDS})


SETTING_FIELDS = ("ident", "kind", "postcode", "places", "occupied", "age_from", "age_to", "skills", "count",
                  "provider", "in_la", "xy", "area")


@dataclass
class Change:
    """A known opening or closure: from ``date`` the setting is there (open) or gone (close)."""

    date: dt.date
    change: str  # 'open' or 'close'
    ident: str
    setting: Settings | None = field(default=None)  # the new setting, for an opening


def _read(path: Path, required: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        f = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return []
    with f:
        try:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                problems.append(f"{path} line 1: missing column(s) {', '.join(missing)}")
                return []
            return [(i, {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(reader, start=2)]
        except UnicodeDecodeError as exc:
            problems.append(f"{path}: byte 0x{exc.object[exc.start]:02X} is not UTF-8 text (save it as 'CSV UTF-8')")
            return []


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
                         _int(fh, line, r, "AGE_TO", problems, None, 0, 25), skills, "PR1",
                         _int(fh, line, r, "IN_LA", problems, 1, 0, 1) == 1, fh, line))
    if pc.exists():
        for line, r in _read(pc, PROVIDER_COLUMNS, problems):
            kind = KINDS.get(r["TYPE"].upper())
            if kind is None or kind == "fostering":
                problems.append(f"{pc} line {line}, TYPE: {r['TYPE']!r} is not K2, K1, SUPPORTED, K3 or H5")
            rows.append((r["PROVIDER_ID"], kind or "", r["POSTCODE"], _int(pc, line, r, "PLACES", problems),
                         _int(pc, line, r, "OCCUPIED_AT_REFERENCE", problems, 0),
                         _int(pc, line, r, "AGE_FROM", problems, None, 0, 25),
                         _int(pc, line, r, "AGE_TO", problems, None, 0, 25), (True,) * len(SKILLS),
                         r.get("PLACE_PROVIDER", "").upper(), _int(pc, line, r, "IN_LA", problems, 1, 0, 1) == 1,
                         pc, line))
    for ident, _, _, places, occ, lo, hi, _, _, _, path, line in rows:
        if not ident:
            problems.append(f"{path} line {line}: blank identifier")
        if lo > hi:
            problems.append(f"{path} line {line}, AGE_FROM: {lo} is above AGE_TO {hi}")
        if occ > places:
            problems.append(f"{path} line {line}, OCCUPIED_AT_REFERENCE: {occ} is more than the {places} places")
    if problems:
        raise CapacityError(problems)
    return _settings(rows)


def _settings(rows: list[tuple]) -> Settings:
    cols = list(zip(*rows, strict=True)) if rows else [()] * 12
    return Settings(
        ident=np.array(cols[0], dtype=object), kind=np.array(cols[1], dtype=object),
        postcode=np.array(cols[2], dtype=object), places=np.array(cols[3], dtype=np.int64),
        occupied=np.array(cols[4], dtype=np.int64), age_from=np.array(cols[5], dtype=np.int64),
        age_to=np.array(cols[6], dtype=np.int64),
        skills=np.array(cols[7], dtype=bool).reshape(len(rows), len(SKILLS)),
        provider=np.array(cols[8], dtype=object), in_la=np.array(cols[9], dtype=bool),
    )


def _date(path: Path, line: int, row: dict[str, str], problems: list[str]) -> dt.date | None:
    text = row.get("DATE", "")
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems.append(f"{path} line {line}, DATE: {text!r} is not a date (dd/mm/yyyy)")
    return None


def read_changes(path: Path, known: Settings) -> list[Change]:
    """capacity_changes.csv: known openings (a new setting, described in full), closures and carers leaving
    (an ID; a carer leaving is the household's closure)."""
    problems: list[str] = []
    out: list[Change] = []
    ids = set(known.ident.tolist())
    for line, r in _read(path, CHANGE_COLUMNS, problems):
        when = _date(path, line, r, problems)
        change = r["CHANGE"].lower()
        if change not in ("open", "close", "leave"):
            problems.append(f"{path} line {line}, CHANGE: {r['CHANGE']!r} is not open, close or leave")
            continue
        if change == "leave":  # a carer leaving: the household closes
            if r["ID"] and r["ID"] not in set(known.ident[known.kind == "fostering"].tolist()):
                problems.append(f"{path} line {line}, ID: {r['ID']} is not a household of foster_households.csv")
                continue
            change = "close"
        if not r["ID"]:
            problems.append(f"{path} line {line}, ID: blank")
            continue
        if change == "close":
            if r["ID"] not in ids:
                problems.append(f"{path} line {line}, ID: {r['ID']} is in neither foster_households.csv "
                                "nor placement_capacity.csv")
            elif when is not None:
                out.append(Change(when, "close", r["ID"]))
            continue
        kind = KINDS.get(r.get("TYPE", "").upper())
        if kind is None:
            problems.append(f"{path} line {line}, TYPE: {r.get('TYPE', '')!r} is not FOSTER, K2, K1, SUPPORTED, "
                            "K3 or H5")
            continue
        if r["ID"] in ids:
            problems.append(f"{path} line {line}, ID: {r['ID']} is already open")
        skills = tuple(_int(path, line, r, s, problems, 0, 0, 1) == 1 for s in SKILLS) if kind == "fostering" \
            else (True,) * len(SKILLS)
        lo = _int(path, line, r, "AGE_FROM", problems, None, 0, 25)
        hi = _int(path, line, r, "AGE_TO", problems, None, 0, 25)
        if lo > hi:
            problems.append(f"{path} line {line}, AGE_FROM: {lo} is above AGE_TO {hi}")
        row = (r["ID"], kind, r.get("POSTCODE", ""), _int(path, line, r, "PLACES", problems, None, 1), 0, lo, hi,
               skills, "PR1" if kind == "fostering" else r.get("PLACE_PROVIDER", "").upper(),
               _int(path, line, r, "IN_LA", problems, 1, 0, 1) == 1)
        if when is not None:
            out.append(Change(when, "open", r["ID"], _settings([row])))
    if problems:
        raise CapacityError(problems)
    return sorted(out, key=lambda c: c.date)


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
