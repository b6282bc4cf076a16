"""A release: every figure members may see about one authority's children in one year, controlled together.

The council-wide pack, every local-area briefing, the web pages, the placement-sufficiency section
and the data-quality page all take their figures for (authority, year) from one :class:`Release`,
so a count hidden on one page is hidden on every page, and the secondary suppression that protects
it is chosen looking at all of them at once (see docs/disclosure.md).

Building a release:

1. every measure cell of the year (headline and every breakdown), the validation counts of each
   kind of return validated (SSDA903, CIN census), and the placement counts of the sufficiency
   section become :class:`~careboard.publish.suppress.Figure`\\ s
   over counts declared in :mod:`careboard.publish.cohorts`;
2. :class:`~careboard.publish.cells.CellSystem` relates the counts (and the declarations are
   checked against the values: a measure whose declaration the data contradicts falls back to a
   population of its own, with a warning);
3. :func:`~careboard.publish.suppress.protect` hides counts of 1 to 5 and whatever else is needed
   so that none of them can be narrowed down from what is left;
4. averages and medians, which are not counts, follow the DfE's rules on their own: hidden for a
   group of fewer than the measure's minimum cohort, and one more in a breakdown where exactly one
   is hidden.

Years are released independently (each year's children are different counts), and a page that
shows several years takes each year's figures from that year's release.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb

from careboard.measures.measure import Measure, all_measures
from careboard.publish import cohorts
from careboard.publish.cells import CellSystem, Key, Relation
from careboard.publish.suppress import (
    REASON_SECONDARY,
    REASON_SMALL_GROUP,
    SMALL_MAX,
    Figure,
    Outcome,
    protect,
)

log = logging.getLogger(__name__)

FINDINGS = "validation_findings"  # population: findings (a record can break several rules)
CHILDREN = "validation_children"  # population: children with at least one finding
ALL = "All"
KINDS = ("ssda903", "cin")  # the kinds of return validated, in the order pages list them


def quality_populations(kind: str) -> tuple[str, str]:
    """The findings and children populations of one kind of return's validation: the SSDA903's and the CIN
    census's findings are different records, and their children different counts."""
    return (FINDINGS, CHILDREN) if kind == "ssda903" else (f"{FINDINGS}_{kind}", f"{CHILDREN}_{kind}")


def quality_id(kind: str, what: str, rule: str | None) -> tuple:
    """The figure id of a validation count ('findings' or 'children', of ``rule`` or in total)."""
    return ("quality", what, rule) if kind == "ssda903" else ("quality", what, rule, kind)


_LATEST_RUN = """
SELECT r.run_id, r.rules_run
FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
WHERE r.la = ? AND r.year = ? AND l.kind = ?
ORDER BY r.run_id DESC LIMIT 1
"""
_RULE_COUNTS = """
SELECT rule, count(*) AS findings, count(DISTINCT child) AS children
FROM validation_findings WHERE run_id = ? GROUP BY rule ORDER BY rule
"""
_RUN_TOTALS = "SELECT count(*), count(DISTINCT child) FROM validation_findings WHERE run_id = ?"


@dataclass
class QualityCounts:
    """One year's validation counts: exact (input) or controlled (a count, or a marker), by rule and in total."""

    rules_run: int
    findings: object
    children: object
    rules: dict[str, tuple[object, object]] = field(default_factory=dict)  # rule -> (findings, children)


@dataclass
class Release:
    """The controlled figures of one authority and year.

    ``rows`` and ``quality`` are what pages may show.  ``outcome`` (what was hidden and why, the ranges a
    reader can prove), ``system`` (the exact counts and their relations) and ``figures`` record how the
    decision was made, for tests and the audit; never render them.  A release read from the database
    (publish/stored_release.py) has ``outcome`` but no ``system`` or ``figures`` (None): of the exact
    counts it keeps only those :meth:`count` serves.
    """

    la: str
    year: int
    rows: list[dict]  # every measure cell, controlled (markers in place of hidden figures)
    qualities: dict[str, QualityCounts]  # by kind of return validated this year
    outcome: Outcome
    system: CellSystem | None
    figures: dict[tuple, Figure] | None
    fallbacks: set[str] = field(default_factory=set)  # measures whose declaration the data contradicted
    exact: dict[Key, int] = field(default_factory=dict)  # the counts :meth:`count` serves (see exact_counts)
    _by_cell: dict[tuple, dict] = field(default_factory=dict, init=False, repr=False)

    def count(self, key: Key) -> int | None:
        """The exact value of one of :data:`EXACT_MEASURES`' counts (None if the release has no such count),
        to check another computation against the release (the sufficiency section's forecast); never render it."""
        return self.exact.get(key)

    def row(self, measure: str, breakdown: str = "all", value: str = ALL) -> dict | None:
        """One controlled measure cell (the headline by default), or None if the measure has no such cell."""
        if not self._by_cell:
            self._by_cell = {(r["measure"], r["breakdown"], r["breakdown_value"]): r for r in self.rows}
        return self._by_cell.get((measure, breakdown, value))

    @property
    def quality(self) -> QualityCounts | None:
        """The SSDA903 return's validation counts, as released (None if it was not validated)."""
        return self.qualities.get("ssda903")

    @property
    def placements(self) -> dict[str, object]:
        """Children looked after on 31 March by placement type, and in total ('All'), as released."""
        out = {r["breakdown_value"]: r["value"] for r in self.rows
               if r["measure"] == "cla_31_march" and r["breakdown"] == "placement_type"}
        head = self.row("cla_31_march")
        if head is not None:
            out[ALL] = head["value"]
        return out


# Measures whose exact counts a release keeps for :meth:`Release.count`: the sufficiency section checks its
# forecast's children looked after on 31 March, by placement type, against them.
EXACT_MEASURES = ("cla_31_march",)


def exact_counts(system: CellSystem) -> dict[Key, int]:
    """The exact counts of :data:`EXACT_MEASURES`, headline and by each breakdown, from a release's system."""
    wanted = set()
    for mid in EXACT_MEASURES:
        counts = cohorts.declared(mid)
        head = counts.key("num") if counts is not None else None
        if head is None:
            continue
        wanted |= {k for k in system.values if k.population == head.population
                   and set(head.filters) <= set(k.filters) and len(k.filters) <= len(head.filters) + 1}
    return {k: int(system.values[k]) for k in sorted(wanted, key=str)}


def _number(x: object) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def measure_id(row: Mapping) -> tuple:
    return ("measure", row.get("measure"), row.get("breakdown"), row.get("breakdown_value"))


class _Builder:
    """Counts, figures and relations for one (authority, year), with the declarations checked against the values."""

    def __init__(self, rows: list[dict], measures: Mapping[str, Measure], qualities: Mapping[str, QualityCounts],
                 fallbacks: set[str]) -> None:
        self.values: dict[Key, int] = {}
        self.owners: dict[Key, set[str]] = defaultdict(set)
        self.claims: dict[Key, dict[str, int]] = defaultdict(dict)  # what each measure says the count is
        self.figures: dict[tuple, Figure] = {}
        self.sensitive: dict[Key, str] = {}
        self.extra: list[Relation] = []
        self.counts: dict[str, cohorts.Counts | cohorts.Quotient] = {}
        for r in rows:
            self._measure_row(r, measures, fallbacks)
        self._absent_rows(rows, measures)
        self._at_least(rows)
        for kind, quality in qualities.items():
            self._quality(kind, quality)

    def counts_for(self, m: Measure, fallbacks: set[str]) -> cohorts.Counts | cohorts.Quotient:
        if m.id not in self.counts:
            declared = cohorts.declared(m.id)
            self.counts[m.id] = (declared if declared is not None and m.id not in fallbacks
                                 else cohorts.own_population(m.id, m.kind))
        return self.counts[m.id]

    def _put(self, key: Key, value: object, owner: str) -> Key | None:
        v = _number(value)
        if v is None:
            return None
        v = round(v)
        self.owners[key].add(owner)
        self.claims[key].setdefault(owner, v)
        self.values.setdefault(key, v)
        return key

    @property
    def conflicts(self) -> set[str]:
        """Measures that give a count a different value from most of the measures that share it."""
        out: set[str] = set()
        for claims in self.claims.values():
            if len(set(claims.values())) > 1:
                votes: dict[int, list[str]] = defaultdict(list)
                for owner, v in sorted(claims.items()):
                    votes[v].append(owner)
                keep = min(votes, key=lambda v: (-len(votes[v]), min(votes[v])))  # most measures, then a fixed order
                out |= {o for v, owners in votes.items() if v != keep for o in owners}
        return out

    def _measure_row(self, r: dict, measures: Mapping[str, Measure], fallbacks: set[str]) -> None:
        m = measures.get(r.get("measure"))
        fid = measure_id(r)
        headline = r.get("breakdown") in ("all", "local_area")  # an area's figure heads its area briefing
        if m is None:  # not a catalogue measure: a count in a table of its own
            m = Measure(id=str(r.get("measure")), title="", sentence="", definition="", kind="count",
                        unit="number", polarity=None, sql="")
        b, v = r.get("breakdown"), r.get("breakdown_value")
        if m.kind in ("median", "mean"):
            self._average(r, m, fid, headline, measures, fallbacks)
            return
        c = self.counts_for(m, fallbacks)
        if m.kind == "proportion":
            num = c.key("num", b, v)
            den = c.key("den", b, v)
            cells = tuple(k for k in (num and self._put(num, r.get("numerator"), m.id),
                                      den and self._put(den, r.get("denominator"), m.id)) if k)
            d = _number(r.get("denominator"))
            hidden = None
            if d is not None and SMALL_MAX < d < m.min_cohort:
                hidden = REASON_SMALL_GROUP
                if num is not None and num in self.values:
                    self.sensitive[num] = REASON_SMALL_GROUP
            self.figures[fid] = Figure(fid, cells, headline, hidden)
        else:  # count, rate or ratio: the count itself (a rate's population is published by the ONS; a
            # ratio, such as children per full-time IRO, is its numerator count over a denominator that
            # is not a count of children, so it is shown exactly when its numerator could be)
            key = c.key("num", b, v)
            cells = (self._put(key, r.get("numerator"), m.id),) if key is not None else ()
            self.figures[fid] = Figure(fid, tuple(k for k in cells if k), headline)

    def _average(self, r: dict, m: Measure, fid: tuple, headline: bool, measures: Mapping[str, Measure],
                 fallbacks: set[str]) -> None:
        """An average reveals no count unless it is one count over another (:data:`cohorts.RATIOS`)."""
        cells: tuple[Key, ...] = ()
        pair = cohorts.RATIOS.get(m.id)
        if pair and all(p in measures for p in pair):
            keys = [self.counts_for(measures[p], fallbacks).key("num", r["breakdown"], r["breakdown_value"])
                    for p in pair]
            cells = tuple(k for k in keys if k is not None)
        d = _number(r.get("denominator"))
        small = d is not None and (0 < d <= SMALL_MAX or d < m.min_cohort)
        self.figures[fid] = Figure(fid, cells, headline, REASON_SMALL_GROUP if small else None)

    def _absent_rows(self, rows: list[dict], measures: Mapping[str, Measure]) -> None:
        """A breakdown row that is not there is a zero the reader knows: add it as a published zero.

        The values of a breakdown are those seen anywhere in the measure's population; a measure
        whose breakdown (shown at all) lacks one of them had no member there.
        """
        seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for k in self.values:
            for a, v in k.filters:
                if not isinstance(v, tuple):
                    seen[(k.population, a)].add(v)
        present: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            present[(r["measure"], r["breakdown"])].add(r["breakdown_value"])
        for mid, c in self.counts.items():
            m = measures.get(mid)
            if m is None or m.kind not in ("count", "proportion") or not present.get((mid, "all")):
                continue
            parts = ("num", "den") if m.kind == "proportion" else ("num",)
            for b in m.breakdowns:
                if not present.get((mid, b)):  # a breakdown not shown at all is not a table of zeros
                    continue
                attr = c.renamed.get(b, b)
                for v in sorted(seen[(c.population, attr)] - present[(mid, b)]):
                    for part in parts:
                        key = c.key(part, b, v)
                        if key is None:
                            continue
                        self._put(key, 0, mid)  # a count another measure gives as non-zero is a contradiction
                        if self.values[key] == 0:
                            fid = ("absent", mid, part, b, v)
                            self.figures[fid] = Figure(fid, (key,))

    def _at_least(self, rows: list[dict]) -> None:
        """Events at least as many as the children they happened to (``cohorts.AT_LEAST``), cell by cell."""
        cells = {(r["measure"], r["breakdown"], r["breakdown_value"]) for r in rows}
        for events, children in cohorts.AT_LEAST:
            for m, b, v in sorted(cells):
                if m != events or self.counts.get(events) is None:
                    continue
                big = self.counts[events].key("num", b, v)
                small = [self.counts[c].key("num", b, v) for c in children if c in self.counts]
                if big in self.values and all(k in self.values for k in small if k is not None):
                    self.extra.append(Relation.at_most([k for k in small if k is not None], [big],
                                                       f"{events} at least {children}"))

    def _quality(self, kind: str, q: QualityCounts) -> None:
        findings, children = quality_populations(kind)
        total_f, total_c = Key(findings), Key(children)
        self._put(total_f, q.findings, "quality")
        self._put(total_c, q.children, "quality")
        for what, key in (("findings", total_f), ("children", total_c)):
            self.figures[quality_id(kind, what, None)] = Figure(quality_id(kind, what, None), (key,), True)
        self.extra.append(Relation.at_most([total_c], [total_f], f"{kind}: each child with a finding has one"))
        for rule, (f, c) in q.rules.items():
            kf, kc = Key.of(findings, rule=rule), Key.of(children, rule=rule)
            self._put(kf, f, "quality")
            self._put(kc, c, "quality")
            self.figures[quality_id(kind, "findings", rule)] = Figure(quality_id(kind, "findings", rule), (kf,))
            self.figures[quality_id(kind, "children", rule)] = Figure(quality_id(kind, "children", rule), (kc,))
            self.extra.append(Relation.at_most([kc], [kf], f"{kind} rule {rule}: a child per finding at most"))

    def system(self) -> CellSystem:
        attrs = cohorts.attributes(self.values)
        for kind in KINDS:  # a child can break several rules: the rules do not split the children
            attrs.setdefault(quality_populations(kind)[1], {})["rule"] = cohorts.Attribute(partition=False)
        return CellSystem(dict(self.values), attrs, list(self.extra), cohorts.CROSSINGS).close()

    def contradicted(self, system: CellSystem) -> set[str]:
        """Measures whose declared counts the values contradict (a relation broken, a negative remainder)."""
        bad = set(self.conflicts)
        for rel in system.relations:
            vals = [(system.value(k), c) for k, c in rel.terms]
            if any(v is None for v, _ in vals):
                continue
            total = sum(v * c for v, c in vals)
            if (rel.equal and total != 0) or (not rel.equal and total > 0):
                for k, _ in rel.terms:
                    bad |= self.owners.get(k, set())
        for k, v in system.latent.items():
            if v is not None and v < 0:
                for rel in system.relations:
                    if any(t == k for t, _ in rel.terms):
                        for t, _ in rel.terms:
                            bad |= self.owners.get(t, set())
        return bad - {"quality"}


def decide(rows: Iterable[Mapping], measures: Mapping[str, Measure] | None = None,
           quality: QualityCounts | Mapping[str, QualityCounts] | None = None,
           ) -> tuple[Outcome, CellSystem, dict[tuple, Figure], set[str]]:
    """Run disclosure control over one (authority, year)'s figures: which figures are shown.

    ``quality``: the validation counts by kind of return (one :class:`QualityCounts` alone is the SSDA903's)."""
    measures = all_measures() if measures is None else measures
    qualities = _by_kind(quality)
    rows = [dict(r) for r in rows]
    fallbacks: set[str] = set()
    for _ in range(len(measures) + 1):  # each round sets more measures apart, so this ends
        builder = _Builder(rows, measures, qualities, fallbacks)
        system = builder.system()
        bad = builder.contradicted(system) - fallbacks
        if not bad:
            break
        log.warning("Disclosure control: the returns contradict how %s are declared in publish/cohorts.py; "
                    "controlling them as tables of their own.", ", ".join(sorted(bad)))
        fallbacks |= bad
    outcome = protect(system, builder.figures.values(), builder.sensitive)
    _average_sets(rows, measures, builder.figures, outcome)
    return outcome, system, builder.figures, fallbacks


def _average_sets(rows: list[dict], measures: Mapping[str, Measure], figures: dict[tuple, Figure],
                  outcome: Outcome) -> None:
    """Breakdowns of an average: when exactly one is hidden, hide the one with the smallest group too.

    A headline average and the group sizes would otherwise give away the hidden one (a mean is a sum
    over the groups); medians get the same rule, since their breakdowns narrow it down as well.
    """
    sets: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        m = measures.get(r.get("measure"))
        if m is not None and m.kind in ("mean", "median") and r.get("breakdown") != "all":
            sets[(r["measure"], r["breakdown"])].append(r)
    for cells in sets.values():
        hidden = [c for c in cells if measure_id(c) in outcome.hidden]
        shown = [c for c in cells if measure_id(c) not in outcome.hidden]
        if len(hidden) == 1 and shown:
            def size(c: dict) -> tuple:
                d = _number(c.get("denominator"))
                return (d if d is not None else float("inf"), str(c.get("breakdown_value")))
            outcome.hidden[measure_id(min(shown, key=size))] = REASON_SECONDARY


def _by_kind(quality: QualityCounts | Mapping[str, QualityCounts] | None) -> dict[str, QualityCounts]:
    if quality is None:
        return {}
    if isinstance(quality, QualityCounts):
        return {"ssda903": quality}
    return {k: q for k, q in quality.items() if q is not None}


def read_quality(con: duckdb.DuckDBPyConnection, la: str, year: int, kind: str = "ssda903") -> QualityCounts | None:
    """The exact validation counts of ``year``'s latest run on the current ``kind`` return, or None if it was
    never validated."""
    if not _has_tables(con, "validation_runs", "validation_findings", "loads"):
        return None
    run = con.execute(_LATEST_RUN, [la, year, kind]).fetchone()
    if run is None:
        return None
    run_id, rules_run = run
    findings, children = con.execute(_RUN_TOTALS, [run_id]).fetchone()
    rules = {rule: (int(f), int(c)) for rule, f, c in con.execute(_RULE_COUNTS, [run_id]).fetchall()}
    return QualityCounts(int(rules_run), int(findings), int(children), rules)


def read_qualities(con: duckdb.DuckDBPyConnection, la: str, year: int) -> dict[str, QualityCounts]:
    """The exact validation counts of every kind of return validated for ``year``."""
    return {kind: q for kind in KINDS if (q := read_quality(con, la, year, kind)) is not None}


def _has_tables(con: duckdb.DuckDBPyConnection, *names: str) -> bool:
    found = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return set(names) <= found


def read_values(con: duckdb.DuckDBPyConnection, la: str, year: int) -> list[dict]:
    cur = con.execute(
        "SELECT measure, la, year, breakdown, breakdown_value, numerator, denominator, value "
        "FROM measure_values WHERE la = ? AND year = ? ORDER BY measure, breakdown, breakdown_value", [la, year])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def build_release(con: duckdb.DuckDBPyConnection, la: str, year: int,
                  measures: Mapping[str, Measure] | None = None) -> Release:
    """The controlled figures of ``la`` in ``year``: every measure cell and the validation counts."""
    return release_from(la, year, read_values(con, la, year), read_qualities(con, la, year), measures)


def release_from(la: str, year: int, raw: list[dict], qualities: dict[str, QualityCounts],
                 measures: Mapping[str, Measure] | None = None) -> Release:
    """:func:`build_release` from the figures it reads (no database: the refresh builds releases in other
    processes with it, stored_release.py)."""
    from careboard.publish.disclosure import controlled_rows

    measures = all_measures() if measures is None else measures
    outcome, system, figures, fallbacks = decide(raw, measures, qualities)
    rows = controlled_rows(raw, outcome, measures)
    controlled: dict[str, QualityCounts] = {}
    for kind, quality in qualities.items():
        def show(what: str, rule: str | None, n: int, kind: str = kind) -> object:
            return "c" if quality_id(kind, what, rule) in outcome.hidden else n

        controlled[kind] = QualityCounts(
            quality.rules_run, show("findings", None, quality.findings), show("children", None, quality.children),
            {rule: (show("findings", rule, f), show("children", rule, c)) for rule, (f, c) in quality.rules.items()})
    return Release(la, year, rows, controlled, outcome, system, figures, fallbacks, exact_counts(system))


_YEARS = """
SELECT DISTINCT year FROM measure_values WHERE la = ?
UNION SELECT DISTINCT r.year FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
WHERE r.la = ?
ORDER BY year
"""


def read_years(con: duckdb.DuckDBPyConnection, la: str) -> list[int]:
    """Years with figures or a validation run for ``la``, oldest first."""
    if not _has_tables(con, "measure_values"):
        return []
    if _has_tables(con, "validation_runs", "loads"):
        return [int(r[0]) for r in con.execute(_YEARS, [la, la]).fetchall()]
    return [int(r[0]) for r in con.execute(
        "SELECT DISTINCT year FROM measure_values WHERE la = ? ORDER BY year", [la]).fetchall()]


class Releases:
    """One authority's releases, read (or built) when first asked for and kept: pages showing several years
    (trends, last year's figure, the data-quality trend) take each year from its own release.

    Safe to share between threads; the caller passes a connection (or cursor) to each call and must
    make a new :class:`Releases` when the data changes.
    """

    def __init__(self, la: str, measures: Mapping[str, Measure] | None = None) -> None:
        from careboard import authorities

        self.la = authorities.resolve(la).code
        self.measures = measures
        self._years: list[int] | None = None
        self._by_year: dict[int, Release] = {}
        self._lock = threading.Lock()
        self._year_locks: dict[int, threading.Lock] = defaultdict(threading.Lock)
        self._fingerprints: dict[int, str] | None = None  # stored_release.fingerprints, asked once

    def years(self, con: duckdb.DuckDBPyConnection) -> list[int]:
        """Years with figures or a validation run for the authority, oldest first."""
        if self._years is None:
            self._years = read_years(con, self.la)
        return self._years

    def get(self, con: duckdb.DuckDBPyConnection, year: int) -> Release:
        with self._lock:
            found = self._by_year.get(year)
            lock = self._year_locks[year]
        if found is not None:
            return found
        with lock:
            if year not in self._by_year:
                from careboard.publish import stored_release

                if self._fingerprints is None and self.measures is None:
                    self._fingerprints = stored_release.fingerprints(con, self.la)
                self._by_year[year] = stored_release.release(con, self.la, year, self.measures, self._fingerprints)
            return self._by_year[year]

    def rows(self, con: duckdb.DuckDBPyConnection, year: int) -> list[dict] | None:
        """A year's controlled measure rows, or None if there is no such year."""
        return self.get(con, year).rows if year in self.years(con) else None
