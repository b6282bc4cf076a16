"""The synthetic CIN census's figures beside England's 2025 ones (the calibration check).

Figures are worked out from the simulated history the way the scorecard works them out from the
censuses (``measures/catalogue/g_children_in_need.py``, ``h_child_protection.py``); counts are per
child looked after on 31 March, since the synthetic authority is sized by its children in care.
"""

from __future__ import annotations

import numpy as np

from careboard.years import year_end, year_start

from .cin import NFA, NOT_IN_NEED, CinHistory, working_days_between
from .dates import NA, day
from .lives import OPEN, Lives

# England 2025 (B1, C1, C2, LAIT; see cin_params.py), per child looked after (81,770) where a count.
CIN_TARGETS = {
    "referrals per child looked after": 632_830 / 81_770,
    "re-referrals within 12 months %": 22.6,
    "referrals with no further action %": 6.5,
    "referrals assessed not in need %": 30.8,
    "assessments within 45 working days %": 85.7,
    "children in need on 31 March per child looked after": 402_400 / 81_770,
    "section 47 enquiries per child looked after": 0.364 * 632_830 / 81_770,
    "initial conferences per child looked after": 72_090 / 81_770,
    "conferences within 15 working days %": 81.4,
    "plans started per child looked after": 61_840 / 81_770,
    "plans on 31 March per child looked after": 49_420 / 81_770,
    "second or subsequent plans %": 24.5,
    "plans ceasing after 2 years or more %": 4.4,
    "plans open 2 years or more on 31 March %": 2.3,
}


def _pct(num: np.ndarray, den: np.ndarray | int) -> float:
    d = int(np.sum(den)) if np.ndim(den) else int(den)
    return round(100 * float(np.sum(num)) / d, 1) if d else float("nan")


def cin_figures(hist: CinHistory, lv: Lives, year: int) -> dict[str, float]:
    """The calibrated figures of collection ``year``."""
    ys, ye = day(year_start(year)), day(year_end(year))
    per = lv.periods
    cla = len(np.unique(per["child"][(per["start"] <= ye) & (per["end"] > ye)]))
    ep = hist.episodes
    referred = (ep["referral"] >= ys) & (ep["referral"] <= ye)
    same = np.append(False, ep["person"][1:] == ep["person"][:-1])  # episodes are in referral order per person
    prev = np.where(same, np.append(NA, ep["referral"][:-1]), NA)
    again = same & (ep["referral"] - prev <= 365)
    not_need = (ep["kind"] == NOT_IN_NEED) & (ep["closure_at"] <= ye)
    open_31 = (ep["referral"] <= ye) & (ep["closure_at"] > ye) & (ep["kind"] != NFA)
    a = hist.assessments
    done = (a["auth"] >= ys) & (a["auth"] <= ye)
    s = hist.s47
    held = (s["icpc"] != NA) & (s["icpc"] >= ys) & (s["icpc"] <= ye)
    c = hist.cpp
    started = (c["start"] >= ys) & (c["start"] <= ye)
    open_plan = (c["start"] <= ye) & ((c["end"] > ye) | (c["end"] == OPEN))
    ceased = (c["end"] >= ys) & (c["end"] <= ye)
    figures = {
        "referrals per child looked after": referred.sum() / cla,
        "re-referrals within 12 months %": _pct(again & referred, referred),
        "referrals with no further action %": _pct((ep["kind"] == NFA) & referred, referred),
        "referrals assessed not in need %": _pct(not_need & referred, referred),
        "assessments within 45 working days %": _pct(working_days_between(a["start"][done], a["auth"][done]) <= 45,
                                                     done),
        "children in need on 31 March per child looked after": len(np.unique(ep["person"][open_31])) / cla,
        "section 47 enquiries per child looked after": ((s["start"] >= ys) & (s["start"] <= ye)).sum() / cla,
        "initial conferences per child looked after": held.sum() / cla,
        "conferences within 15 working days %": _pct(working_days_between(s["start"][held], s["icpc"][held]) <= 15,
                                                     held),
        "plans started per child looked after": started.sum() / cla,
        "plans on 31 March per child looked after": open_plan.sum() / cla,
        "second or subsequent plans %": _pct((c["previous"] > 0) & started, started),
        "plans ceasing after 2 years or more %": _pct((c["end"] - c["start"] + 1 >= 730) & ceased, ceased),
        "plans open 2 years or more on 31 March %": _pct((ye - c["start"] + 1 >= 730) & open_plan, open_plan),
    }
    return {k: round(float(v), 2) for k, v in figures.items()}


def cin_report_rows(hist: CinHistory, lv: Lives, year: int) -> list[tuple[str, float, float]]:
    """(figure, generated, England 2025) for the report table."""
    got = cin_figures(hist, lv, year)
    return [(name, got[name], round(target, 2)) for name, target in CIN_TARGETS.items()]





def print_cin_report(hist: CinHistory, lv: Lives, years: list[int], console=None) -> None:
    """Print the CIN census's generated-vs-England table with Rich (mean over ``years``)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    got: dict[str, float] = {}
    for year in years:
        for name, value in cin_figures(hist, lv, year).items():
            got[name] = got.get(name, 0.0) + value / len(years)
    table = Table(title=f"Synthetic CIN census {lv.la_code}: generated vs England 2025 "
                        f"(mean over {years[0]}-{years[-1]})")
    for col in ("Figure", "Generated", "England 2025"):
        table.add_column(col)
    for name, target in CIN_TARGETS.items():
        table.add_row(name, f"{got[name]:.2f}", f"{target:.2f}")
    console.print(table)
