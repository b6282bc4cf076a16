"""The counts behind a release: relations generated from the keys, and what a reader can prove from them."""

from __future__ import annotations

from careboard.publish.cells import Attribute, CellSystem, Crossing, Key, Relation

CLA = "cla"


def k(**filters: str | tuple[str, ...]) -> Key:
    return Key.of(CLA, **filters)


def relation_sets(system: CellSystem) -> set[frozenset]:
    return {frozenset((str(key), c) for key, c in rel.terms) for rel in system.relations}


def test_a_breakdown_adds_up_to_its_headline_and_a_flag_is_part_of_its_group():
    system = CellSystem({k(): 20, k(area="A"): 12, k(area="B"): 8, k(moved="yes"): 5,
                         k(moved="yes", area="A"): 2, k(moved="yes", area="B"): 3},
                        {CLA: {"moved": Attribute(("yes", "no"))}}).close()
    rels = relation_sets(system)
    assert frozenset({(str(k()), -1), (str(k(area="A")), 1), (str(k(area="B")), 1)}) in rels
    assert frozenset({(str(k(moved="yes")), -1), (str(k(moved="yes", area="A")), 1),
                      (str(k(moved="yes", area="B")), 1)}) in rels
    # "moved" splits each area: the published part and a latent part that is never shown
    latent = k(moved="no", area="A")
    assert frozenset({(str(k(area="A")), -1), (str(k(moved="yes", area="A")), 1), (str(latent), 1)}) in rels
    assert system.latent[latent] == 10  # worked out from the true values (12 - 2)


def test_a_union_filter_is_the_sum_of_its_values():
    system = CellSystem({k(age=("10 to 15", "16 and over")): 9, k(age="10 to 15"): 6, k(age="16 and over"): 3}).close()
    assert frozenset({(str(k(age=("10 to 15", "16 and over"))), -1), (str(k(age="10 to 15")), 1),
                      (str(k(age="16 and over")), 1)}) in relation_sets(system)


def test_overlapping_parts_bound_the_whole_instead_of_adding_up_to_it():
    whole, r1, r2 = Key("children"), Key.of("children", rule="1"), Key.of("children", rule="2")
    system = CellSystem({whole: 5, r1: 4, r2: 3}, {"children": {"rule": Attribute(partition=False)}}).close()
    assert all(not rel.equal for rel in system.relations)
    # with both rules published and the total hidden, the total is between max(4, 3) and 4 + 3
    assert system.ranges([whole], published={r1, r2}, suppressed={whole})[whole] == (4, 7)


def test_subtraction_pins_a_lone_unknown_and_two_unknowns_share_the_remainder():
    values = {k(): 20, k(area="A"): 3, k(area="B"): 7, k(area="C"): 10}
    system = CellSystem(values).close()
    shown = set(values) - {k(area="A")}
    assert system.ranges([k(area="A")], shown, {k(area="A")})[k(area="A")] == (3, 3)
    shown -= {k(area="B")}
    lo, hi = system.ranges([k(area="A")], shown, {k(area="A"), k(area="B")})[k(area="A")]
    assert (lo, hi) == (1, 9)  # A + B = 10, each at least 1 because zeros are always shown


def test_hidden_counts_are_at_least_one_so_a_small_remainder_pins_them():
    values = {k(): 12, k(area="A"): 1, k(area="B"): 1, k(area="C"): 10}
    system = CellSystem(values).close()
    hidden = {k(area="A"), k(area="B")}
    ranges = system.ranges(hidden, set(values) - hidden, hidden)
    assert ranges[k(area="A")] == (1, 1) and ranges[k(area="B")] == (1, 1)


def test_relations_across_tables_are_used_together():
    """Placement types by area: each area's types add up to the area, each type's areas to the type."""
    values = {k(): 30, k(area="A"): 10, k(area="B"): 20, k(type="X"): 12, k(type="Y"): 18,
              k(area="A", type="X"): 4, k(area="A", type="Y"): 6, k(area="B", type="X"): 8, k(area="B", type="Y"): 12}
    system = CellSystem(values).close()
    target = k(area="A", type="X")
    hidden = {target, k(area="A", type="Y")}  # hiding the row partner alone: the column still gives it away
    assert system.ranges([target], set(values) - hidden, hidden)[target] == (4, 4)
    hidden |= {k(area="B", type="X"), k(area="B", type="Y")}  # the whole rectangle hidden: 1 to 9
    assert system.ranges([target], set(values) - hidden, hidden)[target] == (1, 9)


# Two splits of the same children: careboard's types (kinship, in-house, children's homes) and DfE-style
# categories (foster, secure homes, other residential); kinship and in-house are fostering, a children's home
# is a secure home or another residential setting.
CROSSED = Crossing(CLA, "type", "dfe", frozenset({("kin", "foster"), ("inhouse", "foster"),
                                                  ("homes", "secure"), ("homes", "residential")}))


def test_two_splits_of_the_same_children_are_subtracted_across():
    """Kinship and children's homes hidden in the types (10 between them); the DfE's foster count is the
    fostering types together, so foster minus in-house is kinship: 3."""
    values = {k(): 30, k(type="kin"): 3, k(type="inhouse"): 20, k(type="homes"): 7,
              k(dfe="foster"): 23, k(dfe="secure"): 5, k(dfe="residential"): 2}
    hidden = {k(type="kin"), k(type="homes")}
    crossed = CellSystem(values, crossings=(CROSSED,)).close()
    assert crossed.ranges([k(type="kin")], set(values) - hidden, hidden)[k(type="kin")] == (3, 3)
    assert crossed.latent[k(type="homes", dfe="residential")] == 2  # the pair counts' true values are known
    # without the crossing, the two splits only share their total: kinship could be 1 to 9
    alone = CellSystem(values).close()
    assert alone.ranges([k(type="kin")], set(values) - hidden, hidden)[k(type="kin")] == (1, 9)


def test_crossed_splits_hold_in_every_cell_split_both_ways():
    """Area A's types and categories are tied the same way; a value the crossing does not name goes with any."""
    values = {k(area="A"): 10, k(area="A", type="kin"): 4, k(area="A", type="other"): 6,
              k(area="A", dfe="foster"): 4, k(area="A", dfe="secure"): 6}
    system = CellSystem(values, crossings=(CROSSED,)).close()
    rels = relation_sets(system)
    pair = k(area="A", type="kin", dfe="foster")
    assert frozenset({(str(k(area="A", type="kin")), -1), (str(pair), 1)}) in rels
    # "other" is not in the crossing, so it may be in any category (here, it can only be the 6 secure)
    assert system.latent[k(area="A", type="other", dfe="secure")] == 6
    assert CROSSED.together(["kin", "other"], ["foster"]) == [("kin", "foster"), ("other", "foster")]


def test_integer_reasoning_narrows_what_fractions_would_allow():
    """x + y = 3 and x - y = 0 has no whole-number solution with x = y; with x + y = 4, x is exactly 2."""
    x, y, t = k(area="X"), k(area="Y"), k()
    system = CellSystem({t: 4, x: 2, y: 2}, extra=[Relation(((x, 1), (y, -1)), True, "x = y")]).close()
    assert system.ranges([x], {t}, {x, y})[x] == (2, 2)


def test_derivable_follows_chains_of_subtraction():
    values = {k(): 20, k(area="A"): 3, k(area="B"): 17, k(type="X"): 5, k(type="Y"): 15,
              k(area="A", type="X"): 3, k(area="A", type="Y"): 0}
    system = CellSystem(values).close()
    from careboard.publish.cells import Auditor

    hidden = {k(area="A"), k(area="A", type="X")}
    auditor = Auditor(system, set(values) - hidden, hidden)
    derived = auditor.derivable()
    ix = system.index()
    assert ix.id[k(area="A")] in derived and ix.id[k(area="A", type="X")] in derived
