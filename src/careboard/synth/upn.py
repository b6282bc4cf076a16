"""Unique pupil numbers (UPNs) with the DfE check letter.

A UPN is a check letter followed by 12 characters: the 3-digit LA number, a 4-digit establishment
number, the 2-digit year of allocation and a 3-digit serial.  The check letter is DfE's published
modulus-23 check: each of the 12 characters is weighted 2..13 by position, the weighted sum is taken
modulo 23 and looked up in the 23 letters A-Z without I, O and S.
"""

from __future__ import annotations

import numpy as np

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
WEIGHTS = np.arange(2, 14)


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (digits; a final letter counts by its table index)."""
    if len(body) != 12:
        raise ValueError("a UPN body has 12 characters")
    values = [int(c) if c.isdigit() else CHECK_LETTERS.index(c.upper()) for c in body]
    return CHECK_LETTERS[int(np.dot(values, WEIGHTS)) % 23]


def make_upns(la_code: str, year_allocated: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Distinct, valid UPNs for pupils first registered in ``year_allocated`` (calendar years)."""
    n = len(year_allocated)
    # establishment (4 digits) and serial (3 digits) drawn without replacement so no two pupils share
    # a UPN (rule 444 'duplicate UPN').
    space = 9000 * 1000
    picks = rng.choice(space, size=n, replace=False) if n <= space else rng.integers(0, space, n)
    est = 1000 + picks // 1000
    serial = picks % 1000
    yy = np.asarray(year_allocated) % 100
    bodies = np.array(
        [f"{la_code}{e:04d}{y:02d}{s:03d}" for e, y, s in zip(est.tolist(), yy.tolist(), serial.tolist(), strict=True)],
        dtype=object,
    )
    digits = np.frombuffer("".join(bodies.tolist()).encode("ascii"), dtype=np.uint8).reshape(n, 12) - 48
    letters = np.frombuffer(CHECK_LETTERS.encode("ascii"), dtype=np.uint8)
    check = letters[(digits.astype(np.int64) @ WEIGHTS) % 23]
    return np.array([chr(c) + b for c, b in zip(check.tolist(), bodies.tolist(), strict=True)], dtype=object)
