"""Plain-English sentences from disclosure-controlled figures, for members who are not analysts.

The sentences are deterministic and say only what the numbers support:

* a change is named only when it is bigger than the measure unit's tolerance (:data:`TOLERANCE`);
  smaller moves are "about the same", because a council's figures wobble from year to year and
  members should not be sent chasing noise;
* "better" and "worse" are used only when the measure has a polarity (high or low is good);
* "best quarter" / "worst quarter" come only from the ``quartile_band`` computed by benchmark/;
* England and statistical neighbours are mentioned only when those figures exist, and counts are
  never compared with England's count (different sizes of place);
* a hidden figure (a disclosure marker, see disclosure.py) is never narrated, and nor is any
  comparison that would hint at it.

Input rows must have passed :func:`careboard.publish.disclosure.control`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from careboard.measures.measure import Measure, all_measures
from careboard.measures.themes import question
from careboard.publish.disclosure import figure, is_marker
from careboard.publish.wording import TOLERANCE, direction, fmt, judgement, tolerance

__all__ = ["TOLERANCE", "direction", "fmt", "judgement", "tolerance"]  # the wording narrative is built from

BANDS = {
    "A": "in the best quarter of councils in England",
    "B": "in the second-best quarter of councils in England",
    "C": "in the second-worst quarter of councils in England",
    "D": "in the worst quarter of councils in England",
}
HIDDEN_SENTENCE = "the figure is not shown (c) because the group is small enough that a child could be identified."
MARKER_SENTENCES = {
    "c": HIDDEN_SENTENCE,
    "x": "the figure is not available for this year.",
    "z": "the figure does not apply here.",
    "k": "the figure is above zero but rounds to 0.0%.",
}

GENERAL_QUESTIONS = (
    "What do children and young people in our care, and our care leavers, say matters most to them in these figures?",
    "Where are we furthest from the best of our statistical neighbours, and what do they do differently?",
    "Are there groups of children (by age, ethnicity or local area) for whom the picture is worse than the headline?",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def change_sentence(title: str, value: object, previous: object, unit: str, polarity: str | None,
                    then: str = "last year", now: str = "this year") -> str | None:
    """One sentence on the change from ``previous`` to ``value``; None when either figure is hidden or missing.

    The measure's title leads, then a colon: titles are noun phrases of every shape ("Care leavers aged
    17 to 18 the council is not in touch with"), and "Title: 5.1% this year" reads right for all of them.
    """
    move = direction(value, previous, unit)
    if move is None:
        return None
    v, p = fmt(value, unit), fmt(previous, unit)
    if move == "same":
        return f"{_cap(title)}: {v} {now}, about the same as {then} ({p})."
    verdict = judgement(move, polarity)
    tail = f", which is {verdict}" if verdict else ""
    return f"{_cap(title)}: {v} {now}, {move} from {p} {then}{tail}."


def _compare_word(move: str, polarity: str | None) -> str:
    if move == "same":
        return "about the same as"
    verdict = judgement(move, polarity)
    if verdict:
        return f"{verdict} than"
    return "higher than" if move == "up" else "lower than"


def benchmark_sentences(row: Mapping, m: Measure, year: int | None = None) -> list[str]:
    """Where the figure stands: quartile band, England, statistical neighbours, the best neighbour."""
    value = row.get("value")
    if figure(value) is None:
        return []
    out: list[str] = []
    band = row.get("quartile_band")
    if m.polarity and band in BANDS:
        out.append(f"It is {BANDS[band]}.")
        best_q = figure(row.get("best_quartile"))
        if band != "A" and best_q is not None:
            more = "or more" if m.polarity == "high" else "or less"
            out.append(f"To be in the best quarter it would need to be {fmt(best_q, m.unit)} {more}.")
    if m.unit == "number":  # a count is not comparable with England's or another council's count
        return out
    parts = []
    for label, key in (("England", "england"), ("the average of our statistical neighbours", "sn_mean")):
        move = direction(value, row.get(key), m.unit)
        if move is not None:
            parts.append(f"{_compare_word(move, m.polarity)} {label} ({fmt(row.get(key), m.unit)})")
    if parts:
        bench_year = row.get("benchmark_year")
        when = ""
        if isinstance(bench_year, int) and year is not None and bench_year != year:
            when = f", using the latest published figures ({bench_year - 1}-{bench_year % 100:02d})"
        out.append(f"It is {' and '.join(parts)}{when}.")
    best, name = figure(row.get("best_sn")), row.get("best_sn_name")
    if m.polarity and best is not None and isinstance(name, str) and name:
        out.append(f"The best of our statistical neighbours, {name}, had {fmt(best, m.unit)}.")
    return out


def describe(row: Mapping, m: Measure | None = None, year: int | None = None,
             area_name: str | None = None, council_value: object = None) -> list[str]:
    """The sentences for one headline (or one local area's) figure, in reading order.

    For a local area, pass ``area_name`` and the council-wide figure as ``council_value``; areas
    are compared with the council as a whole, not with England (no published local figures).
    """
    m = m or all_measures()[row["measure"]]
    value = row.get("value")
    title = m.title if area_name is None else f"{m.title} in {area_name}"
    if is_marker(value):
        return [f"{_cap(title)}: {MARKER_SENTENCES[str(value)]}"]
    if figure(value) is None:
        return []
    sentence = change_sentence(title, value, row.get("previous"), m.unit, m.polarity)
    out = [sentence or f"{_cap(title)}: {fmt(value, m.unit)} this year."]
    if area_name is None:
        out += benchmark_sentences(row, m, year)
    elif m.unit != "number":
        move = direction(value, council_value, m.unit)
        if move is not None:
            word = _compare_word(move, m.polarity)
            out.append(f"That is {word} the council as a whole ({fmt(council_value, m.unit)}).")
    return out


@dataclass(frozen=True)
class Change:
    """One measure that moved beyond tolerance, for the page-1 summary."""

    measure: str
    title: str
    theme: str
    sentence: str
    size: float  # the move in multiples of its tolerance: how the summary orders moves


@dataclass(frozen=True)
class Summary:
    better: list[Change]
    worse: list[Change]
    questions: list[str]


def _changes(rows: Iterable[Mapping], measures: Mapping[str, Measure]) -> tuple[list[Change], list[Change]]:
    better: list[Change] = []
    worse: list[Change] = []
    for r in rows:
        m = measures.get(r.get("measure"))
        if m is None or m.polarity is None or r.get("breakdown") != "all":
            continue
        move = direction(r.get("value"), r.get("previous"), m.unit)
        verdict = judgement(move, m.polarity)
        if verdict is None:
            continue
        v, p = figure(r["value"]), figure(r["previous"])
        assert v is not None and p is not None
        size = abs(v - p) / max(tolerance(m.unit, p), 1e-9)
        text = f"{_cap(m.title)}: {move} from {fmt(p, m.unit)} to {fmt(v, m.unit)}."
        (better if verdict == "better" else worse).append(Change(m.id, m.title, m.theme, text, size))
    better.sort(key=lambda c: -c.size)
    worse.sort(key=lambda c: -c.size)
    return better, worse


def questions(rows: Iterable[Mapping], measures: Mapping[str, Measure] | None = None,
              most: int = 5, least: int = 3) -> list[str]:
    """Questions members should ask: worst-quarter and worsening measures first, one per theme."""
    measures = measures or all_measures()
    scored: list[tuple[float, str, Measure, str]] = []
    for r in rows:
        m = measures.get(r.get("measure"))
        if m is None or m.polarity is None or r.get("breakdown") != "all" or figure(r.get("value")) is None:
            continue
        move = direction(r.get("value"), r.get("previous"), m.unit)
        worse = judgement(move, m.polarity) == "worse"
        band_d = r.get("quartile_band") == "D"
        if not (worse or band_d):
            continue
        states = []
        if band_d:
            states.append(f"{BANDS['D']} ({fmt(r['value'], m.unit)})")
        if worse:
            states.append(f"worse than last year, from {fmt(r['previous'], m.unit)} to {fmt(r['value'], m.unit)}")
        p = figure(r.get("previous"))
        size = 0.0 if p is None else abs(figure(r["value"]) - p) / max(tolerance(m.unit, p), 1e-9)  # type: ignore[operator]
        score = (2.0 if band_d else 0.0) + (1.0 if worse else 0.0) + min(size, 10) / 10
        scored.append((score, m.id, m, f"{_cap(m.title)}: {' and '.join(states)}."))
    scored.sort(key=lambda s: (-s[0], s[1]))
    out: list[str] = []
    themes: set[str] = set()
    for _, _, m, state in scored:
        if m.theme in themes:
            continue
        themes.add(m.theme)
        out.append(f"{state} {question(m.theme)}")
        if len(out) == most:
            return out
    for q in GENERAL_QUESTIONS:
        if len(out) >= least:
            break
        out.append(q)
    return out


def summarise(rows: Iterable[Mapping], measures: Mapping[str, Measure] | None = None, top: int = 5) -> Summary:
    """Page 1: what got better, what got worse (biggest moves first), and questions to ask."""
    measures = measures or all_measures()
    rows = list(rows)
    better, worse = _changes(rows, measures)
    return Summary(better[:top], worse[:top], questions(rows, measures))
