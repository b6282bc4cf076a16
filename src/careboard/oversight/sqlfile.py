"""Named SQL queries kept in ``.sql`` files, composed as one chain of common table expressions.

A file holds blocks, each headed ``-- query: name`` and holding one SELECT that may read the blocks
above it by name.  ``query(file, name)`` is that SELECT with every block before it as a CTE, so the
same definition serves a measure's cohort (as a subquery over every authority) and a service
function (filtered to one authority and run on its own), with no temporary tables to keep in step.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_HEAD = re.compile(r"^-- query: (\w+)\s*$", re.MULTILINE)


@cache
def blocks(file: str) -> dict[str, str]:
    """The file's queries by name, in order (comments before the first block are the file's preamble)."""
    text = (resources.files("careboard.oversight") / file).read_text("utf-8")
    parts = _HEAD.split(text)
    found: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sql = body.strip().rstrip(";")
        if name in found:
            raise ValueError(f"{file}: query {name} defined twice")
        found[name] = sql
    return found


def query(file: str, name: str) -> str:
    """Query ``name`` of ``file`` as one statement: the blocks before it as CTEs, then it."""
    named = blocks(file)
    if name not in named:
        raise KeyError(f"{file} has no query {name}")
    before = []
    for other, sql in named.items():
        if other == name:
            break
        before.append(f"{other} AS (\n{sql}\n)")
    body = named[name]
    if not before:
        return body
    own = re.match(r"(?is)((?:\s*--[^\n]*\n)*)\s*with\s+(recursive\s+)?", body)
    if own:  # its own CTEs continue the chain (after any comment lines); RECURSIVE must lead the chain
        lead = "WITH RECURSIVE" if own.group(2) else "WITH"
        return f"{lead} {', '.join(before)},\n{own.group(1)}{body[own.end():]}"
    return f"WITH {', '.join(before)}\n{body}"


def text(file: str) -> str:
    """The whole file, for fingerprints."""
    return (resources.files("careboard.oversight") / file).read_text("utf-8")
