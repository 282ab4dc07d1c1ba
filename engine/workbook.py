"""Read a filled spreadsheet (.xlsx, .xlsm, .xls, .ods, .csv) into plain grids, refusing what cannot be read.

Workbooks are read by python-calamine (cached values, as Excel last computed them); a
.xlsx is also scanned for formulas that have no cached value (a file written by a
program and never opened in Excel), which would otherwise read as empty cells. Limits
keep a wrong file fast to refuse: the file size, and the row count, read from an .xlsx
sheet's `<dimension>` or counted while streaming its XML before the sheet is loaded, and
counted while reading a .csv (an .ods or .xls is only bounded by the file size).

CSV: Excel on a Vietnamese Windows separates fields with `;` (the list separator of
the vi-VN locale) and saves "CSV" in Windows-1258 (decomposed diacritics) or "CSV UTF-8"
with a byte-order mark; all three are read (delimiter sniffed among `;` `,` tab, text NFC).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from lxml import etree

from engine.errors import Issue, ReportError, Severity

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 1_000  # a district has tens of communes; each row is checked as a document (about 0.1 s)
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PASSWORD_HINT = (
    "mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu) rồi lưu lại"
)
Cell = tuple[int, int]  # zero-based row, column


@dataclass
class Grid:
    """One sheet's values from A1 (None for empty), merged ranges and formulas without a value."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[Cell, Cell]] = field(default_factory=list)
    formulas: dict[Cell, str] = field(default_factory=dict)


@dataclass
class Book:
    file: str
    sheets: list[Grid]
    warnings: list[Issue] = field(default_factory=list)


def cell_name(row: int, col: int) -> str:
    """Zero-based (11, 3) → `D12`."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _refuse(file: str, message: str, hint: str = "", code: str = "sheet.file") -> ReportError:
    return ReportError([Issue(message, code=code, file=file, hint=hint)])


def read_book(path: Path, file: str) -> Book:
    """Every visible sheet of the file; hidden sheets are skipped with a warning."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _refuse(
            file, f"không đọc được tệp {suffix or 'không có đuôi'}", "lưu lại dạng .xlsx, .ods hoặc .csv"
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(file, f"tệp lớn {size / 2**20:.1f} MB, quá giới hạn {MAX_BYTES // 2**20} MB")
    if suffix == ".csv":
        return Book(file, [_read_csv(path, file)])
    with path.open("rb") as stream:
        head = stream.read(len(OLE_MAGIC))
    if head == OLE_MAGIC and ENCRYPTED in path.read_bytes():
        raise _refuse(file, "tệp có mật khẩu, không đọc được", PASSWORD_HINT, "sheet.password")
    zipped = head.startswith(b"PK") and suffix in {".xlsx", ".xlsm"}
    try:
        formulas = {}
        if zipped:
            _check_dimensions(path, file)
            formulas = _scan(path, file)
        return _read_workbook(path, file, formulas)
    except python_calamine.PasswordError:
        raise _refuse(file, "tệp có mật khẩu, không đọc được", PASSWORD_HINT, "sheet.password") from None
    except (
        python_calamine.CalamineError,
        zipfile.BadZipFile,
        etree.XMLSyntaxError,
        KeyError,
        ValueError,
    ) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        hint = "mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx"
        raise _refuse(file, f"tệp hỏng hoặc không phải bảng tính ({reason})", hint, "sheet.corrupt") from None


def _read_workbook(path: Path, file: str, formulas: dict[str, dict[Cell, str]]) -> Book:
    book = Book(file, [])
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for meta in workbook.sheets_metadata:
        if meta.visible != python_calamine.SheetVisibleEnum.Visible:
            message = f"bỏ qua trang ẩn `{meta.name}` (hiện trang đó nếu cần nhập)"
            book.warnings.append(Issue(message, severity=Severity.WARNING, code="sheet.hidden", file=file))
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        if sheet.height > MAX_ROWS + 10:
            raise _too_many(file, meta.name)
        rows = [
            [None if value == "" else value for value in row]
            for row in sheet.to_python(skip_empty_area=False)
        ]
        merged = [(tuple(start), tuple(end)) for start, end in sheet.merged_cell_ranges or []]
        book.sheets.append(Grid(meta.name, rows, merged, formulas.get(meta.name, {})))  # type: ignore[arg-type]
    return book


def _too_many(file: str, sheet: str) -> ReportError:
    limit = f"{MAX_ROWS:,}".replace(",", ".")
    message = f"trang `{sheet}` có hơn {limit} dòng, quá giới hạn của một lần nhập"
    return _refuse(file, message, "chia thành nhiều tệp", "sheet.rows")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from workbook.xml and its relationships."""
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in book.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _check_dimensions(path: Path, file: str) -> None:
    """Refuse a huge sheet from its `<dimension ref="A1:AN100003"/>`, before loading it."""
    with zipfile.ZipFile(path) as archive:
        for name, part in _sheet_parts(archive).items():
            with archive.open(part) as stream:
                head = stream.read(4096).decode("utf-8", "replace")
            found = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
            if found and int(found.group(1)) > MAX_ROWS + 10:
                raise _too_many(file, name)


def _scan(path: Path, file: str) -> dict[str, dict[Cell, str]]:
    """Stream each sheet's XML before calamine loads it: refuse too many rows (a file without
    `<dimension>`), and collect the cells holding a formula but no cached value, which calamine
    reads as empty."""
    found: dict[str, dict[Cell, str]] = {}
    row_tag, cell_tag = f"{{{MAIN_NS}}}row", f"{{{MAIN_NS}}}c"
    with zipfile.ZipFile(path) as archive:
        for name, part in _sheet_parts(archive).items():
            cells: dict[Cell, str] = {}
            with archive.open(part) as stream:
                for _, element in etree.iterparse(stream, tag=(row_tag, cell_tag)):
                    if element.tag == row_tag:
                        if int(element.get("r", "0")) > MAX_ROWS + 10:
                            raise _too_many(file, name)
                        element.clear()
                        continue
                    formula = element.find(f"{{{MAIN_NS}}}f")
                    value = element.find(f"{{{MAIN_NS}}}v")
                    if formula is not None and (value is None or not value.text):
                        cells[_parse_ref(element.get("r", "A1"))] = formula.text or ""
            found[name] = cells
    return found


def _parse_ref(ref: str) -> Cell:
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(digits) - 1, col - 1


def _read_csv(path: Path, file: str) -> Grid:
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        text = raw[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1258", "replace")
    text = unicodedata.normalize("NFC", text)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for index, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if index > MAX_ROWS + 10:
            raise _too_many(file, path.stem)
        rows.append([value if value.strip() else None for value in row])
    return Grid(path.stem, rows)
