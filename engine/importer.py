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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from engine.columns import KEY_PATHS, Layout, UnknownKindError, layout
from engine.errors import DataPath, Issue, ReportError, Severity, format_path
from engine.load import load_document
from engine.pipeline import check
from engine.records import Reader, Record
from engine.render import staged
from engine.rollup import Rollup, rollup
from engine.workbook import Book, read_book
from engine.workspace import Catalogue, lookup

KIND_MARK = re.compile(r"\(loai: ([a-z0-9_]+)\)")
FRAME_ONLY = ("tong_hop", "ky_truoc")  # parts of the district file a commune report must not copy


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


def _text(yaml: YAML, base: CommentedMap | None, lay: Layout, record: Record) -> str:
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
    yaml.dump(document, stream)
    return stream.getvalue()


def _borrowed_names(lay: Layout, record: Record, base: dict[str, Any] | None, where: str) -> list[Issue]:
    """A row of another locality than the base's that leaves a naming field (the issuing body) empty
    takes the base's: worth a warning, the document would carry another commune's name."""
    if base is None or record.values[lay.key.path] == _get(base, lay.key.path):
        return []
    issues = []
    for path in KEY_PATHS:
        borrowed = _get(base, path)
        if path != lay.key.path and lay.column(format_path(path)) and path not in record.values and borrowed:
            message = f"để trống nên lấy của tệp gốc: {borrowed}"
            hint = "điền cột này nếu văn bản là của đơn vị khác"
            issues.append(
                Issue(message, path=path, severity=Severity.WARNING, code="sheet.base", file=where, hint=hint)
            )
    return issues


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def produce(path: Path, file: str, base: Path | None, where: Catalogue) -> tuple[list[Produced], list[Issue]]:
    """The documents a workbook gives (file name, YAML text) with the kinds `where` has, and the issues
    found reading it."""
    book = read_book(path, file)
    base_data = load_document(base, str(base)).data if base is not None else None
    try:
        lay = layout(_kind(book, base_data), where)
    except UnknownKindError as error:
        raise ReportError([Issue(error.args[0], code="sheet.kind", file=file)]) from None
    reader = Reader(book, lay)
    reader.read()
    if any(issue.is_error for issue in reader.issues):
        return [], reader.issues
    yaml = _yaml()  # one instance for every row: building the dumper is a tenth of a row's time
    base_tree = yaml.load(base.read_text(encoding="utf-8")) if base is not None else None
    produced = []
    if reader.document is not None and len(reader.rows) <= 1:
        record = reader.document
        for row in reader.rows:
            record.values, record.cells = {**record.values, **row.values}, {**record.cells, **row.cells}
            record.gives_figures = True
        key = record.values.get(lay.key.path)
        name = base.name if base is not None else f"{slug(str(key or lay.kind))}.yaml"
        produced.append(Produced(name, _text(yaml, base_tree, lay, record), record))
    else:
        if reader.document is not None:
            message = (
                "trang bảng và trang VanBan chỉ dùng khi nhập một văn bản, nhưng trang chính có nhiều dòng"
            )
            reader.issues.append(Issue(message, code="sheet.layout", file=file))
        for record in reader.rows:  # each names its locality (engine/records.py refuses a row without)
            name = f"{slug(str(record.values[lay.key.path]))}.yaml"
            produced.append(Produced(name, _text(yaml, base_tree, lay, record), record))
            reader.issues += _borrowed_names(lay, record, base_data, f"{file}:{record.anchor}")
    if not produced and not reader.issues:
        reader.issues.append(Issue("bảng tính không có dòng số liệu nào", code="sheet.empty", file=file))
    first: dict[str, Produced] = {}
    for item in produced:  # names that differ only in case or accents (`Hòa`, `Hoà`) give one file
        if item.name in first:
            message = f"tên tệp {item.name} trùng với dòng {first[item.name].record.anchor}"
            reader.issues.append(Issue(message, code="sheet.duplicate", file=f"{file}:{item.record.anchor}"))
        first.setdefault(item.name, item)
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
    produced, issues = produce(path, file, base, lookup(out / "x.yaml"))  # the kinds written files see
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
        sheet = Path(
            os.path.relpath(path, out.parent)
        ).as_posix()  # the notes name the workbook, not the temporary folder
        result.text = result.text.replace(f"{source}/", sheet).replace(source, sheet)
        with staged(out, result.text.encode("utf-8")) as trial:
            result.warnings += check(trial, display_name=str(out)).warnings
            os.replace(trial, out)
    return result
