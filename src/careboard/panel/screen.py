"""Free text for the Panel must never identify a child: screen it before it is stored.

Challenge cards come from children in care; questions, answers and action notes are written by
members and officers who may know a child's details.  Every such text is screened:

* against the loaded returns, in one set-based query over the serving snapshot: every child ID,
  UPN, date of birth and postcode held in any table of any return (``ssda903_*``, ``cin_*``,
  ``extract_*``), compared with every word, date and postcode-like string in the text;
* for obvious personal details: a name after "my name is" or "called", an email address, a phone
  number, a full postcode, something shaped like a UPN or an NHS number.

A text that holds any of these is refused with a message that names *what kind* of detail was found,
never the detail itself, and the form comes back with each one replaced by ``[removed]``, so the
writer can check the rest still says what they meant.  Only a text that passes is ever stored; a
refused text is not logged anywhere.

Limits, on purpose: a database loaded with ``--pseudonymise`` holds keyed hashes, not the child IDs
and UPNs a writer would type, so those two cannot be matched there (the patterns still apply); and a
word in the text that happens to equal a child's ID is refused even when it meant something else
(safer that way: the writer rephrases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb

REMOVED = "[removed]"

# What each kind of finding is called in the message (never the value found).
KINDS = {
    "child_id": "a child's ID from the loaded returns",
    "upn": "a child's unique pupil number (UPN) from the loaded returns",
    "dob": "a date that is a child's date of birth in the loaded returns",
    "postcode": "a postcode or postcode sector held in the loaded returns",
    "name": "what looks like a person's name (after \"my name is\", \"called\" or \"named\")",
    "email": "an email address",
    "phone": "a phone number",
    "full_postcode": "a full postcode",
    "upn_shape": "something shaped like a unique pupil number",
    "nhs_number": "something shaped like an NHS number",
}

# The columns of the returns that identify a child, by kind.  Tables are found by these names.
IDENTIFIER_COLUMNS = {
    "child_id": ("CHILD", "LAchildID"),
    "upn": ("UPN", "FormerUPN"),
    "dob": ("DOB", "MC_DOB", "PersonBirthDate", "ExpectedPersonBirthDate"),
    "postcode": ("HOME_POST", "PL_POST"),
}
RETURN_TABLES = ("ssda903_", "cin_", "extract_")
IDENTIFIER_TABLES_SQL = """
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = 'main' AND column_name IN (SELECT unnest($columns))
  AND (starts_with(table_name, 'ssda903_') OR starts_with(table_name, 'cin_') OR starts_with(table_name, 'extract_'))
ORDER BY table_name, column_name
"""
# One arm per (table, column), joined with UNION ALL: the matched candidate (never shown to anyone).
_TEXT_ARM = "SELECT DISTINCT '{kind}' AS kind, v FROM {cands} c JOIN \"{table}\" t ON c.v IN ({norm})"
_NORM = {
    "child_id": 'upper(trim(t."{col}"))',
    "upn": 'upper(trim(t."{col}"))',
    # a postcode, and its sector (the full postcode without its last two letters): "M33 7AB" and "M33 7"
    "postcode": "replace(upper(t.\"{col}\"), ' ', ''), regexp_replace(replace(upper(t.\"{col}\"), ' ', ''), "
                "'([0-9])[A-Z]{{2}}$', '\\1')",
}
_DATE_ARM = ("SELECT DISTINCT 'dob' AS kind, strftime(c.d, '%Y-%m-%d') AS v "
             "FROM dates c JOIN \"{table}\" t ON t.\"{col}\" = c.d")

WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_/-]*[A-Za-z0-9])?")
ALNUM = re.compile(r"[A-Za-z0-9]+")
MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for m in names}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = (
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)")),
    ("ymd", re.compile(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)")),
    ("d_month_y", re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})(?!\d)", re.I)),
    ("month_d_y", re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I)),
)
POSTCODE_LIKE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)(?:\s*(\d)([A-Za-z]{2})?)?(?![A-Za-z0-9])")
FULL_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
                           r"(?![A-Za-z0-9])")
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
NUMBER_RUN = re.compile(r"(?<![\w+])(?:\+|\()?\d[\d \-()]{7,}\d(?!\w)")
UPN_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{11}[A-Za-z0-9](?![A-Za-z0-9])")
NAME_AFTER = re.compile(
    r"(?i:\b(?:my\s+name\s+is|my\s+name's|i\s+am\s+called|i'm\s+called|name\s+is))\s+"
    r"([A-Za-z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
    r"|(?i:\b(?:called|named))\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)")


@dataclass(frozen=True)
class Screened:
    """The outcome: ``found`` (kinds, in the order of :data:`KINDS`) and the text with each one removed."""

    text: str
    found: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.found

    def message(self, what: str = "The text") -> str:
        """What was found, by kind only (never the value), and what to do."""
        kinds = [KINDS[k] for k in self.found]
        listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        return (f"{what} holds {listed}. Nothing that could identify a child may be recorded: it has been taken "
                f"out below (shown as {REMOVED}). Check the rest still says what you meant, then send it again.")


def _dates(text: str) -> list[tuple[date, int, int]]:
    """Every date written in the text, with where it is; text that is not a real date is skipped."""
    found = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groups()
            try:
                if kind == "dmy":
                    y = int(g[2]) if len(g[2]) == 4 else 2000 + int(g[2])
                    found.append((date(y, int(g[1]), int(g[0])), m.start(), m.end()))
                    if len(g[2]) == 2:  # 03/04/09 may be 1909 or 2009: children are born in either century
                        found.append((date(y - 100, int(g[1]), int(g[0])), m.start(), m.end()))
                elif kind == "ymd":
                    found.append((date(int(g[0]), int(g[1]), int(g[2])), m.start(), m.end()))
                elif kind == "d_month_y":
                    found.append((date(int(g[2]), MONTHS[g[1].lower()], int(g[0])), m.start(), m.end()))
                else:
                    found.append((date(int(g[2]), MONTHS[g[0].lower()], int(g[1])), m.start(), m.end()))
            except ValueError:
                continue
    return found


def _words(text: str) -> dict[str, list[tuple[int, int]]]:
    """Candidate identifiers (upper case) -> where they are: every word, and each letters-and-digits part."""
    found: dict[str, list[tuple[int, int]]] = {}
    for pattern in (WORD, ALNUM):
        for m in pattern.finditer(text):
            if len(m.group()) >= 3:
                found.setdefault(m.group().upper(), []).append(m.span())
    return found


def _postcodes(text: str) -> dict[str, list[tuple[int, int]]]:
    """Postcode-like strings, normalised (upper case, no spaces): district, sector ("M337") and full."""
    found: dict[str, list[tuple[int, int]]] = {}
    for m in POSTCODE_LIKE.finditer(text):
        outward, sector, unit = m.group(1).upper(), m.group(2), m.group(3)
        forms = [outward]
        if sector:
            forms.append(outward + sector)
            if unit:
                forms.append(outward + sector + unit.upper())
        for form in forms:
            found.setdefault(form, []).append(m.span())
    return found


def identifier_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """kind -> [(table, column)] of the returns' tables in this database that hold such identifiers."""
    by_column = {col: kind for kind, cols in IDENTIFIER_COLUMNS.items() for col in cols}
    rows = con.execute(IDENTIFIER_TABLES_SQL, {"columns": list(by_column)}).fetchall()
    found: dict[str, list[tuple[str, str]]] = {k: [] for k in IDENTIFIER_COLUMNS}
    for table, column in rows:
        if column in by_column:  # information_schema compares names exactly; DuckDB's are case-insensitive
            found[by_column[column]].append((table, column))
    return found


def _in_data(con: duckdb.DuckDBPyConnection, words: list[str], dates: list[date],
             posts: list[str]) -> list[tuple[str, str]]:
    """(kind, candidate) for every candidate that is an identifier in the loaded returns: one query."""
    arms = []
    for kind, columns in identifier_columns(con).items():
        for table, col in columns:
            if kind == "dob":
                arms.append(_DATE_ARM.format(table=table, col=col))
            else:
                arms.append(_TEXT_ARM.format(kind=kind, table=table, cands="posts" if kind == "postcode" else "words",
                                             norm=_NORM[kind].format(col=col)))
    if not arms:
        return []
    sql = ("WITH words AS (SELECT unnest($words::VARCHAR[]) AS v), posts AS (SELECT unnest($posts::VARCHAR[]) AS v), "
           "dates AS (SELECT unnest($dates::DATE[]) AS d) " + " UNION ALL ".join(arms))
    return con.execute(sql, {"words": words, "posts": posts, "dates": dates}).fetchall()


def screen(text: str, con: duckdb.DuckDBPyConnection | None = None) -> Screened:
    """Screen ``text``; ``con`` is the serving snapshot (None: personal-detail patterns only)."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in (("email", EMAIL), ("full_postcode", FULL_POSTCODE), ("upn_shape", UPN_SHAPE)):
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    for m in NUMBER_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        national = digits.startswith("0") and len(digits) in (10, 11)
        if national or (digits.startswith("44") and len(digits) in (11, 12)):
            spans.append((m.start(), m.end(), "phone"))
        elif len(digits) == 10:
            spans.append((m.start(), m.end(), "nhs_number"))
    for m in NAME_AFTER.finditer(text):
        group = 1 if m.group(1) else 2
        spans.append((m.start(group), m.end(group), "name"))
    if con is not None:
        words, dates, posts = _words(text), _dates(text), _postcodes(text)
        where_date: dict[str, list[tuple[int, int]]] = {}
        for d, start, end in dates:
            where_date.setdefault(d.isoformat(), []).append((start, end))
        for kind, value in _in_data(con, list(words), sorted({d for d, _, _ in dates}), list(posts)):
            places = {"dob": where_date, "postcode": posts}.get(kind, words).get(value, [])
            spans += [(s, e, kind) for s, e in places]
    if not spans:
        return Screened(text, ())
    kinds = {k for _, _, k in spans}
    return Screened(_remove(text, spans), tuple(k for k in KINDS if k in kinds))


def _remove(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with every span (overlapping ones merged) replaced by :data:`REMOVED`."""
    merged: list[list[int]] = []
    for start, end, _ in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], REMOVED]
        last = end
    out.append(text[last:])
    return "".join(out)
