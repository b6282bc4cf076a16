"""Backtest careboard's forecast against cs-demand-model 0.5.1 on the same synthetic authority.

    python bench/csdm_backtest.py [--csdm-python /opt/csdm/bin/python] [--sims 1000] [--json OUT]

cs-demand-model is installed in its own virtual environment (it pins pandas 1.5):
``python -m venv /opt/csdm && /opt/csdm/bin/pip install cs-demand-model``.  This script runs itself
under that interpreter (``--worker``) to drive it; nothing of it is copied into careboard.

Each origin (31 March 2022, 2023, 2024) cuts the history: careboard is fitted on the history known
that day; cs-demand-model gets only the returns up to that year (Header and Episodes CSVs).  Both
are scored against the children actually looked after 6, 12 and 24 months later, in
cs-demand-model's four categories (fostering, residential, supported, other) and in total.
For fairness cs-demand-model's input has K3 recoded to H5 and K1 to K2 (its 0.5.1 code lists
predate K3, so it would otherwise lose supported accommodation after April 2024), and it is run
with three reference windows (6 months: its CLI default; 12 months: its web default; 36 months:
careboard's window) with daily steps.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ORIGINS = ("2022-03-31", "2023-03-31", "2024-03-31")
HORIZONS = (6, 12, 24)
REFERENCE_MONTHS = (6, 12, 36)


def worker(source: Path, origin: str, reference_months: int, horizons: list[int]) -> dict:
    """Run cs-demand-model (inside its own venv) on the returns up to ``origin``; predictions by category."""
    from datetime import date

    from cs_demand_model import DemandModellingDataContainer, ModelPredictor, PopulationStats
    from cs_demand_model.config import Config
    from cs_demand_model.datastore import fs_datastore
    from dateutil.relativedelta import relativedelta

    end = date.fromisoformat(origin)
    with tempfile.TemporaryDirectory() as tmp:
        for folder in sorted(source.iterdir()):
            year = int(folder.name[:4]) + 1
            if year > end.year:
                continue
            (Path(tmp) / str(year)).mkdir()
            shutil.copy(folder / "Header.csv", Path(tmp) / str(year) / "header.csv")
            with open(folder / "Episodes.csv", newline="") as f, \
                    open(Path(tmp) / str(year) / "episodes.csv", "w", newline="") as g:
                rows = list(csv.DictReader(f))
                w = csv.DictWriter(g, fieldnames=list(rows[0]))
                w.writeheader()
                for r in rows:
                    r["PLACE"] = {"K3": "H5", "K1": "K2"}.get(r["PLACE"], r["PLACE"])
                    w.writerow(r)
        config = Config()
        dc = DemandModellingDataContainer(fs_datastore(tmp), config)
        stats = PopulationStats(dc.enriched_view, config)
        start = end - relativedelta(months=reference_months)
        predictor = ModelPredictor.from_model(stats, start, end)
        days = [(end + relativedelta(months=h) - end).days for h in horizons]
        pred = predictor.predict(max(days), step_days=1)
    out = {}
    for h, d in zip(horizons, days, strict=True):
        row = pred.iloc[d - 1]
        cats: dict[str, float] = {}
        for (_age, cat), v in row.items():
            if cat != "NOT_IN_CARE":
                cats[cat] = cats.get(cat, 0.0) + float(v)
        out[str(h)] = cats
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=3, metavar=("SOURCE", "ORIGIN", "REFMONTHS"))
    ap.add_argument("--csdm-python", default="/opt/csdm/bin/python")
    ap.add_argument("--sims", type=int, default=1000)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--la", default="358")
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--entry-variation", type=float, default=0.0, help="each year's own change in entries "
                    "(careboard synth --entry-variation; backtest.py --varied gives A 0.12 and B 0.13)")
    args = ap.parse_args()
    if args.worker:
        src, origin, ref = args.worker
        print(json.dumps(worker(Path(src), origin, int(ref), list(HORIZONS))))
        return

    import datetime as dt

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from backtest import Authority, history
    from careboard.sufficiency.backtest import CSDM_GROUPS, backtest

    # the backtest's own authority (generated, loaded and stitched once under bench/out, shared with it)
    authority = Authority("-", args.la, args.size, args.seed, 0.0, "", args.entry_variation)
    root = authority.folder / args.la
    spells, first, last = history(authority)

    results = []
    for origin in ORIGINS:
        o = dt.date.fromisoformat(origin)
        rows = backtest(spells, o, first, last, HORIZONS, n_sims=args.sims, groups=CSDM_GROUPS)
        fine = backtest(spells, o, first, last, HORIZONS, n_sims=args.sims)
        csdm = {}
        if Path(args.csdm_python).exists():
            for ref in REFERENCE_MONTHS:
                run = subprocess.run([args.csdm_python, __file__, "--worker", str(root / "ssda903"), origin, str(ref)],
                                     capture_output=True, text=True)
                csdm[ref] = json.loads(run.stdout) if run.returncode == 0 else {"error": run.stderr[-500:]}
        for r in rows:
            rec = {"origin": origin, "horizon": r.horizon_months, "category": r.category, "actual": r.actual,
                   "careboard": r.forecast, "careboard_lo": r.lower, "careboard_hi": r.upper}
            for ref, pred in csdm.items():
                if "error" in pred:
                    continue
                p = pred[str(r.horizon_months)]
                rec[f"csdm_{ref}m"] = sum(p.values()) if r.category == "Total" else p.get(r.category, 0.0)
            results.append(rec)
        for r in fine:
            results.append({"origin": origin, "horizon": r.horizon_months, "category": r.category, "fine": True,
                            "actual": r.actual, "careboard": r.forecast, "careboard_lo": r.lower,
                            "careboard_hi": r.upper})
        print(f"origin {origin} done", file=sys.stderr)

    def ape(rec: dict, key: str) -> float:
        return abs(rec[key] - rec["actual"]) / rec["actual"] * 100

    models = ["careboard"] + [f"csdm_{m}m" for m in REFERENCE_MONTHS if any(f"csdm_{m}m" in r for r in results)]
    print("\nMean absolute % error over origins (cs-demand-model's four categories; Total separately)")
    print(f"{'horizon':>8} {'category':<12} " + " ".join(f"{m:>12}" for m in models))
    for h in HORIZONS:
        for cat in [*CSDM_GROUPS, "Total"]:
            recs = [r for r in results if r["horizon"] == h and r["category"] == cat and not r.get("fine")]
            if not recs:
                continue
            vals = [np.mean([ape(r, m) for r in recs]) if all(m in r for r in recs) else float("nan") for m in models]
            print(f"{h:>8} {cat:<12} " + " ".join(f"{v:>12.1f}" for v in vals))
        recs = [r for r in results if r["horizon"] == h and r["category"] != "Total" and not r.get("fine")]
        vals = [np.mean([ape(r, m) for r in recs]) if all(m in r for r in recs) else float("nan") for m in models]
        print(f"{h:>8} {'mean of 4':<12} " + " ".join(f"{v:>12.1f}" for v in vals))
    print("\ncareboard, its own eight categories: mean absolute % error and 80% interval coverage")
    for h in HORIZONS:
        recs = [r for r in results if r["horizon"] == h and r.get("fine") and r["category"] != "Total"]
        cov = np.mean([r["careboard_lo"] <= r["actual"] <= r["careboard_hi"] for r in recs])
        print(f"{h:>8} MAPE {np.mean([ape(r, 'careboard') for r in recs]):5.1f}%  coverage {cov:.0%}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
