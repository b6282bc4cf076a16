"""Children already "with parents" at a backtest origin: do they stay as long as the model says?

    python bench/with_parents_hazard.py [--only ABCDE] [--category "With parents"]

The backtest (bench/backtest.py) found the model keeps about 2 more of the children already placed
with parents at the origin in that category than actually stay (issue 18 item 1).  This checks the
fitted hazards directly, without simulation: for each child in the category at the origin, the
chance of still being in it, continuously, 12 and 24 months later is exp(-integral of (exit +
move) hazard) with the fitted (posterior mean) rates, the child's real birthdays and the same
duration buckets as the simulation (time in care for leaving, time in the category for moving;
the "began before the returns" bucket while the duration is unknown).  Against it: how many
actually were.  Summed over the origins of bench/backtest.py and split by time in care and time
in the category at the origin, with the expected and actual leavers (exit) and movers (move) among
those who did not stay.  No wander and no parameter draws: this is the middle of the model, which
is where the bias is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import AUTHORITIES, ORIGINS, history

CARE_GROUPS = ((0, 365, "in care < 1 y"), (365, 730, "in care 1-2 y"), (730, 1461, "in care 2-4 y"),
               (1461, 10**6, "in care 4 y+"))
SPELL_GROUPS = ((0, 182, "placed < 6 m"), (182, 365, "placed 6-12 m"), (365, 730, "placed 1-2 y"),
                (730, 10**6, "placed 2 y+"))


def expected_stay(rates, idx: np.ndarray, t1: int, days: int, cat: int) -> tuple[np.ndarray, np.ndarray]:
    """(chance of staying in ``cat`` through day t1 + ``days``, chance of having left care first), per child."""
    from careboard.sufficiency.estimate import EXIT_ON_SPELL_CLOCK
    from careboard.sufficiency.states import CARE_EDGES, N_AGE, N_CDUR, N_SDUR, SPELL_EDGES, birthdays, bucket_lookup

    lut_c, lut_s = bucket_lookup(CARE_EDGES), bucket_lookup(SPELL_EDGES)
    dob, cst, sst = rates.pop_dob[idx], rates.pop_period_start[idx], rates.pop_spell_start[idx]
    cu, su = rates.pop_care_unknown[idx], rates.pop_spell_unknown[idx]
    d = t1 + 1 + np.arange(days)[:, None]  # (day, child)
    age = np.minimum((birthdays(dob, np.arange(1, N_AGE + 1)[:, None])[:, None, :] <= d[None]).sum(axis=0),
                     N_AGE - 1)
    in_care, in_spell = d - cst, d - sst
    d_ex = np.where(cu & (in_care < CARE_EDGES[-1]), N_CDUR - 1, lut_c[np.clip(in_care, 0, None)])
    d_mv = np.where(su & (in_spell < SPELL_EDGES[-1]), N_SDUR - 1, lut_s[np.clip(in_spell, 0, None)])
    if EXIT_ON_SPELL_CLOCK[cat]:
        d_ex = np.where(su & (in_spell < CARE_EDGES[-1]), N_CDUR - 1, lut_c[np.clip(in_spell, 0, None)])
    h_ex = rates.exit_rate[cat, age, d_ex]
    h_mv = rates.move_rate[cat, age, d_mv]
    adult = d >= birthdays(dob, 18)[None]
    h_ex = np.where(adult, 0.0, h_ex)
    h_mv = np.where(adult, 0.0, h_mv)
    s = np.exp(-np.cumsum(h_ex + h_mv, axis=0))
    s_prev = np.vstack([np.ones((1, len(idx))), s[:-1]])
    share_ex = h_ex / np.maximum(h_ex + h_mv, 1e-30)
    exit_first = ((s_prev - s) * share_ex).sum(axis=0)
    still = s[-1] * ~adult[-1]
    return still, exit_first


def main() -> None:

    from careboard.sufficiency.estimate import fit
    from careboard.sufficiency.states import CAT_INDEX, add_months, birthdays, day_number

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="ABCDE")
    ap.add_argument("--category", default="With parents")
    ap.add_argument("--prior-days", type=float, default=365.0, help="shrinkage of the fitted rates (estimate.fit)")
    args = ap.parse_args()
    cat = CAT_INDEX[args.category]
    tab: dict[tuple, np.ndarray] = defaultdict(lambda: np.zeros(6))  # exp stay, act stay, exp exit, act exit, n, orig
    per_origin = []
    for a in AUTHORITIES:
        if a.name not in args.only:
            continue
        spells, first, _last = history(a)
        for origin in ORIGINS:
            t1 = day_number(dt.date.fromisoformat(origin))
            rates = fit(spells, t1, data_start=first, prior_days=args.prior_days)
            keep = np.flatnonzero(spells.start <= t1)
            known = spells.cut(t1)
            on = np.flatnonzero((known.start <= t1) & (known.end > t1) & (birthdays(known.dob, 18) > t1))
            assert len(on) == len(rates.pop_cat)
            idx = np.flatnonzero(rates.pop_cat == cat)
            full = keep[on[idx]]  # the same spells, uncut
            end, nxt, b18 = spells.end[full], spells.next_cat[full], birthdays(spells.dob[full], 18)
            care_days = t1 - rates.pop_period_start[idx]
            spell_days = t1 - rates.pop_spell_start[idx]
            for h in (12, 24):
                th = day_number(add_months(dt.date.fromisoformat(origin), h))
                still, exit_first = expected_stay(rates, idx, t1, th - t1, cat)
                act_still = (end > th) & (b18 > th)
                act_exit = (end <= th) & (end < b18) & (nxt < 0)
                per_origin.append((a.name, origin, h, still.sum(), act_still.sum(), len(idx)))
                for lo, hi, label in CARE_GROUPS:
                    s = (care_days >= lo) & (care_days < hi)
                    tab[(h, "care", label)] += [still[s].sum(), act_still[s].sum(), exit_first[s].sum(),
                                                act_exit[s].sum(), s.sum(), 0]
                for lo, hi, label in SPELL_GROUPS:
                    s = (spell_days >= lo) & (spell_days < hi)
                    tab[(h, "spell", label)] += [still[s].sum(), act_still[s].sum(), exit_first[s].sum(),
                                                 act_exit[s].sum(), s.sum(), 0]
    print(f'Children "{args.category}" at the origin, summed over authorities {args.only} and {len(ORIGINS)} origins:')
    print("| months | at the origin | children | still there: model | actual | left care first: model | actual |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for (h, _kind, label), v in sorted(tab.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        print(f"| {h} | {label} | {v[4]:.0f} | {v[0]:.1f} | {v[1]:.0f} | {v[2]:.1f} | {v[3]:.0f} |")
    print("\nPer origin (model - actual still there):")
    for h in (12, 24):
        diffs = np.array([p[3] - p[4] for p in per_origin if p[2] == h])
        print(f"  {h} m: mean {diffs.mean():+.2f}, model above actual at {int((diffs > 0).sum())} of {len(diffs)}")
        for name in sorted({p[0] for p in per_origin}):
            row = [f"{p[3] - p[4]:+.1f}" for p in per_origin if p[2] == h and p[0] == name]
            print(f"    {name}: " + " ".join(row))


if __name__ == "__main__":
    main()
