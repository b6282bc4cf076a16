"""Primary and secondary suppression over linked figures: what gets hidden, and that it holds."""

from __future__ import annotations

from careboard.publish.cells import CellSystem, Key
from careboard.publish.suppress import (
    MIN_PROTECTION,
    REASON_SECONDARY,
    REASON_SMALL_COUNT,
    Figure,
    protect,
)


def k(**filters: str) -> Key:
    return Key.of("cla", **filters)


def count_figures(values: dict[Key, int]) -> list[Figure]:
    return [Figure(("count", str(key)), (key,), headline=not key.filters) for key in values]


def check(system: CellSystem, outcome) -> None:
    """Every hidden count of 1 to 5 has at least two possible values given everything published."""
    hidden = {key for key in outcome.suppressed if 0 < system.values[key] <= 5}
    ranges = system.ranges(hidden, outcome.published, set(outcome.suppressed))
    for key, (lo, hi) in ranges.items():
        assert hi - lo + 1 >= MIN_PROTECTION, (key, lo, hi)


def test_a_small_count_is_hidden_with_the_cheapest_partner():
    values = {k(): 46, k(area="A"): 3, k(area="B"): 9, k(area="C"): 14, k(area="D"): 20}
    system = CellSystem(values).close()
    out = protect(system, count_figures(values))
    assert out.suppressed == {k(area="A"): REASON_SMALL_COUNT, k(area="B"): REASON_SECONDARY}
    check(system, out)


def test_zeros_are_never_hidden_and_a_hidden_count_is_at_least_one():
    values = {k(): 13, k(area="A"): 1, k(area="B"): 0, k(area="C"): 12}
    system = CellSystem(values).close()
    out = protect(system, count_figures(values))
    assert k(area="B") not in out.suppressed
    assert k(area="C") in out.suppressed  # the only non-zero partner
    check(system, out)


def test_two_small_counts_adding_up_to_two_need_a_third():
    """A + B = 2 with both at least 1 pins both to 1: a third count must go."""
    values = {k(): 30, k(area="A"): 1, k(area="B"): 1, k(area="C"): 8, k(area="D"): 20}
    system = CellSystem(values).close()
    out = protect(system, count_figures(values))
    assert k(area="C") in out.suppressed
    check(system, out)


def test_a_count_shown_in_two_tables_is_hidden_in_both():
    """The same count (children placed with parents) heads one measure and is a cell of another's breakdown."""
    values = {k(): 417, k(type="Adoption"): 4, k(type="Parents"): 13, k(type="Foster"): 400}
    system = CellSystem(values).close()
    mix = [Figure(("mix", t), (k(type=t), k()), headline=True) for t in ("Adoption", "Parents", "Foster")]
    out = protect(system, count_figures(values) + mix)
    assert set(out.suppressed) == {k(type="Adoption"), k(type="Parents")}  # the smallest partner
    assert ("mix", "Parents") in out.hidden and ("mix", "Adoption") in out.hidden  # "13 of 417" would give it back
    assert ("mix", "Foster") not in out.hidden
    check(system, out)


def test_a_share_reveals_its_numerator_and_denominator():
    """Hiding an area's count hides every share over it: 35.3% of a hidden 17 is 6 of 17."""
    values = {k(): 30, k(area="A"): 17, k(area="B"): 5, k(area="C"): 8,
              k(moved="yes"): 9, k(moved="yes", area="A"): 6, k(moved="yes", area="B"): 1, k(moved="yes", area="C"): 2}
    from careboard.publish.cells import Attribute

    system = CellSystem(values, {"cla": {"moved": Attribute(("yes", "no"))}}).close()
    shares = [Figure(("share", a), (k(moved="yes", area=a), k(area=a))) for a in "ABC"]
    figures = count_figures({key: v for key, v in values.items() if "moved" not in dict(key.filters)}) + shares
    out = protect(system, figures)
    hidden_areas = {a for a in "ABC" if k(area=a) in out.suppressed}
    assert "B" in hidden_areas and len(hidden_areas) >= 2
    for a in hidden_areas:
        assert ("share", a) in out.hidden
    check(system, out)


def test_the_same_data_gives_the_same_pattern():
    values = {k(): 60, **{k(area=a): v for a, v in zip("ABCDEF", (2, 7, 7, 14, 15, 15), strict=True)}}
    system = CellSystem(values).close()
    first = protect(system, count_figures(values))
    second = protect(CellSystem(dict(reversed(list(values.items())))).close(), count_figures(values))
    assert set(first.suppressed) == set(second.suppressed)
