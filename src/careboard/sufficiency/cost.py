"""Cost: weekly unit costs per placement category, projected spend against a budget, and what drives the gap.

Unit costs come from a YAML file (``weekly_cost`` by category; see ``unit_costs.example.yaml``, whose
figures are examples only) or from the ``unit_costs.csv`` local extract (weekly cost per 903 PLACE
code, with an ``IFA`` row for agency fostering).  A category's cost from the extract is the average
of its PLACE codes weighted by the authority's own children in each code on the forecast start, so
a children's homes figure reflects how many are in secure (K1) against ordinary (K2) homes.

Spend is child-weeks x weekly cost, by financial year (April-March), in every simulated future, so
the projection has an interval as the numbers do.  The gap to budget is explained against today's
run rate: how much comes from more (or fewer) children in each category and, for fostering, how
much from the mix moving between kinship, in-house and agency carers at the same number of children.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import yaml

from .simulate import Simulation
from .states import CAT_INDEX, CATEGORIES, N_CAT

FOSTERING = ("Kinship fostering", "In-house fostering", "Agency fostering")
EXAMPLE = "unit_costs.example.yaml"


class CostError(ValueError):
    """A unit-cost file that cannot be used, naming the file, line and field."""


@dataclass
class UnitCosts:
    weekly: np.ndarray  # GBP per child per week, by category
    illustrative: bool
    source: str
    # more a week for a place out of area (beyond the distance limit) than a local one, by category
    out_of_area_extra: np.ndarray = field(default_factory=lambda: np.zeros(N_CAT))
    # the placement categories priced at careboard's example figures, not the council's own
    examples: tuple[str, ...] = ()


def example_costs() -> UnitCosts:
    """The packaged example figures (clearly illustrative)."""
    text = (resources.files("careboard.sufficiency") / EXAMPLE).read_text("utf-8")
    costs = _from_yaml(yaml.safe_load(text), f"careboard example ({EXAMPLE})")
    costs.examples = tuple(CATEGORIES)
    return costs


def authority_costs(con: duckdb.DuckDBPyConnection, la: str, on: dt.date) -> UnitCosts:
    """The authority's unit costs for a forecast from ``on``: the council's own as loaded (unit_costs.csv as at
    the collection year of ``on`` or before, any placement type it lacks at the example figure), else the
    example figures.  The one decision of whose costs price the stored plan (service.year_end_plan), the
    members' forecast (stored_forecast.py) and the members' section (publish/sufficiency.py), so their
    spend and costs never disagree; ``UnitCosts.examples`` names the categories at example figures."""
    return stored_costs(con, la, on) or example_costs()


def _from_yaml(data: object, source: str) -> UnitCosts:
    if not isinstance(data, dict) or not isinstance(data.get("weekly_cost"), dict):
        raise CostError(f"{source}: expected 'weekly_cost:' with a cost for each placement category")
    weekly = np.full(N_CAT, np.nan)
    for key, value in data["weekly_cost"].items():
        if key not in CAT_INDEX:
            raise CostError(
                f"{source}: weekly_cost: unknown placement category {key!r} (one of: {', '.join(CATEGORIES)})")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CostError(f"{source}: weekly_cost.{key}: expected a cost in pounds (0 or more), got {value!r}")
        weekly[CAT_INDEX[key]] = float(value)
    missing = [CATEGORIES[i] for i in np.flatnonzero(np.isnan(weekly))]
    if missing:
        raise CostError(f"{source}: weekly_cost: no cost for {', '.join(missing)}")
    extra = np.zeros(N_CAT)
    more = data.get("out_of_area_weekly_extra") or {}
    if not isinstance(more, dict):
        raise CostError(f"{source}: out_of_area_weekly_extra: expected a cost for some placement categories")
    for key, value in more.items():
        if key not in CAT_INDEX:
            raise CostError(f"{source}: out_of_area_weekly_extra: unknown placement category {key!r}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CostError(f"{source}: out_of_area_weekly_extra.{key}: expected pounds (0 or more), got {value!r}")
        extra[CAT_INDEX[key]] = float(value)
    return UnitCosts(weekly, bool(data.get("illustrative", False)), source, extra)


def _from_extract(path: Path, con: duckdb.DuckDBPyConnection | None, la: str | None, on: dt.date | None
                  ) -> UnitCosts:
    try:
        return _read_extract(path, con, la, on)
    except UnicodeDecodeError as exc:
        raise CostError(f"{path}: byte 0x{exc.object[exc.start]:02X} is not UTF-8 text (save it as 'CSV UTF-8')"
                        ) from None


def _read_extract(path: Path, con: duckdb.DuckDBPyConnection | None, la: str | None, on: dt.date | None
                  ) -> UnitCosts:
    by_code: dict[str, float] = {}
    extra_by_code: dict[str, float] = {}
    illustrative = False
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        need = {"PLACE", "WEEKLY_COST_GBP"}
        if not reader.fieldnames or not need <= set(reader.fieldnames):
            raise CostError(f"{path} line 1: the header needs columns {sorted(need)}")
        for line, row in enumerate(reader, start=2):
            try:
                cost = float(row["WEEKLY_COST_GBP"])
            except ValueError:
                raise CostError(
                    f"{path} line {line}: WEEKLY_COST_GBP {row['WEEKLY_COST_GBP']!r} is not a number") from None
            if cost < 0:
                raise CostError(f"{path} line {line}: WEEKLY_COST_GBP is negative")
            code = (row["PLACE"] or "").strip().upper()
            by_code[code] = cost
            more = (row.get(EXTRA_COLUMN) or "").strip()
            if more:
                try:
                    extra_by_code[code] = float(more)
                except ValueError:
                    raise CostError(f"{path} line {line}: {EXTRA_COLUMN} {more!r} is not a number") from None
                if extra_by_code[code] < 0:
                    raise CostError(f"{path} line {line}: {EXTRA_COLUMN} is negative")
            illustrative |= (row.get("ILLUSTRATIVE") or "0").strip() == "1"
    mix = _placement_mix(con, la, on)
    return _with_out_of_area_extra(_from_codes(by_code, illustrative, str(path), mix), extra_by_code, mix)


# The unit_costs.csv extract as ``careboard load`` stored it: the latest extract load of the authority
# at or before the year that holds unit costs.
STORED_COSTS_SQL = """
SELECT upper(trim(u.PLACE)), u.WEEKLY_COST_GBP, coalesce(u.ILLUSTRATIVE, '0') = '1', l.year, u.OUT_OF_AREA_EXTRA_GBP
FROM current_extract_unitcosts u JOIN current_loads l ON l.load_id = u.load_id
WHERE l.la = $la AND l.kind = 'extract' AND l.year = (
    SELECT max(l2.year) FROM current_loads l2
    WHERE l2.la = $la AND l2.kind = 'extract' AND l2.year <= $year
      AND EXISTS (SELECT 1 FROM current_extract_unitcosts u2 WHERE u2.load_id = l2.load_id))
  AND u.PLACE IS NOT NULL AND u.WEEKLY_COST_GBP IS NOT NULL
ORDER BY u.source_file, u.source_row
"""


def stored_costs(con: duckdb.DuckDBPyConnection, la: str, on: dt.date) -> UnitCosts | None:
    """The council's own unit costs as loaded (unit_costs.csv, as at the collection year of ``on`` or
    before), or None when none are loaded; weighted by the children's placements on ``on`` as
    ``load_costs`` weights the file.  Raises CostError when a placement category has no cost."""
    year = on.year + (1 if (on.month, on.day) > (3, 31) else 0)
    rows = con.execute(STORED_COSTS_SQL, {"la": la, "year": year}).fetchall()
    if not rows:
        return None
    by_code = {code: float(cost) for code, cost, *_ in rows}
    extra_by_code = {code: float(extra) for code, _, _, _, extra in rows if extra is not None}
    illustrative = any(flag for _, _, flag, *_ in rows)
    mix = _placement_mix(con, la, on)
    costs = _from_codes(by_code, illustrative, f"unit_costs.csv loaded as at 31 March {rows[0][3]}", mix,
                        fill=example_costs())
    return _with_out_of_area_extra(costs, extra_by_code, mix)


# unit_costs.csv's optional column: pounds a week more for a place of that PLACE code out of area (beyond the
# distance limit) than a local one.
EXTRA_COLUMN = "OUT_OF_AREA_EXTRA_GBP"
# What a council's costs' source adds when some out-of-area extra is careboard's example figure (followed by
# " for" and the placement categories when the council gave the extra for others).
OUT_OF_AREA_AT_EXAMPLES = "; the extra a week for a place out of area at the example figures"


def _with_out_of_area_extra(costs: UnitCosts, extra_by_code: dict[str, float], mix: list[tuple[str, str, int]]
                            ) -> UnitCosts:
    """The council's out-of-area extra a week by category, from its PLACE codes' extras weighted as the weekly
    costs are; a category it gives none for keeps the example extra, since a plan priced at nothing for it would
    show every out-of-area place as free.  ``source`` then names the categories at the example extra (all of
    those with one, when the file gives no extra at all)."""
    example = example_costs().out_of_area_extra
    own = _weighted_by_category(extra_by_code, mix)
    costs.out_of_area_extra = np.where(np.isnan(own), example, own)
    at_example = [CATEGORIES[i] for i in np.flatnonzero(np.isnan(own) & (example > 0))]
    if at_example and extra_by_code:
        costs.source += f"{OUT_OF_AREA_AT_EXAMPLES} for {', '.join(at_example)}"
    elif at_example:
        costs.source += OUT_OF_AREA_AT_EXAMPLES
    return costs


def _placement_mix(con: duckdb.DuckDBPyConnection | None, la: str | None, on: dt.date | None
                   ) -> list[tuple[str, str, int]]:
    """(category, PLACE code or IFA, children) for the authority's children looked after on ``on`` (none without
    a database): asked once, it weights both the weekly costs and the out-of-area extras."""
    if con is None or la is None or on is None:
        return []
    from careboard.store.reference import install

    install(con)  # the shared placement_category macro
    return con.execute(
        "SELECT placement_category(PLACE, PLACE_PROVIDER) AS cat, "
        "CASE WHEN placement_category(PLACE, PLACE_PROVIDER) = 'Agency fostering' THEN 'IFA' ELSE PLACE END, "
        "count(*) FROM model_care WHERE la = ? AND DECOM <= ? AND (DEC IS NULL OR DEC > ?) GROUP BY ALL",
        [la, on, on],
    ).fetchall()


# The PLACE code whose figure a category takes when none of its children is in a code the file prices.
FALLBACK_CODE = {"Kinship fostering": "U1", "In-house fostering": "U4", "Agency fostering": "IFA",
                 "Children's homes": "K2", "Supported accommodation": "K3", "With parents": "P1",
                 "Placed for adoption": "A3"}


def _weighted_by_category(by_code: dict[str, float], mix: list[tuple[str, str, int]]) -> np.ndarray:
    """A figure per category from figures per PLACE code: the average over the category's codes weighted by the
    authority's children in each (``mix``: :func:`_placement_mix`), else its fallback code's figure, else NaN."""
    out = np.full(N_CAT, np.nan)
    for i, name in enumerate(CATEGORIES):
        rows = [(code, n) for cat, code, n in mix if CAT_INDEX.get(cat) == i and code in by_code]
        if rows:
            out[i] = sum(by_code[c] * n for c, n in rows) / sum(n for _, n in rows)
        elif FALLBACK_CODE.get(name) in by_code:
            out[i] = by_code[FALLBACK_CODE[name]]
    return out


def _from_codes(by_code: dict[str, float], illustrative: bool, source: str, mix: list[tuple[str, str, int]],
                fill: UnitCosts | None = None) -> UnitCosts:
    """Unit costs by placement category from weekly costs by 903 PLACE code (see the module docstring).
    A category with no cost takes ``fill``'s (then the costs are illustrative, and ``source`` says which
    are examples), or, without ``fill``, is an error."""
    weekly = _weighted_by_category(by_code, mix)
    missing = [CATEGORIES[i] for i in np.flatnonzero(np.isnan(weekly))]
    if missing and fill is None:
        raise CostError(f"{source}: no cost can be found for {', '.join(missing)}")
    if missing and fill is not None:
        gaps = np.isnan(weekly)
        weekly[gaps] = fill.weekly[gaps]
        illustrative = True
        source += f" (example figures for {', '.join(missing)})"
    return UnitCosts(weekly, illustrative, source, examples=tuple(missing))


def load_costs(path: Path | None, con: duckdb.DuckDBPyConnection | None = None, la: str | None = None,
               on: dt.date | None = None) -> UnitCosts:
    """Unit costs from a YAML config or the unit_costs.csv extract; the example figures when ``path`` is None."""
    if path is None:
        return example_costs()
    if not path.exists():
        raise CostError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        return _from_extract(path, con, la, on)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CostError(f"{path}: not UTF-8 text (expected a YAML unit-costs file, or unit_costs.csv)") from None
    except yaml.YAMLError:
        raise CostError(f"{path}: not valid YAML") from None
    return _from_yaml(data, str(path))


@dataclass
class Spend:
    years: list[int]  # financial years, named by the 31 March they end on
    by_future: np.ndarray  # (future, year, category) GBP
    run_rate: np.ndarray  # (category) GBP a year at day one's numbers
    complete: list[bool]  # the forecast covers the whole year
    weekly: np.ndarray  # the unit costs used


def project(sim: Simulation, costs: UnitCosts) -> Spend:
    """Spend in every future by financial year and category: child-weeks (trapezium over month ends) x cost."""
    c = sim.by_category().astype(np.float64)  # (future, month, cat)
    days = np.array([(b - a).days for a, b in zip(sim.dates[:-1], sim.dates[1:], strict=True)], dtype=float)
    weeks = (c[:, :-1] + c[:, 1:]) / 2 * (days / 7)[None, :, None]
    fy = [d.year + (d.month > 3) for d in sim.dates[1:]]
    years = sorted(set(fy))
    out = np.zeros((c.shape[0], len(years), N_CAT))
    for j, y in enumerate(years):
        sel = [i for i, f in enumerate(fy) if f == y]
        out[:, j] = weeks[:, sel].sum(axis=1) * costs.weekly
    complete = [sum(days[[i for i, f in enumerate(fy) if f == y]]) >= 364 for y in years]
    return Spend(years, out, c[0, 0] * costs.weekly * 365.25 / 7, complete, costs.weekly)


def drivers(spend: Spend, year_index: int = 0) -> list[tuple[str, float]]:
    """What moves the year's spend from today's run rate (mean over futures), in GBP, largest first.

    Fostering is split into a volume part (more or fewer fostered children at today's average
    fostering cost) and a mix part (the same number of children, but more with agency carers).
    """
    mean = spend.by_future[:, year_index].mean(axis=0)
    base = spend.run_rate
    scale = 1.0 if spend.complete[year_index] else np.nan
    f = [CAT_INDEX[c] for c in FOSTERING]
    # children-years: spend / (unit cost a year), so volume and mix separate exactly
    year_cost = np.where(spend.weekly > 0, spend.weekly * 365.25 / 7, 1.0)
    out = []
    fost_now, fost_then = base[f].sum(), mean[f].sum()
    n_now = base[f] / year_cost[f]
    n_then = mean[f] / year_cost[f]
    avg_now = fost_now / n_now.sum() if n_now.sum() else 0.0
    volume = (n_then.sum() - n_now.sum()) * avg_now
    out.append(("More or fewer children in foster care", float(volume * scale)))
    out.append(("Fostering mix (kinship / in-house / agency)", float((fost_then - fost_now - volume) * scale)))
    for name in CATEGORIES:
        if name in FOSTERING:
            continue
        i = CAT_INDEX[name]
        out.append((f"{name}: change in numbers", float((mean[i] - base[i]) * scale)))
    return sorted(out, key=lambda t: -abs(t[1]) if t[1] == t[1] else 0)
