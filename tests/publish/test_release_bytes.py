"""A stored release's bytes do not depend on the order the suppression search met its counts in (the order
of a set, which differs between processes): the same release is stored as the same text."""

from __future__ import annotations

from careboard.publish.cells import Key
from careboard.publish.release import Release
from careboard.publish.stored_release import decode, encode
from careboard.publish.suppress import Outcome


def _release(order: list[int]) -> Release:
    keys = [Key("looked_after", (("age_band", f"{i}"),)) for i in range(5)]
    suppressed = {keys[i]: f"reason {i}" for i in order}
    outcome = Outcome(suppressed, {}, set(), {}, set())
    return Release("886", 2026, [], {}, outcome, None, None, set(), {})


def test_the_same_suppressed_counts_in_any_order_are_stored_as_the_same_text():
    first, second = encode(_release([0, 1, 2, 3, 4])), encode(_release([3, 0, 4, 2, 1]))
    assert first == second
    assert decode(first).outcome.suppressed == _release([4, 3, 2, 1, 0]).outcome.suppressed
