"""Match children to suitable places: a maximum flow through a network of children and places.

A "unit" is a child, or a sibling group that should live together; a row of ``Units`` stands for
``count`` identical units (the forecast's children come as counts of a kind, age, need and area).
A unit fits a setting when the setting is of the kind the child needs (foster care, a children's
home, supported accommodation), every member's age is within its age range, it has the skills the
unit needs (sibling groups, disability, parent and child, UASC, teenagers with high needs), it has
room for the whole unit, and it is within ``max_miles`` of the child's home (when both locations are
known).  A setting takes at most one sibling group of each size per household (so a four-place
household cannot take two pairs of siblings, and no household splits a group).

The network: source -> each row of children (capacity: its children) -> each setting it fits
(through a "sibling gate" of capacity households x group size for groups) -> sink (capacity: the
setting's places).  A maximum flow places as many children as possible.  It is found in phases,
each continuing from the last (on the residual network, so a later phase may move earlier
placements to make room, but never lowers their number): first only places near home (within
``near_miles``), then every place within reach, then children who only *could* use a place (such
as teenagers who might step down from a children's home), so those who need a place come first and
are placed near home where the numbers allow.  SciPy's ``maximum_flow`` (Dinic) solves each phase
in milliseconds, which is what lets every simulated future and year be matched.

Why a matching and not a count: 1,900 places against 1,800 children looks sufficient, but a
household approved for one child under 5 cannot take a sibling group of teenagers.  The matched
number is the count of places that are usable for the children who actually need them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from .capacity import Settings

KIND_OF_CATEGORY = {"In-house fostering": "fostering", "Agency fostering": "fostering",
                    "Children's homes": "childrens_home", "Supported accommodation": "supported"}
KINDS = ("fostering", "childrens_home", "supported")
METRES_PER_MILE = 1609.344


@dataclass
class Units:
    """Children (or sibling groups) needing a place: arrays of one row per unit (or per ``count`` like units)."""

    members: list[list[str]] | None
    kind: np.ndarray
    age_min: np.ndarray
    age_max: np.ndarray
    needs: np.ndarray  # (n, len(SKILLS)) bool, in SKILLS order
    xy: np.ndarray  # (n, 2) metres (British National Grid); NaN where unknown
    area: np.ndarray
    group: np.ndarray | None = None  # children in the unit (default: len(members), else 1)
    count: np.ndarray | None = None  # identical units the row stands for (default 1)
    weight: np.ndarray | None = None  # value of placing one child of the row (default 1)

    def __post_init__(self) -> None:
        n = len(self.kind)
        if self.group is None:
            self.group = (np.array([len(m) for m in self.members], dtype=np.int64) if self.members is not None
                          else np.ones(n, dtype=np.int64))
        if self.count is None:
            self.count = np.ones(n)
        if self.weight is None:
            self.weight = np.ones(n)

    @property
    def size(self) -> np.ndarray:
        return self.group

    def __len__(self) -> int:
        return len(self.kind)


@dataclass
class Match:
    units: Units
    settings: Settings
    placed: np.ndarray  # units placed, per row (0..count)
    setting_of_unit: np.ndarray  # for single units: index of the setting each was matched to, -1 if none
    feasible: np.ndarray  # (unit, setting) bool
    status: str


def feasibility(units: Units, settings: Settings, setting_xy: np.ndarray, max_miles: float | None) -> np.ndarray:
    """(unit, setting) bool: the setting can take the whole unit."""
    ok = units.kind[:, None] == settings.kind[None, :]
    ok &= units.age_min[:, None] >= settings.age_from[None, :]
    ok &= units.age_max[:, None] <= settings.age_to[None, :]
    ok &= units.size[:, None] <= settings.places[None, :]
    ok &= ~(units.needs[:, None, :] & ~settings.skills[None, :, :]).any(axis=2)
    if max_miles is not None:
        d = _distance(units.xy, setting_xy)
        ok &= np.isnan(d) | (d <= max_miles)
    return ok


def near_home(units: Units, settings: Settings, setting_xy: np.ndarray, near_miles: float) -> np.ndarray:
    """(unit, setting) bool: the setting is near the child's home (same area, or within ``near_miles``)."""
    d = _distance(units.xy, setting_xy)
    return np.isnan(d) | (d <= near_miles) | (units.area[:, None] == settings.area[None, :])


def merge_equivalent(units: Units, settings: Settings, setting_xy: np.ndarray, max_miles: float | None,
                     near_miles: float = 5.0) -> tuple[Settings, np.ndarray]:
    """Settings that are interchangeable for these children (the same children fit them, the same are near
    home, the same places a setting) as one row each; and each setting's row.  The matching is the same,
    on a network a fraction of the size."""
    fit = feasibility(units, settings, setting_xy, max_miles)
    near = near_home(units, settings, setting_xy, near_miles) & fit
    key = np.concatenate([fit.T, near.T, (settings.places[:, None] == np.arange(1, 9)[None, :]),
                          (settings.places > 8)[:, None]], axis=1)
    key = np.packbits(key, axis=1)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    merged = settings.take(first)
    merged.xy = setting_xy[first]
    merged.count = np.bincount(inverse, weights=settings.count, minlength=len(first)).astype(np.int64)
    merged.occupied = np.bincount(inverse, weights=settings.occupied, minlength=len(first)).astype(np.int64)
    return merged, inverse


def _distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1]) / METRES_PER_MILE


class Matcher:
    """The network for fixed rows of children and settings, solved again for other counts (futures, years)."""

    def __init__(self, units: Units, settings: Settings, setting_xy: np.ndarray | None = None,
                 max_miles: float | None = 20.0, near_miles: float = 5.0):
        if setting_xy is None:
            setting_xy = settings.xy if settings.xy is not None else np.full((len(settings), 2), np.nan)
        self.units, self.settings = units, settings
        self.feasible = feasibility(units, settings, setting_xy, max_miles)
        u, s = np.nonzero(self.feasible)
        self.u, self.s = u, s
        self.near = near_home(units, settings, setting_xy, near_miles)[u, s]
        self.by_row = csr_matrix((np.ones(len(u)), (u, np.arange(len(u)))), shape=(len(units), len(u)))
        n_u, n_s = len(units), len(settings)
        group = units.size[u]
        gated = group >= 2
        gates = np.unique(np.stack([s[gated], group[gated]], axis=1), axis=0) if gated.any() else np.zeros((0, 2), int)
        # nodes: 0 source, 1 sink, rows, settings, gates
        row0, set0, gate0 = 2, 2 + n_u, 2 + n_u + n_s
        n_nodes = gate0 + len(gates)
        gate_of_pair = np.full(len(u), -1)
        if len(gates):
            key = {(int(a), int(b)): i for i, (a, b) in enumerate(gates)}
            gate_of_pair[gated] = [key[(int(a), int(b))] for a, b in zip(s[gated], group[gated], strict=True)]
        to = np.where(gated, gate0 + gate_of_pair, set0 + s)
        # directed edges; each has its reverse as an explicit entry (capacity 0), so the residual network of
        # a flow is simply capacity - flow on the same pattern
        src = np.concatenate([np.zeros(n_u, int), row0 + u, gate0 + np.arange(len(gates)), set0 + np.arange(n_s)])
        dst = np.concatenate([row0 + np.arange(n_u), to, set0 + gates[:, 0], np.ones(n_s, int)]).astype(np.int64)
        self.n_nodes = n_nodes
        self.n_edges = len(src)
        self.src, self.dst = src, dst
        self.k_src, self.k_pair = np.arange(n_u), n_u + np.arange(len(u))
        self.k_gate = n_u + len(u) + np.arange(len(gates))
        self.k_sink = n_u + len(u) + len(gates) + np.arange(n_s)
        self.gates = gates
        self.big = 1 << 28
        self._stacked: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, int]] = {}

    def _pattern(self, futures: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """CSR pattern of ``futures`` copies of the network sharing source and sink, and where each edge sits.

        Every edge has its reverse as an explicit entry (capacity 0), so the residual network of a flow
        is simply capacity - flow on the same pattern.  Copies are independent (they meet only at the
        source and the sink), so one maximum flow of the stack is a maximum flow of each future.
        """
        if futures not in self._stacked:
            inner = self.n_nodes - 2
            off = (np.arange(futures) * inner)[:, None]
            src = np.where(self.src < 2, self.src, self.src + off).ravel()
            dst = np.where(self.dst < 2, self.dst, self.dst + off).ravel()
            n = 2 + futures * inner
            e = len(src)
            pattern = csr_matrix((np.arange(1, 2 * e + 1), (np.concatenate([src, dst]), np.concatenate([dst, src]))),
                                 shape=(n, n))
            pattern.sort_indices()
            pos = np.empty(2 * e, dtype=np.int64)
            pos[pattern.data - 1] = np.arange(len(pattern.data))
            self._stacked[futures] = (pos, pattern.indptr, pattern.indices, n)
        return self._stacked[futures]

    def solve(self, unit_children: np.ndarray | None = None, setting_count: np.ndarray | None = None
              ) -> np.ndarray:
        """Children placed on each feasible (row, setting) pair for these counts of children and settings."""
        units, st = self.units, self.settings
        children = units.count * units.size if unit_children is None else unit_children
        count = st.count if setting_count is None else setting_count
        flows = self.solve_many(np.asarray(children, dtype=float)[:, None], np.asarray(count, dtype=float)[:, None])
        return flows[:, 0]

    def solve_many(self, children: np.ndarray, count: np.ndarray, batch: int = 25, near_first: bool = True
                   ) -> np.ndarray:
        """(pair, future) children placed, for (row, future) children and (setting, future) settings.

        ``near_first=False`` skips the near-home phase when only the numbers placed matter.
        """
        futures = children.shape[1]
        out = np.zeros((len(self.u), futures))
        if not len(self.u):
            return out
        for b0 in range(0, futures, batch):
            b1 = min(futures, b0 + batch)
            out[:, b0:b1] = self._solve_stack(np.rint(children[:, b0:b1]).astype(np.int64),
                                              np.rint(count[:, b0:b1]).astype(np.int64), near_first)
        return out

    def _solve_stack(self, children: np.ndarray, count: np.ndarray, near_first: bool = True) -> np.ndarray:
        k = children.shape[1]
        pos, indptr, indices, n = self._pattern(k)
        e = self.n_edges
        low = self.units.weight < 1
        cap = np.zeros((k, e), dtype=np.int64)
        cap[:, self.k_gate] = (count[self.gates[:, 0]] * self.gates[:, 1][:, None]).T
        cap[:, self.k_sink] = np.maximum(self.settings.places[:, None] * count, 0).T
        flow = np.zeros(len(indices), dtype=np.int64)
        phases = ([(~low, self.near)] if near_first else []) + [(~low, None)] + ([(low, None)] if low.any() else [])
        for rows, pairs in phases:
            c = cap.copy()
            c[:, self.k_src] = np.where(rows[:, None], children, 0).T
            c[:, self.k_pair] = self.big if pairs is None else np.where(pairs, self.big, 0)
            full = np.zeros(len(indices), dtype=np.int64)
            full[pos[: k * e]] = c.ravel()
            residual = full - flow
            if not residual[pos[: k * e].reshape(k, e)[:, self.k_src]].any():
                continue
            g = csr_matrix((residual.astype(np.int32), indices, indptr), shape=(n, n))
            f = maximum_flow(g, 0, 1, method="dinic").flow
            if np.array_equal(f.indices, indices) and np.array_equal(f.indptr, indptr):
                flow += f.data.astype(np.int64)
            else:  # scipy kept a different pattern: read the flow edge by edge
                flow += np.asarray(f[np.repeat(np.arange(n), np.diff(indptr)), indices]).ravel().astype(np.int64)
        return flow[pos[: k * e].reshape(k, e)[:, self.k_pair]].T.astype(float)

    def placed_children(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.u, weights=x, minlength=len(self.units))

    def used_places(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.s, weights=x, minlength=len(self.settings))


def match(units: Units, settings: Settings, setting_xy: np.ndarray | None = None, max_miles: float | None = 20.0,
          near_miles: float = 5.0) -> Match:
    """Place as many children as possible (near home first), under age, needs, sibling and distance limits."""
    m = Matcher(units, settings, setting_xy, max_miles, near_miles)
    x = m.solve()
    placed = m.placed_children(x) / units.size if len(m.u) else np.zeros(len(units))
    assigned = np.full(len(units), -1, dtype=np.int64)
    chosen = (x >= units.size[m.u] - 1e-9) & (units.count[m.u] == 1) & (x > 0)
    assigned[m.u[chosen]] = m.s[chosen]
    return Match(units, settings, placed, assigned, m.feasible, "optimal" if len(m.u) else "nothing feasible")
