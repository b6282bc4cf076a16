"""Primary and secondary suppression over every figure of a release at once.

A *figure* is something a page shows (a count, a percentage, a rate); it reveals the counts it is
built on (:class:`Figure.cells`): a count reveals itself, and a percentage reveals its numerator and
its denominator, because a reader who knows one and the rounded percentage can work out the other.
So a figure is shown only when none of its counts is hidden.

1. **Primary.** Every count of 1 to 5 that any figure is built on is hidden (``c``), and so is any
   extra count the caller marks sensitive (a share's numerator when its group is below the
   measure's minimum cohort).  Zeros are never hidden: a ``c`` always stands for at least 1.
2. **Secondary, by subtraction.** While a reader could work a sensitive count out by repeated
   subtraction (some relation left with it as the only unknown), one more count is hidden: of the
   published counts in the relations that give it away, the cheapest whose hiding stops that.
3. **Secondary, by ranges.** Then :class:`~careboard.publish.cells.Auditor` bounds each sensitive
   count through every relation at once (linear and, where needed, integer programming).  While the
   range holds a single value (fewer than :data:`MIN_PROTECTION`), one more count is hidden: of the
   published counts that limit the range (non-zero duals), the cheapest that widens it.  A range of
   two values is widened to :data:`PROTECTION` when hiding one cheap figure does it (at most
   :data:`WIDEN_COST` figures, no headline): "1 or 2" says more than "1, 2 or 3", but not at the
   price of a whole local area's figures.

"Cheapest" is the fewest figures newly hidden (a headline figure weighs :data:`HEADLINE_WEIGHT`),
then the smallest count, then a fixed order, so the same data gives the same pattern.  Hiding a
count hides every figure built on it, which unpublishes those figures' other counts too.  Hiding
more never narrows a range, so a count protected once stays protected, and the loops end (at worst
with everything hidden).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from careboard.publish.cells import Auditor, CellSystem, Key

SMALL_MAX = 5
MIN_PROTECTION = 2  # a hidden sensitive count must have at least this many possible values...
PROTECTION = 3  # ...and gets this many where hiding one more cheap figure does it
WIDEN_COST = 2  # "cheap": at most this many figures newly hidden, none a headline
HEADLINE_WEIGHT = 25
MAX_TRIES = 12  # candidates tried per step before settling for the cheapest nearest one

REASON_SMALL_COUNT = f"fewer than {SMALL_MAX + 1} counted"
REASON_SMALL_GROUP = "group too small to publish"
REASON_SECONDARY = "hidden so that another hidden figure cannot be worked out from the figures shown"


@dataclass(frozen=True)
class Figure:
    """One figure as pages show it: an id, the counts it reveals, and whether it heads a measure."""

    id: tuple
    cells: tuple[Key, ...]
    headline: bool = False
    hidden: str | None = None  # hidden whatever its counts (e.g. an average of a small group)


@dataclass
class Outcome:
    """What suppression decided: the hidden counts (with why), the hidden figures, the published counts,
    and the range a reader can prove for each sensitive count."""

    suppressed: dict[Key, str]
    hidden: dict[tuple, str]
    published: set[Key]
    ranges: dict[Key, tuple[float, float]]
    sensitive: set[Key]

    def shown(self, figure_id: tuple) -> bool:
        return figure_id not in self.hidden


def protect(system: CellSystem, figures: Iterable[Figure], sensitive: Mapping[Key, str] | None = None) -> Outcome:
    """Decide which counts to hide so that no sensitive count can be narrowed below :data:`PROTECTION` values."""
    state = _State(system, list(figures))
    for k in state.used:
        if 0 < system.values[k] <= SMALL_MAX:
            state.suppressed[k] = REASON_SMALL_COUNT
    for k, why in (sensitive or {}).items():
        if system.values.get(k, 0) > 0 and k in state.used:
            state.suppressed.setdefault(k, why)
    primary = sorted(state.suppressed, key=lambda k: (system.values[k], str(k)))
    state.refresh()
    ix = system.index()

    primary_ids = [(p, ix.id[p]) for p in primary]

    # 1. Subtraction: no sensitive count may be worked out by repeated subtraction (the quick check).
    # A candidate's trial auditor is what the next round's auditor would be once it is hidden (the same
    # counts published and suppressed), so the chosen one's is kept rather than worked out again.
    tried: tuple[Auditor, dict[int, int]] | None = None
    while True:
        if tried is None:
            auditor = state.auditor()
            derived = auditor.derivable()
        else:
            auditor, derived = tried
            tried = None
        exposed = [p for p, i in primary_ids if i in derived]
        if not exposed:
            break
        p = exposed[0]
        candidates = state.derivation_candidates(auditor, p, derived)
        if not candidates:
            raise RuntimeError(f"disclosure control could not protect {p}")
        chosen = min(candidates, key=lambda dc: (state.cost(dc[1]), dc[0]))[1]  # cheapest, if no single count does it
        for _, c in sorted(candidates, key=lambda dc: state.cost(dc[1]))[:MAX_TRIES]:
            trial = state.auditor(extra=c)
            trial_derived = trial.derivable(until=ix.id[p])  # complete when p is not in it: then it is kept
            if ix.id[p] not in trial_derived:
                chosen = c
                tried = (trial, trial_derived)
                break
        state.hide(chosen)

    # 2. Ranges: every sensitive count's range, through every relation at once.
    ranges: dict[Key, tuple[float, float]] = {}
    # As above, the chosen candidate's trial auditor (its model solved for p as a new auditor's would be, in
    # the same order) becomes the auditor, with the range it found.
    auditor = state.auditor()
    for p in primary:
        found: tuple[float, float] | None = None
        while True:
            lo, hi = found if found is not None else auditor.ranges([p])[p]
            found = None
            width = hi - lo + 1
            if width >= PROTECTION:
                break
            binding = [k for k in auditor.binding(p) if state.hideable(k)]
            candidates = sorted(binding or state.neighbour_candidates(auditor, p), key=state.cost)
            if width >= MIN_PROTECTION:  # safe; widen further only if one cheap count does it
                candidates = [c for c in candidates if state.cost(c)[0] <= WIDEN_COST]
            chosen, trial = None, None
            for c in candidates[:MAX_TRIES]:
                trial = state.auditor(extra=c)
                lo2, hi2 = trial.ranges([p], within=(lo, hi))[p]
                if hi2 - lo2 > hi - lo:
                    chosen, found = c, (lo2, hi2)
                    break
            if chosen is None:
                if width >= MIN_PROTECTION:
                    break
                if not candidates:
                    raise RuntimeError(f"disclosure control could not protect {p}")
                chosen = candidates[0]
            state.hide(chosen)
            auditor = trial if found is not None else state.auditor()
        ranges[p] = (lo, hi)
    return Outcome(dict(state.suppressed), state.hidden_figures(), state.published_keys(), ranges, set(primary))


class _State:
    """The counts hidden so far, and (kept up to date) which figures and counts that leaves published."""

    def __init__(self, system: CellSystem, figures: list[Figure]) -> None:
        self.system = system
        self.ix = ix = system.index()
        self.figures = figures
        self.cells = [np.array([ix.id[c] for c in f.cells], dtype=np.int64) for f in figures]
        self.by_cell: dict[int, list[int]] = {}
        for n, ids in enumerate(self.cells):
            for i in ids:
                self.by_cell.setdefault(int(i), []).append(n)
        self.used = {ix.keys[i] for i in self.by_cell}
        self.suppressed: dict[Key, str] = {}
        self.hidden = np.zeros(len(figures), dtype=bool)
        self.visible_count = np.zeros(len(ix.keys), dtype=np.int64)
        self._suppressed_mask: tuple[int, np.ndarray] | None = None  # (how many were suppressed, their mask)
        self._names: dict[Key, str] = {}  # str(key), for the stable order of :meth:`cost`

    def refresh(self) -> None:
        """Recompute hidden figures and published counts from :attr:`suppressed`."""
        hidden_cells = self.ix.mask(set(self.suppressed))
        self.hidden = np.array([bool(f.hidden) or bool(hidden_cells[ids].any())
                                for f, ids in zip(self.figures, self.cells, strict=True)])
        self.visible_count[:] = 0
        for n, ids in enumerate(self.cells):
            if not self.hidden[n]:
                np.add.at(self.visible_count, ids, 1)

    def _newly_hidden(self, i: int) -> list[int]:
        return [n for n in self.by_cell.get(i, ()) if not self.hidden[n]]

    def hide(self, k: Key) -> None:
        self.suppressed[k] = REASON_SECONDARY
        for n in self._newly_hidden(self.ix.id[k]):
            self.hidden[n] = True
            np.subtract.at(self.visible_count, self.cells[n], 1)

    def published_mask(self, extra: Key | None = None) -> np.ndarray:
        if extra is None:
            return self.visible_count > 0
        counts = self.visible_count.copy()
        for n in self._newly_hidden(self.ix.id[extra]):
            np.subtract.at(counts, self.cells[n], 1)
        return counts > 0

    def auditor(self, extra: Key | None = None) -> Auditor:
        # Counts are only ever added to :attr:`suppressed`, so its mask is made again only when it grew.
        if self._suppressed_mask is None or self._suppressed_mask[0] != len(self.suppressed):
            self._suppressed_mask = (len(self.suppressed), self.ix.mask(set(self.suppressed)))
        suppressed = self._suppressed_mask[1]
        if extra:
            suppressed = suppressed.copy()
            suppressed[self.ix.id[extra]] = True
        return Auditor(self.system, self.published_mask(extra), suppressed)

    def hideable(self, k: Key) -> bool:
        i = self.ix.id[k]
        return bool(self.visible_count[i] > 0) and self.system.values.get(k, 0) > 0

    def cost(self, k: Key) -> tuple:
        """Fewest newly hidden figures (headlines weigh more), then the smallest count, then a stable order."""
        newly = self._newly_hidden(self.ix.id[k])
        weight = sum(HEADLINE_WEIGHT if self.figures[n].headline else 1 for n in newly)
        name = self._names.get(k)
        if name is None:
            name = self._names[k] = str(k)
        return (weight, self.system.values[k], name)

    def derivation_candidates(self, auditor: Auditor, p: Key, derived: Mapping[int, int]) -> list[tuple[int, Key]]:
        """(depth, count) for the published counts in the equations that give ``p`` away: the equation
        that gives it (depth 0), those that give away that equation's other unknowns (depth 1), and so
        on; nearest first, then cheapest."""
        ix = self.ix
        level, seen, depth, found = [ix.id[p]], {ix.id[p]}, 0, {}
        while level:
            nxt = []
            for i in level:
                r = derived.get(i)
                if r is None:
                    continue
                ids = ix.terms[r][0]
                for j in ids:
                    k = ix.keys[j]
                    if self.hideable(k):
                        found.setdefault(k, depth)
                    elif auditor.unknown[j] and j not in seen:
                        seen.add(int(j))
                        nxt.append(int(j))
            level = nxt
            depth += 1
        return sorted(((d, k) for k, d in found.items()), key=lambda dk: (dk[0], self.cost(dk[1])))

    def neighbour_candidates(self, auditor: Auditor, p: Key) -> list[Key]:
        """Published counts in a relation with an unknown linked to ``p``: hiding one can widen p's range."""
        _, rows = auditor.component(self.ix.id[p])
        found = {self.ix.keys[j] for r in rows for j in self.ix.terms[r][0]}
        return sorted((k for k in found if self.hideable(k)), key=str)

    def hidden_figures(self) -> dict[tuple, str]:
        out = {}
        for n, f in enumerate(self.figures):
            if self.hidden[n]:
                out[f.id] = f.hidden or next(self.suppressed[c] for c in f.cells if c in self.suppressed)
        return out

    def published_keys(self) -> set[Key]:
        return {self.ix.keys[i] for i in np.flatnonzero(self.visible_count > 0)}
