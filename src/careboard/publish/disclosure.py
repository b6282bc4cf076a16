"""Disclosure control: markers, the allow-list, and the row-level API over releases.

Everything publish/ renders (the pack, local-area briefings, the sufficiency section, the data-quality
summary, the web pages built on them) takes its figures from a :class:`~careboard.publish.release.Release`:
all the figures of one authority and year, controlled together (see docs/disclosure.md).  This module
holds what every caller shares:

* the DfE's markers (``c`` hidden, ``x`` not available, ``z`` not applicable, ``k`` rounds to 0.0%),
  as strings on purpose, so that code trying arithmetic with a hidden figure fails loudly instead of
  narrating or drawing it (:func:`figure` reads a field as a number);
* the allow-list of keys that may leave publish/ (:data:`OUTPUT_KEYS`); a breakdown that is not one
  of the catalogue's raises :class:`DisclosureError`, because an unknown dimension could be one row per child;
* :func:`controlled_rows`, which writes a release's decisions into ``measure_values``-shaped rows: a
  hidden figure is hidden whole (numerator, denominator, value, and the band, rank, trend and target
  status computed from it); a rate with no population is ``x``; a positive share rounding to 0.0 is ``k``;
* :func:`apply_release`, which puts a release's figures into the scorecard rows (benchmarks stay, as the
  DfE published them) and checks each headline's previous-year figure against last year's release;
* :func:`control`, the same for any rows at hand: each (authority, year) among them is controlled as
  one release.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from careboard.measures.measure import BREAKDOWNS, Measure, all_measures
from careboard.publish.suppress import SMALL_MAX

if TYPE_CHECKING:
    from careboard.publish.suppress import Outcome

SUPPRESSED = "c"
NOT_APPLICABLE = "z"
NOT_AVAILABLE = "x"
UNDER_HALF = "k"
MARKERS = {
    SUPPRESSED: "confidential: hidden so that no child can be identified",
    NOT_APPLICABLE: "not applicable",
    NOT_AVAILABLE: "not available",
    UNDER_HALF: "more than zero but rounds to 0.0",
}

# Keys allowed out of publish/; anything else is dropped.  All are aggregates or published figures.
OUTPUT_KEYS = (
    "measure", "lait_code", "la", "year", "breakdown", "breakdown_value", "numerator", "denominator", "value",
    "benchmark_year", "england", "region", "sn_mean", "sn_median", "best_sn", "best_sn_name", "best_quartile",
    "quartile_band", "rank", "ranked_of", "previous", "previous_source", "trend", "target_status", "suppressed",
)
ALLOWED_BREAKDOWNS = frozenset(BREAKDOWNS) | {"all"}
CELL_FIELDS = ("numerator", "denominator", "value")
DERIVED_FIELDS = ("quartile_band", "rank", "trend", "target_status")

REASON_UNRELEASED = "not in the release for this year"
REASON_NO_POPULATION = "no population estimate for this year"
REASON_PREVIOUS_UNCHECKED = "last year's figure could not be checked"


class DisclosureError(ValueError):
    """Input that must never reach members or the public."""


def is_marker(x: object) -> bool:
    """True for a DfE-style marker ('c', 'z', 'x', 'k') in place of a number."""
    return isinstance(x, str) and x in MARKERS


def figure(x: object) -> float | None:
    """``x`` as a number if it is one that may be shown; None for markers and missing values."""
    if x is None or isinstance(x, (str, bool)):
        return None
    return float(x)


def _small(x: object) -> bool:
    return isinstance(x, (int, float)) and 0 < x <= SMALL_MAX


def _hide(row: dict, reason: str) -> None:
    for f in CELL_FIELDS + DERIVED_FIELDS:
        if f in row:
            row[f] = SUPPRESSED
    row["suppressed"] = reason


def _clean(row: Mapping) -> dict:
    breakdown = row.get("breakdown")
    if breakdown not in ALLOWED_BREAKDOWNS:
        raise DisclosureError(f"breakdown {breakdown!r} is not a published breakdown; refusing to publish it")
    out = {k: row[k] for k in OUTPUT_KEYS if k in row}
    out["suppressed"] = None
    return out


def controlled_rows(rows: Iterable[Mapping], outcome: Outcome, measures: Mapping[str, Measure]) -> list[dict]:
    """``rows`` (one authority and year) with the figures ``outcome`` hides replaced by markers."""
    from careboard.publish.release import measure_id

    out = []
    for raw in rows:
        r = _clean(raw)
        m = measures.get(r.get("measure"))
        why = outcome.hidden.get(measure_id(r))
        if why:
            _hide(r, why)
        elif m is not None and m.kind == "rate" and r.get("denominator") is None and r.get("value") is not None:
            r["value"] = NOT_AVAILABLE
            r["suppressed"] = REASON_NO_POPULATION
            for f in DERIVED_FIELDS:
                if f in r:
                    r[f] = NOT_AVAILABLE
        elif (m is not None and m.kind == "proportion" and r.get("value") == 0
              and isinstance(r.get("numerator"), (int, float)) and r["numerator"] > 0):
            r["value"] = UNDER_HALF
        if m is not None and m.kind in ("mean", "median") and "denominator" in r and not why:
            r["denominator"] = None  # an average's group size is not one of the counts a release publishes
        out.append(r)
    return out


def _decide(rows: list[dict], measures: Mapping[str, Measure]) -> list[dict]:
    """Control rows of any number of authorities and years, each (authority, year) as one release."""
    from careboard.publish.release import decide

    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r.get("la"), r.get("year"))].append(r)
    out: list[dict] = []
    for group in groups.values():
        for r in group:
            _clean(r)  # refuse unknown breakdowns before anything else looks at the rows
        outcome, *_ = decide(group, measures)
        out += controlled_rows(group, outcome, measures)
    return out


def control(
    rows: Iterable[Mapping],
    previous_rows: Iterable[Mapping] | None = None,
    measures: Mapping[str, Measure] | None = None,
) -> list[dict]:
    """Rows safe to publish: scorecard rows or ``measure_values`` rows, with markers in place of hidden figures.

    Each (authority, year) among ``rows`` is controlled as one release (see release.py): give every
    breakdown of every measure, not a selection, so that secondary suppression sees every relation.
    ``previous_rows`` are the previous year's ``measure_values`` rows, used to check each headline's
    ``previous`` figure; without them careboard's own previous figures are withheld.  Each output row
    has a ``suppressed`` key: None, or why its figures are hidden.
    """
    measures = all_measures() if measures is None else measures
    out = _decide([dict(r) for r in rows], measures)
    prev_ok: dict[tuple, object] | None = None
    if previous_rows is not None:
        prev = _decide([dict(r) for r in previous_rows], measures)
        prev_ok = {(r.get("measure"), r.get("la"), r.get("year")): r.get("value")
                   for r in prev if r["breakdown"] == "all"}
    check_previous(out, prev_ok)
    return out


def check_previous(rows: list[dict], prev_ok: Mapping[tuple, object] | None) -> None:
    """Replace each headline's careboard-computed ``previous`` by last year's released figure (or a marker)."""
    for r in rows:
        if "previous" not in r or r.get("previous") is None:
            continue
        if r["breakdown"] != "all" or r.get("previous_source") == "published":
            continue
        key = (r.get("measure"), r.get("la"), (r.get("year") or 0) - 1)
        prev_value = None if prev_ok is None else prev_ok.get(key)
        if prev_ok is None or prev_value is None:
            r["previous"] = NOT_AVAILABLE
        elif is_marker(prev_value):
            r["previous"] = prev_value
        if is_marker(r["previous"]) and "trend" in r and not is_marker(r.get("trend")):
            r["trend"] = r["previous"]


def apply_release(card: Iterable[Mapping], released: Iterable[Mapping],
                  previous: Iterable[Mapping] | None) -> list[dict]:
    """Scorecard rows (benchmarks, rank, targets) with the released figures of the year put in.

    ``released`` are a release's controlled rows; ``previous`` last year's (None if there is no release
    for last year).  A hidden figure hides its derived fields (band, rank, trend, target status).
    """
    by_cell = {(r["measure"], r["breakdown"], r["breakdown_value"]): r for r in released}
    out = []
    for raw in card:
        r = _clean(raw)
        rel = by_cell.get((r["measure"], r["breakdown"], r["breakdown_value"]))
        if rel is None:
            _hide(r, REASON_UNRELEASED)
        else:
            for f in (*CELL_FIELDS, "suppressed"):
                if f in rel:
                    r[f] = rel[f]
            if is_marker(r.get("value")):
                for f in DERIVED_FIELDS:
                    if f in r:
                        r[f] = r["value"]
        out.append(r)
    prev_ok = None
    if previous is not None:
        prev_ok = {(r.get("measure"), r.get("la"), r.get("year")): r.get("value")
                   for r in previous if r["breakdown"] == "all"}
    check_previous(out, prev_ok)
    return out


def published_rows(card: Iterable[Mapping]) -> list[dict]:
    """Published-only scorecard rows (measures/published_only.py), which pass no release.

    Their figures are the DfE's own, already public at the precision shown, so there is nothing to
    suppress; they carry no counts (a numerator or denominator here would be careboard's, not the DfE's,
    and is refused) and only the allow-listed keys leave.  They are never added to a release, so they
    cannot change which of the authority's own figures are hidden.
    """
    from careboard.measures.published_only import is_published_only

    out = []
    for raw in card:
        r = _clean(raw)
        if not is_published_only(r.get("measure")) or r["breakdown"] != "all":
            raise DisclosureError(f"{r.get('measure')!r} ({r['breakdown']}) is not a published-only headline")
        if r.get("numerator") is not None or r.get("denominator") is not None:
            raise DisclosureError(f"published-only row {r['measure']!r} carries counts; refusing to publish them")
        out.append(r)
    return out


def suppressed_values(raw_rows: Iterable[Mapping], controlled: Iterable[Mapping]) -> set[float]:
    """The raw numbers that :func:`control` hid and that no shown cell also carries (for tests and checks)."""
    shown: set[float] = set()
    for r in controlled:
        for f in CELL_FIELDS:
            v = figure(r.get(f))
            if v is not None:
                shown.add(v)
    hidden: set[float] = set()
    def key(r: Mapping) -> tuple:
        return (r.get("measure"), r.get("la"), r.get("year"), r.get("breakdown"), r.get("breakdown_value"))

    by_key = {key(r): r for r in controlled}
    for raw in raw_rows:
        c = by_key.get(key(raw))
        if c is None:
            continue
        for f in CELL_FIELDS:
            if is_marker(c.get(f)) and isinstance(raw.get(f), (int, float)):
                hidden.add(float(raw[f]))
    return hidden - shown
