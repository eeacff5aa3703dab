"""Reading ledgers (台账) as people really keep them in Excel.

A ledger arrives with a title row merged across the sheet, sometimes a second line of notes, the header
row wherever the clerk put it, headers spelled a little differently from station to station
(「反映问题」 for 「意见内容」, 「联系电话」 for 「电话」), and dates in every form a clerk types: a real date
cell, ``2023.9.28``, ``2023/9/28``, ``2023年9月28日``, ``20230928`` or an Excel serial number. This module
turns such a sheet into rows of ``{field: value}`` keyed by the ledger kind's fields, each remembering its
sheet and row number, and reports what it cannot read as ``CellError`` in the user's words.

The workbook is read with openpyxl in read-only mode (rows are streamed, memory stays flat) after the
package is checked: an ``.xlsx`` whose parts would unpack to more than ``MAX_UNPACKED_BYTES`` or whose
compression ratio is absurd (a zip bomb) is refused before openpyxl sees it.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
# The header row is looked for in the first rows only (title, notes, then headers).
HEADER_SEARCH_ROWS = 15
MAX_ROWS = 200_000
MAX_CELL_CHARS = 5000


class LedgerUnreadable(Exception):
    """The file as a whole cannot be read as this ledger (not an xlsx, no header row, too big)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column of a ledger kind: the field it fills, its header and the other headers seen in real ledgers."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text | date | int | choice | names
    width: int = 14
    help: str = ""
    choices: tuple[str, ...] = ()  # what the template's drop-down offers


@dataclass
class CellError:
    sheet: str
    row: int
    column: str  # the header as written in the template
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("Row %(row)s") % {"row": self.row}
        if self.column:
            return _("%(where)s 「%(column)s」: %(message)s") % {
                "where": where,
                "column": self.column,
                "message": self.message,
            }
        return f"{where}: {self.message}"


@dataclass
class LedgerRow:
    sheet: str
    number: int  # the row number Excel shows
    values: dict = field(default_factory=dict)


def normalise_header(text) -> str:
    """Headers compared without spaces, line breaks, asterisks, colons or brackets' width."""
    if text is None:
        return ""
    text = str(text)
    text = text.translate(str.maketrans("（）：", "():"))
    return re.sub(r"[\s*:：]|\(.*?\)", "", text)


def check_package(data: bytes) -> None:
    """Refuse what is not a small, sane xlsx package before any XML is parsed."""
    if len(data) > MAX_FILE_BYTES:
        raise LedgerUnreadable(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LedgerUnreadable(_("This is not an Excel workbook (.xlsx).")) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise LedgerUnreadable(_("This is not an Excel workbook (.xlsx).")) from None
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise LedgerUnreadable(_("The workbook unpacks to an implausible size; it was not read."))


def _header_map(cells, columns: list[Column]) -> dict[int, Column]:
    wanted = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            wanted.setdefault(normalise_header(name), column)
    found: dict[int, Column] = {}
    for index, cell in enumerate(cells):
        column = wanted.get(normalise_header(cell))
        if column is not None and column not in found.values():
            found[index] = column
    return found


@dataclass
class Sheet:
    title: str
    rows: Iterator[LedgerRow]
    size: int  # the rows below the header as the sheet declares them (for progress; blank rows included)


def read_sheet(data: bytes, columns: list[Column]) -> Sheet:
    """The first sheet whose header row names every required column: its title and its data rows, streamed.

    Rows that are entirely empty are skipped; reading stops at ``MAX_ROWS`` data rows with an error.
    """
    check_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise LedgerUnreadable(_("The workbook could not be opened; save it again as .xlsx.")) from None
    required = {c.field for c in columns if c.required}
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        rows = sheet.iter_rows(values_only=True)
        for offset, cells in enumerate(rows, start=1):
            if offset > HEADER_SEARCH_ROWS:
                break
            mapping = _header_map(cells or (), columns)
            if required <= {c.field for c in mapping.values()}:
                size = max((sheet.max_row or 0) - offset, 0)
                return Sheet(sheet.title, _data_rows(sheet.title, rows, offset, mapping), size)
    missing = "、".join(c.header for c in columns if c.required)
    raise LedgerUnreadable(
        _("No sheet has a header row with the columns %(columns)s in its first %(rows)s rows.")
        % {"columns": missing, "rows": HEADER_SEARCH_ROWS}
    )


def _data_rows(title: str, rows, header_row: int, mapping: dict[int, Column]) -> Iterator[LedgerRow]:
    count = 0
    for number, cells in enumerate(rows, start=header_row + 1):
        values = {}
        for index, column in mapping.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    value = None
            if value is not None:
                values[column.field] = value
        if not values:
            continue
        count += 1
        if count > MAX_ROWS:
            raise LedgerUnreadable(_("A ledger holds at most %(rows)s rows; split the file.") % {"rows": MAX_ROWS})
        yield LedgerRow(sheet=title, number=number, values=values)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value) -> dt.date:
    """A date from what a ledger cell holds; ``ValueError`` with the user's message otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000 and float(value).is_integer():
            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else converted
        if 19000101 <= value <= 21001231:
            value = str(int(value))
        else:
            raise ValueError(_("Not a date."))
    text = re.sub(r"\s", "", str(value))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(_("There is no such date.")) from None
    raise ValueError(_("Not a date; write it as 2023-09-28 or 2023年9月28日."))


def parse_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Not a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = re.sub(r"[\s人名次]", "", str(value))
    if re.fullmatch(r"\d{1,7}", text):
        return int(text)
    raise ValueError(_("Not a whole number."))


def text_of(value, limit: int = MAX_CELL_CHARS) -> str:
    """A cell as text: numbers without a trailing ``.0``, control characters dropped, length bounded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()[:10]
    text = "".join(ch for ch in str(value) if ch.isprintable() or ch in "\n\t").strip()
    if len(text) > limit:
        raise ValueError(_("Longer than %(limit)s characters.") % {"limit": limit})
    return text


def split_names(value) -> list[str]:
    """Names separated the way ledgers separate them: 、，,；; or spaces."""
    return [part for part in re.split(r"[、，,；;\s/]+", text_of(value)) if part]


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)
