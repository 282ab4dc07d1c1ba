"""Spreadsheets in the web app: the folder's figures as a workbook, a kind's blank fill-in workbook, and
a filled workbook imported into a subfolder (as `baocao export`, `baocao sheet`, `baocao import --tu`)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from engine.columns import UnknownKindError, layout
from engine.errors import Issue, ReportError
from engine.export import export_directory
from engine.importer import import_book
from engine.sheet import workbook_bytes
from engine.web.history import History
from engine.web.security import Refused
from engine.web.workspace import Workspace, kind_title
from engine.workbook import SUFFIXES
from engine.workspace import lookup

OUTSIDE = "Thư mục đích phải nằm trong thư mục đang mở (không dùng `..`, đường dẫn tuyệt đối hay thư mục ẩn)."


def figures(workspace: Workspace) -> bytes:
    """Every document's stored and derived figures; `ReportError` when any document has an error, its
    files named as the list names them (relative to the folder)."""
    try:
        return export_directory(workspace.root, workspace.out)[0]
    except ReportError as error:
        prefix = f"{workspace.root}/"
        raise ReportError(
            [replace(issue, file=issue.file.removeprefix(prefix)) for issue in error.issues]
        ) from None


def blank(workspace: Workspace, kind: str) -> bytes:
    try:
        return workbook_bytes(layout(kind, lookup(workspace.root / "x.yaml")))
    except UnknownKindError as error:
        raise Refused(404, f"Không có loại văn bản `{kind}` trong thư mục đang mở.") from error


def kinds(workspace: Workspace) -> list[tuple[str, str]]:
    """The kinds the folder sees, with their names, for the blank workbooks (none when its workspace is
    broken: its documents show why)."""
    try:
        where = lookup(workspace.root / "x.yaml")
    except ReportError:
        return []
    return [(kind, kind_title(kind, where)) for kind in where.names()]


def target_folder(workspace: Workspace, name: str) -> Path:
    """A folder inside the served one (empty: the folder itself), after resolving symlinks."""
    name = name.strip().rstrip("/")
    relative = PurePosixPath(name)
    if (
        "\\" in name
        or "\0" in name
        or len(name) > 400
        or relative.is_absolute()
        or any(part in ("", ".", "..") or part.startswith(".") for part in relative.parts)
    ):
        raise Refused(400, OUTSIDE)
    folder = (workspace.root / relative).resolve()
    if not folder.is_relative_to(workspace.root) or folder.is_relative_to(workspace.out):
        raise Refused(400, OUTSIDE)
    if folder.exists() and not folder.is_dir():
        raise Refused(400, f"{name} là một tệp, không phải thư mục.")
    return folder


def import_upload(
    workspace: Workspace, history: History, filename: str, content: bytes, *, base: str, folder: str
) -> tuple[list[str], list[Issue]]:
    """The uploaded workbook imported into `folder`: the names written (recorded in the history) and the
    warnings; `ReportError` with every located issue, and nothing written, otherwise."""
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(400, "Chỉ nhận bảng tính .xlsx, .ods, .xls hoặc .csv.")
    out = target_folder(workspace, folder)
    base_file = workspace.file(base) if base else None
    with tempfile.TemporaryDirectory(prefix="baocao-serve-") as temporary:
        book = Path(temporary) / f"bang{suffix}"
        book.write_bytes(content)
        with workspace.lock:
            made = _first_missing(out)
            for existing in sorted(out.glob("*.yaml")) if made is None else []:  # kept before overwriting
                name = workspace.name(existing)
                history.record(name, f"{name}: bản trên đĩa trước khi nhập bảng tính")
            try:
                result = import_book(book, out, file=filename, base=base_file)
            except ReportError:
                _remove_empty(out, made)
                raise
            names = [workspace.name(path) for path in result.files]
            for name in names:
                history.record(name, f"{name}: nhập từ bảng tính {filename} qua baocao serve")
    return names, result.warnings


def _first_missing(folder: Path) -> Path | None:
    missing = None
    while not folder.exists():
        missing, folder = folder, folder.parent
    return missing


def _remove_empty(folder: Path, top: Path | None) -> None:
    """Folders made for an import that wrote nothing are removed again, up to `top`."""
    while top is not None and folder.is_relative_to(top):
        if folder.is_dir():
            if any(folder.iterdir()):
                return
            folder.rmdir()
        folder = folder.parent
