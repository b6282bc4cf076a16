"""The counts behind a release, the linear relations between them, and what a reader can work out.

Every figure careboard publishes about children is built from counts: how many children (or events)
of a *population* meet some *filters*.  "Children looked after on 31 March in Trafford placed with
parents" is population ``cla`` with filters ``placement_type = With parents, local_area = E08000009``.
The same count often appears on several pages under different names (the placement-mix share's
numerator, the children-looked-after breakdown, the sufficiency table's "now" column); here it is
one :class:`Key`, so hiding it hides it everywhere.

Counts are related: splitting a count by an attribute gives counts that add up to it (a breakdown
and its headline; the eight placement types of one local area and that area's total), and a share's
numerator is part of its denominator.  :class:`CellSystem` generates these relations from the keys
themselves, so no table has to be listed by hand, and adds *latent* counts for the parts that are
never published (children not placed with parents; UASC in one age band) so that every relation is
an exact equation.

:meth:`CellSystem.ranges` is the reader's side: given which counts are published, it bounds every
unpublished one with linear programming over all the relations at once (non-negative whole numbers,
hidden counts at least 1 because zeros are always published), and where a linear optimum is not a
whole-number solution finds the whole-number bound: first by looking for a whole-number solution at the
linear bound rounded inwards (a few more linear programmes with that count fixed; one found, checked
exactly against every relation, proves the bound), and only when none turns up by an integer programme.
Small authorities need this hundreds of times a year, and the integer programme cost about 30 ms each
against about 2 ms for the search.  Suppression (``suppress.py``) uses it to decide what else must be hidden.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from careboard.publish.disclosure_error import stopped

Filters = tuple[tuple[str, str | tuple[str, ...]], ...]

# The linear programmes that look for a whole-number solution at a bound before the integer programme is run
# (``_Model._attains``): one weight on every unknown (nothing, as few, as many), then this many objectives of
# random signs and as many of random weights in [0, 1), from a fixed seed (the same tries every run).
ATTAIN_OBJECTIVES = (0.0, 1.0, -1.0)
ATTAIN_RANDOM = 4
# HiGHS's ``simplex_strategy`` value for the primal simplex method (its documented options: 1 dual, 4 primal).
SIMPLEX_PRIMAL = 4


class Key(NamedTuple):
    """One count: the members of ``population`` that meet every filter (attribute = value).

    A filter value may be a tuple of values: the count of members with any of them (the union), as
    for "aged 10 to 17" over the age bands "10 to 15" and "16 and over".
    """

    population: str
    filters: Filters = ()

    @staticmethod
    def of(population: str, **filters: str | tuple[str, ...]) -> Key:
        return Key(population, tuple(sorted(filters.items())))

    def with_(self, attribute: str, value: str | tuple[str, ...]) -> Key:
        f = dict(self.filters)
        f[attribute] = value
        return Key(self.population, tuple(sorted(f.items())))

    def get(self, attribute: str) -> str | tuple[str, ...] | None:
        return dict(self.filters).get(attribute)

    def __str__(self) -> str:
        f = ", ".join(f"{a}={'|'.join(v) if isinstance(v, tuple) else v}" for a, v in self.filters)
        return f"{self.population}[{f}]"


@dataclass(frozen=True)
class Relation:
    """``sum(coef * count) == 0`` (``equal``) or ``<= 0``: a linear fact a reader can use."""

    terms: tuple[tuple[Key, int], ...]
    equal: bool = True
    why: str = ""

    @staticmethod
    def total(whole: Key, parts: Iterable[Key], why: str = "") -> Relation:
        """``whole == sum(parts)``."""
        return Relation(((whole, -1), *((p, 1) for p in parts)), True, why)

    @staticmethod
    def at_most(small: Iterable[Key], big: Iterable[Key], why: str = "") -> Relation:
        """``sum(small) <= sum(big)``."""
        return Relation((*((k, 1) for k in small), *((k, -1) for k in big)), False, why)


@dataclass
class Attribute:
    """How a population's members split by one attribute.

    ``values`` lists the possible values when they are not all seen in the data (a flag's "no", a
    care leaver's contact "other"); ``partition`` is False when a member can have several values
    (a child can break several validation rules), so the parts may add up to more than the whole.
    """

    values: tuple[str, ...] = ()
    partition: bool = True


@dataclass(frozen=True)
class Crossing:
    """Two attributes that each split the same members, linked by which values can go together.

    careboard's placement types and the DfE's placement categories both split the children looked
    after on 31 March, from the same placement code: fostering of each kind is a foster placement,
    a children's home is a secure or children's home (K1, K2) or another residential setting (R1),
    and so on.  A reader who knows both tables of an area can subtract across them ("children's homes"
    minus "secure and children's homes" is the R1 children), so the system holds, for every count
    split both ways, the counts of each pair of values that can go together (latent) and equations
    tying them to both splits.  ``pairs`` lists those pairs; a value not in any pair (one the
    declaration did not foresee) is taken to go with every value of the other attribute, which is
    always true.
    """

    population: str
    first: str
    second: str
    pairs: frozenset[tuple[str, str]]

    def together(self, firsts: Iterable[str], seconds: Iterable[str]) -> list[tuple[str, str]]:
        known_first = {a for a, _ in self.pairs}
        known_second = {b for _, b in self.pairs}
        return [(a, b) for a in firsts for b in seconds
                if (a, b) in self.pairs or a not in known_first or b not in known_second]


@dataclass
class CellSystem:
    """Counts with their true values, the relations between them, and the latent (never published) ones.

    ``values`` holds every count that some figure could show; :meth:`close` adds the relations and
    the latent counts they need.  ``attributes`` declares attributes that are not plain breakdowns
    (population -> attribute -> :class:`Attribute`); any other attribute's values are the ones seen.
    """

    values: dict[Key, int]
    attributes: Mapping[str, Mapping[str, Attribute]] = field(default_factory=dict)
    extra: list[Relation] = field(default_factory=list)
    crossings: tuple[Crossing, ...] = ()
    relations: list[Relation] = field(default_factory=list)
    latent: dict[Key, int | None] = field(default_factory=dict)  # latent key -> true value if known
    _index: _Index | None = field(default=None, repr=False)

    def close(self) -> CellSystem:
        """Generate every relation between the counts, and the latent counts they involve."""
        seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for k in self.values:
            for a, v in k.filters:
                seen[k.population][a].update(v if isinstance(v, tuple) else (v,))
        rels: dict[tuple, Relation] = {}

        def domain(pop: str, attr: str) -> tuple[str, ...]:
            declared = self.attributes.get(pop, {}).get(attr)
            extra = declared.values if declared else ()
            return tuple(sorted(seen[pop][attr] | set(extra)))

        def partition(pop: str, attr: str) -> bool:
            declared = self.attributes.get(pop, {}).get(attr)
            return declared.partition if declared else True

        def add(rel: Relation) -> None:
            sig = (tuple(sorted((str(k), c) for k, c in rel.terms)), rel.equal)
            rels.setdefault(sig, rel)

        # Group the counts by what they add up to: each count with one filter dropped is its parent.
        groups: dict[tuple[Key, str], None] = {}
        for k in self.values:
            for a, v in k.filters:
                if isinstance(v, tuple):  # a union filter is the sum of its values
                    add(Relation.total(k, [k.with_(a, x) for x in v], f"{a}: one of {len(v)} values"))
                    continue
                parent = Key(k.population, tuple(f for f in k.filters if f[0] != a))
                if parent in self.values:
                    groups.setdefault((parent, a), None)
        for parent, attr in groups:
            pop = parent.population
            parts = [parent.with_(attr, x) for x in domain(pop, attr)]
            if partition(pop, attr):
                add(Relation.total(parent, parts, f"{parent} split by {attr}"))
            else:  # overlapping parts: each is at most the whole, and together at least the whole
                for p in parts:
                    if p in self.values:
                        add(Relation.at_most([p], [parent], f"{p} is part of {parent}"))
                add(Relation.at_most([parent], parts, f"{parent} is covered by its parts by {attr}"))
        for crossing in self.crossings:
            for rel in self._crossed(crossing, domain):
                add(rel)
        for rel in self.extra:
            add(rel)
        self.relations = list(rels.values())
        for rel in self.relations:
            for key, _ in rel.terms:
                if key not in self.values:
                    self.latent.setdefault(key, None)
        self._solve_latent()
        return self

    def _crossed(self, crossing: Crossing, domain) -> list[Relation]:
        """Each count split by both attributes of ``crossing``: both splits through the latent pair counts."""
        pop, first, second = crossing.population, crossing.first, crossing.second
        split: dict[Key, set[str]] = defaultdict(set)  # the count split -> by which of the two attributes
        for k in self.values:
            if k.population != pop:
                continue
            f = dict(k.filters)
            for attr, other in ((first, second), (second, first)):
                if isinstance(f.get(attr), str) and other not in f:
                    split[Key(pop, tuple(x for x in k.filters if x[0] != attr))].add(attr)
        out = []
        pairs = crossing.together(domain(pop, first), domain(pop, second))
        for whole, attrs in split.items():
            if attrs != {first, second}:
                continue
            cell = {(a, b): whole.with_(first, a).with_(second, b) for a, b in pairs}
            for a in dict.fromkeys(a for a, _ in pairs):
                out.append(Relation.total(whole.with_(first, a), [k for (x, _), k in cell.items() if x == a],
                                          f"{whole.with_(first, a)} by {second}"))
            for b in dict.fromkeys(b for _, b in pairs):
                out.append(Relation.total(whole.with_(second, b), [k for (_, y), k in cell.items() if y == b],
                                          f"{whole.with_(second, b)} by {first}"))
        return out

    def _solve_latent(self) -> None:
        """True values of latent counts, where the relations fix them (used only to find the zeros)."""
        known = dict(self.values)
        known.update({k: v for k, v in self.latent.items() if v is not None})
        changed = True
        while changed:
            changed = False
            for rel in self.relations:
                if not rel.equal:
                    continue
                missing = [(k, c) for k, c in rel.terms if k not in known]
                if not missing:
                    continue
                rest = sum(c * known[k] for k, c in rel.terms if k in known)
                if len(missing) == 1:
                    k, c = missing[0]
                    known[k] = -rest // c
                    changed = True
                elif rest == 0 and len({c > 0 for _, c in missing}) == 1:
                    # non-negative counts with coefficients of one sign adding up to zero are all zero
                    for k, _ in missing:
                        known[k] = 0
                    changed = True
        for k in self.latent:
            if k in known:
                self.latent[k] = known[k]

    def value(self, key: Key) -> int | None:
        return self.values.get(key, self.latent.get(key))

    def index(self) -> _Index:
        """The relations as integer arrays (built once), for the auditor's inner loops."""
        if self._index is None:
            self._index = _Index(self)
        return self._index

    def ranges(self, targets: Iterable[Key], published: set[Key], suppressed: set[Key],
               integer: bool = True) -> dict[Key, tuple[float, float]]:
        """The whole-number range a reader can prove for each target, from the published counts alone.

        Unpublished counts are unknowns: at least 1 if ``suppressed`` (a ``c`` stands for a count of
        at least 1, since zeros are published), otherwise at least 0.  Published counts are their
        true values.
        """
        return Auditor(self, published, suppressed).ranges(targets, integer)


class _Index:
    """Keys numbered, relations as (key ids, coefficients), and which relations each key is in."""

    def __init__(self, system: CellSystem) -> None:
        self.keys: list[Key] = list(system.values) + [k for k in system.latent if k not in system.values]
        self.id = {k: i for i, k in enumerate(self.keys)}
        self.truth = np.array([system.value(k) if system.value(k) is not None else np.nan for k in self.keys])
        self.terms: list[tuple[np.ndarray, np.ndarray, bool]] = []
        # The same as plain lists (key ids, coefficients, is an equation): the auditor's loops walk them one
        # element at a time, which is many times faster on Python ints than on NumPy scalars.
        self.ids: list[list[int]] = []
        self.coefs: list[list[int]] = []
        self.equal: list[bool] = []
        self.member: list[list[int]] = [[] for _ in self.keys]
        rows, cols = [], []
        for r, rel in enumerate(system.relations):
            ids_list = [self.id[k] for k, _ in rel.terms]
            coefs_list = [int(c) for _, c in rel.terms]
            ids = np.array(ids_list, dtype=np.int64)
            coefs = np.array(coefs_list, dtype=np.int64)
            self.terms.append((ids, coefs, rel.equal))
            self.ids.append(ids_list)
            self.coefs.append(coefs_list)
            self.equal.append(bool(rel.equal))
            for i in ids_list:
                self.member[i].append(r)
                if rel.equal:
                    rows.append(r)
                    cols.append(int(i))
        # Every relation's terms end to end (relation r's are ``flat_start[r]:flat_start[r + 1]``), for building models.
        lengths = [len(i) for i in self.ids]
        self.flat_start = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(np.int64)
        self.flat_ids = np.array([i for ids in self.ids for i in ids], dtype=np.int64)
        self.flat_coefs = np.array([c for cs in self.coefs for c in cs], dtype=np.int64)
        self.equal_array = np.array(self.equal, dtype=bool)
        # Which keys each equation holds (inequalities have no entries: alone, they never give a count away).
        self.equations = csr_array((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                   shape=(len(self.terms), len(self.keys)))


    def mask(self, keys: set[Key] | np.ndarray) -> np.ndarray:
        if isinstance(keys, np.ndarray):
            return keys
        out = np.zeros(len(self.keys), dtype=bool)
        for k in keys:
            i = self.id.get(k)
            if i is not None:
                out[i] = True
        return out


class Auditor:
    """What a reader can work out about the unknown counts, given which counts are published.

    :meth:`derivable` is the quick check (a count is worked out whenever a relation has only it
    unknown, repeatedly); :meth:`ranges` the full one: linear programmes over each connected set of
    unknowns (HiGHS), with whole-number bounds where the linear optimum is not a whole number.
    """

    def __init__(self, system: CellSystem, published: set[Key] | np.ndarray, suppressed: set[Key] | np.ndarray) -> None:
        """``published``/``suppressed``: sets of keys, or boolean arrays over ``system.index().keys``."""
        self.system = system
        ix = self.ix = system.index()
        self.unknown = ~ix.mask(published)
        self.known = np.where(self.unknown, np.nan, ix.truth)
        self.lower = ix.mask(suppressed).astype(float)
        self._comp: dict[int, int] = {}
        self._comps: list[tuple[list[int], list[int]]] = []
        self._models: dict[int, _Model] = {}
        self._lists: tuple[list[bool], list[float]] | None = None

    def lists(self) -> tuple[list[bool], list[float]]:
        """``unknown`` and ``known`` as plain lists (made once), for the loops that read them key by key."""
        if self._lists is None:
            self._lists = (self.unknown.tolist(), self.known.tolist())
        return self._lists

    def derivable(self, until: int | None = None) -> dict[int, int]:
        """Unknowns a reader gets by repeated subtraction (any equation left with one unknown gives it),
        each with the equation that gives it.  ``until``: a key id; stop as soon as it is got (then the
        rest are not all there)."""
        ix = self.ix
        unknown = self.unknown.astype(np.int64)
        counts = ix.equations @ unknown
        # The sum of the open unknowns' ids in each equation: when one is left, it is that one.
        open_sum = (ix.equations @ (unknown * np.arange(len(unknown), dtype=np.int64))).tolist()
        queue = np.flatnonzero(counts == 1).tolist()
        open_count = counts.tolist()
        member, equal = ix.member, ix.equal
        done: dict[int, int] = {}
        while queue:
            r = queue.pop()
            if open_count[r] != 1:
                continue
            i = open_sum[r]
            done[i] = r
            if i == until:
                break
            for r2 in member[i]:
                if open_count[r2] > 0 and equal[r2]:
                    open_count[r2] -= 1
                    open_sum[r2] -= i
                    if open_count[r2] == 1:
                        queue.append(r2)
        return done

    def component(self, i: int) -> tuple[list[int], list[int]]:
        """The unknowns linked to key id ``i`` through relations, and those relations."""
        if i in self._comp:
            return self._comps[self._comp[i]]
        ix = self.ix
        unknown = self.lists()[0]
        index = len(self._comps)
        keys, rows, stack = [i], set(), [i]
        self._comp[i] = index
        while stack:
            k = stack.pop()
            for r in ix.member[k]:
                if r in rows:
                    continue
                rows.add(r)
                for other in ix.ids[r]:
                    if unknown[other] and other not in self._comp:
                        self._comp[other] = index
                        keys.append(other)
                        stack.append(other)
        self._comps.append((keys, sorted(rows)))
        return self._comps[index]

    def ranges(self, targets: Iterable[Key], integer: bool = True,
               within: tuple[float, float] | None = None) -> dict[Key, tuple[float, float]]:
        """Each target's whole-number range.  ``within``: a range each target's is known to hold (its range
        when more counts were published: publishing less never narrows one), which spares the integer
        programme of a bound the linear one already rounds to it (the same ranges, found sooner)."""
        out: dict[Key, tuple[float, float]] = {}
        for t in targets:
            i = self.ix.id[t]
            if not self.unknown[i]:
                out[t] = (self.known[i], self.known[i])
                continue
            c = self.component(i)
            index = self._comp[i]
            if index not in self._models:
                self._models[index] = _Model(self, *c)
            out[t] = self._models[index].range(i, integer, within)
        return out

    def binding(self, t: Key) -> set[Key]:
        """After :meth:`ranges` of ``t``: the published counts that limit its range (hiding one can widen it)."""
        i = self.ix.id[t]
        if i not in self._comp or self._comp[i] not in self._models:
            return set()
        return {self.ix.keys[k] for k in self._models[self._comp[i]].binding}


def _highs():
    """HiGHS's Python bindings as SciPy ships them (SciPy >= 1.15; the same API as the ``highspy`` package).

    SciPy's copy is used because it is already a dependency and, unlike ``highspy``, prints no banner.
    """
    from scipy.optimize._highspy import _core

    return _core


class _Model:
    """One connected set of unknowns as a HiGHS model, re-solved with a new objective for each count."""

    def __init__(self, auditor: Auditor, cols: list[int], rows: list[int]) -> None:
        hs = _highs()
        ix = auditor.ix
        self.col = {k: j for j, k in enumerate(cols)}
        n = len(cols)
        # The rows' terms (in order): the unknowns' become the matrix, the published counts' the right-hand side.
        rows_a = np.array(rows, dtype=np.int64)
        starts = ix.flat_start[rows_a]
        lengths = ix.flat_start[rows_a + 1] - starts
        row_of = np.repeat(np.arange(len(rows_a)), lengths)
        offset = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)  # each term's place in the flat arrays
        at = np.arange(int(lengths.sum())) + offset
        ids, coefs = ix.flat_ids[at], ix.flat_coefs[at]
        unknown = auditor.unknown[ids]
        rhs = np.zeros(len(rows_a))
        np.add.at(rhs, row_of[~unknown], -(coefs[~unknown] * auditor.known[ids[~unknown]]))
        column = np.full(len(ix.keys), -1, dtype=np.int64)
        column[cols] = np.arange(n)
        u_row, u_col, u_coef = row_of[unknown], column[ids[unknown]], coefs[unknown].astype(float)
        # An unknown twice in a row is one entry (summed), where it first appears; entries that cancel are dropped.
        pair, first, which = np.unique(u_row * max(n, 1) + u_col, return_index=True, return_inverse=True)
        summed = np.zeros(len(pair))
        np.add.at(summed, which.ravel(), u_coef)
        order = np.argsort(first, kind="stable")
        keep = order[summed[order] != 0]
        e_row, e_col, e_val = u_row[first[keep]], u_col[first[keep]], summed[keep]
        kept = np.unique(e_row)  # rows with an unknown left: the model's rows, in order
        new_row = np.full(len(rows_a), -1, dtype=np.int64)
        new_row[kept] = np.arange(len(kept))
        equal = ix.equal_array[rows_a[kept]]
        lower = np.where(equal, rhs[kept], -hs.kHighsInf)
        upper = rhs[kept]
        # per model row, the published counts' (key id, coefficient), for :attr:`binding`: made when first asked
        known_rows = new_row[row_of[~unknown]]
        self._known = (known_rows, ids[~unknown], coefs[~unknown], len(kept))
        self._known_terms: list[list[tuple[int, int]]] | None = None
        self.n = n
        self.lb = np.array([auditor.lower[k] for k in cols])
        self.truth = ix.truth[cols]  # the true values (NaN for a latent count the relations do not fix)
        h = self.h = hs._Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        # Primal simplex: each range re-solves these rows with a new objective from the last optimum, which stays
        # a feasible corner, so the primal method starts there; HiGHS's default (dual simplex) must first win back
        # dual feasibility the new objective lost.  Same optima; a release's audit took about 40 % less time.
        h.setOptionValue("simplex_strategy", SIMPLEX_PRIMAL)
        inf = hs.kHighsInf
        h.addVars(n, self.lb, np.full(n, inf))
        if len(kept):  # every row at once (row-wise sparse: where each row starts, its columns and coefficients)
            row_starts = np.searchsorted(new_row[e_row], np.arange(len(kept))).astype(np.int32)
            h.addRows(len(kept), lower.astype(float), upper.astype(float), len(e_col),
                      row_starts, e_col.astype(np.int32), e_val.astype(float))
        self.rows = (new_row[e_row], e_col, e_val, lower, upper)
        self._constraint: LinearConstraint | None = None
        self._fixed = None  # the second HiGHS model of :meth:`_attains`, made when first needed
        self.all = np.arange(n, dtype=np.int32)
        # Unknowns some whole-number solution found so far puts at their lower bound: their minimum is that bound
        # (nothing can be below it), so :meth:`range` need not solve for it.  The true counts are one such
        # solution when the relations fix every latent count.
        self.at_lower = np.zeros(n, dtype=bool)
        self.solved = False  # whether HiGHS has solved this model yet (later solves start from its last optimum)
        if not np.isnan(self.truth).any():
            self._note_whole(self.truth)

    def _solve(self, j: int, sign: float) -> tuple[float, np.ndarray | None]:
        hs = _highs()
        cost = np.zeros(self.n)
        cost[j] = sign
        self.h.changeColsCost(self.n, self.all, cost)
        self.h.run()
        self.solved = True
        status = self.h.getModelStatus()
        if status == hs.HighsModelStatus.kUnbounded:
            return -math.inf, None
        if status != hs.HighsModelStatus.kOptimal:
            # Re-solve from scratch once: a warm start can stall on a degenerate basis.  Without presolve, which
            # can call an unbounded maximum infeasible when it starts cold (HiGHS 1.x as SciPy ships it): the
            # relations always have a solution, the true counts.
            self.h.clearSolver()
            self.h.setOptionValue("presolve", "off")
            try:
                self.h.run()
            finally:
                self.h.setOptionValue("presolve", "choose")
            status = self.h.getModelStatus()
            if status == hs.HighsModelStatus.kUnbounded:
                return -math.inf, None
            if status != hs.HighsModelStatus.kOptimal:
                raise stopped(f"disclosure audit: the counts have no consistent solution ({status})")
        x = np.array(self.h.getSolution().col_value)
        return self.h.getInfo().objective_function_value, x

    def range(self, j_key: int, integer: bool, within: tuple[float, float] | None = None) -> tuple[float, float]:
        j = self.col[j_key]
        out = []
        self._duals: list[list[float]] = []  # each optimum's row duals, for :attr:`binding` (asked for rarely)
        self._binding: set[int] | None = None
        for sign in (1.0, -1.0):
            if sign > 0 and self.at_lower[j] and self.solved:
                # A whole-number solution has the count at its lower bound: that is its minimum.  No published
                # count limits it (the bound is a count's own), so none is named as binding for it.  Only once the
                # model has been solved: a cold start is a minimum, always bounded (a maximum from cold goes
                # through HiGHS's presolve, which can take an unbounded one for infeasible).
                out.append(float(self.lb[j]))
                continue
            obj, x = self._solve(j, sign)
            if x is None:
                out.append(math.inf)
                continue
            self._duals.append(self.h.getSolution().row_dual)
            bound = sign * obj
            rounded = np.round(x)
            # np.allclose(x, rounded, atol=1e-6), written out: allclose's checks cost more than the test
            whole = bool((np.abs(x - rounded) <= 1e-6 + 1e-5 * np.abs(rounded)).all())
            if whole:
                self._note_whole(rounded)
            if integer and not whole:
                # The whole-number bound lies between this one and ``within``'s: when this one rounds to
                # ``within``'s, that is it (the integer programme would find the same).
                settled = within is not None and (math.ceil(bound - 1e-6) >= within[0] if sign > 0
                                                  else math.floor(bound + 1e-6) <= within[1])
                if not settled:
                    bound = self._integer(j, sign, bound)
            out.append(bound)
        lo, hi = out[0], out[1]
        return math.ceil(lo - 1e-6), hi if math.isinf(hi) else math.floor(hi + 1e-6)

    def known_terms(self) -> list[list[tuple[int, int]]]:
        """Per model row, the (key id, coefficient) of its published counts, in the relation's order."""
        if self._known_terms is None:
            rows, ids, coefs, n_rows = self._known
            self._known_terms = [[] for _ in range(n_rows)]
            for r, i, c in zip(rows.tolist(), ids.tolist(), coefs.tolist(), strict=True):
                if r >= 0:
                    self._known_terms[r].append((i, c))
        return self._known_terms

    @property
    def binding(self) -> set[int]:
        """Published counts whose value limits the optima of the last :meth:`range` (a non-zero dual through their
        rows).  Worked out when first asked: suppression asks only about the narrow ranges."""
        if self._binding is None:
            self._binding = set()
            for duals in self._duals:
                effect: dict[int, float] = defaultdict(float)
                for y, known in zip(duals, self.known_terms(), strict=True):
                    if abs(y) > 1e-9:
                        for i, c in known:
                            effect[i] += y * c
                self._binding.update(i for i, e in effect.items() if abs(e) > 1e-9)
        return self._binding

    def _integer(self, j: int, sign: float, relaxed: float) -> float:
        """The bound with whole numbers only (an integer programme), when the linear optimum is fractional.

        The whole-number bound is at least the linear one rounded inwards (``ceil`` of a lower bound), so a
        whole-number solution with the count at that rounded value proves it is the bound: :meth:`_attains`
        looks for one with a few linear programmes (almost always enough: the relations are mostly sums), and
        only when none is found does the integer programme run.  The answer is the same either way.
        """
        rounded = math.ceil(relaxed - 1e-6) if sign > 0 else math.floor(relaxed + 1e-6)
        if self._attains(j, rounded):
            return float(rounded)
        cost = np.zeros(self.n)
        cost[j] = sign
        problem = {"constraints": [self.constraint()], "bounds": Bounds(self.lb, np.inf),
                   "integrality": np.ones(self.n)}
        res = milp(cost, **problem)
        if res.status != 0:
            # Whole-number solutions exist (the true counts) and the bound is finite (the linear one is), so this
            # is the solver's fault: try once more without presolve, which can misjudge a model (see _solve).
            res = milp(cost, **problem, options={"presolve": False})
        if res.status != 0:
            # The linear bound would pass for the whole-number one, which can be looser: a reader could know more
            # than the audit says.  Stop rather than publish on a range not proved.
            raise stopped(f"disclosure audit: no whole-number bound found for a hidden count ({res.message})")
        return sign * res.fun

    def constraint(self) -> LinearConstraint:
        """The rows as one sparse constraint (made once per model: a count's two bounds often both need it)."""
        if self._constraint is None:
            r_idx, c_idx, vals, lower, upper = self.rows
            a = csr_array((vals, (r_idx, c_idx)), shape=(len(lower), self.n))
            self._constraint = LinearConstraint(a, lower, upper)
        return self._constraint

    def _attains(self, j: int, value: int) -> bool:
        """Whether a whole-number solution with unknown ``j`` equal to ``value`` turns up: the true counts, when the
        count's true value is ``value``; else a vertex of the linear programme with ``j`` fixed there (tried with a
        few objectives: :data:`ATTAIN_OBJECTIVES`, then :data:`ATTAIN_RANDOM` random ones; they are made lazily, as
        the first almost always does).

        A found solution is checked in exact arithmetic against every row and bound, so a True is a proof; a False
        only means "not found this way".  The programmes run on a second HiGHS model of the same rows, so the
        first model's warm start (whose duals pick the counts :meth:`Auditor.binding` names) is left as it was.
        """
        if self.truth[j] == value and self._whole_solution(self.truth, j, value):
            return True  # the true counts are such a solution (when the count's true value is the bound)
        hs = _highs()
        if self._fixed is None:
            h = hs._Highs()
            h.setOptionValue("output_flag", False)
            h.setOptionValue("threads", 1)
            h.passModel(self.h.getLp())
            h.setBasis(self.h.getBasis())  # start from the first model's last corner, not from scratch
            self._fixed = h
        h = self._fixed
        h.changeColBounds(j, float(value), float(value))
        try:
            for cost in self._objectives(j):
                h.changeColsCost(self.n, self.all, cost)
                h.run()
                if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
                    continue
                x = np.array(h.getSolution().col_value)
                whole = np.round(x)
                if (np.abs(x - whole) > 1e-6).any():
                    continue
                if self._whole_solution(whole, j, value):
                    self.at_lower |= whole == self.lb  # a checked solution: note what it proves too
                    return True
            return False
        finally:
            h.changeColBounds(j, float(self.lb[j]), hs.kHighsInf)

    def _objectives(self, j: int) -> Iterator[np.ndarray]:
        yield from (np.full(self.n, w) for w in ATTAIN_OBJECTIVES)
        rng = np.random.default_rng(j)  # seeded: the same tries in every run
        yield from (rng.choice([-1.0, 1.0], self.n) for _ in range(ATTAIN_RANDOM))
        yield from (rng.random(self.n) for _ in range(ATTAIN_RANDOM))

    def _note_whole(self, x: np.ndarray) -> None:
        """Mark the unknowns ``x`` puts at their lower bound, if ``x`` (whole numbers) meets every row and bound
        exactly: only a checked solution proves a minimum."""
        if (x == np.round(x)).all() and self._feasible(x):
            self.at_lower |= x == self.lb

    def _feasible(self, x: np.ndarray) -> bool:
        """``x`` meets every row and bound exactly."""
        c = self.constraint()
        ax = c.A @ x
        return bool((x >= self.lb).all() and (ax >= c.lb).all() and (ax <= c.ub).all())

    def _whole_solution(self, x: np.ndarray, j: int, value: int) -> bool:
        """``x`` (whole numbers) meets every row and bound exactly, with unknown ``j`` at ``value``."""
        return bool(x[j] == value) and self._feasible(x)
