"""The CIN census XML reader, its spec and its DDL.

Expected values come from outside the reader: XPath counts over the sample files, literal values
read from the samples (and their README), line numbers found by searching the file's text, and
small hand-written documents whose contents are known.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from lxml import etree

from careboard.returns.cin_xml import CinRead, read_cin_xml
from careboard.returns.conform import conform
from careboard.returns.issues import ReturnError
from careboard.returns.raw import SourceFile
from careboard.returns.spec import load_spec
from sample_files import SAMPLES, sample

REPO = Path(__file__).resolve().parents[1]
CIN_SAMPLES = SAMPLES / "cin"
DDL = REPO / "src" / "careboard" / "store" / "schema" / "003_cin_census.sql"
INVALID_SAMPLE = "CIN_Census_2021_invalid.xml"

SPEC = load_spec("cin_census")

# Where each table's rows sit in the census XML, written out here rather than taken from the reader.
_EPISODE = "/Message/Children/Child/CINdetails"
TABLE_XPATH = {
    "Child": "/Message/Children/Child",
    "Disability": "/Message/Children/Child/ChildCharacteristics/Disabilities/Disability",
    "CINEpisode": _EPISODE,
    "Assessment": f"{_EPISODE}/Assessments",
    "AssessmentFactor": f"{_EPISODE}/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors",
    "CINPlan": f"{_EPISODE}/CINPlanDates",
    "Section47": f"{_EPISODE}/Section47",
    "CPPlan": f"{_EPISODE}/ChildProtectionPlans",
    "CPPReview": f"{_EPISODE}/ChildProtectionPlans/Reviews/CPPreviewDate",
    "PreProceedings": f"{_EPISODE}/PreProceedingsandFGDM",
}


# -- helpers ------------------------------------------------------------------------------------


# The CIN samples kept in tests/data/samples/cin (listed here so that a lost file fails a test).
CIN_SAMPLE_FILES = [
    "d2i_validator/CIN2rows.xml",
    "d2i_validator/CIN_Census_2021.xml",
    "d2i_validator/CIN_Census_2021_no_assessment_factors.xml",
    "d2i_validator/CIN_Census_2024.xml",
    "d2i_validator/CIN_Census_2026.xml",
    "d2i_validator/CIN_header_issues_100.xml",
    "d2i_validator/fake_CIN_data.xml",
    "liia/BAR_cin_2022.xml",
    "liia/CIN_Census_2021_invalid.xml",
    "liia/cin-2022.xml",
]


def _sample_params() -> list:
    return [pytest.param(CIN_SAMPLES / name, id=name) for name in CIN_SAMPLE_FILES]


def _sample(relative: str) -> Path:
    return sample(f"cin/{relative}")


def _read_path(path: Path) -> CinRead:
    return read_cin_xml(SourceFile.read(path))


def _read(data: str | bytes, name: str = "test.xml") -> CinRead:
    raw = data.encode() if isinstance(data, str) else data
    return read_cin_xml(SourceFile(path=Path(name), data=raw))


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th ``needle`` in ``text``."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def _col(read: CinRead, table: str, column: str) -> list:
    return read.table(table).columns[column].to_pylist()


def _num_rows(read: CinRead, table: str) -> int:
    """Rows in ``table``, 0 where the reader left the table out (not collected, and empty)."""
    names = [raw.table for raw in read.tables]
    return read.table(table).num_rows if table in names else 0


def _cin(children: str, year: str = "2022", lea: str = "201") -> str:
    """A CIN census document around ``children``; the first child starts on line 4."""
    return (
        "<Message>\n"
        "<Header><CollectionDetails><Collection>CIN</Collection><Year>"
        f"{year}</Year><ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails>"
        f"<Source><LEA>{lea}</LEA></Source></Header>\n"
        "<Children>\n"
        f"{children}"
        "</Children>\n"
        "</Message>\n"
    )


def _child(child_id: str = "C1", inner: str = "", identifiers: str = "") -> str:
    return (
        "<Child>\n"
        f"<ChildIdentifiers><LAchildID>{child_id}</LAchildID>{identifiers}"
        "<PersonBirthDate>2015-01-01</PersonBirthDate><GenderCurrent>1</GenderCurrent></ChildIdentifiers>\n"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>\n"
        f"{inner}"
        "</Child>\n"
    )


def _episode(inner: str = "", referral: str = "2021-05-01") -> str:
    return (
        "<CINdetails>\n"
        f"<CINreferralDate>{referral}</CINreferralDate><ReferralSource>1A</ReferralSource>\n"
        f"{inner}"
        "<ReferralNFA>0</ReferralNFA>\n"
        "</CINdetails>\n"
    )


# -- every sample -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _sample_params())
def test_every_sample_reads_with_spec_tables_and_columns(path: Path) -> None:
    tree = etree.parse(str(path))
    read = _read_path(path)
    assert read.year is not None
    expected_tables = [
        name
        for name, table in SPEC.tables.items()
        if table.in_year(read.year) or tree.xpath(f"count({TABLE_XPATH[name]})") > 0
    ]
    assert [t.table for t in read.tables] == expected_tables
    for raw in read.tables:
        assert list(raw.columns) == list(SPEC.tables[raw.table].column_names)
        assert raw.rows.type == pa.int32()
        assert raw.rows.to_pylist() == list(range(1, raw.num_rows + 1))
        assert raw.lines is not None and raw.lines.null_count == 0
        for array in raw.columns.values():
            assert array.type == pa.string()
            assert len(array) == raw.num_rows


@pytest.mark.parametrize("path", _sample_params())
def test_row_counts_match_xpath_counts(path: Path) -> None:
    tree = etree.parse(str(path))
    read = _read_path(path)
    for table, xpath in TABLE_XPATH.items():
        assert _num_rows(read, table) == int(tree.xpath(f"count({xpath})")), table


@pytest.mark.parametrize("path", _sample_params())
def test_lines_are_those_of_the_elements(path: Path) -> None:
    tree = etree.parse(str(path))
    read = _read_path(path)
    for raw in read.tables:
        expected = [el.sourceline for el in tree.xpath(TABLE_XPATH[raw.table])]
        assert raw.lines.to_pylist() == expected, raw.table


@pytest.mark.parametrize("path", _sample_params())
def test_conform_types_every_sample(path: Path) -> None:
    read = _read_path(path)
    assert read.year is not None
    tables = SPEC.tables_for(read.year)
    errors = []
    for raw in read.tables:
        if raw.table not in tables:
            continue
        result = conform(raw, tables[raw.table], file_index=1)
        errors += result.errors
        assert result.table.num_rows == raw.num_rows
        for column in tables[raw.table].columns:
            expected = {"date": pa.date32(), "integer": pa.int32()}.get(column.type, pa.string())
            assert result.table.schema.field(column.name).type == expected, (raw.table, column.name)
    if path.name == INVALID_SAMPLE:
        # PersonBirthDate=Notadate and ReferralNFA=totallywrong (samples README): only those fields.
        assert errors
        assert {e.field for e in errors} <= {"PersonBirthDate", "ReferralNFA"}
    else:
        assert errors == []


# -- fake_CIN_data.xml: 332 children, LEA 975, Year 2022 ----------------------------------------------


@pytest.fixture(scope="module")
def fake() -> tuple[CinRead, etree._ElementTree]:
    path = _sample("d2i_validator/fake_CIN_data.xml")
    return _read_path(path), etree.parse(str(path))


def test_fake_header(fake: tuple[CinRead, etree._ElementTree]) -> None:
    read, _ = fake
    assert read.la_code == "975"
    assert read.year == 2022
    assert read.reference_date == "2022-07-21"


def test_fake_row_counts(fake: tuple[CinRead, etree._ElementTree]) -> None:
    read, tree = fake
    assert read.table("Child").num_rows == 332  # samples README
    for table, xpath in TABLE_XPATH.items():
        assert _num_rows(read, table) == int(tree.xpath(f"count({xpath})")), table
    assert read.table("CINEpisode").num_rows > read.table("Child").num_rows  # some have several


def test_fake_values_and_keys(fake: tuple[CinRead, etree._ElementTree]) -> None:
    read, tree = fake
    children = tree.xpath("/Message/Children/Child")
    assert _col(read, "Child", "LAchildID") == [c.findtext("ChildIdentifiers/LAchildID") for c in children]
    assert _col(read, "Child", "PersonDeathDate") == [
        c.findtext("ChildIdentifiers/PersonDeathDate") for c in children
    ]
    episode_ids, episode_numbers, referrals = [], [], []
    for child in children:
        for n, episode in enumerate(child.findall("CINdetails"), start=1):
            episode_ids.append(child.findtext("ChildIdentifiers/LAchildID"))
            episode_numbers.append(str(n))
            referrals.append(episode.findtext("CINreferralDate"))
    assert _col(read, "CINEpisode", "LAchildID") == episode_ids
    assert _col(read, "CINEpisode", "EpisodeNo") == episode_numbers
    assert _col(read, "CINEpisode", "CINreferralDate") == referrals
    disability_ids = [
        c.findtext("ChildIdentifiers/LAchildID")
        for c in children
        for _ in c.findall("ChildCharacteristics/Disabilities/Disability")
    ]
    assert _col(read, "Disability", "LAchildID") == disability_ids


def test_fake_gender_current_lands_in_sex(fake: tuple[CinRead, etree._ElementTree]) -> None:
    read, tree = fake
    genders = tree.xpath("/Message/Children/Child/ChildIdentifiers/GenderCurrent/text()")
    assert _col(read, "Child", "Sex") == genders
    assert set(_col(read, "Child", "Sex")) == {"0", "1", "2", "9"}  # samples README


def test_fake_flags_pass_through_as_found(fake: tuple[CinRead, etree._ElementTree]) -> None:
    read, _ = fake
    assert set(_col(read, "CINEpisode", "ReferralNFA")) == {"true"}  # every ReferralNFA is 'true'


# -- other samples --------------------------------------------------------------------------------


def test_sex_element_lands_in_sex_with_a_year_warning() -> None:
    read = _read_path(_sample("d2i_validator/CIN_Census_2024.xml"))
    assert _col(read, "Child", "Sex") == ["1", "M"]  # samples README: <Sex> with values 1 and M
    assert read.year == 2023
    sex_warnings = [w for w in read.warnings if w.field == "Sex"]
    assert len(sex_warnings) == 1
    assert sex_warnings[0].count == 2
    assert "2025" in sex_warnings[0].message


def test_stray_text_is_a_warning_and_the_record_is_read() -> None:
    path = _sample("d2i_validator/CIN_Census_2021.xml")
    read = _read_path(path)
    stray = [w for w in read.warnings if w.value == "PersonBirthDate"]
    assert len(stray) == 1
    assert stray[0].field == "UPNunknown"
    assert stray[0].line == _line_of(path.read_text(), "</UPNunknown>PersonBirthDate")
    assert _col(read, "Child", "UPNunknown") == ["UN3"]
    assert _col(read, "Child", "PersonBirthDate") == ["1965-03-27"]


def test_invalid_sample_conform_error_names_field_value_and_place() -> None:
    path = _sample(f"liia/{INVALID_SAMPLE}")
    read = _read_path(path)
    result = conform(read.table("Child"), SPEC.tables["Child"], file_index=1)
    [error] = [e for e in result.errors if e.field == "PersonBirthDate"]
    assert error.value == "Notadate"
    assert error.row == 1
    assert error.line == _line_of(path.read_text(), "<Child>")
    assert error.table == "Child"


def test_pre_proceedings_block_read_and_warned_outside_its_year() -> None:
    read = _read_path(_sample("d2i_validator/CIN_Census_2026.xml"))
    assert read.year == 2023  # header Year, despite the name
    assert _col(read, "PreProceedings", "LAchildID") == ["DfEX0000001"]
    assert _col(read, "PreProceedings", "EpisodeNo") == ["1"]
    assert _col(read, "PreProceedings", "PPStartDate") == ["2026-09-09"]
    assert _col(read, "PreProceedings", "PPOutcome") == ["A"]
    assert _col(read, "PreProceedings", "ReviewMeetingsCount") == ["3"]
    assert [w.field for w in read.warnings if "2027" in w.message] == ["PreProceedingsandFGDM"]
    assert "PreProceedings" not in SPEC.tables_for(2023)
    assert "PreProceedings" in SPEC.tables_for(2027)


def test_assessment_factors_follow_their_assessment() -> None:
    read = _read_path(_sample("d2i_validator/CIN_Census_2026.xml"))
    assert _col(read, "AssessmentFactor", "AssessmentFactors") == ["1C", "RB", "6B"]
    assert _col(read, "AssessmentFactor", "LAchildID") == ["DfEX0000001"] * 3
    assert _col(read, "AssessmentFactor", "AssessmentNo") == ["1", "1", "1"]
    # the second child's assessment has an empty <FactorsIdentifiedAtAssessment/>
    assert _col(read, "Assessment", "LAchildID") == ["DfEX0000001", "child_fails_assessments"]


# -- hand-written documents -------------------------------------------------------------------------


def test_numbering_records_and_lines_of_nested_blocks() -> None:
    cpp = (
        "<ChildProtectionPlans><CPPstartDate>2021-06-01</CPPstartDate>"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>\n"
        "<Reviews><CPPreviewDate>2021-07-01</CPPreviewDate>\n<CPPreviewDate>2021-10-01</CPPreviewDate></Reviews>"
        "</ChildProtectionPlans>\n"
    )
    assessment = (
        "<Assessments><AssessmentActualStartDate>2021-05-02</AssessmentActualStartDate></Assessments>\n"
    )
    text = _cin(
        _child("A", _episode(assessment + assessment) + _episode(cpp + cpp, referral="2021-08-01"))
        + _child("B", _episode(assessment))
    )
    read = _read(text)
    assert _col(read, "Child", "LAchildID") == ["A", "B"]
    assert _col(read, "CINEpisode", "LAchildID") == ["A", "A", "B"]
    assert _col(read, "CINEpisode", "EpisodeNo") == ["1", "2", "1"]
    assert _col(read, "Assessment", "EpisodeNo") == ["1", "1", "1"]
    assert _col(read, "Assessment", "AssessmentNo") == ["1", "2", "1"]
    assert _col(read, "Assessment", "LAchildID") == ["A", "A", "B"]
    assert _col(read, "CPPlan", "EpisodeNo") == ["2", "2"]
    assert _col(read, "CPPlan", "PlanNo") == ["1", "2"]
    assert _col(read, "CPPReview", "PlanNo") == ["1", "1", "2", "2"]
    assert _col(read, "CPPReview", "CPPreviewDate") == ["2021-07-01", "2021-10-01"] * 2
    reviews = read.table("CPPReview")
    assert reviews.rows.to_pylist() == [1, 2, 3, 4]
    assert reviews.lines.to_pylist() == [
        _line_of(text, "<CPPreviewDate>2021-07-01", 1),
        _line_of(text, "<CPPreviewDate>2021-10-01", 1),
        _line_of(text, "<CPPreviewDate>2021-07-01", 2),
        _line_of(text, "<CPPreviewDate>2021-10-01", 2),
    ]
    child_lines = [_line_of(text, "<Child>", 1), _line_of(text, "<Child>", 2)]
    assert read.table("Child").lines.to_pylist() == child_lines
    assert read.warnings == []


def test_namespaced_file_reads_like_a_plain_one() -> None:
    text = _cin(_child("N1", _episode()) + _child("N2", _episode() + _episode()))
    text = text.replace("<Message>", '<Message xmlns="http://www.dfe.gov.uk/CIN">', 1)
    read = _read(text)
    assert read.la_code == "201"
    assert read.year == 2022
    assert _col(read, "Child", "LAchildID") == ["N1", "N2"]
    assert _col(read, "CINEpisode", "EpisodeNo") == ["1", "1", "2"]
    assert read.warnings == []


def test_cells_are_text_as_found_empty_and_absent_differ() -> None:
    read = _read(_cin(_child(" C1 ", _episode(), identifiers="<UPN/>")))
    assert _col(read, "Child", "LAchildID") == [" C1 "]
    assert _col(read, "Child", "UPN") == [""]
    assert _col(read, "Child", "FormerUPN") == [None]
    assert _col(read, "CINEpisode", "LAchildID") == [" C1 "]
    assert _col(read, "CINEpisode", "CINclosureDate") == [None]


def test_booleans_true_false_pass_through() -> None:
    s47 = (
        "<Section47><S47ActualStartDate>2021-05-03</S47ActualStartDate>"
        "<ICPCnotRequired>true</ICPCnotRequired></Section47>\n"
    )
    read = _read(_cin(_child("C1", _episode(s47).replace("<ReferralNFA>0<", "<ReferralNFA>FALSE<"))))
    assert _col(read, "Section47", "ICPCnotRequired") == ["true"]
    assert _col(read, "CINEpisode", "ReferralNFA") == ["FALSE"]


def test_unknown_element_warns_with_name_and_line_and_rest_is_read() -> None:
    text = _cin(_child("C1", _episode("<LocalFlag><Inner>x</Inner></LocalFlag>\n")))
    read = _read(text)
    [warning] = read.warnings
    assert warning.field == "LocalFlag"
    assert "unknown element" in warning.message
    assert warning.line == _line_of(text, "<LocalFlag>")
    assert warning.table == "CINEpisode"
    assert warning.row == 1
    assert _col(read, "CINEpisode", "ReferralNFA") == ["0"]


def test_element_in_the_wrong_place_warns_where_it_belongs() -> None:
    s47 = (
        "<Section47><S47ActualStartDate>2021-05-03</S47ActualStartDate>"
        "<ICPCnotRequired>1</ICPCnotRequired>\n<ReferralNFA>1</ReferralNFA></Section47>\n"
    )
    text = _cin(_child("C1", _episode(s47)))
    read = _read(text)
    [warning] = read.warnings
    assert warning.field == "ReferralNFA"
    assert warning.line == _line_of(text, "<ReferralNFA>1")
    assert "<Section47>" in warning.message
    assert "<CINdetails>" in (warning.expected or "")
    assert _col(read, "CINEpisode", "ReferralNFA") == ["0"]
    assert _col(read, "Section47", "ICPCnotRequired") == ["1"]


def test_repeated_value_keeps_the_first_with_a_warning() -> None:
    identifiers = "<PersonBirthDate>2014-02-02</PersonBirthDate>"
    read = _read(_cin(_child("C1", _episode(), identifiers=identifiers)))
    assert _col(read, "Child", "PersonBirthDate") == ["2014-02-02"]
    assert [w.field for w in read.warnings] == ["PersonBirthDate"]


def test_block_outside_its_years_is_read_with_a_warning() -> None:
    plan = "<CINPlanDates><CINPlanStartDate>2020-06-01</CINPlanStartDate></CINPlanDates>\n"
    read = _read(_cin(_child("C1", _episode(plan)), year="2021"))
    assert _col(read, "CINPlan", "CINPlanStartDate") == ["2020-06-01"]
    [warning] = read.warnings
    assert warning.field == "CINPlanDates"
    assert "2022" in warning.message


def test_empty_tables_are_returned_only_for_years_that_collect_them() -> None:
    before_plans = _read(_cin(_child("C1", _episode()), year="2021"))
    with_plans = _read(_cin(_child("C1", _episode()), year="2022"))
    assert "CINPlan" not in [t.table for t in before_plans.tables]
    assert with_plans.table("CINPlan").num_rows == 0
    for read in (before_plans, with_plans):
        assert "PreProceedings" not in [t.table for t in read.tables]
        assert read.table("Section47").num_rows == 0
    assert before_plans.warnings == []


def test_a_quirk_on_every_child_is_one_warning_with_a_count() -> None:
    child = _child("C{n}", _episode()).replace("</LAchildID>", "</LAchildID>junk")
    children = "".join(child.replace("C{n}", f"C{n}") for n in range(5))
    read = _read(_cin(children))
    [warning] = read.warnings
    assert warning.count == 5
    assert warning.row == 1
    assert warning.value == "junk"


def test_header_problems_are_warnings_and_values_unknown() -> None:
    read = _read(_cin(_child("C1", _episode()), year="22", lea="E09000002"))
    assert read.la_code is None
    assert read.year is None
    assert {w.field for w in read.warnings} == {"LEA", "Year"}
    bad = {w.field: w for w in read.warnings}
    assert bad["LEA"].value == "E09000002"


# -- errors ---------------------------------------------------------------------------------------


def test_child_without_lachildid_is_an_error_naming_record_and_line() -> None:
    no_id = _child("X", _episode()).replace("<LAchildID>X</LAchildID>", "")
    blank_id = _child("   ", _episode())
    text = _cin(_child("C1", _episode()) + no_id + blank_id)
    with pytest.raises(ReturnError) as caught:
        _read(text)
    errors = caught.value.errors
    assert [(e.row, e.line, e.field) for e in errors] == [
        (2, _line_of(text, "<Child>", 2), "LAchildID"),
        (3, _line_of(text, "<Child>", 3), "LAchildID"),
    ]


def test_wrong_root_says_what_was_found_and_expected() -> None:
    with pytest.raises(ReturnError) as caught:
        _read("<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID></HEADER></CHILD></EXPSSDA903>")
    [error] = caught.value.errors
    assert error.value == "EXPSSDA903"
    assert "Message" in (error.expected or "")


def test_message_without_children_names_what_it_holds() -> None:
    csww = (
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection></CollectionDetails></Header>"
        "<LALevelVacancies/><CSWWWorker/></Message>"
    )
    with pytest.raises(ReturnError) as caught:
        _read(csww)
    [error] = caught.value.errors
    assert "CSWW" in error.message
    assert "<CSWWWorker>" in (error.value or "")


def test_children_without_child_is_an_error() -> None:
    with pytest.raises(ReturnError) as caught:
        _read(_cin(""))
    assert "Child" in caught.value.errors[0].message


def test_entity_bomb_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE Message [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        + _cin(_child("&c;", _episode()))
    )
    with pytest.raises(ReturnError) as caught:
        _read(bomb)
    assert "DOCTYPE" in caught.value.errors[0].message


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        + _cin(_child("&x;", _episode()))
    )
    with pytest.raises(ReturnError) as caught:
        _read(xxe)
    assert "SECRET-VALUE" not in str(caught.value)


def test_malformed_xml_gives_the_line() -> None:
    text = _cin(_child("C1", _episode())).replace("</ReferralSource>", "</ReferralSourc>", 1)
    with pytest.raises(ReturnError) as caught:
        _read(text)
    [error] = caught.value.errors
    assert error.line == _line_of(text, "</ReferralSourc>")


# -- conform, flags ---------------------------------------------------------------------------------


def test_conform_normalises_true_false_flags() -> None:
    true = _child("C1", _episode().replace("<ReferralNFA>0<", "<ReferralNFA>true<"))
    maybe = _child("C2", _episode().replace("<ReferralNFA>0<", "<ReferralNFA>maybe<"))
    text = _cin(true + maybe)
    result = conform(_read(text).table("CINEpisode"), SPEC.tables["CINEpisode"], file_index=1)
    assert result.table.column("ReferralNFA").to_pylist()[0] == "1"
    assert [e.field for e in result.errors] == ["ReferralNFA"]


# -- spec and DDL -----------------------------------------------------------------------------------


def test_ddl_columns_equal_spec_columns() -> None:
    con = duckdb.connect()
    con.execute(DDL.read_text(encoding="utf-8"))
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_name LIKE 'cin_%' ORDER BY table_name, ordinal_position"
    ).fetchall()
    ddl: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        ddl.setdefault(table, []).append((column, data_type))
    provenance = [
        ("load_id", "INTEGER"), ("la", "VARCHAR"), ("year", "SMALLINT"),
        ("source_file", "SMALLINT"), ("source_row", "INTEGER"),
    ]
    sql_type = {"date": "DATE", "integer": "INTEGER"}
    expected = {
        f"cin_{name.lower()}": provenance + [(c.name, sql_type.get(c.type, "VARCHAR")) for c in table.columns]
        for name, table in SPEC.tables.items()
    }
    assert ddl == expected


def test_ddl_is_idempotent() -> None:
    con = duckdb.connect()
    con.execute(DDL.read_text(encoding="utf-8"))
    con.execute(DDL.read_text(encoding="utf-8"))


def test_spec_years_and_sex_codes() -> None:
    assert (SPEC.first_year, SPEC.last_year) == (2017, 2027)
    assert set(SPEC.codes("SEX", 2024)) == {"0", "1", "2", "9"}
    assert set(SPEC.codes("SEX", 2025)) == {"M", "F", "U"}
    assert set(SPEC.codes("PRIMARY_NEED", 2022)) == {f"N{i}" for i in range(10)}
    assert set(SPEC.codes("CLOSURE_REASON", 2023)) == {f"RC{i}" for i in range(1, 10)}
    assert "RC9" not in SPEC.codes("CLOSURE_REASON", 2022)
    assert set(SPEC.codes("ABUSE_CATEGORY", 2022)) == {"NEG", "PHY", "SAB", "EMO", "MUL"}
    assert set(SPEC.codes("ETHNIC", 2022)) == set(load_spec("ssda903").codes("ETHNIC", 2022))
    assert "CINPlan" not in SPEC.tables_for(2021)
    assert "CINPlan" in SPEC.tables_for(2022)


XSD_LISTS = {
    "ETHNIC": "ethnicitytype",
    "DISABILITY": "disabilitytype",
    "REFERRAL_SOURCE": "referralsourcetype",
    "PRIMARY_NEED": "primaryneedcodetype",
    "CLOSURE_REASON": "reasonforclosuretype",
    "ABUSE_CATEGORY": "categoryofabusetype",
    "ASSESSMENT_FACTOR": "assessmentfactorstype",
    "UPN_UNKNOWN": "unknownupntype",
    "YES_NO": "yesnotype",
}


@pytest.mark.parametrize("year", range(2017, 2027))
def test_code_lists_match_the_xsd_of_each_year(year: int) -> None:
    xsd = sample(f"schemas/cin_xsd/CIN_schema_{year}.xsd")
    tree = etree.parse(str(xsd))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}

    def enumeration(type_name: str) -> set[str]:
        return set(tree.xpath(f"//xs:simpleType[@name='{type_name}']//xs:enumeration/@value", namespaces=ns))

    for list_name, type_name in XSD_LISTS.items():
        assert set(SPEC.codes(list_name, year)) == enumeration(type_name), list_name
    sex_type = "gendertype" if year <= 2024 else "sextype"
    assert set(SPEC.codes("SEX", year)) == enumeration(sex_type)


# -- size (how fast: bench/cin_xml.py; no test asserts a time) ---------------------------------------


def test_fifty_thousand_children_are_all_read() -> None:
    child = (
        "<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate>"
        "<Sex>F</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
        "<Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>"
        "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
        "<Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
        "</FactorsIdentifiedAtAssessment></Assessments><ReferralNFA>0</ReferralNFA></CINdetails></Child>\n"
    )
    text = _cin("".join(child.format(n=n) for n in range(50_000)), year="2025")
    read = _read(text)
    for table in ("Child", "Disability", "CINEpisode", "Assessment", "AssessmentFactor"):
        assert read.table(table).num_rows == 50_000
    assert _col(read, "Child", "LAchildID")[-1] == "C49999"
    assert read.warnings == []
