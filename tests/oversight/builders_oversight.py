"""Hand-built returns and extracts for the oversight tests: every expected figure is worked out by hand."""

from __future__ import annotations

from careboard.returns.reader import return_from_rows
from careboard.store import db as store_db
from careboard.store.load import load_returns
from fresh_db import fresh_database


def child(child_id: str, dob: str, sex: str = "M") -> dict:
    return {"CHILD": child_id, "SEX": sex, "DOB": dob, "ETHNIC": "WBRI", "UPN": "UN1"}


def episode(child_id: str, decom: str, place: str = "U4", provider: str = "PR1", home: str = "ME14 1XX",
            pl: str = "ME15 6YY", urn: str = "SC100001", dec: str | None = None, rec: str | None = None,
            rne: str = "S") -> dict:
    return {"CHILD": child_id, "DECOM": decom, "DEC": dec, "REC": rec, "RNE": rne, "LS": "C2", "CIN": "N1",
            "PLACE": place, "PLACE_PROVIDER": provider, "HOME_POST": home, "PL_POST": pl, "URN": urn}


def review(child_id: str, dob: str, day: str, code: str = "PN1") -> dict:
    return {"CHILD": child_id, "DOB": dob, "REVIEW": day, "REVIEW_CODE": code}


def iro_row(child_id: str, period_start: str, review_day: str | None, iro: str, allocated: str,
            base: str | None = None, fte: str | None = None, due: str | None = None) -> dict:
    return {"CHILD": child_id, "PERIOD_START": period_start, "REVIEW_DATE": review_day, "REVIEW_DUE": due,
            "IRO_ID": iro, "IRO_ALLOCATED": allocated, "IRO_BASE_POSTCODE": base, "IRO_FTE": fte}


def missing_row(child_id: str, dob: str, start: str, end: str | None, kind: str = "M") -> dict:
    return {"CHILD": child_id, "DOB": dob, "MISSING": kind, "MIS_START": start, "MIS_END": end}


def detail(child_id: str, start: str, end: str | None, found: str = "police", found_postcode: str | None = None,
           start_time: str | None = None, end_time: str | None = None, offered: str = "1", accepted: str = "0",
           offered_date: str | None = None, cse: str = "0", cce: str = "0", trafficking: str = "0",
           kind: str = "M", place: str = "K2") -> dict:
    return {"CHILD": child_id, "MISSING": kind, "MIS_START": start, "MIS_END": end, "PLACE": place,
            "RHI_OFFERED": offered, "RHI_ACCEPTED": accepted, "WHERE_FOUND": found, "MIS_START_TIME": start_time,
            "MIS_END_TIME": end_time, "FOUND_POSTCODE": found_postcode, "RHI_OFFERED_DATE": offered_date,
            "RISK_CSE": cse, "RISK_CCE": cce, "RISK_TRAFFICKING": trafficking}


def database(returns: dict[int, dict[str, list[dict]]], extracts: dict[int, dict[str, list[dict]]] | None = None,
             la: str = "886", path: str = ":memory:"):
    """A careboard database (in memory unless ``path``) holding the 903 returns and extracts given, by year.

    A database file is refreshed after its load, as every load is (careboard.refresh), so commands
    that read it find its figures current; an in-memory one is left for the test to compute what it needs.
    """
    con = fresh_database() if path == ":memory:" else store_db.connect(path)
    parsed = [return_from_rows("ssda903", la, year, tables) for year, tables in returns.items()]
    parsed += [return_from_rows("extract", la, year, tables) for year, tables in (extracts or {}).items()]
    load_returns(con, parsed)
    if path != ":memory:":
        from careboard.refresh import refresh

        refresh(con, path)
    return con


def measure(con, measure_id: str, la: str = "886") -> dict:
    """{year: (numerator, denominator, value)} for a measure's headline."""
    from careboard.measures.compute import compute_all

    compute_all(con, only=[measure_id])
    rows = con.execute(
        "SELECT year, numerator, denominator, value FROM measure_values WHERE measure = ? AND la = ? "
        "AND breakdown = 'all'", [measure_id, la]).fetchall()
    return {y: (n, d, v) for y, n, d, v in rows}
