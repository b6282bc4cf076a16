"""Builders for the outcome-measure tests (health, care leavers, missing): rows of a hand-made 903.

Dates are written ISO (``2025-04-01``) for readability and turned into the return's dd/mm/yyyy text
cells here.  ``computed`` loads the returns into a new database, computes the named
measures and gives back every figure keyed by (measure, year, breakdown, breakdown value), so a test
can assert exact numerators, denominators and values worked out by hand.
"""

from __future__ import annotations

from careboard.measures.compute import compute_all
from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from fresh_db import fresh

LA = "886"
Rows = dict[str, list[dict[str, str | None]]]
Figure = tuple[float | None, float | None, float | None]  # numerator, denominator, value


def d(iso: str | None) -> str | None:
    """'2025-04-01' -> '01/04/2025' (the 903's date format); None stays blank."""
    if not iso:
        return None
    y, m, day = iso.split("-")
    return f"{day}/{m}/{y}"


def header(child: str, sex: str, dob: str, ethnic: str = "WBRI") -> dict[str, str | None]:
    return {"CHILD": child, "SEX": sex, "DOB": d(dob), "ETHNIC": ethnic}


def episode(child: str, decom: str, rne: str, ls: str, place: str, dec: str | None = None,
            rec: str | None = None, provider: str = "PR1") -> dict[str, str | None]:
    return {"CHILD": child, "DECOM": d(decom), "RNE": rne, "LS": ls, "CIN": "N1", "PLACE": place,
            "PLACE_PROVIDER": provider, "DEC": d(dec), "REC": rec}


def oc2(child: str, dob: str, *, health_assessment: str | None = None, teeth: str | None = None,
        immunisations: str | None = None, substance: str | None = None, convicted: str | None = None,
        health_check: str | None = None, sdq: int | None = None, sdq_reason: str | None = None,
        intervention_received: str | None = None) -> dict[str, str | None]:
    return {"CHILD": child, "DOB": d(dob), "SDQ_SCORE": None if sdq is None else str(sdq),
            "SDQ_REASON": sdq_reason, "CONVICTED": convicted, "HEALTH_CHECK": health_check,
            "IMMUNISATIONS": immunisations, "TEETH_CHECK": teeth, "HEALTH_ASSESSMENT": health_assessment,
            "SUBSTANCE_MISUSE": substance, "INTERVENTION_RECEIVED": intervention_received}


def oc3(child: str, dob: str, in_touch: str | None, activ: str | None, accom: str | None) -> dict[str, str | None]:
    return {"CHILD": child, "DOB": d(dob), "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}


def missing(child: str, dob: str, kind: str, start: str, end: str | None = None) -> dict[str, str | None]:
    return {"CHILD": child, "DOB": d(dob), "MISSING": kind, "MIS_START": d(start), "MIS_END": d(end)}


def computed(returns: dict[int, Rows], ids: list[str]) -> dict[tuple[str, int, str, str], Figure]:
    """Load one return per year (for authority 886), compute ``ids``; figures by key."""
    with fresh() as con:
        load_returns(con, [return_from_rows("ssda903", LA, year, rows) for year, rows in sorted(returns.items())])
        compute_all(con, only=ids)
        rows = con.execute(
            "SELECT measure, year, breakdown, breakdown_value, numerator, denominator, value FROM measure_values"
        ).fetchall()
    return {(m, int(y), b, bv): (num, den, val) for m, y, b, bv, num, den, val in rows}
