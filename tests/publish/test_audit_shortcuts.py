"""The disclosure audit's shortcuts give what the full work gives (publish/cells.py, used by suppress.protect).

A candidate count's trial stops its derivations once the sensitive count is reached (``derivable(until=)``),
and skips the integer programme of a bound that already rounds to the range it must contain
(``ranges(within=)``); both must leave every answer the same.  A small table, split two ways with its
margins, some counts unpublished: milliseconds.

Where a linear bound is fractional, the whole-number bound is looked for first as a whole-number corner at
the rounded linear bound (checked exactly against every relation), and only then by the integer programme:
small random systems with coefficients of 1 to 3 check it against SciPy's integer programme over every count.
"""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from careboard.publish import cells
from careboard.publish.cells import Attribute, Auditor, CellSystem, Key, Relation
from careboard.publish.disclosure_error import DisclosureAuditError

AREAS = ("north", "south", "east")
TYPES = ("foster", "home", "other")
CELLS = {("north", "foster"): 3, ("north", "home"): 12, ("north", "other"): 0,
         ("south", "foster"): 40, ("south", "home"): 2, ("south", "other"): 7,
         ("east", "foster"): 9, ("east", "home"): 1, ("east", "other"): 15}


def _system() -> CellSystem:
    values = {Key.of("cla", area=a, type=t): v for (a, t), v in CELLS.items()}
    for a in AREAS:
        values[Key.of("cla", area=a)] = sum(v for (x, _), v in CELLS.items() if x == a)
    for t in TYPES:
        values[Key.of("cla", type=t)] = sum(v for (_, y), v in CELLS.items() if y == t)
    values[Key.of("cla")] = sum(CELLS.values())
    # an at-most relation between two published counts of a different population (as validation's rules)
    values[Key.of("findings")] = 30
    values[Key.of("children")] = 11
    extra = [Relation.at_most([Key.of("children")], [Key.of("findings")], "a child per finding at most")]
    return CellSystem(values, extra=extra).close()


def _unpublished(system: CellSystem) -> list[set[Key]]:
    """Ways of leaving counts out: the small cells, then each with one or two more counts hidden."""
    small = {k for k, v in system.values.items() if 0 < v <= 5}
    others = sorted((k for k in system.values if k not in small), key=str)
    return [small] + [small | {k} for k in others] + [small | set(p) for p in itertools.combinations(others[:6], 2)]


def _auditor(system: CellSystem, hidden: set[Key]) -> Auditor:
    published = {k for k in system.values if k not in hidden}
    return Auditor(system, published, {k for k in hidden if system.values[k] > 0})


def test_derivations_stopped_at_a_count_agree_with_the_whole_run():
    system = _system()
    for hidden in _unpublished(system):
        auditor = _auditor(system, hidden)
        full = auditor.derivable()
        for k in hidden:
            i = system.index().id[k]
            stopped = auditor.derivable(until=i)
            assert (i in stopped) == (i in full), (k, sorted(map(str, hidden)))
            assert all(full[j] == r for j, r in stopped.items())  # each got from the same equation
            if i not in full:
                assert stopped == full  # a count not got leaves the run complete (protect keeps it)


def test_ranges_within_a_known_range_are_the_ranges():
    system = _system()
    small = {k for k, v in system.values.items() if 0 < v <= 5}
    before = _auditor(system, small)
    checked = 0
    for hidden in _unpublished(system)[1:]:
        after = _auditor(system, hidden)
        for k in sorted(small, key=str):
            known = before.ranges([k])[k]
            assert after.ranges([k], within=known)[k] == _auditor(system, hidden).ranges([k])[k]
            checked += 1
    assert checked > 20


def test_a_bound_the_linear_programme_cannot_settle_still_gets_the_integer_programme():
    """3x = y + 1 with y even and y + z = 8: the linear bound on x is 8/3, the whole-number one 1 (y = 2)."""
    x, y, v, z, w, t = (Key.of(name) for name in ("x", "y", "v", "z", "w", "t"))
    system = CellSystem({x: 1, y: 2, v: 1, z: 6, w: 1, t: 8}, extra=[
        Relation(((x, 3), (y, -1), (w, -1))), Relation(((v, 2), (y, -1))), Relation.total(t, [y, z])]).close()
    auditor = _auditor(system, {x, y, v, z})
    assert auditor.ranges([x], integer=False)[x] == (1, 2)  # the linear programme alone would say 1 or 2
    assert auditor.ranges([x])[x] == (1, 1)
    assert _auditor(system, {x, y, v, z}).ranges([x], within=(1, 1))[x] == (1, 1)


def _random_system(seed: int) -> CellSystem:
    """Small counts tied by equations with coefficients 1 to 3 (not plain sums, so the linear programme's corners
    are often fractional): each equation defines a new count from two earlier ones, so the true values fit."""
    rng = random.Random(seed)
    values = {Key.of(f"k{i}"): rng.randint(0, 9) for i in range(5)}
    extra = []
    for n in range(6):
        (a, va), (b, vb) = rng.sample(sorted(values.items()), 2)
        ca, cb = rng.randint(1, 3), rng.choice((1, 2, 3, -1))
        total = ca * va + cb * vb
        if total < 0:
            ca, cb, total = ca, 1, ca * va + vb
        t = Key.of(f"t{n}")
        values[t] = total
        extra.append(Relation(((a, ca), (b, cb), (t, -1))))
    return CellSystem(values, extra=extra).close()


def _integer_range(system: CellSystem, hidden: set[Key], key: Key) -> tuple[int, int]:
    """The whole-number range by SciPy's integer programme over every count at once (independent of the audit)."""
    ix = system.index()
    n = len(ix.keys)
    def bounds(k: Key) -> tuple[float, float]:
        if k not in system.values:  # latent: never published
            return 0.0, np.inf
        if k in hidden:  # a hidden count is at least 1 when it is not 0 (zeros are shown)
            return (1.0 if system.values[k] > 0 else 0.0), np.inf
        return float(system.values[k]), float(system.values[k])

    lower, upper = (np.array(b) for b in zip(*(bounds(k) for k in ix.keys), strict=True))
    a = np.zeros((len(ix.terms), n))
    for r, (ids, coefs, _) in enumerate(ix.terms):
        for i, c in zip(ids, coefs, strict=True):
            a[r, i] += c
    rows_lo = np.array([0.0 if equal else -np.inf for _, _, equal in ix.terms])
    out = []
    for sign in (1.0, -1.0):
        cost = np.zeros(n)
        cost[ix.id[key]] = sign
        res = milp(cost, constraints=[LinearConstraint(a, rows_lo, np.zeros(len(ix.terms)))],
                   bounds=Bounds(lower, upper), integrality=np.ones(n))
        out.append(math.inf if res.status != 0 else round(sign * res.fun))
    return out[0], out[1]


def test_a_whole_number_bound_found_without_the_integer_programme_is_the_integer_programmes():
    """``_Model._integer`` first looks for a whole-number corner at the rounded linear bound (a proof when found) and
    runs the integer programme only when none turns up; both ways must give the integer programme's range."""
    attained, missed, narrower, asked = 0, 0, 0, False
    real_attains = cells._Model._attains

    def counting(model, j, value):
        nonlocal attained, missed, asked
        asked = True
        found = real_attains(model, j, value)
        attained += found
        missed += not found
        return found

    cells._Model._attains = counting
    try:
        for seed in range(50):
            system = _random_system(seed)
            hidden = {k for k in system.values if k.population.startswith("k")} | {Key.of("t0")}
            auditor = _auditor(system, hidden)
            for k in sorted(hidden, key=str):
                asked = False
                got = auditor.ranges([k])[k]
                if asked:  # a linear bound was fractional somewhere: the whole-number one was looked for
                    assert got == _integer_range(system, hidden, k), (seed, str(k))
                    narrower += got != _auditor(system, hidden).ranges([k], integer=False)[k]
    finally:
        cells._Model._attains = real_attains
    assert attained > 10 and missed > 0 and narrower > 0  # both ways taken, and integrality mattered


def _three_relations() -> tuple[CellSystem, cells._Model, np.ndarray]:
    """3x = y + w, 2v = y and t = y + z with x, y, v, z and w hidden: the system, its one audit model (built by
    a range of x) and the true counts in the model's column order."""
    x, y, v, z, w, t = (Key.of(name) for name in ("x", "y", "v", "z", "w", "t"))
    system = CellSystem({x: 1, y: 2, v: 1, z: 6, w: 1, t: 8}, extra=[
        Relation(((x, 3), (y, -1), (w, -1))), Relation(((v, 2), (y, -1))), Relation.total(t, [y, z])]).close()
    auditor = _auditor(system, {x, y, v, z, w})
    auditor.ranges([x])
    model = next(iter(auditor._models.values()))
    return system, model, np.array([system.value(system.index().keys[i]) for i in model.col], dtype=float)


def test_a_whole_number_solution_is_a_proof_only_when_it_meets_every_relation():
    system, model, truth = _three_relations()
    j = model.col[system.index().id[Key.of("x")]]
    assert model._whole_solution(truth, j, 1)
    assert not model._whole_solution(truth, j, 2)  # x is 1 in this solution
    wrong = truth.copy()
    wrong[j] = 2
    assert not model._whole_solution(wrong, j, 2)  # 3 * 2 != 2 + 1


def test_only_a_checked_whole_number_solution_marks_a_minimum_as_reached():
    """``_Model._note_whole`` marks a count's minimum as reached (so ``range`` skips solving for it) only when the
    whole numbers it is given meet every relation and bound exactly: a vector with the count at its bound that
    breaks a relation, or that is not whole, proves nothing.  (The optima the audit feeds it always meet the
    relations, so only a direct test exercises the check.)"""
    system, model, truth = _three_relations()
    at_bound = truth == model.lb
    assert at_bound.any()  # x, v and w are 1, their lower bound as hidden counts
    model.at_lower[:] = False
    broken = truth.copy()
    broken[model.col[system.index().id[Key.of("y")]]] += 1  # y one more: 3x = y + w and 2v = y no longer hold
    model._note_whole(broken)
    assert not model.at_lower.any()
    halves = truth.copy()
    halves[~at_bound] += 0.5
    model._note_whole(halves)
    assert not model.at_lower.any()
    model._note_whole(truth)
    assert (model.at_lower == at_bound).all()


def test_a_count_twice_in_a_relation_is_one_term_and_one_that_cancels_drops_out():
    """The audit's models gather each relation's terms at once (``_Model``): a count written twice is summed, a
    count whose terms cancel leaves the relation, and a relation with no unknown left is no row of the model."""
    a, b, c, t, u = (Key.of(name) for name in ("a", "b", "c", "t", "u"))
    system = CellSystem({a: 2, b: 3, c: 4, t: 7, u: 7}, extra=[
        Relation(((a, 1), (b, 1), (a, 1), (t, -1))),  # 2a + b = t
        Relation(((c, 1), (b, 2), (c, -1), (b, -1), (u, -1), (c, 1))),  # b + c = u (2b - b, c - c + c)
    ]).close()
    for hidden in ({a, b}, {b, c}, {a, b, c}, {a, c, t}):
        auditor = _auditor(system, hidden)
        for k in sorted(hidden, key=str):
            assert auditor.ranges([k])[k] == _integer_range(system, hidden, k), (sorted(map(str, hidden)), str(k))


def test_a_minimum_a_whole_number_solution_already_reached_is_the_integer_programmes():
    """``_Model.range`` does not solve for a count's minimum when a checked whole-number solution (the true counts,
    or an optimum found for another count) already puts it at its lower bound; the range must still be the integer
    programme's, both where the shortcut is taken and where it is not."""
    taken = solved = 0
    real_solve = cells._Model._solve

    def counting(model, j, sign):
        nonlocal solved
        solved += sign > 0
        return real_solve(model, j, sign)

    cells._Model._solve = counting
    try:
        for seed in range(50):
            system = _random_system(seed)
            hidden = {k for k in system.values if k.population.startswith("k")} | {Key.of("t0"), Key.of("t1")}
            auditor = _auditor(system, hidden)
            for k in sorted(hidden, key=str):
                before = solved
                got = auditor.ranges([k])[k]
                if auditor.unknown[auditor.ix.id[k]]:
                    taken += solved == before
                assert got == _integer_range(system, hidden, k), (seed, str(k))
    finally:
        cells._Model._solve = real_solve
    assert taken > 20 and solved > 20  # both ways taken


def test_an_unbounded_maximum_from_a_cold_start_is_unbounded_not_inconsistent():
    """Overlapping groups (a total at most the sum of its parts, each part at most the total), every count hidden:
    nothing bounds the total from above.  Solved cold, HiGHS's presolve calls that maximum infeasible; the audit
    must answer unbounded, not that the counts have no consistent solution (which stopped a members' page)."""
    total, a, b = Key.of("children"), Key.of("children", provider="a"), Key.of("children", provider="b")
    system = CellSystem({total: 1, a: 1, b: 1}, {"children": {"provider": Attribute(partition=False)}}).close()
    assert not any(r.equal for r in system.relations)  # the missing-themes section's providers, as they overlap
    auditor = _auditor(system, {total, a, b})
    i = auditor.ix.id[total]
    auditor.component(i)
    model = cells._Model(auditor, *auditor.component(i))
    assert model._solve(model.col[i], -1.0) == (-math.inf, None)  # the first solve of the model: a cold start
    assert _auditor(system, {total, a, b}).ranges([total])[total] == (1, math.inf)


def test_an_integer_programme_the_solver_fails_is_tried_without_presolve_and_never_passed_off_as_a_bound(monkeypatch):
    """When SciPy's integer programme reports no solution (a solver fault: the true counts are one), it is run again
    without presolve; if that fails too the audit stops, rather than take the looser linear bound for the range."""
    x, y, v, z, w, t = (Key.of(name) for name in ("x", "y", "v", "z", "w", "t"))
    system = CellSystem({x: 1, y: 2, v: 1, z: 6, w: 1, t: 8}, extra=[
        Relation(((x, 3), (y, -1), (w, -1))), Relation(((v, 2), (y, -1))), Relation.total(t, [y, z])]).close()
    monkeypatch.setattr(cells._Model, "_attains", lambda *args: False)  # straight to the integer programme
    real, calls = cells.milp, []

    class Failed:
        status, message, fun = 4, "a solver fault, as the test makes it", None

    def flaky(*args, **kwargs):
        calls.append(kwargs.get("options"))
        return Failed() if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(cells, "milp", flaky)
    assert _auditor(system, {x, y, v, z}).ranges([x])[x] == (1, 1)  # the integer programme's, on the second try
    assert calls[:2] == [None, {"presolve": False}]
    monkeypatch.setattr(cells, "milp", lambda *args, **kwargs: Failed())
    with pytest.raises(DisclosureAuditError, match="no whole-number bound"):
        _auditor(system, {x, y, v, z}).ranges([x])
