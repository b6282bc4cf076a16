"""Local extracts that later stages need and the statutory returns do not hold (schemas: docs/extracts.md).

* ``iro_allocations.csv``: the independent reviewing officer (IRO) of each review;
* ``foster_households.csv``: in-house foster households (places, ages, skills, location), the same
  households the 903 placements use (same postcode and URN);
* ``placement_capacity.csv``: children's homes and supported accommodation used by the authority;
* ``unit_costs.csv``: weekly cost per placement type (ILLUSTRATIVE figures, not real costs);
* ``missing_detail.csv``: missing episodes with return-home interviews and where the child was found.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from careboard.years import year_start

from . import params as P
from .dates import NA, day, fmt
from .iro import iro_columns
from .lives import Lives
from .write903 import csv_text


def _write(path: Path, columns: dict[str, np.ndarray]) -> Path:
    n = max(len(v) for v in columns.values() if np.ndim(v))
    text = {k: np.array([str(x) for x in np.broadcast_to(np.asarray(v, dtype=object), (n,)).tolist()], dtype=object)
            for k, v in columns.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(text).encode("utf-8"))
    return path


def write_extracts(lv: Lives, folder: Path) -> list[Path]:
    """Write every local extract into ``folder``; returns the paths."""
    ids = lv.children["id"]
    pc = lv.geo.table.text
    paths = []

    span_start = day(year_start(lv.first_year))
    paths.append(_write(folder / "iro_allocations.csv", iro_columns(lv)))

    # in-house foster households, with children placed on the last 31 March
    h = lv.households
    ep = lv.episodes
    ref = lv.horizon
    open_ep = (ep["start"] <= ref) & (ep["end"] > ref) & (ep["carer"] < len(h["pc"])) & \
              (ep["provider"] == "PR1") & np.isin(ep["place"], ["U4", "U5", "U6"])
    occupied = np.bincount(ep["carer"][open_ep], minlength=len(h["pc"]))
    places = np.maximum(h["places"], occupied)
    inside = lv.geo.inside[h["pc"]]
    sk = h["skills"]
    paths.append(_write(folder / "foster_households.csv", {
        "HOUSEHOLD_ID": np.array([f"FH{i:05d}" for i in range(len(h["pc"]))], dtype=object), "URN": h["urn"],
        "POSTCODE": pc(h["pc"]), "IN_LA": np.where(inside, "1", "0"), "APPROVED_PLACES": places,
        "AGE_FROM": h["age_lo"], "AGE_TO": h["age_hi"],
        "SIBLINGS": sk[:, 0].astype(int), "DISABILITY": sk[:, 1].astype(int), "PARENT_AND_CHILD": sk[:, 2].astype(int),
        "TEENAGERS": sk[:, 3].astype(int), "UASC": sk[:, 4].astype(int),
        "OCCUPIED_AT_REFERENCE": occupied, "REFERENCE_DATE": fmt(np.full(len(h["pc"]), ref)),
    }))

    # other capacity: children's homes and supported accommodation the authority uses
    pv = lv.providers
    n_r, n_s = len(pv["resi_urn"]), len(pv["supp_urn"])
    urn = np.concatenate([pv["resi_urn"], pv["supp_urn"]])
    carer = np.concatenate([2_000_000 + np.arange(n_r), 3_000_000 + np.arange(n_s)])
    occ_map = {}
    open_any = (ep["start"] <= ref) & (ep["end"] > ref)
    for cid in ep["carer"][open_any & (ep["carer"] >= 2_000_000) & (ep["carer"] < 4_000_000)].tolist():
        occ_map[cid] = occ_map.get(cid, 0) + 1
    occ = np.array([occ_map.get(c, 0) for c in carer.tolist()])
    places_o = np.maximum(np.concatenate([pv["resi_places"], pv["supp_places"]]), occ)
    pcs = np.concatenate([pv["resi_pc"], pv["supp_pc"]])
    kind = np.array(["K2"] * n_r + ["SUPPORTED"] * n_s, dtype=object)
    paths.append(_write(folder / "placement_capacity.csv", {
        "PROVIDER_ID": np.array([f"PV{i:05d}" for i in range(n_r + n_s)], dtype=object), "URN": urn,
        "TYPE": kind, "PLACE_PROVIDER": np.concatenate([pv["resi_provider"], pv["supp_provider"]]),
        "POSTCODE": pc(pcs), "IN_LA": np.where(lv.geo.inside[pcs], "1", "0"), "PLACES": places_o,
        "AGE_FROM": np.where(kind == "K2", 8, 16), "AGE_TO": 17,
        "OCCUPIED_AT_REFERENCE": occ, "REFERENCE_DATE": fmt(np.full(n_r + n_s, ref)),
    }))

    # unit costs (illustrative)
    codes = sorted(P.UNIT_COSTS)
    paths.append(_write(folder / "unit_costs.csv", {
        "PLACE": np.array(codes, dtype=object),
        "PROVIDER_GROUP": np.array(["agency" if c == "IFA" else "any" for c in codes], dtype=object),
        "WEEKLY_COST_GBP": np.array([P.UNIT_COSTS[c] for c in codes]),
        "ILLUSTRATIVE": np.ones(len(codes), dtype=int),
    }))

    # missing detail (episodes in the span)
    ms = {k: v[lv.missing["end"] >= span_start] for k, v in lv.missing.items()}
    ep_key = ep["child"].astype(np.int64) * 10**9 + ep["start"]
    mkey = ms["child"].astype(np.int64) * 10**9 + ms["start"]
    where = np.clip(np.searchsorted(ep_key, mkey, side="right") - 1, 0, max(len(ep_key) - 1, 0))
    end_txt = np.where(ms["end"] > lv.horizon, "", fmt(np.where(ms["end"] > lv.horizon, NA, ms["end"])))
    paths.append(_write(folder / "missing_detail.csv", {
        "CHILD": ids[ms["child"]], "MISSING": ms["type"], "MIS_START": fmt(ms["start"]), "MIS_END": end_txt,
        "PLACE": ep["place"][where] if len(ep_key) else np.zeros(0, dtype=object),
        "RHI_OFFERED": ms["rhi_offered"].astype(int), "RHI_ACCEPTED": ms["rhi_accepted"].astype(int),
        "WHERE_FOUND": ms["found"], **detail_columns(lv, ms),
    }))
    return paths


def _clock(minutes: np.ndarray) -> np.ndarray:
    return np.array([f"{m // 60:02d}:{m % 60:02d}" for m in np.asarray(minutes).tolist()], dtype=object)


def detail_columns(lv: Lives, ms: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """missing_detail.csv's optional columns (docs/extracts.md) from ``missing_groups.enrich``."""
    open_ = ms["end"] > lv.horizon
    offered = (ms["rhi_day"] != NA) & ~open_ & (ms["rhi_day"] <= lv.horizon)
    flag = lambda a: np.where(a, "1", "0")  # noqa: E731
    return {
        "MIS_START_TIME": _clock(ms["start_min"]),
        "MIS_END_TIME": np.where(open_, "", _clock(ms["end_min"])),
        "FOUND_POSTCODE": lv.geo.table.text(np.where(open_, -1, ms["found_pc"])),
        "RHI_OFFERED_DATE": np.where(offered, fmt(np.where(offered, ms["rhi_day"], NA)), ""),
        "RISK_CSE": flag(ms["cse"]), "RISK_CCE": flag(ms["cce"]), "RISK_TRAFFICKING": flag(ms["trafficking"]),
    }
