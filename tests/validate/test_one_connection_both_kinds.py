"""One connection checks an SSDA903 return, then a CIN census, then the SSDA903 again (issue 17).

The SSDA903 context builds its per-return objects (``header``, ``row_lines`` ...) as TEMP tables,
once per run, while the CIN census context makes views of the same names; ``validate_loaded_all``
(the demo, ``careboard validate --la --year``) checks both kinds on one connection, and each run must
find what a run on a fresh connection finds.
"""

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from careboard.validate.ruleset import CIN, SSDA903
from fresh_db import fresh_database

HEADER = [{"CHILD": "1", "SEX": "M", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "A886000000001"},
          {"CHILD": "2", "SEX": "9", "DOB": "01/01/2013", "ETHNIC": "WBRI", "UPN": "A886000000002"}]
EPISODES = [{"CHILD": c, "DECOM": "01/05/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
             "PLACE_PROVIDER": "PR1", "HOME_POST": "ME14 1AE", "PL_POST": "ME1 3AP"} for c in ("1", "2")]
CHILD = [{"LAchildID": "1", "PersonBirthDate": "2015-01-01", "Sex": "M", "Ethnicity": "WBRI"}]
CIN_EPISODE = [{"LAchildID": "1", "EpisodeNo": "1", "CINreferralDate": "2025-05-01", "ReferralSource": "1A",
                "PrimaryNeedCode": "N1", "ReferralNFA": "0"}]


def findings(result) -> list[tuple]:
    return sorted((r["rule"], r["tbl"], r["source_row"]) for r in result.findings.to_pylist())


def test_ssda903_then_cin_then_ssda903_on_one_connection():
    con = fresh_database()
    census = return_from_rows("cin", "886", 2026, {"Child": CHILD, "CINEpisode": CIN_EPISODE}, strict=False)
    census.header = {"Collection": "CIN", "Year": "2026", "ReferenceDate": "2026-03-31", "LEA": "886"}
    returns = [return_from_rows("ssda903", "886", 2026, {"Header": HEADER, "Episodes": EPISODES}, strict=False),
               census]
    ids = {o.ret.kind: o.load_id for o in load_returns(con, returns)}
    first = run_rules(con, ids["ssda903"], 2026, "886", ruleset=SSDA903)
    cin = run_rules(con, ids["cin"], 2026, "886", ruleset=CIN, ssda903_load_id=ids["ssda903"])
    again = run_rules(con, ids["ssda903"], 2026, "886", ruleset=SSDA903)
    assert ("101", "Header", 2) in findings(first)  # SEX 9 is not a valid code
    assert ("101", "Header", 1) not in findings(first)
    assert findings(again) == findings(first)
    assert cin.rules_run and findings(run_rules(con, ids["cin"], 2026, "886", ruleset=CIN,
                                                ssda903_load_id=ids["ssda903"])) == findings(cin)
    con.close()
