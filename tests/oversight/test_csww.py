"""Issue 15 item 6: the CSWW census read safely, checked against its schema, stored with provenance."""

from __future__ import annotations

import hashlib
import hmac
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.store.load import load_returns
from fresh_db import fresh_database
from sample_files import sample

ONE = "csww/csww_pipeline_social_work_workforce_2022_one_worker.xml"
SAMPLE_2023 = "csww/csww_sample_2023.xml"
SAMPLE_2022 = "csww/social_work_workforce_2022.xml"


def schema_warnings(ret) -> list:
    return [w for w in ret.warnings if "CSWW schema" in w.message]


def test_a_valid_return_is_read_whole_with_no_schema_warning():
    (ret,) = read_returns([sample(ONE)])
    assert (ret.kind, ret.authority.code) == ("csww", "301")
    # The census of 30 September 2022 belongs to collection year 2022-23, and the load says so.
    assert ret.year == 2023
    assert any("30 September 2022 loaded as collection year 2022-23" in w.message for w in ret.warnings)
    assert schema_warnings(ret) == []
    worker = ret.tables["Worker"].to_pylist()[0]
    assert worker["SWENo"] == "Oz2054309383" and worker["AgencyWorker"] == "1"
    assert worker["FTE"] == pytest.approx(0.521371) and worker["WorkingDaysLost"] == pytest.approx(15.31)
    assert str(worker["RoleStartDate"]) == "1988-04-07" and worker["Cases30"] == 72
    (vacancies,) = ret.tables["Vacancies"].to_pylist()
    assert (vacancies["NumberOfVacancies"], vacancies["NoAgencyFTE"], vacancies["NoAgencyHeadcount"]) == (
        pytest.approx(79.68), pytest.approx(59.82), 71)


def test_schema_departures_are_warnings_with_line_and_count():
    (ret,) = read_returns([sample(SAMPLE_2023)])
    assert (ret.authority.code, ret.year, ret.tables["Worker"].num_rows) == ("340", 2024, 14)
    (warning,) = schema_warnings(ret)
    # Two workers lack QualInst, which the schema requires before QualLevel (lines 63 and 117).
    assert warning.line == 63 and warning.count == 2 and warning.field == "QualLevel"
    assert "Expected is ( QualInst )" in warning.message
    (ret,) = read_returns([sample(SAMPLE_2022)])
    assert ret.tables["Worker"].num_rows == 30
    assert sum(w.count for w in schema_warnings(ret)) == 12


def test_loaded_with_provenance_and_idempotent():
    con = fresh_database()
    (outcome,) = load_returns(con, read_returns([sample(SAMPLE_2023)]))
    assert outcome.action == "loaded"
    name, sha = con.execute("SELECT name, sha256 FROM load_files WHERE load_id = ?", [outcome.load_id]).fetchone()
    assert name == "csww_sample_2023.xml"
    assert sha == hashlib.sha256(sample(SAMPLE_2023).read_bytes()).hexdigest()
    kind, la, year = con.execute("SELECT kind, la, year FROM loads WHERE load_id = ?", [outcome.load_id]).fetchone()
    assert (kind, la, year) == ("csww", "340", 2024)
    rows = con.execute("SELECT count(*), min(source_row), max(source_row) FROM csww_worker").fetchone()
    assert rows == (14, 1, 14)
    warned = con.execute("SELECT count(*) FROM load_warnings WHERE message LIKE '%CSWW schema%'").fetchone()[0]
    assert warned == 1
    (again,) = load_returns(con, read_returns([sample(SAMPLE_2023)]))
    assert again.action == "unchanged"


def test_worker_numbers_are_pseudonymised_with_the_key():
    con = fresh_database()
    key = b"a-test-key-of-at-least-16-bytes"
    load_returns(con, read_returns([sample(ONE)]), key=key)
    (swe,) = con.execute("SELECT SWENo FROM csww_worker").fetchone()
    assert swe == hmac.new(key, b"Oz2054309383", hashlib.sha256).hexdigest()[:16].upper()


def _census(body: str, year: str = "2025") -> bytes:
    return (
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>" + year + "</Year>"
        "<ReferenceDate>" + year + "-09-30</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>"
        "<LEA>886</LEA></Source></Header>" + body + "</Message>"
    ).encode()


def test_bad_returns_are_refused_naming_what_is_wrong(tmp_path):
    empty = tmp_path / "empty_csww.xml"
    empty.write_bytes(_census(""))
    with pytest.raises(ReturnError) as exc:
        read_returns([empty])
    assert "neither <LALevelVacancies> nor <CSWWWorker>" in exc.value.errors[0].message
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><Message><CSWWWorker/></Message>')
    with pytest.raises(ReturnError) as exc:
        read_returns([bomb], la="886", year=2026)
    assert "DOCTYPE" in exc.value.errors[0].message
    untyped = tmp_path / "untyped.xml"
    untyped.write_bytes(_census("<CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1234567890</SWENo>"
                                "<FTE>full</FTE><QualInst>X</QualInst></CSWWWorker>"))
    with pytest.raises(ReturnError) as exc:
        read_returns([untyped])
    (error,) = exc.value.errors
    assert (error.file, error.table, error.field, error.value) == ("untyped.xml", "Worker", "FTE", "full")
    census = tmp_path / "census.xml"
    census.write_bytes(_census("<CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1234567890</SWENo>"
                               "<FTE>1</FTE><QualInst>X</QualInst></CSWWWorker>"))
    assert read_returns([census])[0].year == 2026  # the census of 30 September 2025 is 2025-26
    with pytest.raises(ReturnError) as exc:
        read_returns([census], year=2025)
    assert "2024-25" in exc.value.errors[0].message and "2025-26" in exc.value.errors[0].message


def test_the_vendored_schema_is_the_attributed_copy():
    folder = resources.files("careboard.returns") / "spec"
    data = (folder / "csww_social_work_workforce_2022.xsd").read_bytes()
    notice = (folder / "csww_social_work_workforce_2022.md").read_text("utf-8")
    assert hashlib.sha256(data).hexdigest() in notice
    assert "Social Finance Digital Labs" in notice and "MIT License" in notice


def test_synthetic_census_is_valid_against_the_schema(tmp_path: Path):
    from careboard.returns.csww_xml import schema
    from careboard.synth import generate

    result = generate(tmp_path, "805", 120, [2026], seed=3, linked_groups=0)
    (path,) = [p for p in result.paths if p.suffix == ".xml" and "csww" in p.parts]
    assert path.name == "csww_805_2025-26.xml"
    document = etree.parse(str(path))
    assert schema().validate(document), schema().error_log.last_error
    (ret,) = read_returns([path])
    assert (ret.year, schema_warnings(ret)) == (2026, [])


WORKER = ("<CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1234567890</SWENo><FTE>1</FTE>"
          "<QualInst>X</QualInst><RoleStartDate>2012-05-01</RoleStartDate></CSWWWorker>")


def test_the_census_passes_the_authority_and_year_checks_when_they_agree(tmp_path):
    """The coherence checks every load makes (returns/coherence.py, reader._decide_*): a census filed in
    its own authority's folder for the year its census date falls in loads; one filed under another
    year or authority is refused, naming both.  A long-serving worker's old start date is no evidence
    of another year (the census has no ``year_dates``: its header says its year)."""
    good = tmp_path / "886" / "2025-26" / "csww.xml"
    good.parent.mkdir(parents=True)
    good.write_bytes(_census(WORKER))
    (ret,) = read_returns([good.parent.parent])
    assert (ret.kind, ret.authority.code, ret.year) == ("csww", "886", 2026)
    stale = tmp_path / "886" / "2024-25" / "csww.xml"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(_census(WORKER))
    with pytest.raises(ReturnError) as exc:
        read_returns([stale])
    assert "2024-25" in exc.value.errors[0].message and "2025-26" in exc.value.errors[0].message
    with pytest.raises(ReturnError) as exc:
        read_returns([good], la="301")
    assert "886" in str(exc.value.errors[0]) and "301" in str(exc.value.errors[0])


def test_a_folder_named_for_the_workforce_is_not_read_as_a_layout_folder(tmp_path):
    """Only a folder that arranges returns by year or kind ('csww', '2025-26') is looked through for the
    authority: 'workforce' is an ordinary word in a folder's name (a pytest folder named after a test, a
    council's 'Workforce returns'), so the search stops there and a '318' further up is not read as
    Richmond upon Thames against the file's own Kent."""
    path = tmp_path / "318" / "test_workforce_census0" / "csww_886_2025-26.xml"
    path.parent.mkdir(parents=True)
    path.write_bytes(_census(WORKER))
    (ret,) = read_returns([path])
    assert (ret.authority.code, ret.year) == ("886", 2026)
