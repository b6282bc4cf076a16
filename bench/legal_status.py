"""Does legal status explain the "With parents" forecast's misses?  (issue 18 item 1)

    python bench/legal_status.py [--only ABCDE] [--backtest OUT.json]

A child can be placed with parents only on a care order (interim C1 or full C2; 903 rule 378), and
the forecast (sufficiency/estimate.py, simulate.py) carries no legal status: its rates into and out
of "With parents" are the window's averages over all children.  If the mix of legal statuses in
care at the origin differs from the window's, those rates would be off in the same direction at
neighbouring origins, which is how the category's misses look.  Checked on the backtest's synthetic
authorities (bench/backtest.py, cached under bench/out):

* **Legal status predicts the moves.**  Of the children looked after at each origin, by legal status
  that day: the share not with parents then who are placed with parents in the next 24 months, and
  the share with parents then who have left the category 24 months on.
* **The mix drifts as the misses lean.**  For each authority and origin: the children on interim
  (C1) and full (C2) care orders at the origin, as a ratio to their average at the quarter ends of
  the three years before (the forecast's window), beside the category's 24-month miss
  z = (actual - median) / (interval width / 2.563) from ``--backtest`` (``bench/backtest.py --json``),
  and their correlation over the authorities and origins.
* **Where the miss is: the children already with parents, or those placed later.**  With
  ``--backtest``: the forecast's 24-month survivors of the origin's children with parents (the model
  fitted as the backtest fits it, 200 futures with no entrants and no moves into the category)
  against the children actually still with parents; the miss splits into that part and the rest
  (children placed with parents after the origin and still there).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import AUTHORITIES, ORIGINS, database, history

GROUPS = ("C1", "C2", "V2", "E1", "other")

# Each child's episode on a given day: legal status and placement category (one row per child in care).
ON_DAY_SQL = """
SELECT c.CHILD, CASE WHEN c.LS IN ('C1', 'C2', 'V2', 'E1') THEN c.LS ELSE 'other' END AS ls,
       placement_category(c.PLACE, c.PLACE_PROVIDER) AS cat
FROM model_care c JOIN model_children ch ON ch.la = c.la AND ch.CHILD = c.CHILD
WHERE c.la = $la AND c.DECOM <= $day AND (c.DEC IS NULL OR c.DEC > $day)
  AND ch.dob + INTERVAL 18 YEAR > $day
"""
# Children who begin an episode with parents in (day, until].
ENTER_SQL = """
SELECT DISTINCT CHILD FROM model_care
WHERE la = $la AND DECOM > $day AND DECOM <= $until AND placement_category(PLACE, PLACE_PROVIDER) = 'With parents'
"""


def _add_months(d: dt.date, k: int) -> dt.date:
    from careboard.sufficiency.states import add_months

    return add_months(d, k)


def check(only: str | None, backtest: Path | None) -> None:
    import duckdb

    from careboard.store.reference import install

    rows = json.loads(backtest.read_text()) if backtest else []
    miss = {(r["authority"], r["origin"]): (r["actual"] - r["median"],
                                            (r["actual"] - r["median"]) / max((r["p90"] - r["p10"]) / 2.563, 0.5))
            for r in rows if r["category"] == "With parents" and r["horizon"] == 24}
    at_origin: list[tuple] = []
    pooled_into = {g: [0, 0] for g in GROUPS}
    pooled_stay = {g: [0, 0] for g in GROUPS}
    print("Placed with parents within 24 months (of those not with parents at the origin) and still with "
          "parents 24 months on (of those with parents), by legal status at the origin; all origins pooled")
    for a in AUTHORITIES:
        if only and a.name not in only:
            continue
        con = duckdb.connect(str(database(a)), read_only=True)
        install(con)
        into = {g: [0, 0] for g in GROUPS}
        stay = {g: [0, 0] for g in GROUPS}
        for origin in ORIGINS:
            o = dt.date.fromisoformat(origin)
            until = _add_months(o, 24)
            now = con.sql(ON_DAY_SQL, params={"la": a.la, "day": o}).fetchall()
            later = {c: cat for c, _, cat in con.sql(ON_DAY_SQL, params={"la": a.la, "day": until}).fetchall()}
            entered = {r[0] for r in con.sql(ENTER_SQL, params={"la": a.la, "day": o, "until": until}).fetchall()}
            for child, ls, cat in now:
                if cat == "With parents":
                    stay[ls][0] += 1
                    stay[ls][1] += later.get(child) == "With parents"
                else:
                    into[ls][0] += 1
                    into[ls][1] += child in entered
            # legal statuses at the origin against the window's quarter ends
            quarters = [_add_months(o, -3 * k) for k in range(1, 13)]
            mix = {d: con.sql(ON_DAY_SQL, params={"la": a.la, "day": d}).fetchall() for d in [o, *quarters]}
            at_origin.append((a.name, origin, mix, quarters, later))
        con.close()
        print(f"\nauthority {a.name}: {a.note}")
        for g in GROUPS:
            for k in (0, 1):
                pooled_into[g][k] += into[g][k]
                pooled_stay[g][k] += stay[g][k]
        for g in GROUPS:
            n_in, k_in = into[g]
            n_st, k_st = stay[g]
            if n_in or n_st:
                print(f"  {g:<6} placed with parents {k_in:4d} of {n_in:5d} ({k_in / max(n_in, 1):6.1%})"
                      f"   still with parents {k_st:3d} of {n_st:4d} ({k_st / max(n_st, 1):6.1%})")
    _drift(at_origin, pooled_into, pooled_stay, miss)
    if rows:
        _split(only, {(r["authority"], r["origin"]): r for r in rows
                      if r["category"] == "With parents" and r["horizon"] == 24})


def _split(only: str | None, wp24: dict[tuple[str, str], dict]) -> None:
    """The 24-month miss split into the origin's children with parents (persistence) and later placements."""

    from careboard.sufficiency.estimate import fit
    from careboard.sufficiency.simulate import Adjustments, simulate
    from careboard.sufficiency.states import CAT_INDEX, N_BAND, day_number

    wp = CAT_INDEX["With parents"]
    print("\nThe 24-month miss (actual - median) split: children with parents at the origin still there "
          "(actual - forecast survivors), and children placed with parents later and still there (the rest)")
    print("auth origin      with parents  still there: actual  forecast   miss: stock part  later part")
    parts = []
    for a in AUTHORITIES:
        if only and a.name not in only:
            continue
        spells, first, _ = history(a)
        for origin in ORIGINS:
            r = wp24.get((a.name, origin))
            if r is None:
                continue
            o = dt.date.fromisoformat(origin)
            t, u = day_number(o), day_number(_add_months(o, 24))
            rates = fit(spells, o, data_start=first)
            rates.dest[:, :, wp] = 0.0
            total = rates.dest.sum(axis=2, keepdims=True)
            rates.dest = np.divide(rates.dest, total, out=np.zeros_like(rates.dest), where=total > 0)
            sim = simulate(rates, 24, n_sims=200, adjustments=Adjustments(entry_multiplier=np.zeros((N_BAND, 2))))
            counts = sim.by_category()[:, :, wp]
            survivors = float(np.median(counts[:, 24]))
            at0 = set(spells.child[(spells.start <= t) & (spells.end > t) & (spells.cat == wp)].tolist())
            kept = len(at0 & set(spells.child[(spells.start <= u) & (spells.end > u) & (spells.cat == wp)].tolist()))
            stock_part = kept - survivors
            later_part = (r["actual"] - kept) - (r["median"] - survivors)
            parts.append((stock_part, later_part))
            print(f"{a.name:>4} {origin}  {len(at0):12d}  {kept:19d}  {survivors:8.1f}   {stock_part:+16.1f}  "
                  f"{later_part:+10.1f}")
    if parts:
        sp, lp = np.array(parts).T
        print(f"root mean square over {len(sp)} origins: stock part {np.sqrt((sp**2).mean()):.1f} "
              f"(mean {sp.mean():+.1f}),"
              f" later part {np.sqrt((lp**2).mean()):.1f} (mean {lp.mean():+.1f}) children")


def _drift(at_origin: list[tuple], into: dict[str, list[int]], stay: dict[str, list[int]],
           miss: dict[tuple[str, str], tuple[float, float]]) -> None:
    """What the legal-status mix at each origin, against the window's, would move the 24-month count by."""
    p_in = {g: k / n if n else 0.0 for g, (n, k) in into.items()}
    p_stay = {g: k / n if n else 0.0 for g, (n, k) in stay.items()}
    print("\nAt each origin: children on interim (C1) and full (C2) care orders as a ratio to the window's "
          "quarter-end average; 'effect': the children with parents 24 months on that the origin's legal-status "
          "mix adds (+) or removes (-) against the window's mix, at the pooled rates above; the forecast's "
          "24-month miss (actual - median) in children and as z")
    print("auth origin      C1 ratio  C2 ratio  effect   miss  miss z")
    effects, misses, zs, names = [], [], [], []
    for name, origin, mix, quarters, _ in at_origin:
        def count(day: object, g: str, wp: bool, mix: dict = mix) -> int:
            return sum(1 for _, ls, cat in mix[day] if ls == g and (cat == "With parents") == wp)

        o = dt.date.fromisoformat(origin)
        effect = 0.0
        for wp, p in ((False, p_in), (True, p_stay)):
            n_now = sum(count(o, g, wp) for g in GROUPS)
            for g in GROUPS:
                share = np.mean([count(d, g, wp) / max(sum(count(d, h, wp) for h in GROUPS), 1) for d in quarters])
                effect += p[g] * (count(o, g, wp) - n_now * share)
        ratio = {g: (count(o, g, False) + count(o, g, True))
                 / np.mean([count(d, g, False) + count(d, g, True) for d in quarters]) for g in ("C1", "C2")}
        m, z = miss.get((name, origin), (float("nan"), float("nan")))
        print(f"{name:>4} {origin}  {ratio['C1']:8.2f}  {ratio['C2']:8.2f}  {effect:+6.1f}  {m:+5.0f}  {z:+6.2f}")
        effects.append(effect)
        misses.append(m)
        zs.append(z)
        names.append(name)
    e, m = np.array(effects), np.array(misses)
    if np.isfinite(m).sum() > 3:
        ok = np.isfinite(m)
        within_e = e - np.array([e[[n == x for n in names]].mean() for x in names])
        within_m = m - np.array([np.nanmean(m[[n == x for n in names]]) for x in names])
        r_all, r_within = np.corrcoef(e[ok], m[ok])[0, 1], np.corrcoef(within_e[ok], within_m[ok])[0, 1]
        print(f"mean |effect| {np.abs(e).mean():.1f} children, mean |miss| {np.abs(m[ok]).mean():.1f}; "
              f"correlation {r_all:+.2f}, within authorities {r_within:+.2f} ({ok.sum()} origins)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="authorities to check, e.g. ABCDE")
    ap.add_argument("--backtest", type=Path, help="outcomes written by bench/backtest.py --json")
    args = ap.parse_args()
    check(args.only, args.backtest)


if __name__ == "__main__":
    main()
