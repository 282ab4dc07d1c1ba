"""`baocao export DIR -o bang.xlsx`: every document's figures, stored and derived, back into a workbook.

One sheet per kind (`Xa` layout of engine/columns.py: one row per document, the file in
column A), and one sheet per table (`phu_luc.huyen`), each row led by its document's file.
Values are the engine's after the kind's rules filled in what the data left out (rates,
totals), written as numbers with the number formats of `baocao sheet`; nothing is written
when any document has an error.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine.build import find_sources
from engine.columns import Column, Layout, layout
from engine.errors import DataPath, Issue, ReportError
from engine.pipeline import check, rules_of
from engine.rules import apply_rules
from engine.sheet import FIXED_TIME, FORMATS, HEAD_FONT, PATH_FONT, repacked
from engine.workspace import lookup

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
        [FILE_HEADER, *((column.header, column.name) for column in columns)], start=1
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


@dataclass(frozen=True)
class Exported:
    """One document as exported: its file (relative to the folder), layout and figures after the rules."""

    name: str
    layout: Layout
    data: dict[str, Any]


def export_bytes(documents: list[Exported]) -> bytes:
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    sheets: dict[str, Worksheet] = {}
    for document in documents:
        lay = document.layout
        if lay.kind not in sheets:
            sheets[lay.kind] = _sheet(book, lay.kind, list(lay.columns))
        _append(sheets[lay.kind], document.name, list(lay.columns), document.data)
        for table in lay.tables:
            items = _get(document.data, table.path)
            if not isinstance(items, list) or not items:
                continue
            key = f"{lay.kind}:{table.name}"
            if key not in sheets:
                sheets[key] = _sheet(book, table.name, list(table.columns))
            for item in items:
                _append(sheets[key], document.name, list(table.columns), item)
    book.properties.creator = "baocao"
    book.properties.created = book.properties.modified = FIXED_TIME
    stream = io.BytesIO()
    book.save(stream)
    return repacked(stream.getvalue())


def export_directory(directory: Path, out: Path) -> tuple[bytes, list[Issue]]:
    """The workbook of every data file under `directory` (as `build` finds them), and the warnings;
    `ReportError` when any has an error."""
    issues: list[Issue] = []
    documents = []
    for path in find_sources(directory, out):
        try:
            checked = check(path, display_name=str(path))
        except ReportError as error:
            issues += error.issues
            continue
        issues += checked.warnings
        where = lookup(path)
        rules = rules_of(checked.files, where)
        data = apply_rules(rules, checked.document.data).data
        documents.append(Exported(path.relative_to(directory).as_posix(), layout(checked.kind, where), data))
    if any(issue.is_error for issue in issues):
        raise ReportError(issues)
    if not documents:
        message = "không có tệp dữ liệu .yaml nào trong thư mục"
        raise ReportError([Issue(message, code="export.empty", file=str(directory))])
    return export_bytes(documents), issues
