"""Shared basics of the simulation: the ``Lives`` container, sentinels, category codes, random streams."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import params as P
from .postcodes import Geography

OPEN = np.iinfo(np.int32).max  # an end date beyond the last simulated day
PATHWAY_INDEX = {name: i for i, name in enumerate(P.PATHWAYS)}
HOME, ADOPT, SGO, CAO, LONG, LEAVE16, TRANSFER, YOUTH, OTHER = range(9)

# internal placement categories
KIN, FOSTER, RESI, SUPP, PWP, R3, S1, R1, K1, R5, Z, ADOPTION, TEMP = range(13)
CATEGORY_BY_NAME = {"KIN": KIN, "FOSTER": FOSTER, "RESI": RESI, "SUPP": SUPP, "P1": PWP, "R3": R3,
                    "S1": S1, "R1": R1, "K1": K1, "R5": R5, "Z": Z}
FOSTER_CATS = (KIN, FOSTER)

# stream tags: each part of the simulation draws from its own generator so that changing one part
# does not reshuffle the others
_TAGS = {name: i + 1 for i, name in enumerate(
    ["pool", "children", "periods", "reentry", "legal", "placements", "location", "temps", "episodes",
     "reviews", "missing", "sw", "adoption", "prevperm", "upn", "thin", "pools", "mother",
     # appended, so that the streams above keep their numbers (and their draws)
     "missingdetail", "linked", "iro", "csww", "mix", "adoption-years", "exit-years", "mix-other"])}


def stream(seed: int, name: str, *extra: int) -> np.random.Generator:
    """An independent random generator for one part of the simulation."""
    return np.random.default_rng([seed, _TAGS[name], *extra])


@dataclass
class Lives:
    """The whole simulated history of one authority's looked-after children."""

    la_code: str
    ons_code: str
    first_year: int
    last_year: int
    horizon: int
    seed: int
    geo: Geography
    children: dict[str, np.ndarray] = field(default_factory=dict)
    periods: dict[str, np.ndarray] = field(default_factory=dict)
    episodes: dict[str, np.ndarray] = field(default_factory=dict)
    reviews: dict[str, np.ndarray] = field(default_factory=dict)
    missing: dict[str, np.ndarray] = field(default_factory=dict)
    sw: dict[str, np.ndarray] = field(default_factory=dict)
    adoption: dict[str, np.ndarray] = field(default_factory=dict)
    households: dict[str, np.ndarray] = field(default_factory=dict)
    providers: dict[str, np.ndarray] = field(default_factory=dict)



def _age_band(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array([1, 5, 10, 16]), age, side="right")


