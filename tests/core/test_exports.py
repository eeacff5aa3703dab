"""core.exports: one table definition, neutralised the same way in CSV and in Excel."""

import csv
import io
from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.exports import Column, csv_response, neutralise, workbook

COLUMNS = [Column("名称", lambda r: r[0]), Column("数量", lambda r: r[1], kind="int")]
ROWS = [
    ("=1+1", 3),
    ("+86 138", -2),
    ("-5", 0),
    ("@SUM(A1:A2)", 1),
    ("\t=1", 1),
    ("\r=1", 1),
    ("普通文字 =1", 5),
    ("", 1),
]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_text_starting_with_a_trigger_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["普通", " =1", "1-2", "", 3, -2, 1.5, None])
def test_other_values_are_unchanged(value):
    assert neutralise(value) == value


def test_csv_and_xlsx_carry_the_same_neutralised_cells():
    response = csv_response(filename="t", columns=COLUMNS, rows=ROWS)
    from_csv = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(BytesIO(workbook("表=1", COLUMNS, ROWS))).active
    from_xlsx = [[cell for cell in row] for row in sheet.iter_rows(min_row=2)]

    expected_text = ["'=1+1", "'+86 138", "'-5", "'@SUM(A1:A2)", "'\t=1", "'\r=1", "普通文字 =1", ""]
    assert [row[0] for row in from_csv[1:]] == expected_text
    # XML stores a carriage return as a line feed; the apostrophe is what matters.
    assert [row[0].value or "" for row in from_xlsx[1:]] == [t.replace("\r", "\n") for t in expected_text]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # Numbers are numbers, negative ones included.
    assert [row[1].value for row in from_xlsx[1:]] == [3, -2, 0, 1, 1, 1, 5, 1]
    assert [row[1] for row in from_csv[1:]] == ["3", "-2", "0", "1", "1", "1", "5", "1"]


def test_a_sheet_title_with_characters_excel_refuses_still_exports():
    sheet = load_workbook(BytesIO(workbook("2024 片区/站[1]: 表?", COLUMNS, ROWS[:1]))).active
    assert sheet.title == "2024 片区 站 1   表"
