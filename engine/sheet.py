"""`baocao sheet KIND`: a fill-in workbook generated from the kind's schema (engine/columns.py).

Every sheet has the same head: row 1 names the kind (`loai: …`, read back by `import`),
row 2 the Vietnamese titles (descriptions as comments), row 3 the field paths; data start
on row 4. Number formats are Excel's locale-neutral codes: `#,##0` is shown `1.337.000`
by a Vietnamese Excel or LibreOffice (the file always stores `,` for grouping and `.` for
decimals; the reader's locale picks the symbols). Headers and derived columns are locked
(the sheet is protected without a password); the cells to fill are not.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from engine.columns import Column, Layout
from engine.render import deterministic_zip

MAIN_SHEET = "Xa"  # one row per document (commune, district…)
DOCUMENT_SHEET = "VanBan"  # one document: one row per field
TITLE_ROW, HEADER_ROW, PATH_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
PREPARED_ROWS = 300  # rows given the derived columns' formulas and the data validation
FORMATS = {
    "integer": "#,##0",
    "number": "#,##0.00",
    "year": "0",
    "date": "dd/mm/yyyy",
    "date_or_month": "dd/mm/yyyy",
    "text": "@",
    "choice": "@",
}
DATE_RANGE = ("DATE(1945,1,1)", "DATE(2100,12,31)")
DOCUMENT_HEADERS = ("Mã trường", "Nội dung", "Giá trị")
FIXED_TIME = datetime(2024, 1, 1)
CORE = "docProps/core.xml"
HEAD_FONT = Font(bold=True)
PATH_FONT = Font(italic=True, color="808080", size=9)
DERIVED_FILL = PatternFill("solid", fgColor="E7E6E6")
UNLOCKED = Protection(locked=False)


def kind_mark(layout: Layout) -> str:
    return f"{layout.title} (loai: {layout.kind})"


def workbook_bytes(layout: Layout, *, one_document: bool = False) -> bytes:
    """The workbook: one row per document, or (`one_document`) one row per field plus a sheet per table."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if one_document:
        _fields_sheet(sheet, layout)
        for table in layout.tables:
            _rows_sheet(
                book.create_sheet(table.name[:31]), layout, table.columns, f"{table.title} ({table.name})"
            )
    else:
        sheet.title = MAIN_SHEET
        _rows_sheet(sheet, layout, layout.columns, "")
    book.properties.creator = "baocao"
    book.properties.created = book.properties.modified = FIXED_TIME
    stream = io.BytesIO()
    book.save(stream)
    return repacked(stream.getvalue())


def repacked(data: bytes) -> bytes:
    """openpyxl stamps zip entries and `modified` with the clock; fixed here, so the bytes repeat."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(name, archive.read(name)) for name in archive.namelist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [
        (name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body) if name == CORE else body)
        for name, body in entries
    ]
    return deterministic_zip(entries)


def _head(sheet: Worksheet, layout: Layout, subtitle: str) -> None:
    sheet.cell(TITLE_ROW, 1, kind_mark(layout) + (f" — {subtitle}" if subtitle else "")).font = HEAD_FONT
    sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _comment(column: Column) -> Comment | None:
    text = column.description
    if column.derived:
        text = f"Tự tính, không nhập. {text}"
    if not text:
        return None
    comment = Comment(text, "baocao")
    comment.width, comment.height = 300, 120
    return comment


def _rows_sheet(sheet: Worksheet, layout: Layout, columns: Iterable[Column], subtitle: str) -> None:
    """Columns across, one record per row from row 4."""
    _head(sheet, layout, subtitle)
    columns = list(columns)
    letters = {column.path: get_column_letter(index) for index, column in enumerate(columns, start=1)}
    last = FIRST_DATA_ROW + PREPARED_ROWS - 1
    for index, column in enumerate(columns, start=1):
        letter = letters[column.path]
        header = sheet.cell(HEADER_ROW, index, column.header)
        header.font, header.alignment = HEAD_FONT, Alignment(wrap_text=True, vertical="top")
        header.comment = _comment(column)
        sheet.cell(PATH_ROW, index, column.name).font = PATH_FONT
        # Column styles reach every row a clerk may type in; header cells keep their own (locked) style.
        dimension = sheet.column_dimensions[letter]
        dimension.width = 16 if column.is_figure else 24
        dimension.number_format = FORMATS[column.kind]
        if not column.derived:
            dimension.protection = UNLOCKED
        for row in range(FIRST_DATA_ROW, last + 1) if column.derived else ():
            cell = sheet.cell(
                row, index, _formula(column, {path: f"{letters[path]}{row}" for path in letters})
            )
            cell.number_format, cell.fill = FORMATS[column.kind], DERIVED_FILL
        if validation := _validation(column):
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[HEADER_ROW].height = 45


def _fields_sheet(sheet: Worksheet, layout: Layout) -> None:
    """One document: field path, title and value on each row from row 4."""
    sheet.title = DOCUMENT_SHEET
    _head(sheet, layout, "")
    for index, header in enumerate(DOCUMENT_HEADERS, start=1):
        sheet.cell(HEADER_ROW, index, header).font = HEAD_FONT
    cells = {column.path: f"C{row}" for row, column in enumerate(layout.columns, start=FIRST_DATA_ROW)}
    for row, column in enumerate(layout.columns, start=FIRST_DATA_ROW):
        sheet.cell(row, 1, column.name).font = PATH_FONT
        title = sheet.cell(row, 2, column.header)
        title.comment = _comment(column)
        value = sheet.cell(row, 3)
        value.number_format = FORMATS[column.kind]
        if column.derived:
            value.value, value.fill = _formula(column, cells), DERIVED_FILL
        else:
            value.protection = UNLOCKED
        if validation := _validation(column):
            validation.add(f"C{row}")
            sheet.add_data_validation(validation)
    for letter, width in zip("ABC", (32, 48, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def _formula(column: Column, cells: dict[tuple[str | int, ...], str]) -> str:
    """The rule's computation on the row's cells: a sum, a difference, or a rate rounded as the rule says."""
    rule, sources, digits = column.formula
    refs = [cells[source] for source in sources]
    if rule in {"ty_le", "ty_trong"}:
        numerator, denominator = refs
        return f'=IF(N({denominator})>0,ROUND({numerator}/{denominator}*100,{digits}),"")'
    if rule == "hieu":
        return f'=IF(COUNT({",".join(refs)})=2,{refs[0]}-{refs[1]},"")'
    return f'=IF(COUNT({",".join(refs)})>0,SUM({",".join(refs)}),"")'


def _validation(column: Column) -> DataValidation | None:
    """Excel's own checks while typing; `import` checks again with the schema's messages."""
    if column.derived:
        return None
    if column.is_figure or column.kind == "year":
        kind: Literal["whole", "decimal"] = "decimal" if column.kind == "number" else "whole"
        low = _plain(column.minimum if column.minimum is not None else -(10**15))
        high = _plain(column.maximum if column.maximum is not None else 10**15)
        message = "Nhập số nguyên" if kind == "whole" else "Nhập số"
        message += f" từ {low} đến {high}" if column.maximum is not None else f" không nhỏ hơn {low}"
        validation = DataValidation(type=kind, operator="between", formula1=low, formula2=high)
        return _checked(validation, message)
    if column.kind == "date":
        validation = DataValidation(
            type="date", operator="between", formula1=DATE_RANGE[0], formula2=DATE_RANGE[1]
        )
        return _checked(validation, "Nhập ngày, ví dụ 15/06/2024")
    if column.kind == "choice":
        options = ",".join(column.options)
        return _checked(DataValidation(type="list", formula1=f'"{options}"'), f"Chọn một trong: {options}")
    return None


def _plain(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _checked(validation: DataValidation, message: str) -> DataValidation:
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = "Giá trị không hợp lệ"
    validation.error = message
    return validation
