"""`baocao import`: a filled workbook → data files, checked by the engine before anything is written.

A sheet of the main columns gives one document per row (a commune's figures); a sheet of
fields (`Mã trường`, `Giá trị`) gives one document; a sheet named after a table
(`phu_luc.huyen`) replaces that list of the one document. The text comes from a base
data file (last period's, `--tu`), its comments kept; its figures are dropped unless the
sheet gives them, so no stale figure survives. Every produced document goes through
`engine.pipeline.check`, and each problem is reported at the cell it came from, with the
same message as for YAML: `bieu-mau.xlsx:Xa!D12: lỗi: …`. All files or none are written.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from engine.columns import Column, Layout, Table, layout
from engine.errors import DataPath, Issue, ReportError, Severity
from engine.load import load_document
from engine.pipeline import check
from engine.render import staged
from engine.rollup import Rollup, rollup
from engine.schema import _near
from engine.sheet import DOCUMENT_HEADERS
from engine.workbook import Book, Grid, cell_name, read_book

KIND_MARK = re.compile(r"\(loai: ([a-z0-9_]+)\)")
HEAD_ROWS = 6  # header rows are searched for among the first rows
GROUPED = re.compile(r"[+-]?\d{1,3}(?:[. ]\d{3})+")  # 1.337.000.000 (a Vietnamese Excel's text)
DECIMAL_COMMA = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})*,\d+|[+-]?\d+,\d+")  # 8,17 and 1.234,5
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
FRAME_ONLY = ("tong_hop", "ky_truoc")  # parts of the district file a commune report must not copy


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


@dataclass
class Produced:
    name: str
    text: str
    record: Record


@dataclass
class Imported:
    files: list[Path]
    warnings: list[Issue]
    records: dict[Path, Record] = field(default_factory=dict)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def slug(text: str) -> str:
    """`xã An Hòa` → `xa-an-hoa`, for file names."""
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in bare if not unicodedata.combining(char)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-") or "van-ban"


def _fold(text: str) -> str:
    return re.sub(
        r"\s+", " ", unicodedata.normalize("NFC", text).casefold().replace(" (tự tính)", "")
    ).strip()


class _Reader:
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
                near = _near(str(value), list(by_name))
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
        key = self.layout.key
        seen: dict[Any, int] = {}
        for row in range(start, len(grid.rows)):
            record = Record(anchor=f"{grid.name}!{cell_name(row, 0)}")
            for col, column, value in self._cells(grid, row, mapping):
                record.values[column.path] = value
                record.cells[column.path] = f"{grid.name}!{cell_name(row, col)}"
            if not record.values:
                continue  # an empty row in the middle: skipped, as a reader expects
            name = record.values.get(key.path)
            if name is not None and name in seen:
                col = next(col for col, column in mapping.items() if column is key)
                self.at(grid, (row, col), f"{name} đã có ở dòng {seen[name] + 1}", code="sheet.duplicate")
            elif name is not None:
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
                near = _near(str(values[0]), [column.name for column in self.layout.columns])
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


def _kind(book: Book, base: dict[str, Any] | None) -> str:
    if base is not None and isinstance(base.get("loai"), str):
        return str(base["loai"])
    for grid in book.sheets:
        for row in grid.rows[:2]:
            for value in row:
                if isinstance(value, str) and (found := KIND_MARK.search(value)):
                    return found.group(1)
    hint = "giữ dòng 1 của biểu mẫu do `baocao sheet` tạo, hoặc dùng --tu TỆP.yaml"
    raise ReportError(
        [Issue("không biết loại văn bản của bảng tính", code="sheet.kind", file=book.file, hint=hint)]
    )


def _set(node: CommentedMap, path: DataPath, value: Any) -> None:
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = CommentedMap()
        node = child
    node[path[-1]] = value


def _drop(node: Any, path: DataPath) -> None:
    """Remove the value at `path`, and the groups it leaves empty."""
    parents = []
    for part in path[:-1]:
        parents.append(node)
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict) or path[-1] not in node:
        return
    del node[path[-1]]
    for parent, part in zip(reversed(parents), reversed(path[:-1]), strict=True):
        if parent[part]:
            break
        del parent[part]


def _text(base: CommentedMap | None, lay: Layout, record: Record) -> str:
    document = copy.deepcopy(base) if base is not None else CommentedMap(loai=lay.kind)
    for column in lay.columns:
        if column.path in record.values:
            _set(document, column.path, record.values[column.path])
        elif column.is_figure and record.gives_figures:
            _drop(document, column.path)  # last period's figure must not survive
    for path, items in record.tables.items():
        rows = CommentedSeq()
        for item in items:
            row = CommentedMap()
            for item_path, value in item.items():
                _set(row, item_path, value)
            rows.append(row)
        _set(document, path, rows)
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def produce(path: Path, file: str, base: Path | None) -> tuple[list[Produced], list[Issue]]:
    """The documents a workbook gives (file name, YAML text), and the issues found reading it."""
    book = read_book(path, file)
    base_data = load_document(base, str(base)).data if base is not None else None
    lay = layout(_kind(book, base_data))
    reader = _Reader(book, lay)
    reader.read()
    base_tree = _yaml().load(base.read_text(encoding="utf-8")) if base is not None else None
    produced = []
    if reader.document is not None and len(reader.rows) <= 1:
        record = reader.document
        for row in reader.rows:
            record.values, record.cells = {**record.values, **row.values}, {**record.cells, **row.cells}
            record.gives_figures = True
        key = record.values.get(lay.key.path)
        name = base.name if base is not None else f"{slug(str(key or lay.kind))}.yaml"
        produced.append(Produced(name, _text(base_tree, lay, record), record))
    else:
        if reader.document is not None:
            message = (
                "trang bảng và trang VanBan chỉ dùng khi nhập một văn bản, nhưng trang chính có nhiều dòng"
            )
            reader.issues.append(Issue(message, code="sheet.layout", file=file))
        for record in reader.rows:
            key = record.values.get(lay.key.path)
            name = (
                f"{slug(str(key))}.yaml"
                if key is not None
                else f"dong-{record.anchor.rsplit('!', 1)[-1]}.yaml"
            )
            produced.append(Produced(name, _text(base_tree, lay, record), record))
    if not produced and not reader.issues:
        reader.issues.append(Issue("bảng tính không có dòng số liệu nào", code="sheet.empty", file=file))
    return produced, reader.issues


def _at_cell(issue: Issue, record: Record, file: str) -> Issue:
    """A checked document's issue, moved from the staged YAML to the cell its value came from."""
    for end in range(len(issue.path), 0, -1):
        cell = record.cells.get(issue.path[:end])
        if cell is not None:
            return replace(issue, file=f"{file}:{cell}", line=0, col=0)
    return replace(issue, file=f"{file}:{record.anchor}", line=0, col=0)


def import_book(path: Path, out: Path, *, file: str, base: Path | None = None) -> Imported:
    """Write one data file per document into `out`, only when every one passes the engine's checks."""
    produced, issues = produce(path, file, base)
    if any(issue.is_error for issue in issues):
        raise ReportError(issues)
    names = [item.name for item in produced]
    created = not out.exists()
    with contextlib.ExitStack() as stack:
        if created:  # a folder made only to check in is removed again when nothing is written
            stack.callback(_remove_if_empty, out)
        staged_files = []
        for item in produced:
            trial = stack.enter_context(staged(out / item.name, item.text.encode("utf-8")))
            try:
                issues += [
                    _at_cell(issue, item.record, file)
                    for issue in check(trial, display_name=item.name).warnings
                ]
            except ReportError as error:
                issues += [_at_cell(issue, item.record, file) for issue in error.issues]
            staged_files.append(trial)
        if any(issue.is_error for issue in issues):
            raise ReportError(issues)
        for trial, name in zip(staged_files, names, strict=True):
            os.replace(trial, out / name)
    warnings = [issue for issue in issues if issue.severity is Severity.WARNING]
    return Imported(
        [out / name for name in names], warnings, {out / item.name: item.record for item in produced}
    )


def _remove_if_empty(folder: Path) -> None:
    if folder.exists() and not any(folder.iterdir()):
        folder.rmdir()


def _from_commune(issue: Issue, records: dict[Path, Record], file: str) -> Issue:
    record = records.get(Path(issue.file))
    return _at_cell(issue, record, file) if record is not None else issue


def rollup_book(path: Path, out: Path, *, file: str) -> Rollup:
    """`baocao rollup bieu-mau.xlsx -o huyen.yaml`: each row a commune report (its text from the
    district file), checked as `import` does, then summed by engine/rollup.py into `out`."""
    records: dict[Path, Record] = {}
    with tempfile.TemporaryDirectory(prefix="baocao-") as temporary:
        communes, base = Path(temporary) / "xa", Path(temporary) / "khung" / out.name
        if out.is_file():
            frame = _yaml().load(out.read_text(encoding="utf-8"))
            for key in FRAME_ONLY:
                frame.pop(key, None)
            base.parent.mkdir()
            _yaml().dump(frame, base)
            records = import_book(path, communes, file=file, base=base).records
        try:
            result = rollup(communes, out)
        except ReportError as error:
            raise ReportError([_from_commune(issue, records, file) for issue in error.issues]) from None
        result.warnings = [_from_commune(issue, records, file) for issue in result.warnings]
        source = Path(os.path.relpath(communes, out.parent)).as_posix()
        result.text = result.text.replace(source, Path(os.path.relpath(path, out.parent)).as_posix())
        with staged(out, result.text.encode("utf-8")) as trial:
            result.warnings += check(trial, display_name=str(out)).warnings
            os.replace(trial, out)
    return result
