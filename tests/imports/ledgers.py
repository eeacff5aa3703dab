"""Ledger files as stations keep them, built for the tests: a merged title row, notes, the header row
further down, headers in the stations' own wording and dates typed every way."""

import datetime as dt
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = [
    "登记编号",
    "联络站",
    "接待日期",
    "接待方式",
    "接待代表",
    "网格",
    "来访人数",
    "群众姓名",
    "联系电话",
    "意见类别",
    "意见内容",
    "处理方式",
    "转交单位",
    "处理日期",
    "处理说明",
    "办结日期",
    "办结情况",
]


def row(**values) -> dict:
    """One ledger row by header; the defaults make a valid row of station 甲片区实践站."""
    base = {
        "联络站": "甲片区实践站",
        "接待日期": dt.date(2025, 9, 28),
        "接待代表": "王代表",
        "来访人数": 1,
        "群众姓名": "张三",
        "意见类别": "交通出行",
        "意见内容": "路口红绿灯时间太短，老人过马路来不及",
    }
    base.update(values)
    return {key: value for key, value in base.items() if value is not None}


def workbook_bytes(
    rows: list[dict], *, headers=None, title="白沙街道人大代表联络站接待台账（2025年）", notes=True
) -> bytes:
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    sheet.title = "2025年"
    line = 1
    if title:
        sheet.cell(row=1, column=1, value=title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        line += 1
    if notes:
        sheet.cell(row=line, column=1, value="填表单位：甲片区实践站")
        line += 1
    for index, header in enumerate(headers, start=1):
        sheet.cell(row=line, column=index, value=header)
    for values in rows:
        line += 1
        for index, header in enumerate(headers, start=1):
            if header in values:
                sheet.cell(row=line, column=index, value=values[header])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(rows: list[dict], name="接待台账.xlsx", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, **kwargs))


def header_row_number(*, title=True, notes=True) -> int:
    """The Excel row number of the header row in ``workbook_bytes`` (data starts on the next)."""
    return 1 + bool(title) + bool(notes)
