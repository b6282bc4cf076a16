"""Problems found while reading a return, worded for the analyst who has to fix the file.

Every problem names the file, where in it (data row and file line for CSV, record for XML), the
field, the value found and what was expected.  Errors stop a load; warnings record a normalisation
that was made (so nothing is changed silently) and are kept with the load's provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One problem or normalisation in one place (or, with ``count`` > 1, the first of several)."""

    file: str
    message: str
    row: int | None = None  # 1-based data row (CSV) or record number (XML); None = whole file
    line: int | None = None  # physical line in the file, when known
    table: str | None = None
    field: str | None = None
    value: str | None = None
    expected: str | None = None
    count: int = 1  # how many places share this issue (first one located above)

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            loc = f"row {self.row}"
            if self.line is not None:
                loc += f" (line {self.line})"
            parts.append(loc)
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def render(self) -> str:
        text = f"{self.where()}: {self.message}"
        if self.value is not None:
            text += f" (found {self.value!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        if self.count > 1:
            text += f" [and {self.count - 1} more like it]"
        return text


@dataclass
class ReturnError(Exception):
    """A return that cannot be loaded.  Carries every error found, not just the first."""

    errors: list[Issue] = field(default_factory=list)

    def __str__(self) -> str:
        return self.render()

    def render(self, limit: int = 20) -> str:
        lines = [e.render() for e in self.errors[:limit]]
        more = len(self.errors) - limit
        if more > 0:
            lines.append(f"... and {more} more errors")
        return "\n".join(lines)
