"""The written returns: layout, columns, code lists, annual slicing and episode chains."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, datetime
from pathlib import Path

from synth_helpers import YEARS, read_csv

from careboard.returns.spec import ssda903
from careboard.synth import generate

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # A-Z without I, O, S (DfE UPN guidance)


def label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def upn_ok(upn: str) -> bool:
    """DfE modulus-23 check, written here independently of careboard.synth.upn."""
    if len(upn) != 13:
        return False
    total = 0
    for weight, ch in zip(range(2, 14), upn[1:], strict=True):
        total += weight * (int(ch) if ch.isdigit() else CHECK_LETTERS.index(ch))
    return CHECK_LETTERS[total % 23] == upn[0]


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_upn_check_letter_known_value() -> None:
    from careboard.synth.upn import check_letter

    # 8*2+8*3+6*4+1*5+2*6+3*7+4*8+2*9+0+0+0+1*13 = 165; 165 mod 23 = 4 -> 'E'
    assert check_letter("886123420001") == "E"
    assert upn_ok("E886123420001")
    assert not upn_ok("F886123420001")


def test_same_seed_same_bytes_and_different_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, "886", 60, [2025, 2026], seed=3)
    generate(b, "886", 60, [2025, 2026], seed=3)
    generate(c, "886", 60, [2025, 2026], seed=4)
    assert tree_hash(a) == tree_hash(b)
    assert tree_hash(a) != tree_hash(c)


def test_layout_and_exact_columns(small_authority: Path) -> None:
    spec = ssda903()
    for year in YEARS:
        folder = small_authority / "ssda903" / label(year)
        expected = set(spec.tables_for(year)) - {"DoLo"}
        assert {p.stem for p in folder.glob("*.csv")} == expected
        for name in expected:
            raw = (folder / f"{name}.csv").read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
            first = raw.split(b"\n", 1)[0].decode()
            assert first.split(",") == list(spec.tables[name].column_names)
        cin = small_authority / "cin" / label(year) / f"cin_census_886_{label(year)}.xml"
        assert cin.exists()
    assert "SWEpisodes" not in {p.stem for p in (small_authority / "ssda903" / "2022-23").glob("*.csv")}
    assert (small_authority / "ssda903" / "2023-24" / "SWEpisodes.csv").exists()


CODED = {
    ("Header", "SEX"): "SEX", ("Header", "ETHNIC"): "ETHNIC", ("Episodes", "RNE"): "RNE",
    ("Episodes", "LS"): "LS", ("Episodes", "CIN"): "CIN", ("Episodes", "PLACE"): "PLACE",
    ("Episodes", "PLACE_PROVIDER"): "PLACE_PROVIDER", ("Episodes", "REC"): "REC",
    ("Episodes", "REASON_PLACE_CHANGE"): "REASON_PLACE_CHANGE", ("Reviews", "REVIEW_CODE"): "REVIEW_CODE",
    ("UASC", "SEX"): "SEX", ("Missing", "MISSING"): "MISSING", ("OC3", "IN_TOUCH"): "IN_TOUCH",
    ("OC3", "ACTIV"): "ACTIV", ("OC3", "ACCOM"): "ACCOM", ("OC2", "SDQ_REASON"): "SDQ_REASON",
    ("PrevPerm", "PREV_PERM"): "PREV_PERM", ("SWEpisodes", "SW_REASON"): "SW_REASON",
    ("AD1", "SEX_ADOPTR"): "SEX_ADOPTR", ("AD1", "LS_ADOPTR"): "LS_ADOPTR",
}


def test_codes_valid_for_each_year(small_authority: Path) -> None:
    spec = ssda903()
    for year in YEARS:
        folder = small_authority / "ssda903" / label(year)
        for (table, column), list_name in CODED.items():
            path = folder / f"{table}.csv"
            if not path.exists():
                continue
            valid = set(spec.codes(list_name, year))
            bad = {r[column] for r in read_csv(path) if r[column] and r[column] not in valid}
            assert not bad, f"{year} {table}.{column}: {bad}"
    # the code changes themselves are exercised
    places = {y: {r["PLACE"] for r in read_csv(small_authority / "ssda903" / label(y) / "Episodes.csv")}
              for y in YEARS}
    assert "K3" in places[2025] | places[2026]
    assert "H5" in places[2020] | places[2021]
    assert {"Z11", "Z12", "Z13", "Z14"} & places[2026]
    # an episode open across a code change keeps its start date and is reported with the new code
    # (DfE rule 503D's H5 -> K3 and Z1 -> Z11-Z14 exceptions)
    open_2025 = {(r["CHILD"], r["DECOM"]): r["PLACE"]
                 for r in read_csv(small_authority / "ssda903" / "2024-25" / "Episodes.csv") if not r["DEC"]}
    in_2026 = {(r["CHILD"], r["DECOM"]): r["PLACE"]
               for r in read_csv(small_authority / "ssda903" / "2025-26" / "Episodes.csv")}
    recoded = [(k, old, in_2026[k]) for k, old in open_2025.items() if old == "Z1"]
    assert recoded and all(new in {"Z11", "Z12", "Z13", "Z14"} for _, _, new in recoded)
    sexes = {r["SEX"] for r in read_csv(small_authority / "ssda903" / "2025-26" / "Header.csv")}
    assert sexes <= {"M", "F", "U"}


def _all_episodes(root: Path) -> dict[int, list[dict[str, str]]]:
    return {y: read_csv(root / "ssda903" / label(y) / "Episodes.csv") for y in YEARS}


def test_each_year_holds_the_children_with_an_episode_in_it(small_authority: Path) -> None:
    eps = _all_episodes(small_authority)
    # the latest known version of every episode (closed versions win)
    known: dict[tuple[str, str], str] = {}
    for y in YEARS:
        for r in eps[y]:
            key = (r["CHILD"], r["DECOM"])
            if r["DEC"] or key not in known:
                known[key] = r["DEC"]
    for y in YEARS:
        start, end = date(y - 1, 4, 1), date(y, 3, 31)
        expected = {c for (c, decom), dec in known.items()
                    if d(decom) <= end and (not dec or d(dec) >= start)}
        got = {r["CHILD"] for r in eps[y]}
        assert got == expected, y
        header = {r["CHILD"] for r in read_csv(small_authority / "ssda903" / label(y) / "Header.csv")}
        oc3 = {r["CHILD"] for r in read_csv(small_authority / "ssda903" / label(y) / "OC3.csv")}
        assert header == got | oc3


def test_open_episodes_blank_and_carried_into_next_year(small_authority: Path) -> None:
    eps = _all_episodes(small_authority)
    for y in YEARS:
        end = date(y, 3, 31)
        for r in eps[y]:
            assert bool(r["DEC"]) == bool(r["REC"])
            if r["DEC"]:
                assert d(r["DEC"]) <= end
            else:
                assert not r["REASON_PLACE_CHANGE"]
        if y < YEARS[-1]:
            nxt = {(r["CHILD"], r["DECOM"]) for r in eps[y + 1]}
            for r in eps[y]:
                if not r["DEC"]:
                    assert (r["CHILD"], r["DECOM"]) in nxt


def test_episode_chains(small_authority: Path) -> None:
    for y, rows in _all_episodes(small_authority).items():
        by_child: dict[str, list[dict[str, str]]] = {}
        for r in rows:
            by_child.setdefault(r["CHILD"], []).append(r)
        for child, rs in by_child.items():
            rs.sort(key=lambda r: d(r["DECOM"]))
            for a, b in itertools.pairwise(rs):
                assert a["DEC"], (y, child)
                assert d(a["DEC"]) > d(a["DECOM"])
                assert d(b["DECOM"]) >= d(a["DEC"]), f"overlap {y} {child}"
                if a["REC"] == "X1":
                    assert b["DECOM"] == a["DEC"] and b["RNE"] != "S", (y, child)
                else:
                    assert d(b["DECOM"]) > d(a["DEC"]) and b["RNE"] == "S", (y, child)


def test_upns_and_postcodes(small_authority: Path) -> None:
    import re

    pattern = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
    for y in YEARS:
        header = read_csv(small_authority / "ssda903" / label(y) / "Header.csv")
        real = [r["UPN"] for r in header if not r["UPN"].startswith("UN")]
        assert real and all(upn_ok(u) for u in real)
        for r in read_csv(small_authority / "ssda903" / label(y) / "Episodes.csv"):
            for col in ("HOME_POST", "PL_POST"):
                assert not r[col] or pattern.match(r[col]), r[col]


def test_care_ends_by_the_18th_birthday(small_authority: Path) -> None:
    # An episode open at 31 March belongs to a child under 18 then (a child coming into care aged 18
    # once left an episode open for ever), and no episode ends before it starts.
    for y in YEARS:
        folder = small_authority / "ssda903" / label(y)
        dob = {r["CHILD"]: d(r["DOB"]) for r in read_csv(folder / "Header.csv")}
        for r in read_csv(folder / "Episodes.csv"):
            born = dob[r["CHILD"]]
            if not r["DEC"]:
                assert date(born.year + 18, born.month, min(born.day, 28)) > date(y, 3, 31), r
            else:
                assert d(r["DEC"]) >= d(r["DECOM"]), r


def test_a_child_keeps_the_same_upn(small_authority: Path) -> None:
    # DfE rule 208: a real UPN never changes between returns, care leavers included; the only change
    # is from UN1 (under 5) to the child's real UPN.
    changed = 0
    for y in YEARS[1:]:
        before = {r["CHILD"]: r["UPN"] for r in read_csv(small_authority / "ssda903" / label(y - 1) / "Header.csv")}
        for r in read_csv(small_authority / "ssda903" / label(y) / "Header.csv"):
            old = before.get(r["CHILD"])
            if old is not None and old != r["UPN"]:
                assert old == "UN1" and upn_ok(r["UPN"]), (y, r["CHILD"], old, r["UPN"])
                changed += 1
    assert changed  # children who turned 5 in care


def test_cin_children_who_enter_care_were_referred_first(small_authority: Path) -> None:
    from lxml import etree

    for y in (2021, 2026):
        tree = etree.parse(str(small_authority / "cin" / label(y) / f"cin_census_886_{label(y)}.xml"))
        assert tree.findtext("Header/CollectionDetails/ReferenceDate") == f"{y}-03-31"
        assert tree.findtext("Header/Source/LEA") == "886"
        referrals: dict[str, list[date]] = {}
        for child in tree.iterfind("Children/Child"):
            cid = child.findtext("ChildIdentifiers/LAchildID")
            for ref in child.iterfind("CINdetails/CINreferralDate"):
                referrals.setdefault(cid, []).append(date.fromisoformat(ref.text))
        starters = [r for r in read_csv(small_authority / "ssda903" / label(y) / "Episodes.csv") if r["RNE"] == "S"]
        assert starters
        for r in starters:
            assert r["CHILD"] in referrals
            assert min(referrals[r["CHILD"]]) <= d(r["DECOM"])
        assert len(referrals) > 3 * len(starters)  # most children in need never enter care


def test_cin_validates_against_the_schema(small_authority: Path) -> None:
    from lxml import etree

    xsd_dir = Path(__file__).resolve().parents[1] / "data" / "samples" / "schemas" / "cin_xsd"
    for y in (2021, 2024, 2025, 2026):
        schema = etree.XMLSchema(etree.parse(str(xsd_dir / f"CIN_schema_{y}.xsd")))
        doc = etree.parse(str(small_authority / "cin" / label(y) / f"cin_census_886_{label(y)}.xml"))
        assert schema.validate(doc), schema.error_log.last_error


def test_errors_manifest_points_at_the_bad_values(with_errors: Path) -> None:
    manifest = read_csv(with_errors / "errors_manifest.csv")
    assert len(manifest) > 20
    assert len({m["rule"] for m in manifest}) >= 15
    for m in manifest:
        rows = read_csv(with_errors / "ssda903" / label(int(m["year"])) / f"{m['table']}.csv")
        row = rows[int(m["line"]) - 1]
        assert row["CHILD"] == m["child"]
        assert row[m["column"]] == m["value"]


def test_extracts(small_authority: Path) -> None:
    folder = small_authority / "extracts"
    names = {p.name for p in folder.glob("*.csv")}
    assert names == {"iro_allocations.csv", "foster_households.csv", "placement_capacity.csv", "unit_costs.csv",
                     "missing_detail.csv", "cin_addresses.csv"}
    households = read_csv(folder / "foster_households.csv")
    assert all(int(h["APPROVED_PLACES"]) >= int(h["OCCUPIED_AT_REFERENCE"]) for h in households)
    # the in-house placements open at the end use the households' postcodes
    last = read_csv(small_authority / "ssda903" / "2025-26" / "Episodes.csv")
    inhouse = {r["PL_POST"] for r in last
               if not r["DEC"] and r["PLACE"] in ("U4", "U6") and r["PLACE_PROVIDER"] == "PR1"}
    assert inhouse and inhouse <= {h["POSTCODE"] for h in households}
    costs = read_csv(folder / "unit_costs.csv")
    assert all(c["ILLUSTRATIVE"] == "1" for c in costs)


def test_xml_layout(tmp_path: Path) -> None:
    generate(tmp_path, "886", 40, [2026], seed=2, fmt="xml")
    path = tmp_path / "886" / "ssda903" / "2025-26" / "ssda903_886_2025-26.xml"
    assert path.exists() and b"<EXPSSDA903" in path.read_bytes()[:200]


def test_postcode_fallback_uses_real_sectors() -> None:
    """Without the ONSPD package the bundled sector file gives real sectors with made-up units."""
    import csv
    from importlib import resources

    from careboard.synth.postcodes import Geography, load_postcodes

    table = load_postcodes(prefer_package=False)
    assert table.source == "sectors"
    path = resources.files("careboard.reference") / "data" / "postcode_sector_centroids.csv"
    with path.open(encoding="utf-8") as f:
        sectors = {r["pcd_sector"] for r in csv.DictReader(f)}
    geo = Geography(table, "E10000016")
    import numpy as np

    homes = table.text(geo.random_inside(50, np.random.default_rng(0)))
    assert all(h[:-2] in sectors and len(h.split()[1]) == 3 for h in homes)
