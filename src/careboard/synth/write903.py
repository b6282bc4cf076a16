"""Write one year's SSDA903 tables: the DfE CSV set, or the single-file XML through ``returns.xml903``.

CSV: header row exactly the spec's column names in spec order, LF line endings, UTF-8 without BOM,
blank cells empty.  No value the generator writes contains a comma, quote or newline (codes, dates,
postcodes, ids), so rows are joined directly; ``_check_plain`` guards that assumption.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FILE_NAMES = {
    "Header": "Header.csv", "Episodes": "Episodes.csv", "Reviews": "Reviews.csv", "UASC": "UASC.csv",
    "OC2": "OC2.csv", "OC3": "OC3.csv", "AD1": "AD1.csv", "PlacedAdoption": "PlacedAdoption.csv",
    "PrevPerm": "PrevPerm.csv", "Missing": "Missing.csv", "SWEpisodes": "SWEpisodes.csv", "DoLo": "DoLo.csv",
}


def _check_plain(values: list[str]) -> None:
    for v in values:
        if "," in v or '"' in v or "\n" in v:
            raise ValueError(f"value needs CSV quoting: {v!r}")


def csv_text(columns: dict[str, np.ndarray]) -> str:
    """The CSV text of a table given as column -> array of str."""
    names = list(columns)
    cols = [columns[n].tolist() for n in names]
    lines = [",".join(names)]
    if cols and len(cols[0]):
        for col in cols:
            _check_plain(col[:50])
        lines.extend(",".join(r) for r in zip(*cols, strict=True))
    return "\n".join(lines) + "\n"


def write_csv_set(tables: dict[str, dict[str, np.ndarray]], folder: Path) -> list[Path]:
    """Write each table as ``folder/<Table>.csv``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, columns in tables.items():
        path = folder / FILE_NAMES[name]
        path.write_bytes(csv_text(columns).encode("utf-8"))
        paths.append(path)
    return paths


def write_xml(tables: dict[str, dict[str, np.ndarray]], path: Path) -> Path:
    """Write the tables as one EXPSSDA903 XML file (blank cells omitted, as the XML layout does)."""
    import pyarrow as pa

    from careboard.returns.xml903 import write_ssda903_xml

    arrow = {}
    for name, columns in tables.items():
        arrow[name] = pa.table({c: pa.array([v if v != "" else None for v in vals.tolist()], type=pa.string())
                                for c, vals in columns.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    write_ssda903_xml(arrow, path)
    return path
