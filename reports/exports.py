"""Excel (.xlsx) exports of the dashboard and ranking tables.

Every table a page shows can be downloaded with the same rows. Phone numbers are
masked (``138****5678``) like everywhere else outside the desk, text that a
spreadsheet would run as a formula is neutralised (``core.exports``), and every
export is logged in the personal-data access log (who, what, when).
"""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone

from core.exports import XLSX, Column, workbook
from liaison.services.privacy import client_ip, personal_data_export_log

__all__ = ["XLSX", "Column", "workbook", "xlsx_response"]


def xlsx_response(request, *, title: str, filename: str, columns: Sequence[Column], rows: Iterable) -> HttpResponse:
    """The .xlsx download, logged as an export of (masked) personal data."""
    data = workbook(title, columns, rows)
    personal_data_export_log(actor=request.user, subject=title, object_type="report_table", ip=client_ip(request))
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
