"""How sure the backtest's coverage figures are: intervals that respect shared futures (issue 18 item 1).

Hand-checkable cases: independent outcomes give the textbook Wilson interval; outcomes that share a
future (overlapping origins, one authority's history) count for fewer; a band is judged against the
interval, not the point.
"""

from __future__ import annotations

import numpy as np
import pytest

from careboard.sufficiency.backtest import band_verdict, coverage_interval


def test_independent_outcomes_give_the_wilson_interval():
    # one origin, ten categories, 8 inside: nothing shared across origins, so n = 10
    covered = np.array([[[True] * 8 + [False] * 2]])
    p, lo, hi, n_eff = coverage_interval(covered, horizon_months=6)
    assert p == pytest.approx(0.8)
    assert n_eff == pytest.approx(10)
    assert lo == pytest.approx(0.490, abs=0.001) and hi == pytest.approx(0.943, abs=0.001)  # Wilson, 8 of 10


def test_six_overlapping_origins_all_inside_do_not_prove_over_coverage():
    # 6 of 6 inside an 80% interval happens by chance (0.8^6 = 26% even if independent); at 24 months
    # origins six months apart share 18 of 24 months, so the six count as 1.5
    covered = np.ones((1, 6, 1), dtype=bool)
    p, lo, hi, n_eff = coverage_interval(covered, horizon_months=24)
    assert p == 1.0 and n_eff == pytest.approx(1.5)
    assert lo < 0.75 and hi == 1.0
    assert band_verdict(lo, hi) == "band inside"
    _, lo12, _, n12 = coverage_interval(covered, horizon_months=12)
    assert n12 == pytest.approx(3) and lo12 > lo  # less overlap at 12 months: more evidence


def test_authorities_are_the_unit_when_they_disagree():
    # two authorities, one always inside, one never: 12 outcomes but only two independent pieces
    covered = np.zeros((2, 6, 1), dtype=bool)
    covered[0] = True
    p, lo, hi, n_eff = coverage_interval(covered, horizon_months=6, n_boot=20000)
    assert p == 0.5
    # resampling 2 of 2 authorities: mean 0, 0.5 or 1 with chances 1/4, 1/2, 1/4, variance 1/8,
    # against 1/48 for 12 independent outcomes: design effect 6, so n_eff = 2
    assert n_eff == pytest.approx(2, rel=0.05)
    _, lo_iid, hi_iid, _ = coverage_interval(covered[:, :, :].reshape(1, 1, 12), horizon_months=6)
    assert lo < lo_iid and hi > hi_iid


@pytest.mark.parametrize(("lower", "upper", "verdict"), [
    (0.40, 0.70, "below"), (0.86, 0.99, "above"), (0.60, 0.95, "band inside"), (0.78, 0.95, "overlaps"),
    (0.60, 0.80, "overlaps"),
])
def test_the_band_is_judged_against_the_interval(lower: float, upper: float, verdict: str):
    assert band_verdict(lower, upper) == verdict


def test_a_malformed_cube_is_refused():
    with pytest.raises(ValueError, match="authority, origin, outcome"):
        coverage_interval(np.ones((6, 8), dtype=bool), horizon_months=12)
