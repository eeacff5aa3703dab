"""Spreadsheet exports (CSV and Excel) from one table definition, safe to open in a spreadsheet.

A table is a list of ``Column`` (header, how to read the value from a row, kind) and the rows.
``csv_response`` and ``workbook`` both read every cell through ``cell_value``, which neutralises
text that a spreadsheet would run as a formula (CSV or formula injection, OWASP): a text value
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe,
so ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` is shown as the text it is. Numbers stay
numbers (a negative count is not text). Callers add their own access logging.
"""

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.masking import mask_phone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The first characters that make Excel, LibreOffice or WPS read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would evaluate gets a leading apostrophe; everything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]
    kind: str = "text"  # text | int | pct | decimal | phone | date


def cell_value(column: Column, row):
    """The value written for ``row`` in ``column``: typed by the column's kind, text neutralised."""
    value = column.value(row)
    if column.kind == "phone":
        value = mask_phone(value or "")
    elif column.kind in ("pct", "decimal"):
        return float(value) if value is not None else None
    elif value is None:
        return ""
    elif not isinstance(value, int | float):
        value = str(value)
    return neutralise(value)


def csv_response(*, filename: str, columns: Sequence[Column], rows: Iterable) -> HttpResponse:
    """A UTF-8 CSV download with a byte-order mark (Excel needs it), every field quoted."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(str(c.header)) for c in columns])
    for row in rows:
        writer.writerow([cell_value(c, row) for c in columns])
    return response


def workbook(title: str, columns: Sequence[Column], rows: Iterable) -> bytes:
    """One .xlsx sheet: a title line, the header row (frozen), then the rows."""
    book = Workbook()
    sheet = book.active
    # A sheet name is at most 31 characters, without []:*?/\ (openpyxl refuses them).
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31].strip() or "Sheet"
    sheet.append([neutralise(str(title))])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([neutralise(str(c.header)) for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F4ECE6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(8, len(c.header) * 2 + 2) for c in columns]
    for row in rows:
        values = [cell_value(c, row) for c in columns]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(value)) * 2 if value is not None else 0))
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = widths[i - 1]
        if column.kind == "pct":
            for cell in sheet[letter][2:]:
                cell.number_format = "0.0%"
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
