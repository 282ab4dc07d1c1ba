"""`baocao export DIR -o bang.xlsx`: every document's figures, stored and derived, back into a workbook.

One sheet per kind (`Xa` layout of engine/columns.py: one row per document, the file in
column A), and one sheet per table (`phu_luc.huyen`), each row led by its document's file.
Values are the engine's after the kind's rules filled in what the data left out (rates,
totals), written as numbers with the number formats of `baocao sheet`; nothing is written
when any document has an error.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine.columns import Column, layout
from engine.errors import DataPath, Issue, ReportError
from engine.pipeline import Checked, check
from engine.rules import apply_rules
from engine.sheet import FIXED_TIME, FORMATS, HEAD_FONT, PATH_FONT, repacked

FILE_HEADER = ("Tệp", "tep")


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _sheet(book: Workbook, name: str, columns: list[Column]) -> Worksheet:
    sheet: Worksheet = book.create_sheet(name[:31])
    for index, (title, path) in enumerate(
        [FILE_HEADER, *((column.title, column.name) for column in columns)], start=1
    ):
        sheet.cell(1, index, title).font = HEAD_FONT
        sheet.cell(2, index, path).font = PATH_FONT
    sheet.freeze_panes = "B3"
    return sheet


def _append(sheet: Worksheet, name: str, columns: list[Column], data: Any) -> None:
    row = sheet.max_row + 1
    sheet.cell(row, 1, name)
    for index, column in enumerate(columns, start=2):
        value = _get(data, column.path)
        if value is not None:
            cell = sheet.cell(row, index, value)
            cell.number_format = FORMATS[column.kind]


def export_bytes(checked: list[Checked], names: list[str]) -> bytes:
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    sheets: dict[str, Worksheet] = {}
    for document, name in zip(checked, names, strict=True):
        lay = layout(document.kind)
        data = apply_rules(document.kind, document.document.data).data
        if document.kind not in sheets:
            sheets[document.kind] = _sheet(book, document.kind, list(lay.columns))
        _append(sheets[document.kind], name, list(lay.columns), data)
        for table in lay.tables:
            items = _get(data, table.path)
            if not isinstance(items, list) or not items:
                continue
            key = f"{document.kind}:{table.name}"
            if key not in sheets:
                sheets[key] = _sheet(book, table.name, list(table.columns))
            for item in items:
                _append(sheets[key], name, list(table.columns), item)
    if not sheets:
        book.create_sheet("Trong")
    book.properties.creator = "baocao"
    book.properties.created = book.properties.modified = FIXED_TIME
    stream = io.BytesIO()
    book.save(stream)
    return repacked(stream.getvalue())


def export_directory(directory: Path) -> tuple[bytes, list[Issue]]:
    """The workbook of every `*.yaml` under `directory`, and the warnings; `ReportError` on any error."""
    paths = sorted(directory.rglob("*.y*ml"))
    issues: list[Issue] = []
    checked, names = [], []
    for path in paths:
        name = path.relative_to(directory).as_posix()
        try:
            result = check(path, display_name=str(path))
        except ReportError as error:
            issues += error.issues
            continue
        issues += result.warnings
        checked.append(result)
        names.append(name)
    if any(issue.is_error for issue in issues):
        raise ReportError(issues)
    if not checked:
        message = "không có tệp dữ liệu .yaml nào trong thư mục"
        raise ReportError([Issue(message, code="export.empty", file=str(directory))])
    return export_bytes(checked, names), issues
