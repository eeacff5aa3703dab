"""Reading ledgers as stations keep them: header row anywhere near the top, other wordings, dates of
every form, and files that are not what they claim."""

import datetime as dt
import io
import zipfile

import pytest

from imports.reading import Column, LedgerUnreadable, parse_date, parse_int, read_sheet, split_names, text_of
from tests.imports.ledgers import workbook_bytes

COLUMNS = [
    Column("station", "联络站", ("站点",), required=True),
    Column("date", "接待日期", ("日期",), required=True, kind="date"),
    Column("content", "意见内容", ("反映问题",), required=True),
]


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2023, 9, 28), dt.date(2023, 9, 28)),
        (dt.datetime(2023, 9, 28, 15, 30), dt.date(2023, 9, 28)),
        ("2023.9.28", dt.date(2023, 9, 28)),
        ("2023-09-28", dt.date(2023, 9, 28)),
        ("2023/9/28", dt.date(2023, 9, 28)),
        ("2023年9月28日", dt.date(2023, 9, 28)),
        (" 2023 年 9 月 28 日 ", dt.date(2023, 9, 28)),
        ("20230928", dt.date(2023, 9, 28)),
        (20230928, dt.date(2023, 9, 28)),
        (45197, dt.date(2023, 9, 28)),  # Excel's serial number of that day
        (45197.0, dt.date(2023, 9, 28)),
    ],
)
def test_dates_written_every_way(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2023.2.30", "九月底", "2023-13-01", "", 3.5, True, "28/9/2023x"])
def test_what_is_not_a_date_says_so(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_numbers_names_and_text():
    assert parse_int("3人") == 3
    assert parse_int(2.0) == 2
    with pytest.raises(ValueError):
        parse_int("三")
    assert split_names("王代表、李代表，赵代表 ; 钱代表") == ["王代表", "李代表", "赵代表", "钱代表"]
    assert text_of(13800001234.0) == "13800001234"
    assert text_of("a\x00b\x07c") == "abc"
    with pytest.raises(ValueError):
        text_of("长" * 51, 50)


def test_header_row_below_a_merged_title_and_notes_with_other_wordings():
    data = workbook_bytes(
        [
            {"站点": "甲站", "日期": "2024.1.5", "反映问题": "路灯不亮"},
            {},
            {"站点": "乙站", "日期": 45197, "反映问题": "噪音"},
        ],
        headers=["序号", "站点", "日期", "反映问题"],
    )
    sheet = read_sheet(data, COLUMNS)
    rows = list(sheet.rows)
    assert sheet.title == "2025年" and sheet.size == 3
    # Title on row 1, notes on row 2, headers on row 3: data on rows 4 and 6 (the empty row 5 is skipped).
    assert [(r.number, r.values["station"], r.values["content"]) for r in rows] == [
        (4, "甲站", "路灯不亮"),
        (6, "乙站", "噪音"),
    ]


def test_a_sheet_without_the_required_headers_is_refused_by_name():
    data = workbook_bytes([{"站点": "甲站"}], headers=["站点", "备注"])
    with pytest.raises(LedgerUnreadable) as caught:
        read_sheet(data, COLUMNS)
    assert "联络站、接待日期、意见内容" in caught.value.message


def test_not_an_xlsx():
    with pytest.raises(LedgerUnreadable):
        read_sheet(b"<html><script>alert(1)</script></html>", COLUMNS)
    with pytest.raises(LedgerUnreadable):
        read_sheet(b"PK\x03\x04 broken", COLUMNS)


def test_a_zip_bomb_is_refused_before_it_is_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(LedgerUnreadable) as caught:
        read_sheet(buffer.getvalue(), COLUMNS)
    assert "implausible" in caught.value.message or "不合理" in caught.value.message
