"""``areas.csv``: the authority's own localities, as a lookup from places to locality names.

A council that plans its services by locality (West Kent; Altrincham, Sale and Stretford) names them
in a two-column CSV (docs/extracts.md): ``KEY`` a postcode sector (``TN13 1``), a postcode district
(``TN13``), a district's ONS code (``E07000111``) or its name (``Sevenoaks``), and ``AREA`` the
locality.  The most specific key wins for each home postcode.  The same file serves the members'
local-area pages (model/local_areas.py) and the placement forecast.

Every problem is named with the file, the line, the field, the value and what was expected, and
nothing is kept from a file with a problem.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("KEY", "AREA")
# A locality's name is a heading on members' pages and in packs: a place's name, not a paragraph.
MAX_AREA_NAME = 80
RESERVED = {"UNKNOWN", "OUTSIDE THE COUNCIL", "OUTSIDE THE AUTHORITY", "HOME AREA NOT RECORDED"}
SECTOR = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]$")
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
ONS_CODE = re.compile(r"^[EWSN][0-9]{8}$")


class AreaFileError(ValueError):
    """A problem in an areas.csv: the message names the file, line, field and value."""


@dataclass(frozen=True)
class AreaKey:
    key: str  # upper case, single spaces
    area: str
    line: int

    @property
    def kind(self) -> str:
        """'sector', 'postcode district', 'district code' or 'district name': how specific the key is."""
        if SECTOR.match(self.key):
            return "sector"
        if OUTWARD.match(self.key):
            return "postcode district"
        if ONS_CODE.match(self.key):
            return "district code"
        return "district name"


def read_area_file(path: Path) -> list[AreaKey]:
    """The rows of an areas.csv, checked: both columns, no blank cell, no key given two areas."""
    name = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise AreaFileError(f"{name}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise AreaFileError(f"{name}: is not a UTF-8 text file (save it as CSV UTF-8)") from None
    if not rows:
        raise AreaFileError(f"{name}: is empty; expected a header row KEY,AREA and one row per place")
    header = [c.strip().upper() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise AreaFileError(f"{name} line 1: no column {' or '.join(missing)}; expected the header row KEY,AREA "
                            f"(found {','.join(rows[0])})")
    k, a = header.index("KEY"), header.index("AREA")
    out: list[AreaKey] = []
    seen: dict[str, AreaKey] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        key = " ".join(row[k].split()).upper() if k < len(row) else ""
        area = " ".join(row[a].split()) if a < len(row) else ""
        if not key:
            raise AreaFileError(f"{name} line {line}, KEY: blank; expected a postcode sector (TN13 1), a postcode "
                                "district (TN13), a district code (E07000111) or a district name")
        if not area:
            raise AreaFileError(f"{name} line {line}, AREA: blank for {key}; expected the locality's name")
        if len(area) > MAX_AREA_NAME:
            raise AreaFileError(f"{name} line {line}, AREA: a name of {len(area):,} characters for {key} (found "
                                f"{area[:20]!r}...); expected the locality's name, at most {MAX_AREA_NAME} characters")
        if area.upper() in RESERVED:
            raise AreaFileError(f"{name} line {line}, AREA: {area!r} is a name careboard uses itself; choose another")
        found = AreaKey(key, area, line)
        earlier = seen.get(key)
        if earlier is not None and earlier.area != area:
            raise AreaFileError(f"{name} line {line}, KEY: {key} is already in {earlier.area!r} (line "
                                f"{earlier.line}); a place can be in one locality only")
        if earlier is None:
            seen[key] = found
            out.append(found)
    if not out:
        raise AreaFileError(f"{name}: has a header but no rows; expected one row per place")
    return out
