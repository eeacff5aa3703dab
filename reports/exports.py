"""Excel (.xlsx) exports of the dashboard and ranking tables.

Every table a page shows can be downloaded with the same rows. Phone numbers are
masked (``138****5678``) like everywhere else outside the desk, and every export
is logged in the personal-data access log (who, what, when).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.masking import mask_phone
from liaison.services.privacy import client_ip, personal_data_export_log

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]
    kind: str = "text"  # text | int | pct | decimal | phone | date


def _cell_value(column: Column, row):
    value = column.value(row)
    if column.kind == "phone":
        return mask_phone(value or "")
    if column.kind == "pct":
        return float(value) if value is not None else None
    if column.kind == "decimal":
        return float(value) if value is not None else None
    if value is None:
        return ""
    return value if isinstance(value, int | float) else str(value)


def workbook(title: str, columns: Sequence[Column], rows: Iterable) -> bytes:
    """One sheet: a title line, the header row (frozen), then the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([c.header for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F4ECE6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(8, len(c.header) * 2 + 2) for c in columns]
    for row in rows:
        values = [_cell_value(c, row) for c in columns]
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


def xlsx_response(request, *, title: str, filename: str, columns: Sequence[Column], rows: Iterable) -> HttpResponse:
    """The .xlsx download, logged as an export of (masked) personal data."""
    data = workbook(title, columns, rows)
    personal_data_export_log(actor=request.user, subject=title, object_type="report_table", ip=client_ip(request))
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
