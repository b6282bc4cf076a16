"""The disclosure audit's shortcuts give what the full work gives (publish/cells.py, used by suppress.protect).

A candidate count's trial stops its derivations once the sensitive count is reached (``derivable(until=)``),
and skips the integer programme of a bound that already rounds to the range it must contain
(``ranges(within=)``); both must leave every answer the same.  A small table, split two ways with its
margins, some counts unpublished: milliseconds.
"""

from __future__ import annotations

import itertools

from careboard.publish.cells import Auditor, CellSystem, Key, Relation

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
