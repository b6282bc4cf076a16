"""Build small loaded databases from hand-written care histories, for measure tests."""

from __future__ import annotations

from careboard.measures.compute import compute_all
from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from fresh_db import fresh_database


def child(child_id: str, dob: str, sex: str = "M", ethnic: str = "WBRI") -> dict:
    return {"CHILD": child_id, "SEX": sex, "DOB": dob, "ETHNIC": ethnic, "UPN": "UN1"}


def ep(child_id: str, decom: str, dec: str | None = None, rec: str | None = None, rne: str = "S",
       ls: str = "C2", place: str = "U6", provider: str = "PR1", home: str = "ME14 1XX", pl: str = "ME15 6YY") -> dict:
    return {"CHILD": child_id, "DECOM": decom, "DEC": dec, "REC": rec, "RNE": rne, "LS": ls, "CIN": "N1",
            "PLACE": place, "PLACE_PROVIDER": provider, "HOME_POST": home, "PL_POST": pl}


def database(returns: dict[int, dict[str, list[dict]]], la: str = "886"):
    """A new careboard database holding one return per year given."""
    con = fresh_database()
    load_returns(con, [return_from_rows("ssda903", la, year, tables) for year, tables in returns.items()])
    return con


def values(con, measure: str, la: str = "886", breakdown: str = "all") -> dict:
    """{(year, breakdown_value): (numerator, denominator, value)} for one measure."""
    compute_all(con, only=[measure])
    rows = con.execute(
        "SELECT year, breakdown_value, numerator, denominator, value FROM measure_values "
        "WHERE measure = ? AND la = ? AND breakdown = ?",
        [measure, la, breakdown],
    ).fetchall()
    return {(y, bv): (n, d, v) for y, bv, n, d, v in rows}
