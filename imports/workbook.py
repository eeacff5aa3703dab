"""The downloadable ledger templates: a sheet to fill in with Chinese headers and drop-down lists, and an
instruction sheet saying what each column takes."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import neutralise
from imports.reading import Column

TEMPLATE_ROWS = 2000  # rows the drop-downs cover
HEADER_FILL = PatternFill("solid", fgColor="DDE7F5")


def template(*, title: str, sheet_title: str, columns: list[Column], lists: dict[str, list[str]]) -> bytes:
    """An .xlsx with the data sheet (title row, header row, drop-downs), the instructions and the option lists.

    ``lists`` adds drop-down values for columns beyond their fixed choices (e.g. the user's stations).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    options = workbook.create_sheet("选项")
    option_column = 0
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index, value=column.header + ("*" if column.required else ""))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "date":
            for row in range(3, TEMPLATE_ROWS + 3):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        values = list(column.choices) or lists.get(column.field, [])
        if values:
            option_column += 1
            option_letter = get_column_letter(option_column)
            options.cell(row=1, column=option_column, value=column.header)
            for row, value in enumerate(values, start=2):
                options.cell(row=row, column=option_column, value=neutralise(value))
            source = f"{quote_sheetname('选项')}!${option_letter}$2:${option_letter}${len(values) + 1}"
            # A column of several names offers the list without refusing a cell that names more than one.
            several = column.kind == "names"
            validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=not several)
            validation.errorTitle = "请从下拉列表中选择"
            validation.error = f"「{column.header}」请从下拉列表中选择。"
            sheet.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{TEMPLATE_ROWS + 2}")
    sheet.freeze_panes = "A3"
    options.sheet_state = "hidden"
    guide = workbook.create_sheet("填写说明", 1)
    guide.append(["列", "是否必填", "说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in columns:
        guide.append([column.header, "必填" if column.required else "", column.help])
    guide.append([])
    guide.append(["", "", "第 1 行为标题，第 2 行为表头，从第 3 行起每行一条记录；带 * 的列必填。"])
    guide.append(["", "", "日期可写作 2023-09-28、2023.9.28、2023/9/28 或 2023年9月28日。"])
    guide.append(
        ["", "", "导入前系统会逐行检查并列出问题；有任何错误时不会导入任何内容。同一文件重复导入不会产生重复记录。"]
    )
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
