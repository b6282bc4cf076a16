"""The SSDA903 XML reader and writer, against the D2I fake return, CLA.xsd and hand-made files.

Expected values come from the sample files themselves (counted here with lxml XPath), from the
samples README, or from tables written out by hand in this file, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from lxml import etree

from careboard.returns.conform import conform
from careboard.returns.issues import ReturnError
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.spec import ssda903
from careboard.returns.xml903 import read_ssda903_xml, write_ssda903_xml
from sample_files import sample

FAKE_903 = "903_d2i_fake/fake_903.xml"
CLA_XSD = "schemas/903_xsd/CLA.xsd"


def _need(relative: str) -> Path:
    return sample(relative)


def _read_bytes(data: bytes, name: str = "test.xml"):
    return read_ssda903_xml(SourceFile(Path(name), data))


def _by_name(tables: list[RawTable]) -> dict[str, RawTable]:
    names = [t.table for t in tables]
    assert len(names) == len(set(names)), names
    return {t.table: t for t in tables}


def _cells(raw: RawTable) -> list[dict[str, str | None]]:
    columns = {c: a.to_pylist() for c, a in raw.columns.items()}
    return [{c: columns[c][i] for c in columns} for i in range(raw.num_rows)]


# ---------------------------------------------------------------------------------------------
# The D2I fake return


@pytest.fixture(scope="module")
def fake():
    path = _need(FAKE_903)
    tree = etree.parse(str(path))
    return read_ssda903_xml(SourceFile.read(path)), tree


def _count(tree, xpath: str) -> int:
    return int(tree.xpath(f"count({xpath})"))


def test_fake_counts_match_an_independent_xpath_count(fake):
    result, tree = fake
    tables = _by_name(result.tables)
    expected = {
        "Header": _count(tree, "/EXPSSDA903/CHILD"),
        "Episodes": _count(tree, "/EXPSSDA903/CHILD/EPISODE"),
        "Reviews": _count(tree, "/EXPSSDA903/CHILD/HEADER/AREVIEW"),
        "Missing": _count(tree, "/EXPSSDA903/CHILD/HEADER/AMISSING"),
        "PlacedAdoption": _count(tree, "/EXPSSDA903/CHILD/HEADER/AD_PLACED"),
        "PrevPerm": _count(tree, "/EXPSSDA903/CHILD/HEADER/PERMANENCE"),
        "OC2": _count(tree, "/EXPSSDA903/CHILD/HEADER/OC2"),
        "UASC": _count(tree, "/EXPSSDA903/CHILD/HEADER[normalize-space(UASC) or normalize-space(DUC)]"),
        "OC3": _count(
            tree,
            "/EXPSSDA903/CHILD/HEADER"
            "[normalize-space(IN_TOUCH) or normalize-space(ACTIV) or normalize-space(ACCOM)]",
        ),
        "AD1": _count(
            tree,
            "/EXPSSDA903/CHILD/HEADER[normalize-space(DATE_INT) or normalize-space(DATE_MATCH)"
            " or normalize-space(FOSTER_CARE) or normalize-space(NB_ADOPTR)"
            " or normalize-space(SEX_ADOPTR) or normalize-space(LS_ADOPTR)]",
        ),
    }
    # The samples README's own counts, so that a wrong XPath above cannot hide a wrong reader.
    assert (expected["Header"], expected["Episodes"], expected["Reviews"]) == (253, 459, 1206)
    assert {name: t.num_rows for name, t in tables.items()} == expected
    assert expected["UASC"] == 12 and expected["OC3"] == 6 and expected["AD1"] == 3
    assert result.warnings == []
    # CLA.xsd's header has no LA code or collection year.
    assert result.la_code is None and result.year is None


def test_fake_every_table_has_exactly_the_spec_columns(fake):
    result, _tree = fake
    spec_tables = ssda903().tables
    for raw in result.tables:
        assert tuple(raw.columns) == spec_tables[raw.table].column_names, raw.table
        for name, array in raw.columns.items():
            assert array.type == pa.string(), (raw.table, name)
            assert len(array) == raw.num_rows
        assert raw.rows.type == pa.int32()
        assert raw.rows.to_pylist() == list(range(1, raw.num_rows + 1))
        assert raw.lines is not None and raw.lines.type == pa.int32()
        # The declaration is on line 1 and the whole body on line 2.
        assert set(raw.lines.to_pylist()) == {2}


def test_fake_pl_becomes_place_and_cells_are_text_as_found(fake):
    result, tree = fake
    episodes = _by_name(result.tables)["Episodes"]
    assert "PL" not in episodes.columns
    assert episodes.columns["PLACE"].to_pylist() == [e.text for e in tree.iterfind("CHILD/EPISODE/PL")]
    assert episodes.columns["CHILD"].to_pylist() == [
        e.getparent().findtext("HEADER/CHILDID") for e in tree.iterfind("CHILD/EPISODE")
    ]
    # First child in the file, read by eye: 907440, two episodes, R5 then P2; <DEC /> is absent.
    first = _cells(episodes)[0]
    assert first["CHILD"] == "907440" and first["DECOM"] == "06/01/2017" and first["PLACE"] == "R5"
    assert first["HOME_POST"] == "B15 8PZ" and first["PL_POST"] == "E7 5YR" and first["URN"] == "1465167"
    assert _cells(episodes)[1]["REASON_PLACE_CHANGE"] is None  # <REASON_PLACE_CHANGE />
    empty_dec = _count(tree, "/EXPSSDA903/CHILD/EPISODE[not(normalize-space(DEC))]")
    assert episodes.columns["DEC"].null_count == empty_dec > 0


def test_fake_child_level_fields_are_copied_onto_each_row(fake):
    result, tree = fake
    tables = _by_name(result.tables)
    reviews = tables["Reviews"]
    areviews = list(tree.iterfind("CHILD/HEADER/AREVIEW"))
    assert reviews.columns["CHILD"].to_pylist() == [r.getparent().findtext("CHILDID") for r in areviews]
    assert reviews.columns["DOB"].to_pylist() == [r.getparent().findtext("DOB") for r in areviews]
    assert reviews.columns["REVIEW_CODE"].to_pylist() == [r.findtext("REVIEW_CODE") for r in areviews]
    uasc_heads = [h for h in tree.iterfind("CHILD/HEADER") if (h.findtext("DUC") or "").strip()]
    uasc = tables["UASC"]
    assert uasc.columns["SEX"].to_pylist() == [h.findtext("SEX") for h in uasc_heads]
    assert uasc.columns["DUC"].to_pylist() == [h.findtext("DUC") for h in uasc_heads]
    oc3_heads = [h for h in tree.iterfind("CHILD/HEADER") if (h.findtext("IN_TOUCH") or "").strip()]
    assert tables["OC3"].columns["IN_TOUCH"].to_pylist() == [h.findtext("IN_TOUCH") for h in oc3_heads]


def test_fake_conforms_to_typed_dates(fake):
    result, _tree = fake
    tables = _by_name(result.tables)
    spec_tables = ssda903().tables
    header = conform(tables["Header"], spec_tables["Header"], 0)
    episodes = conform(tables["Episodes"], spec_tables["Episodes"], 0)
    assert header.errors == [] and episodes.errors == []
    assert header.table.schema.field("DOB").type == pa.date32()
    assert episodes.table.schema.field("DECOM").type == pa.date32()
    assert header.table.column("DOB")[0].as_py() == dt.date(2010, 7, 28)
    assert episodes.table.column("DECOM")[0].as_py() == dt.date(2017, 1, 6)
    for name, raw in tables.items():
        assert conform(raw, spec_tables[name], 0).table.num_rows == raw.num_rows


# ---------------------------------------------------------------------------------------------
# Round trip and schema


HEADER = [
    {"CHILD": "C1", "SEX": "1", "DOB": "01/02/2010", "ETHNIC": "WBRI", "UPN": "A123456789012",
     "MOTHER": "0", "MC_DOB": None},
    {"CHILD": "C2", "SEX": "2", "DOB": "15/11/2006", "ETHNIC": "BAFR", "UPN": None,
     "MOTHER": "1", "MC_DOB": "03/03/2024"},
    {"CHILD": "C3", "SEX": "1", "DOB": "30/06/2004", "ETHNIC": "MOTH", "UPN": "UN1",
     "MOTHER": None, "MC_DOB": None},
]
DOB = {h["CHILD"]: h["DOB"] for h in HEADER}
SEX = {h["CHILD"]: h["SEX"] for h in HEADER}
EPISODES = [
    {"CHILD": "C1", "DECOM": "01/04/2023", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
     "PLACE_PROVIDER": "PR1", "DEC": "02/05/2023", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL",
     "HOME_POST": "AB1 2CD", "PL_POST": "AB3 4EF", "URN": "SC123456"},
    {"CHILD": "C1", "DECOM": "02/05/2023", "RNE": "P", "LS": "C2", "CIN": "N1", "PLACE": "K2",
     "PLACE_PROVIDER": "PR4", "DEC": None, "REC": None, "REASON_PLACE_CHANGE": None,
     "HOME_POST": "AB1 2CD", "PL_POST": None, "URN": None},
    {"CHILD": "C3", "DECOM": "10/10/2022", "RNE": "S", "LS": "V2", "CIN": "N4", "PLACE": "P1",
     "PLACE_PROVIDER": "PR0", "DEC": "01/01/2024", "REC": "E13", "REASON_PLACE_CHANGE": None,
     "HOME_POST": None, "PL_POST": None, "URN": None},
]
REVIEWS = [
    {"CHILD": "C1", "DOB": DOB["C1"], "REVIEW": "20/04/2023", "REVIEW_CODE": "PN1"},
    {"CHILD": "C1", "DOB": DOB["C1"], "REVIEW": "20/10/2023", "REVIEW_CODE": "PN0"},
    {"CHILD": "C3", "DOB": DOB["C3"], "REVIEW": "01/12/2022", "REVIEW_CODE": "PN7"},
]
UASC = [{"CHILD": "C2", "SEX": SEX["C2"], "DOB": DOB["C2"], "DUC": "15/11/2024"}]
OC2 = [
    {"CHILD": "C1", "DOB": DOB["C1"], "SDQ_SCORE": "17", "SDQ_REASON": None, "CONVICTED": "0",
     "HEALTH_CHECK": "1", "IMMUNISATIONS": "1", "TEETH_CHECK": "0", "HEALTH_ASSESSMENT": "1",
     "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": None, "INTERVENTION_OFFERED": None},
]
OC3 = [{"CHILD": "C3", "DOB": DOB["C3"], "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "B1"}]
AD1 = [
    {"CHILD": "C2", "DOB": DOB["C2"], "DATE_INT": "01/06/2023", "DATE_MATCH": "01/07/2023",
     "FOSTER_CARE": "0", "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"},
]
PLACED = [
    {"CHILD": "C2", "DOB": DOB["C2"], "DATE_PLACED": "01/05/2023", "DATE_PLACED_CEASED": None,
     "REASON_PLACED_CEASED": None},
]
PREV_PERM = [
    {"CHILD": "C1", "DOB": DOB["C1"], "PREV_PERM": "Z1", "LA_PERM": None, "DATE_PERM": None},
    {"CHILD": "C3", "DOB": DOB["C3"], "PREV_PERM": "P1", "LA_PERM": "301", "DATE_PERM": "zz/05/2015"},
]
MISSING = [
    {"CHILD": "C1", "DOB": DOB["C1"], "MISSING": "M", "MIS_START": "03/06/2023", "MIS_END": "04/06/2023"},
    {"CHILD": "C1", "DOB": DOB["C1"], "MISSING": "A", "MIS_START": "09/09/2023", "MIS_END": None},
]
SW_EPISODES = [
    {"CHILD": "C1", "DOB": DOB["C1"], "SW_ID": "SW0001", "SW_DECOM": "01/04/2023", "SW_DEC": "01/09/2023",
     "SW_REASON": "LEFTRL"},
    {"CHILD": "C1", "DOB": DOB["C1"], "SW_ID": "SW0002", "SW_DECOM": "01/09/2023", "SW_DEC": None,
     "SW_REASON": None},
]
DOLO = [{"CHILD": "C3", "DOB": DOB["C3"], "DOLO_START": "01/02/2023", "DOLO_END": "01/08/2023"}]

XSD_TABLES = {
    "Header": HEADER, "Episodes": EPISODES, "Reviews": REVIEWS, "UASC": UASC, "OC2": OC2,
    "OC3": OC3, "AD1": AD1, "PlacedAdoption": PLACED, "PrevPerm": PREV_PERM, "Missing": MISSING,
}
ALL_TABLES = {**XSD_TABLES, "SWEpisodes": SW_EPISODES, "DoLo": DOLO}


def test_round_trip_gives_back_the_same_cells(tmp_path):
    path = tmp_path / "round.xml"
    write_ssda903_xml(ALL_TABLES, path)
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    result = read_ssda903_xml(SourceFile.read(path))
    assert result.warnings == []
    tables = _by_name(result.tables)
    assert set(tables) == set(ALL_TABLES)
    for name, rows in ALL_TABLES.items():
        assert _cells(tables[name]) == rows, name
    # Pretty-printed: each episode record knows the line it starts on.
    lines = path.read_text("utf-8").splitlines()
    for line in tables["Episodes"].lines.to_pylist():
        assert lines[line - 1].strip() == "<EPISODE>"


def test_writer_takes_arrow_tables_of_strings(tmp_path):
    from_dicts, from_arrow = tmp_path / "dicts.xml", tmp_path / "arrow.xml"
    write_ssda903_xml(ALL_TABLES, from_dicts)
    arrow = {
        name: pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in rows[0]})
        for name, rows in ALL_TABLES.items()
    }
    write_ssda903_xml(arrow, from_arrow)
    assert from_arrow.read_bytes() == from_dicts.read_bytes()


def test_written_file_validates_against_cla_xsd(tmp_path):
    schema = etree.XMLSchema(etree.parse(str(_need(CLA_XSD))))
    path = tmp_path / "valid.xml"
    write_ssda903_xml(XSD_TABLES, path)
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    # The D2I fake validates too (README), so the schema check itself is meaningful.
    assert schema.validate(etree.parse(str(_need(FAKE_903))))
    # And a file in the wrong order does not.
    head = document.find("CHILD/HEADER")
    head.append(head.find("DOB"))
    assert not schema.validate(document)


def test_writer_refuses_rows_for_a_child_not_in_the_header(tmp_path):
    tables = {"Header": HEADER, "Reviews": [{**REVIEWS[0], "CHILD": "NOBODY"}]}
    with pytest.raises(ValueError, match="NOBODY"):
        write_ssda903_xml(tables, tmp_path / "x.xml")
    with pytest.raises(ValueError, match="PLACEMENT"):
        write_ssda903_xml({"Header": HEADER, "Episodes": [{**EPISODES[0], "PLACEMENT": "U4"}]},
                          tmp_path / "y.xml")


# ---------------------------------------------------------------------------------------------
# Safety and malformed input


def test_entity_bomb_is_refused():
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [\n <!ENTITY a "aaaaaaaaaa">\n'
        b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        b']>\n<EXPSSDA903><CHILD><HEADER><CHILDID>&c;</CHILDID></HEADER></CHILD></EXPSSDA903>'
    )
    with pytest.raises(ReturnError) as caught:
        _read_bytes(bomb)
    assert "DOCTYPE" in str(caught.value)
    assert caught.value.errors[0].line == 2


def test_external_entity_is_refused_and_never_read():
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>&x;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    with pytest.raises(ReturnError) as caught:
        _read_bytes(xxe)
    assert "root:" not in str(caught.value)
    assert "DOCTYPE" in str(caught.value)


def test_malformed_xml_error_carries_the_line():
    data = b"<?xml version='1.0'?>\n<EXPSSDA903>\n<CHILD>\n<HEADER>\n</CHILD>\n</EXPSSDA903>\n"
    with pytest.raises(ReturnError) as caught:
        _read_bytes(data, "broken.xml")
    error = caught.value.errors[0]
    assert error.line == 5
    assert error.file == "broken.xml"
    assert "well-formed" in error.message


def test_wrong_root_is_refused_saying_what_was_found():
    data = b"<?xml version='1.0'?>\n<Message><Header/></Message>"
    with pytest.raises(ReturnError) as caught:
        _read_bytes(data)
    error = caught.value.errors[0]
    assert error.value == "Message"
    assert "EXPSSDA903" in error.expected
    assert "<Message>" in error.message


def test_child_without_childid_is_refused_naming_the_record():
    data = (
        b"<EXPSSDA903>\n"
        b"<CHILD><HEADER><CHILDID>1</CHILDID><DOB>01/01/2010</DOB></HEADER></CHILD>\n"
        b"<CHILD><HEADER><CHILDID> </CHILDID><DOB>01/01/2011</DOB></HEADER></CHILD>\n"
        b"<CHILD><EPISODE><DECOM>01/01/2020</DECOM></EPISODE></CHILD>\n"
        b"</EXPSSDA903>"
    )
    with pytest.raises(ReturnError) as caught:
        _read_bytes(data)
    errors = caught.value.errors
    assert [(e.row, e.line, e.field) for e in errors] == [(2, 3, "CHILDID"), (3, 4, "CHILDID")]
    assert "CHILD record 2" in errors[0].message


# ---------------------------------------------------------------------------------------------
# Structure: unknown, misplaced, repeated and newer elements


def test_unknown_elements_are_warned_with_record_and_line_and_still_read():
    data = (
        b"<EXPSSDA903>\n"
        b"<CHILD><HEADER><CHILDID>A</CHILDID><DOB>01/01/2010</DOB></HEADER></CHILD>\n"
        b"<CHILD>\n<HEADER><CHILDID>B</CHILDID><DOB>02/02/2012</DOB>\n<NICKNAME>Bee</NICKNAME>\n"
        b"</HEADER>\n<EPISODE><DECOM>01/01/2020</DECOM><PL>U4</PL>\n<COLOUR>red</COLOUR></EPISODE>\n"
        b"<EPISODE><DECOM>02/01/2020</DECOM><COLOUR>blue</COLOUR></EPISODE>\n"
        b"</CHILD>\n<FOOTER/>\n</EXPSSDA903>"
    )
    result = _read_bytes(data)
    warnings = {w.field: w for w in result.warnings}
    assert set(warnings) == {"NICKNAME", "COLOUR", "FOOTER"}
    nickname = warnings["NICKNAME"]
    assert (nickname.row, nickname.line, nickname.count) == (2, 5, 1)
    assert "CHILD record 2" in nickname.message and "CHILDID B" in nickname.message
    colour = warnings["COLOUR"]
    assert (colour.row, colour.line, colour.count) == (2, 8, 2)
    assert "<EPISODE>" in colour.message
    assert warnings["FOOTER"].line == 11 and warnings["FOOTER"].row is None
    episodes = _by_name(result.tables)["Episodes"]
    assert _cells(episodes)[0]["PLACE"] == "U4" and _cells(episodes)[1]["DECOM"] == "02/01/2020"


def test_element_nested_inside_a_field_is_warned():
    data = (
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID>\n<DOB>01/01/2010<B>x</B></DOB>"
        b"</HEADER></CHILD></EXPSSDA903>"
    )
    result = _read_bytes(data)
    assert [(w.field, w.line) for w in result.warnings] == [("B", 2)]
    assert "<DOB>" in result.warnings[0].message


def test_misplaced_group_is_read_with_a_warning_and_repeated_field_keeps_the_first():
    data = (
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID><DOB>01/01/2010</DOB><DOB>09/09/2019</DOB>"
        b"</HEADER><AREVIEW><REVIEW>01/01/2020</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>"
        b"</CHILD></EXPSSDA903>"
    )
    result = _read_bytes(data)
    messages = {w.field: w.message for w in result.warnings}
    assert "expected inside <HEADER>" in messages["AREVIEW"]
    assert "first kept" in messages["DOB"]
    tables = _by_name(result.tables)
    assert _cells(tables["Reviews"]) == [
        {"CHILD": "A", "DOB": "01/01/2010", "REVIEW": "01/01/2020", "REVIEW_CODE": "PN1"}
    ]
    assert _cells(tables["Header"])[0]["DOB"] == "01/01/2010"


def test_uasc_flag_rules():
    data = (
        b"<EXPSSDA903>"
        b"<CHILD><HEADER><CHILDID>A</CHILDID><SEX>M</SEX><DOB>01/01/2010</DOB><UASC>0</UASC></HEADER></CHILD>"
        b"<CHILD><HEADER><CHILDID>B</CHILDID><SEX>F</SEX><DOB>01/01/2011</DOB><UASC>1</UASC></HEADER></CHILD>"
        b"<CHILD><HEADER><CHILDID>C</CHILDID><SEX>U</SEX><DOB>01/01/2012</DOB><UASC/>"
        b"<DUC>01/01/2030</DUC></HEADER></CHILD>"
        b"<CHILD><HEADER><CHILDID>D</CHILDID><SEX>M</SEX><DOB>01/01/2013</DOB><UASC/></HEADER></CHILD>"
        b"</EXPSSDA903>"
    )
    uasc = _by_name(_read_bytes(data).tables)["UASC"]
    assert _cells(uasc) == [
        {"CHILD": "B", "SEX": "F", "DOB": "01/01/2011", "DUC": None},
        {"CHILD": "C", "SEX": "U", "DOB": "01/01/2012", "DUC": "01/01/2030"},
    ]
    assert uasc.rows.to_pylist() == [1, 2]


def test_social_worker_episodes_and_dolo_and_record_numbers():
    data = (
        b"<EXPSSDA903>"
        b"<CHILD><HEADER><CHILDID>A</CHILDID><DOB>01/01/2010</DOB></HEADER>"
        b"<SWEPISODE><SW_ID>SW1</SW_ID><SW_DECOM>01/04/2023</SW_DECOM></SWEPISODE></CHILD>"
        b"<CHILD><HEADER><CHILDID>B</CHILDID><DOB>01/01/2011</DOB></HEADER>"
        b"<SWEPISODE><SW_ID>SW2</SW_ID><SW_DECOM>02/04/2023</SW_DECOM><SW_REASON>MANAGE</SW_REASON>"
        b"</SWEPISODE><DOLO><DOLO_START>01/05/2026</DOLO_START></DOLO></CHILD>"
        b"</EXPSSDA903>"
    )
    tables = _by_name(_read_bytes(data).tables)
    assert set(tables) == {"Header", "SWEpisodes", "DoLo"}
    sw = tables["SWEpisodes"]
    assert _cells(sw)[1] == {
        "CHILD": "B", "DOB": "01/01/2011", "SW_ID": "SW2", "SW_DECOM": "02/04/2023", "SW_DEC": None,
        "SW_REASON": "MANAGE",
    }
    assert sw.rows.to_pylist() == [1, 2]
    assert _cells(tables["DoLo"]) == [
        {"CHILD": "B", "DOB": "01/01/2011", "DOLO_START": "01/05/2026", "DOLO_END": None}
    ]


def test_namespaced_export_is_read_by_element_name():
    data = (
        b'<EXPSSDA903 xmlns="urn:example:903"><CHILD><HEADER><CHILDID>A</CHILDID>'
        b"<DOB>01/01/2010</DOB></HEADER><EPISODE><DECOM>01/01/2020</DECOM><PL>K2</PL></EPISODE>"
        b"</CHILD></EXPSSDA903>"
    )
    result = _read_bytes(data)
    assert result.warnings == []
    assert _cells(_by_name(result.tables)["Episodes"])[0]["PLACE"] == "K2"


def test_return_without_children_is_warned():
    result = _read_bytes(b"<EXPSSDA903/>")
    assert result.tables == []
    assert len(result.warnings) == 1 and "no <CHILD>" in result.warnings[0].message
