"""What a reader hands on: a table's cells as text, exactly as found, with where each row came from.

Readers (CSV set, 903 XML, CIN XML) only find rows and cells; turning text into typed values, and
recording every normalisation made on the way, happens once for all formats in ``conform``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from careboard.returns.issues import Issue


@dataclass
class SourceFile:
    """A file as received: its name, size and SHA-256 for provenance."""

    path: Path
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def sha256(self) -> str:
        """Worked out once: a load asks for it twice (its fingerprint, its record of the file)."""
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def read(cls, path: Path) -> SourceFile:
        return cls(path=path, data=path.read_bytes())


@dataclass
class RawTable:
    """One table's rows from one file, every cell as text (None where the cell is absent)."""

    table: str
    file: SourceFile
    columns: dict[str, pa.Array]  # column -> string array
    rows: pa.Array  # int32: 1-based data row (CSV) or record number (XML)
    lines: pa.Array | None = None  # int32 physical line in the file, where known
    warnings: list[Issue] = field(default_factory=list)

    @property
    def num_rows(self) -> int:
        return len(self.rows)
