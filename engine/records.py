"""Cells → records: what each row (or a sheet of fields, or a table's sheet) says, as the schema expects it.

Headers are matched by field path or title (a near-miss gets a hint); merged cells and formulas
without a value in the data area, duplicate localities and unknown columns are located errors.
Cells are converted as a Vietnamese clerk types them (`1.337.000.000`, `8,17`, `06/01/2025`);
what cannot be converted is kept as typed, for the schema to explain with its usual message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from engine.columns import Column, Layout, Table
from engine.errors import DataPath, Issue, Severity
from engine.schema import near_miss
from engine.sheet import DOCUMENT_HEADERS
from engine.workbook import Book, Grid, cell_name

HEAD_ROWS = 6  # header rows are searched for among the first rows
GROUPED = re.compile(r"[+-]?\d{1,3}(?:[. ]\d{3})+")  # 1.337.000.000 (a Vietnamese Excel's text)
DECIMAL_COMMA = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})*,\d+|[+-]?\d+,\d+")  # 8,17 and 1.234,5
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class Record:
    """One document's values from the sheets, each with the cell it came from."""

    values: dict[DataPath, Any] = field(default_factory=dict)
    cells: dict[DataPath, str] = field(default_factory=dict)
    anchor: str = ""
    tables: dict[DataPath, list[dict[DataPath, Any]]] = field(default_factory=dict)
    # The sheet gives the document's figures, so the base's are dropped: always for a row, for a
    # sheet of fields only once it holds a value (filling just a table keeps the base's figures).
    gives_figures: bool = True


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


class Reader:
    """Turns a book's sheets into records, collecting located issues."""

    def __init__(self, book: Book, lay: Layout) -> None:
        self.book, self.layout = book, lay
        self.issues: list[Issue] = list(book.warnings)
        self.rows: list[Record] = []
        self.document: Record | None = None

    def at(
        self, grid: Grid, cell: tuple[int, int], message: str, hint: str = "", code: str = "sheet"
    ) -> None:
        where = f"{self.book.file}:{grid.name}!{cell_name(*cell)}"
        self.issues.append(Issue(message, code=code, file=where, hint=hint))

    def read(self) -> None:
        for grid in self.book.sheets:
            if self._is_document(grid):
                self._read_document(grid)
                continue
            table = next((table for table in self.layout.tables if grid.name == table.name[:31]), None)
            columns = table.columns if table else self.layout.columns
            header = self._header(grid, columns)
            if header is None:
                message = f"bỏ qua trang `{grid.name}`: không có cột nào của biểu mẫu"
                self.issues.append(
                    Issue(message, severity=Severity.WARNING, code="sheet.other", file=self.book.file)
                )
                continue
            start, mapping = header
            self._check_area(grid, start, _by_column(mapping))
            if table:
                self._read_table(grid, table, start, mapping)
            else:
                self._read_rows(grid, start, mapping)

    def _is_document(self, grid: Grid) -> bool:
        return any(row and row[0] == DOCUMENT_HEADERS[0] for row in grid.rows[:HEAD_ROWS])

    def _header(self, grid: Grid, columns: tuple[Column, ...]) -> tuple[int, dict[int, Column]] | None:
        """The first data row and column index → column; unknown headers are located errors."""
        by_name = {column.name: column for column in columns}
        best: tuple[int, dict[int, Column]] | None = None
        for index, row in enumerate(grid.rows[:HEAD_ROWS]):
            mapping = _match(row, columns)
            known = {col: column for col, column in mapping.items() if column is not None}
            if known and len(known) * 2 >= len(mapping) and (best is None or len(known) >= len(best[1])):
                best = (index, known)
        if best is None:
            return None
        index, known = best
        seen: dict[str, int] = {}
        for col, value in enumerate(grid.rows[index]):
            if value is None:
                continue
            if col not in known:
                near = near_miss(str(value), list(by_name))
                hint = f"có phải ý bạn là `{near}` ({by_name[near].title})?" if near else "xóa cột này"
                self.at(grid, (index, col), f"không có cột `{value}` trong biểu mẫu", hint, "sheet.column")
            elif known[col].name in seen:
                message = (
                    f"cột `{known[col].name}` lặp lại (đã có ở cột {cell_name(index, seen[known[col].name])})"
                )
                self.at(grid, (index, col), message, code="sheet.column")
            else:
                seen[known[col].name] = col
        return index + 1, known

    def _check_area(self, grid: Grid, start: int, column_at: Callable[[int, int], Column | None]) -> None:
        """Merged cells below the headers; formulas without a value in a cell that is imported."""
        for (top, left), (bottom, right) in grid.merged:
            if bottom >= start:
                span = f"{cell_name(top, left)}:{cell_name(bottom, right)}"
                hint = "bỏ gộp ô (Merge & Center) và nhập giá trị cho từng ô"
                self.at(grid, (top, left), f"ô gộp {span} trong vùng số liệu", hint, "sheet.merged")
        for (row, col), formula in sorted(grid.formulas.items()):
            column = column_at(row, col) if row >= start else None
            if column is not None and not column.derived:
                message = f"công thức ={formula} chưa có giá trị đã tính"
                hint = "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, hoặc nhập số thay cho công thức"
                self.at(grid, (row, col), message, hint, "sheet.formula")

    def _cells(self, grid: Grid, row: int, mapping: dict[int, Column]) -> Iterator[tuple[int, Column, Any]]:
        values = grid.rows[row]
        for col, column in mapping.items():
            value = values[col] if col < len(values) else None
            if not column.derived and value is not None:
                yield col, column, convert(value, column)

    def _read_rows(self, grid: Grid, start: int, mapping: dict[int, Column]) -> None:
        """One record per non-empty row; each must name its locality (the key column), once."""
        key = self.layout.key
        key_col = next((col for col, column in mapping.items() if column is key), None)
        if key_col is None:
            message = f"thiếu cột `{key.name}` ({key.title}): cần để biết mỗi dòng là của đơn vị nào"
            self.at(grid, (start - 1, 0), message, code="sheet.column")
            return
        seen: dict[Any, int] = {}
        for row in range(start, len(grid.rows)):
            record = Record(anchor=f"{grid.name}!{cell_name(row, 0)}")
            for col, column, value in self._cells(grid, row, mapping):
                record.values[column.path] = value
                record.cells[column.path] = f"{grid.name}!{cell_name(row, col)}"
            if not record.values:
                continue  # an empty row in the middle: skipped, as a reader expects
            name = record.values.get(key.path)
            if name is None:
                self.at(grid, (row, key_col), f"dòng có số liệu nhưng chưa có {key.title}", code="sheet.key")
            elif name in seen:
                self.at(grid, (row, key_col), f"{name} đã có ở dòng {seen[name] + 1}", code="sheet.duplicate")
            else:
                seen[name] = row
            self.rows.append(record)

    def _read_document(self, grid: Grid) -> None:
        record = self.document or Record(anchor=f"{grid.name}!A1", gives_figures=False)
        self.document = record
        start = (
            next(index for index, row in enumerate(grid.rows) if row and row[0] == DOCUMENT_HEADERS[0]) + 1
        )
        self._check_area(grid, start, lambda row, col: self._field(grid, row) if col == 2 else None)
        for row in range(start, len(grid.rows)):
            values = grid.rows[row] + [None] * 3
            if values[0] is None or values[0] == "":
                continue
            column = self.layout.column(str(values[0]).strip())
            if column is None:
                near = near_miss(str(values[0]), [column.name for column in self.layout.columns])
                hint = f"có phải ý bạn là `{near}`?" if near else "xóa dòng này"
                self.at(grid, (row, 0), f"không có trường `{values[0]}`", hint, "sheet.field")
            elif not column.derived and values[2] is not None:
                record.gives_figures = True
                record.values[column.path] = convert(values[2], column)
                record.cells[column.path] = f"{grid.name}!{cell_name(row, 2)}"

    def _field(self, grid: Grid, row: int) -> Column | None:
        name = grid.rows[row][0] if grid.rows[row] else None
        return self.layout.column(str(name).strip()) if name is not None else None

    def _read_table(self, grid: Grid, table: Table, start: int, mapping: dict[int, Column]) -> None:
        record = self.document or Record(anchor=f"{grid.name}!A1", gives_figures=False)
        self.document = record
        items: list[dict[DataPath, Any]] = []
        for row in range(start, len(grid.rows)):
            item: dict[DataPath, Any] = {}
            for col, column, value in self._cells(grid, row, mapping):
                item[column.path] = value
                record.cells[(*table.path, len(items), *column.path)] = f"{grid.name}!{cell_name(row, col)}"
            if item:
                items.append(item)
        if items:
            record.tables[table.path] = items


def _by_column(mapping: dict[int, Column]) -> Callable[[int, int], Column | None]:
    return lambda row, col: mapping.get(col)


def _match(row: list[Any], columns: tuple[Column, ...]) -> dict[int, Column | None]:
    """Header cells → columns, by path (`ket_qua.ho_ngheo`) or by title; a title several columns share
    (`Tổng số hộ dân cư`) takes them in the workbook's order."""
    by_name = {column.name: column for column in columns}
    by_title: dict[str, list[Column]] = {}
    for column in columns:
        by_title.setdefault(_fold(column.title), []).append(column)
        if column.header != column.title:
            by_title.setdefault(_fold(column.header), []).append(column)
    mapping: dict[int, Column | None] = {}
    for col, value in enumerate(row):
        if value is None:
            continue
        found = by_name.get(str(value).strip())
        if found is None and (same := by_title.get(_fold(str(value)))):
            found = same.pop(0)
        mapping[col] = found
    return mapping


def convert(value: Any, column: Column) -> Any:
    """A cell as the schema expects it; what cannot be converted stays as typed, for the schema's message."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
    if column.is_figure or column.kind == "year":
        return _figure(value, column.kind != "number")
    if column.kind in {"date", "date_or_month"}:
        if isinstance(value, datetime | date):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, str) and (found := DAY_MONTH_YEAR.fullmatch(value)):
            day, month, year = found.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _figure(value: Any, integer: bool) -> Any:
    if isinstance(value, float) and value.is_integer() and integer:
        return int(value)
    if not isinstance(value, str):
        return value
    compact = value.replace("\u00a0", " ")
    if GROUPED.fullmatch(compact):
        return int(re.sub(r"[. ]", "", compact))
    if DECIMAL_COMMA.fullmatch(compact):
        number = float(compact.replace(".", "").replace(",", "."))
        return int(number) if integer and number.is_integer() else number
    if PLAIN_NUMBER.fullmatch(compact):
        number = float(compact)
        return int(number) if number.is_integer() and (integer or "." not in compact) else number
    return value
