"""A validation rule as one small declarative unit, and the registry of all of them.

A rule is its code (a DfE code, or one of careboard's own ``CB-...`` checks) plus one set-based
check.  The check is one of:

* ``table`` + ``where``: flag every row of one table where the SQL condition holds (with ``view``,
  every row of a table the run derives from it, e.g. ``episode_sequence``: see context.sql);
* ``sql``: a query returning ``tbl, source_file, source_row, child`` for every offending row
  (rules that compare tables or rows flag each row involved); with ``detailed=True`` also
  ``field, value, line, note`` (the cell, what was found, its file line if not the row's, and
  what careboard did), and ``child`` may be NULL (the engine fills it from the row);
* ``invalid``: (table, field) — flag the cells the reader could not type (e.g. 'not a valid date'),
  from the TEMP table ``invalid_cells``.

The query runs over the views ``validate/context.sql`` sets up for one return: ``header``,
``episodes`` (with the derived PL_DISTANCE, PL_LA, PL_LOCATION), ``reviews`` ... and ``*_last`` for
last year's return, plus the macros ``collection_start()``, ``collection_end()``,
``age_at(dob, date)``, ``valid_code(list, value)`` and ``working_days(a, b)`` (a CIN census rule:
the views of ``context_cin.sql``, see ruleset.py).
The message, tables, fields and years come from ``dfe_rules.csv`` or ``careboard_rules.csv`` (a CIN
census rule: ``cin_rules.csv``; see ``rule_lists.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from careboard.validate.rule_lists import RuleInfo, all_rules_info

# Store table name for each return table, as the rule views name them.
VIEW_NAMES = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placedadoption",
    "PrevPerm": "prevperm",
    "Missing": "missing",
    "SWEpisodes": "swepisodes",
    "DoLo": "dolo",
}


@dataclass(frozen=True)
class Rule:
    code: str
    table: str | None = None
    where: str | None = None
    sql: str | None = None
    invalid: tuple[str, str] | None = None
    note: str = ""  # how careboard reads the DfE wording, where it needed reading
    detailed: bool = False  # ``sql`` also returns field, value, line, note
    # (table, field)s whose unreadable cells this rule reports in the DfE's words (besides ``invalid``),
    # so careboard's CB-FMT-UNREADABLE leaves them out.
    covers: tuple[tuple[str, str], ...] = ()
    # A ``table`` + ``where`` rule's rows from a table the run derives from ``table`` (one row per row
    # of it, with its source_file, source_row and child: ``episode_sequence``, ``first_and_last_year``,
    # ``swepisode_sequence``; context.sql) instead of the table's own view.  Such rules are checked
    # together in one scan of it, as the rules of each table are (engine._parts).
    view: str | None = None

    def __post_init__(self) -> None:
        forms = sum(x is not None for x in (self.where, self.sql, self.invalid))
        if forms != 1 or (self.where is not None and self.table is None):
            raise ValueError(f"rule {self.code}: give exactly one of table+where, sql or invalid")
        if self.view is not None and self.where is None:
            raise ValueError(f"rule {self.code}: a view is read by a table+where rule")

    @property
    def info(self) -> RuleInfo:
        """The SSDA903 rule list's entry (a CIN census rule's is ``ruleset.CIN.rule_list()[code]``)."""
        return all_rules_info()[self.code]

    def query(self, views: Mapping[str, str] = VIEW_NAMES, child: str = "CHILD") -> str:
        """The SQL that finds offending rows: ``tbl, source_file, source_row, child, field, value, line,
        note`` (the last four NULL unless the rule says more).

        ``views`` and ``child``: the return kind's view names and child column (see ruleset.py).
        """
        if self.invalid is not None:
            table, field = self.invalid
            return (
                "SELECT table_name AS tbl, source_file, source_row, NULL AS child, field, value, line, "
                "message || '; the DfE expects ' || expected AS note "
                f"FROM invalid_cells WHERE table_name = '{table}' AND field = '{field}'"
            )
        if self.where is not None:
            view = self.view or views[self.table]  # type: ignore[index]
            sql = (
                f"SELECT '{self.table}' AS tbl, source_file, source_row, {child} AS child "
                f"FROM {view} WHERE {self.where}"
            )
        else:
            sql = self.sql  # type: ignore[assignment]
        if self.detailed:
            return f"SELECT tbl, source_file, source_row, child, field, value, line, note FROM ({sql})"
        return (
            "SELECT tbl, source_file, source_row, child, NULL AS field, NULL AS value, NULL AS line, "
            f"NULL AS note FROM ({sql})"
        )


# DfE rules careboard deliberately does not run, with why; reported as "not run" with this reason.
NOT_RUN = {
    "205C": "cannot apply: careboard derives UASC status from the UASC table, so a child with a date UASC "
    "ceased is always UASC that year (the community validator never fires it on CSV returns either)",
    "SW11aSTG2": "the DfE wording is the same as SW11bSTG2's, whose findings it would only repeat",
}


def all_rules() -> dict[str, Rule]:
    """Every SSDA903 rule implemented, from every module in ``validate/rules/``."""
    from careboard.validate.ruleset import SSDA903

    return SSDA903.rules()
