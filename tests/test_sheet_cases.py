"""Bad spreadsheets for `baocao import`: each made here, with the exact lines a clerk sees.

`{file}` in an expected line is the input's path, `{out}` the output folder; nothing may be
written into the output folder when the exit code is 1.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from engine.columns import layout
from tests.conftest import run_cli
from tests.sheetfill import BUILT_IN, COMMUNE, COMMUNES, filled, sample_row

TONES = "\u0300\u0301\u0303\u0309\u0323"  # Windows-1258 writes these as separate combining marks


def rows() -> list[dict[str, Any]]:
    return [sample_row(path) for path in COMMUNES]


def edited(
    path: Path, change: Callable[[Any], None], values: list[dict[str, Any] | None] | None = None
) -> Path:
    filled(path, values if values is not None else rows())
    book = load_workbook(path)
    change(book)
    book.save(path)
    return path


def merged(path: Path) -> Path:
    return edited(path.with_suffix(".xlsx"), lambda book: book["Xa"].merge_cells("S4:S5"))


def text_numbers(path: Path) -> Path:
    values = rows()
    values[0]["chinh_sach.tin_dung.so_tien"] = "1.520.000.000"  # read as the clerk meant it
    values[1]["ket_qua.tong_so_ho"] = "1983"
    values[2]["ket_qua.ho_ngheo"] = "28 hộ"
    return filled(path.with_suffix(".xlsx"), values)


def formula(path: Path) -> Path:
    values = rows()
    values[0]["ket_qua.ho_ngheo"] = "=10+36"  # openpyxl stores no computed value
    return filled(path.with_suffix(".xlsx"), values)


def extra_column(path: Path) -> Path:
    def change(book: Any) -> None:
        book["Xa"]["AU2"], book["Xa"]["AU3"] = "Hộ nghèo", "ket_qua.ho_ngeo"

    return edited(path.with_suffix(".xlsx"), change)


def missing_column(path: Path) -> Path:
    return edited(path.with_suffix(".xlsx"), lambda book: book["Xa"].delete_cols(21))  # ho_thoat_ngheo


def duplicate(path: Path) -> Path:
    values = rows()
    values[2]["dia_ban"] = values[0]["dia_ban"]
    return filled(path.with_suffix(".xlsx"), values)


def no_locality(path: Path) -> Path:
    values = rows()
    del values[1]["dia_ban"]
    return filled(path.with_suffix(".xlsx"), values)


def same_file_name(path: Path) -> Path:
    values = rows()
    values[2]["dia_ban"] = "Xã An Hoà"  # another spelling of row 4's locality: the same file name
    return filled(path.with_suffix(".xlsx"), values)


def huge_xlsx(path: Path) -> Path:
    """100,000 rows, written as raw sheet XML without `<dimension>` (as some programs do)."""
    target = path.with_suffix(".xlsx")
    book = Workbook()
    book.active.title = "Xa"  # type: ignore[union-attr]
    book.save(target)
    rows_xml = "".join(
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>xã {row}</t></is></c>'
        f'<c r="B{row}"><v>1</v></c></row>'
        for row in range(1, 100_001)
    )
    sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>'
    with zipfile.ZipFile(target) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def csv_text(delimiter: str, extra_rows: int = 0, *, headers: bool = False) -> str:
    """The rows under the bare titles a clerk types (repeated ones taken in order), or the sheet's headers."""
    columns = layout("bao_cao_nam", BUILT_IN).columns
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.header if headers else column.title for column in columns])
    for row in rows():
        writer.writerow([row.get(column.name, "") for column in columns])
    writer.writerows([["xã", "1"]] * extra_rows)
    return stream.getvalue()


def windows_1258(text: str) -> bytes:
    """As Excel on a Vietnamese Windows saves "CSV": base letters precomposed, tone marks combining."""
    encoded = b""
    for char in text:
        marks = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in marks if mark in TONES)
        base = unicodedata.normalize("NFC", "".join(mark for mark in marks if mark not in TONES))
        encoded += (base + tones).encode("cp1258")
    return encoded


def csv_1258(path: Path) -> Path:
    target = path.with_suffix(".csv")
    target.write_bytes(windows_1258(csv_text(";")))
    return target


def csv_utf8_bom(path: Path) -> Path:
    target = path.with_suffix(".csv")
    target.write_bytes("\ufeff".encode() + csv_text(",", headers=True).encode())
    return target


def huge_csv(path: Path) -> Path:
    target = path.with_suffix(".csv")
    target.write_text(csv_text(";", 100_000), encoding="utf-8")
    return target


def password(path: Path) -> Path:
    """An encrypted Office file: an OLE container holding an `EncryptedPackage` stream."""
    target = path.with_suffix(".xlsx")
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    target.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(64))
    return target


def corrupt(path: Path) -> Path:
    target = path.with_suffix(".xlsx")
    target.write_bytes(b"PK\x03\x04" + b"cut off while copying" * 10)
    return target


def not_a_sheet(path: Path) -> Path:
    target = path.with_suffix(".docx")
    target.write_bytes(b"PK\x03\x04")
    return target


def empty(path: Path) -> Path:
    return filled(path.with_suffix(".xlsx"), [])


def unknown_kind(path: Path) -> Path:
    def change(book: Any) -> None:
        book["Xa"]["A1"] = "Biểu mẫu (loai: bao_cao_quy)"

    return edited(path.with_suffix(".xlsx"), change)


CANNOT = "không ghi tệp nào vào {out}: {summary}"
CASES: dict[str, tuple[Callable[[Path], Path], int, list[str]]] = {
    "merged": (
        merged,
        1,
        [
            "{file}:Xa!S4: lỗi: ô gộp S4:S5 trong vùng số liệu"
            " (bỏ gộp ô (Merge & Center) và nhập giá trị cho từng ô)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "text-numbers": (
        text_numbers,
        1,
        [
            '{file}:Xa!S6: lỗi: ket_qua.ho_ngheo: phải là số nguyên không âm, nhận được "28 hộ"'
            " (chỉ ghi chữ số, không kèm đơn vị: 28)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "formula-without-value": (
        formula,
        1,
        [
            "{file}:Xa!S4: lỗi: công thức =10+36 chưa có giá trị đã tính"
            " (mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, hoặc nhập số thay cho công thức)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "extra-column": (
        extra_column,
        1,
        [
            "{file}:Xa!AU3: lỗi: không có cột `ket_qua.ho_ngeo` trong biểu mẫu"
            " (có phải ý bạn là `ket_qua.ho_ngheo` (Hộ nghèo cuối năm)?)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "missing-column": (
        missing_column,
        1,
        [
            "{file}:Xa!A4: lỗi: ket_qua.ho_thoat_ngheo: thiếu trường bắt buộc (Hộ thoát nghèo trong năm)",
            "{file}:Xa!A5: lỗi: ket_qua.ho_thoat_ngheo: thiếu trường bắt buộc (Hộ thoát nghèo trong năm)",
            "{file}:Xa!A6: lỗi: ket_qua.ho_thoat_ngheo: thiếu trường bắt buộc (Hộ thoát nghèo trong năm)",
            CANNOT.format(out="{out}", summary="3 lỗi, 0 cảnh báo"),
        ],
    ),
    "duplicate-locality": (
        duplicate,
        1,
        [
            "{file}:Xa!A6: lỗi: xã An Hòa đã có ở dòng 4",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "row-without-locality": (
        no_locality,
        1,
        [
            "{file}:Xa!A5: lỗi: dòng có số liệu nhưng chưa có Địa bàn",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "same-file-name": (
        same_file_name,
        1,
        [
            "{file}:Xa!A6: lỗi: tên tệp xa-an-hoa.yaml trùng với dòng Xa!A4",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "huge-xlsx": (
        huge_xlsx,
        1,
        [
            "{file}: lỗi: trang `Xa` có hơn 1.000 dòng, quá giới hạn của một lần nhập (chia thành nhiều tệp)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "huge-csv": (
        huge_csv,
        1,
        [
            "{file}: lỗi: trang `input` có hơn 1.000 dòng, quá giới hạn của một lần nhập"
            " (chia thành nhiều tệp)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "password": (
        password,
        1,
        [
            "{file}: lỗi: tệp có mật khẩu, không đọc được (mở bằng Excel, bỏ mật khẩu"
            " (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu) rồi lưu lại)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "corrupt": (
        corrupt,
        1,
        [
            "{file}: lỗi: tệp hỏng hoặc không phải bảng tính (File is not a zip file)"
            " (mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "not-a-spreadsheet": (
        not_a_sheet,
        1,
        [
            "{file}: lỗi: không đọc được tệp .docx (lưu lại dạng .xlsx, .ods hoặc .csv)",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "no-rows": (
        empty,
        1,
        [
            "{file}: lỗi: bảng tính không có dòng số liệu nào",
            CANNOT.format(out="{out}", summary="1 lỗi, 0 cảnh báo"),
        ],
    ),
    "csv-windows-1258-semicolons": (csv_1258, 0, ["đã ghi {out}/" + path.name for path in COMMUNES]),
    "csv-utf8-bom-commas": (csv_utf8_bom, 0, ["đã ghi {out}/" + path.name for path in COMMUNES]),
}


def test_unknown_kind_in_the_first_row(tmp_path: Path) -> None:
    source = unknown_kind(tmp_path / "input")
    result = run_cli(["import", str(source), "-o", str(tmp_path / "ra")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        f"{source}: lỗi: không có loại văn bản `bao_cao_quy`; các loại có: "
    )


@pytest.mark.parametrize("name", list(CASES))
def test_bad_spreadsheet(name: str, tmp_path: Path) -> None:
    make, exit_code, expected = CASES[name]
    source = make(tmp_path / "input")
    out = tmp_path / "ra"
    result = run_cli(["import", str(source), "-o", str(out), "--tu", str(COMMUNE)])
    assert result.stderr.splitlines() == [line.format(file=source, out=out) for line in expected]
    assert result.exit_code == exit_code
    assert "Traceback" not in result.stderr
    if exit_code:
        assert not out.exists()


def test_csv_texts_are_read_back_exactly(tmp_path: Path) -> None:
    """Windows-1258 with `;` and UTF-8 with `,` give the same files as the workbook."""
    for make in (csv_1258, csv_utf8_bom):
        source = make(tmp_path / make.__name__)
        assert (
            run_cli(
                ["import", str(source), "-o", str(tmp_path / make.__name__ / "ra"), "--tu", str(COMMUNE)]
            ).exit_code
            == 0
        )
    book = filled(tmp_path / "b.xlsx", rows())
    assert run_cli(["import", str(book), "-o", str(tmp_path / "xlsx"), "--tu", str(COMMUNE)]).exit_code == 0
    for path in COMMUNES:
        expected = (tmp_path / "xlsx" / path.name).read_text(encoding="utf-8")
        assert (tmp_path / "csv_1258" / "ra" / path.name).read_text(encoding="utf-8") == expected
        assert (tmp_path / "csv_utf8_bom" / "ra" / path.name).read_text(encoding="utf-8") == expected
