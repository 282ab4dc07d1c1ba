"""`baocao sheet` and `baocao import`: the workbook from a schema, and figures back into data files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.columns import layout
from engine.load import load_document
from engine.records import convert
from engine.schema import list_kinds
from engine.sheet import DOCUMENT_SHEET, MAIN_SHEET
from tests.conftest import DATA_DIR, changed_copy, run_cli
from tests.sheetfill import BUILT_IN, COMMUNE, COMMUNES, filled, get, sample_row


def test_workbook_from_schema(tmp_path: Path) -> None:
    target = tmp_path / "bieu-mau.xlsx"
    assert run_cli(f"sheet bao_cao_nam -o {target}").exit_code == 0
    sheet = load_workbook(target)[MAIN_SHEET]
    assert (
        sheet["A1"].value
        == "Báo cáo kết quả thực hiện công tác giảm nghèo năm (cấp xã hoặc cấp huyện) (loai: bao_cao_nam)"
    )
    headers = {cell.value: cell.column_letter for cell in sheet[3] if cell.value}
    assert sheet["A2"].value == "Địa bàn" and sheet["A3"].value == "dia_ban"
    poor = headers["ket_qua.ho_ngheo"]
    assert sheet[f"{poor}2"].value == "Hộ nghèo cuối năm — II.2. Kết quả giảm nghèo"  # ky_truoc has one too
    assert sheet[f"{poor}2"].comment.text == "Số hộ nghèo theo kết quả rà soát cuối năm."
    assert sheet.column_dimensions[poor].number_format == "#,##0"
    assert sheet.column_dimensions[poor].protection.locked is False
    assert sheet[f"{poor}2"].protection.locked is True
    assert sheet.column_dimensions[headers["nam"]].number_format == "0"
    assert sheet.freeze_panes == "B4"
    assert sheet.protection.sheet is True
    rate = headers["ket_qua.ty_le_ho_ngheo"]
    total = headers["ket_qua.tong_so_ho"]
    assert sheet[f"{rate}2"].value == "Tỷ lệ hộ nghèo (%) — II.2. Kết quả giảm nghèo (tự tính)"
    assert sheet[f"{rate}7"].value == f'=IF(N({total}7)>0,ROUND({poor}7/{total}7*100,2),"")'
    assert sheet[f"{rate}7"].protection.locked is True
    rules = {(str(v.sqref), v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert (f"{poor}4:{poor}303", "whole", "0") in rules
    assert (
        f"{headers['so_hieu.ma_loai']}4:{headers['so_hieu.ma_loai']}303",
        "list",
        '"BC,KH,NQ,QĐ,TB,TTr,CTr"',
    ) in rules


@pytest.mark.parametrize("kind", list_kinds())
def test_every_kind_gives_a_repeatable_workbook(kind: str, tmp_path: Path) -> None:
    for name, flag in (("a", ""), ("b", ""), ("c", "--mot-van-ban")):
        assert run_cli(f"sheet {kind} -o {tmp_path / name}.xlsx {flag}").exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    book = load_workbook(tmp_path / "c.xlsx")
    assert book.sheetnames == [DOCUMENT_SHEET, *(table.name[:31] for table in layout(kind, BUILT_IN).tables)]


def test_dates_are_checked_while_typing(tmp_path: Path) -> None:
    target = tmp_path / "nq.xlsx"
    assert run_cli(f"sheet nghi_quyet_dang -o {target}").exit_code == 0
    sheet = load_workbook(target)[MAIN_SHEET]
    meeting = next(cell.column_letter for cell in sheet[3] if cell.value == "ngay_hop")
    assert sheet.column_dimensions[meeting].number_format == "dd/mm/yyyy"
    rules = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert rules[f"{meeting}4:{meeting}303"] == ("date", "DATE(1945,1,1)", "DATE(2100,12,31)")


def test_unknown_kind() -> None:
    result = run_cli("sheet bao_cao -o x.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("lỗi: không có loại văn bản `bao_cao`; các loại có: ")


def test_import_keeps_the_base_text_and_takes_the_figures(tmp_path: Path) -> None:
    rows = [sample_row(path) for path in COMMUNES]
    without_last_year = next(index for index, path in enumerate(COMMUNES) if path.name == "xa-phu-xuan.yaml")
    rows[without_last_year] = {
        name: value for name, value in rows[without_last_year].items() if not name.startswith("ky_truoc.")
    }
    book = filled(tmp_path / "bieu-mau.xlsx", rows)
    result = run_cli(f"import {book} -o {tmp_path / 'ra'} --tu {COMMUNE}")
    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in (tmp_path / "ra").iterdir()) == [path.name for path in COMMUNES]
    base_text = COMMUNE.read_text(encoding="utf-8")
    for path in COMMUNES:
        produced = tmp_path / "ra" / path.name
        text = produced.read_text(encoding="utf-8")
        assert text.splitlines()[:2] == base_text.splitlines()[:2]  # the base's comments are kept
        original, imported = load_document(path).data, load_document(produced).data
        for column in layout("bao_cao_nam", BUILT_IN).columns:
            if column.is_figure and not column.derived and column.name in rows[COMMUNES.index(path)]:
                assert get(imported, column.path) == get(original, column.path), (path.name, column.name)
    # last year's figures of the base (ky_truoc) do not leak into communes whose row leaves them out
    assert "ky_truoc" not in load_document(tmp_path / "ra" / "xa-phu-xuan.yaml").data


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("integer", "1.337.000.000", 1337000000),
        ("integer", "1 337 000", 1337000),
        ("integer", "28", 28),
        ("integer", 28.0, 28),
        ("integer", "28 hộ", "28 hộ"),
        ("integer", 28.5, 28.5),
        ("number", "8,17", 8.17),
        ("number", "8.17", 8.17),
        ("number", "1.234,5", 1234.5),
        ("date_or_month", "06/01/2025", "2025-01-06"),
        ("date_or_month", datetime(2025, 1, 6), "2025-01-06"),  # a date cell
        ("date", date(2022, 5, 23), "2022-05-23"),
        ("date_or_month", "2025-01", "2025-01"),
        ("text", 4.0, "4"),
        ("text", " xã An Hòa ", "xã An Hòa"),
    ],
)
def test_cells_are_read_as_a_vietnamese_clerk_types_them(kind: str, text: object, expected: object) -> None:
    columns = layout("nghi_quyet_dang", BUILT_IN).columns  # has each kind of column, a meeting date too
    column = next(column for column in columns if column.kind == kind)
    assert convert(text, column) == expected


def test_empty_rows_in_the_middle_are_skipped(tmp_path: Path) -> None:
    rows = [sample_row(path) for path in COMMUNES]
    book = filled(tmp_path / "b.xlsx", [rows[0], None, None, rows[1], None, rows[2]])
    result = run_cli(f"import {book} -o {tmp_path / 'ra'} --tu {COMMUNE}")
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "ra").iterdir())) == 3


def test_hidden_sheet_is_skipped_with_a_warning(tmp_path: Path) -> None:
    book = filled(tmp_path / "b.xlsx", [sample_row(COMMUNE)])
    workbook = load_workbook(book)
    hidden = workbook.create_sheet("Nhap")
    hidden["A1"], hidden.sheet_state = "ghi chú riêng", "hidden"
    workbook.save(book)
    result = run_cli(f"import {book} -o {tmp_path / 'ra'} --tu {COMMUNE}")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{book}: cảnh báo: bỏ qua trang ẩn `Nhap` (hiện trang đó nếu cần nhập)",
        f"đã ghi {tmp_path / 'ra' / 'xa-an-hoa.yaml'}",
    ]


def test_nothing_is_written_when_one_row_is_wrong(tmp_path: Path) -> None:
    rows = [sample_row(path) for path in COMMUNES]
    rows[2]["ket_qua.ho_ngheo"] = rows[2]["ket_qua.tong_so_ho"] + 1
    rows[1]["ket_qua.tong_so_ho"] = 0
    out = tmp_path / "ra"
    out.mkdir()
    (out / "xa-an-hoa.yaml").write_text("cũ", encoding="utf-8")
    book = filled(tmp_path / "b.xlsx", rows)
    result = run_cli(["import", str(book), "-o", str(out), "--tu", str(COMMUNE)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{book}:Xa!R5: lỗi: ket_qua.tong_so_ho: phải lớn hơn hoặc bằng 1, nhận được 0",
        f"{book}:Xa!S6: cảnh báo: ket_qua.ho_ngheo (2.316) lớn hơn ket_qua.tong_so_ho (2.315)",
        f"{book}:Xa!S6: cảnh báo: ket_qua.ho_ngheo (2.316) khác số tính theo kỳ trước"
        " (ky_truoc.ho_ngheo 79 + ket_qua.ho_ngheo_phat_sinh 6 - ket_qua.ho_thoat_ngheo 24 = 61)",
        f"không ghi tệp nào vào {out}: 1 lỗi, 2 cảnh báo",
    ]
    assert [path.name for path in out.iterdir()] == ["xa-an-hoa.yaml"]
    assert (out / "xa-an-hoa.yaml").read_text(encoding="utf-8") == "cũ"


def test_a_table_of_one_document_from_its_sheet(tmp_path: Path) -> None:
    """The province types the plan's Phụ lục in Excel; the rest of the plan comes from last year's file."""
    plan = DATA_DIR / "tinh-hung-yen-2024-kh.yaml"
    book_path = tmp_path / "phu-luc.xlsx"
    assert run_cli(f"sheet ke_hoach --mot-van-ban -o {book_path}").exit_code == 0
    book = load_workbook(book_path)
    sheet = book["phu_luc.huyen"]
    assert [cell.value for cell in sheet[3]] == ["ten", "tong_so_ho", "ho_ngheo", "ty_le"]
    districts: list[tuple[str, str | int, str | int]] = [
        ("Thành phố Hưng Yên", "41.250", 312),
        ("Huyện Kim Động", 38120, "1.004"),
    ]
    for row, values in enumerate(districts, start=4):
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
    book.save(book_path)
    result = run_cli(f"import {book_path} -o {tmp_path / 'ra'} --tu {plan}")
    assert result.exit_code == 0, result.stderr
    imported = load_document(tmp_path / "ra" / plan.name).data
    original = load_document(plan).data
    assert imported["phu_luc"]["huyen"] == [
        {"ten": "Thành phố Hưng Yên", "tong_so_ho": 41250, "ho_ngheo": 312},
        {"ten": "Huyện Kim Động", "tong_so_ho": 38120, "ho_ngheo": 1004},
    ]
    assert imported["so_hieu"] == original["so_hieu"]  # the fields sheet is empty: the base's figures stay
    assert {key: value for key, value in imported.items() if key != "phu_luc"} == {
        key: value for key, value in original.items() if key != "phu_luc"
    }
    assert run_cli(f"render {tmp_path / 'ra' / plan.name} -o {tmp_path / 'kh.docx'}").exit_code == 0


def test_one_document_as_rows_of_fields(tmp_path: Path) -> None:
    book_path = tmp_path / "van-ban.xlsx"
    assert run_cli(f"sheet bao_cao_nam --mot-van-ban -o {book_path}").exit_code == 0
    book = load_workbook(book_path)
    sheet = book[DOCUMENT_SHEET]
    assert [cell.value for cell in sheet[2]] == ["Mã trường", "Nội dung", "Giá trị"]
    rows = {sheet.cell(row, 1).value: row for row in range(4, sheet.max_row + 1)}
    for name, value in sample_row(COMMUNE).items():
        sheet.cell(rows[name], 3, value)
    sheet.cell(rows["ket_qua.ho_ngheo"], 3, "46 hộ")
    book.save(book_path)
    result = run_cli(f"import {book_path} -o {tmp_path / 'ra'} --tu {COMMUNE}")
    assert result.exit_code == 1
    line = rows["ket_qua.ho_ngheo"]
    assert result.stderr.splitlines()[0] == (
        f'{book_path}:VanBan!C{line}: lỗi: ket_qua.ho_ngheo: phải là số nguyên không âm, nhận được "46 hộ"'
        " (chỉ ghi chữ số, không kèm đơn vị: 46)"
    )
    sheet.cell(line, 3, 46)
    book.save(book_path)
    assert run_cli(f"import {book_path} -o {tmp_path / 'ra'} --tu {COMMUNE}").exit_code == 0
    assert load_document(tmp_path / "ra" / COMMUNE.name).data == load_document(COMMUNE).data


def test_sheet_never_overwrites_a_workbook(tmp_path: Path) -> None:
    target = tmp_path / "bieu-mau.xlsx"
    target.write_bytes(b"filled by a clerk")
    result = run_cli(f"sheet bao_cao_nam -o {target}")
    assert result.exit_code == 1
    assert (
        result.stderr == f"{target}: lỗi: tệp đã có (có thể đã điền số liệu); chọn tên khác để không ghi đè\n"
    )
    assert target.read_bytes() == b"filled by a clerk"


def test_export_gives_figures_and_tables_as_the_engine_has_them(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    result = run_cli(f"export {DATA_DIR} -o {target}")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames[:3] == ["bao_cao_nam", "tong_hop.don_vi", "nghi_quyet_dang"]  # in file order
    plan = book["phu_luc.huyen"]
    assert [cell.value for cell in plan[2]] == ["tep", "ten", "tong_so_ho", "ho_ngheo", "ty_le"]
    first = [cell.value for cell in plan[3]]
    assert first[:4] == ["tinh-hung-yen-2024-kh.yaml", "Phù Cừ", 29454, 269]
    assert first[4] == pytest.approx(0.91)  # computed by the rules: 269 / 29454 × 100, 2 places
    assert plan["C3"].number_format == "#,##0" and plan["E3"].number_format == "#,##0.00"
    district = book["bao_cao_nam"]
    paths = [cell.value for cell in district[2]]
    rows = {row[0].value: row for row in district.iter_rows(min_row=3)}
    assert rows["huyen-son-thuong/huyen-son-thuong-2024.yaml"][paths.index("ket_qua.ho_ngheo")].value == 145
    broken = tmp_path / "sai"
    broken.mkdir()
    wrong = changed_copy(COMMUNE, broken, ("  ho_ngheo: 46\n", "  ho_ngheo: 46 hộ\n"))
    result = run_cli(f"export {broken} -o {tmp_path / 'x.xlsx'}")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'{wrong}:48:13: lỗi: ket_qua.ho_ngheo: phải là số nguyên không âm, nhận được "46 hộ"'
        " (chỉ ghi chữ số, không kèm đơn vị: 46)",
        f"không tạo {tmp_path / 'x.xlsx'}: 1 lỗi, 0 cảnh báo",
    ]
    assert not (tmp_path / "x.xlsx").exists()


def test_table_errors_point_at_the_table_sheet(tmp_path: Path) -> None:
    plan = DATA_DIR / "tinh-hung-yen-2024-kh.yaml"
    book_path = tmp_path / "phu-luc.xlsx"
    assert run_cli(f"sheet ke_hoach --mot-van-ban -o {book_path}").exit_code == 0
    book = load_workbook(book_path)
    sheet = book["phu_luc.huyen"]
    districts: list[tuple[str, int, int | str]] = [
        ("Phù Cừ", 29454, 269),
        ("Tiên Lữ", 303, 32858),
        ("Kim Động", 40317, "250 hộ"),
    ]
    for row, values in enumerate(districts, 4):
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
    book.save(book_path)
    result = run_cli(f"import {book_path} -o {tmp_path / 'ra'} --tu {plan}")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{book_path}:phu_luc.huyen!C6: lỗi: phu_luc.huyen[2].ho_ngheo:"
        ' phải là số nguyên không âm, nhận được "250 hộ" (chỉ ghi chữ số, không kèm đơn vị: 250)',
        f"không ghi tệp nào vào {tmp_path / 'ra'}: 1 lỗi, 0 cảnh báo",
    ]
    sheet["C6"] = 250
    book.save(book_path)
    result = run_cli(f"import {book_path} -o {tmp_path / 'ra'} --tu {plan}")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{book_path}:phu_luc.huyen!C5: lỗi: phu_luc.huyen[1].ho_ngheo (32.858)"
        " lớn hơn tổng số hộ dân cư (303) của Tiên Lữ",
        f"không ghi tệp nào vào {tmp_path / 'ra'}: 1 lỗi, 0 cảnh báo",
    ]


def test_a_row_borrowing_the_base_issuing_body_is_warned_about(tmp_path: Path) -> None:
    row = {name: value for name, value in sample_row(COMMUNES[1]).items() if not name.startswith("co_quan.")}
    book = filled(tmp_path / "b.xlsx", [row])
    out = tmp_path / "ra"
    result = run_cli(f"import {book} -o {out} --tu {COMMUNE}")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{book}:Xa!A4: cảnh báo: co_quan.ten: để trống nên lấy của tệp gốc: Ủy ban nhân dân xã An Hòa"
        " (điền cột này nếu văn bản là của đơn vị khác)",
        f"đã ghi {out / 'xa-phu-xuan.yaml'}",
    ]
