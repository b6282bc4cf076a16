"""The real-format samples the reader tests use are in the repository, with provenance, so a fresh
clone runs every test: none may skip for want of a folder outside the repository."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sample_files import SAMPLES

TESTS = Path(__file__).resolve().parent
ROW = re.compile(
    r"^\| `(?P<path>[^`]+)` \| (?P<source>[^|]+) \| (?P<licence>[^|]+) \| [^|]+ \| `(?P<sha>[0-9a-f]{64})` \|$"
)


def _manifest() -> dict[str, dict[str, str]]:
    text = (SAMPLES / "README.md").read_text("utf-8")
    return {m["path"]: m.groupdict() for m in map(ROW.match, text.splitlines()) if m}


def test_every_sample_file_is_listed_with_its_source_licence_and_hash():
    listed = _manifest()
    present = {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md"}
    assert present, "tests/data/samples holds no files"
    assert present == set(listed)
    for path, row in listed.items():
        assert hashlib.sha256((SAMPLES / path).read_bytes()).hexdigest() == row["sha"], path
        assert row["source"].strip() and row["licence"].strip(), path


def test_no_test_reads_files_from_outside_the_repository():
    outside = re.compile(r"/work/shared|[\"']shared[\"']")
    offenders = [
        f"{p.relative_to(TESTS)}:{n}"
        for p in TESTS.rglob("*.py")
        if p.name != Path(__file__).name
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert offenders == []
