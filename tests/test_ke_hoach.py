"""The `ke_hoach` kind (seed 003): computed Phụ lục, targets, numbering, layout, and `baocao new`."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from engine.docxtext import PAGE_BREAK, docx_text
from engine.load import load_document
from engine.paths import SCHEMA_DIR
from engine.pipeline import check, leaves, render_checked
from engine.schema import list_kinds, load_schemas, validate
from engine.starter import starter_text
from tests.conftest import DATA_DIR, run_cli

SAMPLE = DATA_DIR / "tinh-hung-yen-2024-kh.yaml"
SEED = next((Path(__file__).parent / "seeds").glob("003_*.txt"))


def seed_table() -> list[list[str]]:
    """The seed's Phụ lục table: one cell per line, cells separated by `|` lines; 5 cells a row."""
    cells = [line.strip() for line in SEED.read_text(encoding="utf-8").split("STT\n", 1)[1].splitlines()]
    values = ["STT", *(cell for cell in cells if cell and cell != "|")]
    rows = [values[index : index + 5] for index in range(0, len(values) - 4, 5)]
    return [*rows, values[len(rows) * 5 :]]


def rendered_table_rows(text: str) -> list[list[str]]:
    start = text.index("STT | Huyện/TX/TP")
    return [line.split(" | ") for line in text[start:].splitlines()]


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_checked(check(SAMPLE))


@pytest.fixture(scope="module")
def text(rendered: bytes) -> str:
    return docx_text(rendered)


@pytest.fixture(scope="module")
def document(rendered: bytes) -> DocumentObject:
    return Document(io.BytesIO(rendered))


def test_appendix_rows_and_totals_equal_the_seed(text: str) -> None:
    seed_rows = seed_table()
    rendered = rendered_table_rows(text)
    assert [row[0] for row in rendered[1:-1]] == [str(number) for number in range(1, 11)]
    assert rendered[1:] == seed_rows[1:]
    assert rendered[-1] == ["Tổng cộng", "407.668", "2.675", "0,66"]


def test_figures_come_from_the_rules() -> None:
    context = check(SAMPLE).derivation.context
    appendix = context["phu_luc"]
    # 29 454 + 32 858 + … + 34 502 and 269 + 303 + … + 121, summed by hand from the seed's rows.
    assert (appendix["tong_so_ho"], appendix["tong_ho_ngheo"]) == (407668, 2675)
    assert appendix["ty_le"] == Decimal("0.66")  # 2 675 / 407 668 = 0,6562 %
    assert appendix["huyen"][2]["ty_le"] == Decimal("0.40")  # 150 / 37 571 = 0,3992 %
    assert appendix["huyen"][4]["ty_le"] == Decimal("0.90")  # 430 / 47 992 = 0,8960 %
    assert context["muc_tieu"]["ty_le_ho_ngheo"] == Decimal("0.66")


def test_changing_one_poor_count_changes_row_totals_and_target_only(tmp_path: Path, text: str) -> None:
    changed = tmp_path / SAMPLE.name
    source = SAMPLE.read_text(encoding="utf-8")
    changed.write_text(source.replace("ho_ngheo: 269}", "ho_ngheo: 469}"), encoding="utf-8")
    new_text = docx_text(render_checked(check(changed)))
    old_lines, new_lines = text.splitlines(), new_text.splitlines()
    assert len(old_lines) == len(new_lines)
    differing = [(old, new) for old, new in zip(old_lines, new_lines, strict=True) if old != new]
    # 469 / 29 454 = 1,592 %; 2 875 / 407 668 = 0,7052 %.
    assert [new for _, new in differing] == [
        "a) Mục tiêu chủ yếu: Phấn đấu năm 2024, tỷ lệ hộ nghèo toàn tỉnh giảm xuống còn 0,71%"
        " (theo chuẩn nghèo đa chiều giai đoạn 2022-2025).",
        "1 | Phù Cừ | 29.454 | 469 | 1,59",
        "Tổng cộng | 407.668 | 2.875 | 0,71",
    ]


def test_targets_are_formatted_by_kind(text: str) -> None:
    assert (
        "- Chiều thiếu hụt về y tế: 100% người thuộc hộ nghèo, hộ cận nghèo được hỗ trợ tham gia bảo hiểm"
        " y tế; Giảm tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng cân nặng theo tuổi xuống còn 9,6% và tỷ lệ"
        " trẻ em dưới 5 tuổi suy dinh dưỡng chiều cao theo tuổi xuống còn 17,3%." in text.splitlines()
    )
    assert "84,65% hộ nghèo, hộ cận nghèo sử dụng nhà tiêu hợp vệ sinh." in text


def test_count_and_money_targets(tmp_path: Path) -> None:
    changed = tmp_path / SAMPLE.name
    source = SAMPLE.read_text(encoding="utf-8")
    source = source.replace(
        "        - gia_tri: 88\n          loai: phan_tram\n",
        "        - gia_tri: 1200\n          loai: so_luong\n          don_vi: hộ\n",
    ).replace(
        "        - gia_tri: 96\n          loai: phan_tram\n",
        "        - gia_tri: 3500000000\n          loai: tien\n          don_vi: tỷ đồng\n          muc: là\n",
    )
    changed.write_text(source, encoding="utf-8")
    text = docx_text(render_checked(check(changed)))
    assert "vệ sinh: 1.200 hộ hộ nghèo, hộ cận nghèo sử dụng nước sinh hoạt" in text
    assert "thông tin: hộ nghèo, hộ cận nghèo có nhu cầu được tiếp cận sử dụng các dịch vụ" in text
    assert "internet là 3,5 tỷ đồng." in text


def test_letters_follow_vietnamese_order(text: str) -> None:
    lines = text.splitlines()
    section_v = lines[lines.index("V. TỔ CHỨC THỰC HIỆN") :]
    letters = [line.split(")")[0] for line in section_v if re.match(r"^[a-zđ]\) ", line)]
    assert letters == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
    assert "đ) Sở Y tế" in lines
    assert (
        "e) Sở Giáo dục và Đào tạo: Chủ trì triển khai thực hiện hiệu quả Chính sách hỗ trợ về giáo dục."
        in (lines)
    )


def test_caption_is_built_from_the_plan_number_and_date(tmp_path: Path, text: str) -> None:
    lines = text.splitlines()
    start = lines.index(PAGE_BREAK)
    assert lines[start + 1 : start + 4] == [
        "PHỤ LỤC",
        "DỰ KIẾN TỶ LỆ HỘ NGHÈO TỈNH HƯNG YÊN NĂM 2024",
        "(Kèm theo Kế hoạch số 45/KH-UBND ngày 07/3/2024 của UBND tỉnh)",
    ]
    draft = tmp_path / SAMPLE.name
    source = SAMPLE.read_text(encoding="utf-8").replace("so: 45", "so:").replace("2024-03-07", "2024-03")
    draft.write_text(source, encoding="utf-8")
    assert "(Kèm theo Kế hoạch số      /KH-UBND ngày      /3/2024 của UBND tỉnh)" in docx_text(
        render_checked(check(draft))
    )


def test_appendix_table_layout(document: DocumentObject) -> None:
    table = document.tables[-1]
    header, *rows, total = table.rows
    assert len(rows) == 10
    assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows)
    for row in rows:
        numbers = row.cells[2:]
        assert all(cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for cell in numbers)
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert total.cells[0].text == "Tổng cộng" and total.cells[0]._tc.grid_span == 2
    assert table.style is not None and table.style.name == "Table Grid"
    caption = next(p for p in document.paragraphs if p.text.startswith("(Kèm theo"))
    assert all(run.italic for run in caption.runs if run.text.strip())


def test_header_and_signature(document: DocumentObject) -> None:
    agency, _motto = document.tables[0].rows[0].cells
    assert [p.text for p in agency.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"]
    number, date = document.tables[0].rows[1].cells
    assert number.text == "Số: 45/KH-UBND" and date.text == "Hưng Yên, ngày 07 tháng 3 năm 2024"
    signature = document.tables[-2].rows[0].cells[1]
    signed = [p.text for p in signature.paragraphs if p.text]
    assert signed == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Duy Hưng"]


# --- baocao new ------------------------------------------------------------------------

UNCOMMENT = re.compile(r"^(\s*)# (\w+: \S+)   # năm trước$", re.MULTILINE)


def test_starter_from_last_plan_keeps_structure_and_blanks_figures(tmp_path: Path) -> None:
    out = tmp_path / "ke-hoach-2025.yaml"
    result = run_cli(["new", "ke_hoach", "--tu", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    modeline = out.read_text(encoding="utf-8").splitlines()[0]
    assert (out.parent / modeline.removeprefix("# yaml-language-server: $schema=")).resolve() == (
        DATA_DIR.parent / "schemas" / "ke_hoach.schema.json"
    )
    starter = load_document(out)
    issues = validate(starter)
    assert issues and all(issue.message == "thiếu trường bắt buộc" for issue in issues)
    missing = {(issue.path[-1], issue.line > 0) for issue in issues}
    assert missing == {("gia_tri", True), ("tong_so_ho", True), ("ho_ngheo", True)}
    assert len(issues) == 12 + 2 * 10
    assert starter.data["nam"] == 2025 and starter.data["ngay_ban_hanh"] == "2025-03"
    assert "so" not in starter.data["so_hieu"]

    # Filling in last year's figures gives back last year's plan, moved on by a year.
    refilled = tmp_path / "refilled.yaml"
    refilled.write_text(UNCOMMENT.sub(r"\1\2", out.read_text(encoding="utf-8")), encoding="utf-8")
    expected = load_document(SAMPLE).data
    expected.update(nam=2025, ngay_ban_hanh="2025-03")
    assert load_document(refilled).data == expected


@pytest.mark.parametrize("kind", list_kinds())
def test_fresh_starter_loads_for_every_kind(kind: str, tmp_path: Path) -> None:
    out = tmp_path / f"{kind}.yaml"
    out.write_text(starter_text(kind, schema_path=f"../schemas/{kind}.schema.json"), encoding="utf-8")
    document = load_document(out)
    assert document.data["loai"] == kind
    required = load_schemas(SCHEMA_DIR)[f"{kind}.schema.json"]["required"]
    assert set(document.data) == set(required), "the starter holds exactly the required fields"
    to_fill = [value for path, value in leaves(document.data) if path != ("loai",)]
    assert to_fill and all(value is None for value in to_fill), "every figure and text is left to fill in"
    modeline = f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
    assert out.read_text(encoding="utf-8").startswith(modeline)


def test_new_refuses_unknown_kind_and_existing_file(tmp_path: Path) -> None:
    unknown = run_cli(["new", "ke_hoachh"])
    assert unknown.exit_code == 1 and "không có loại văn bản `ke_hoachh`" in unknown.stderr
    existing = tmp_path / "co-san.yaml"
    existing.write_text("giữ nguyên\n", encoding="utf-8")
    refused = run_cli(["new", "ke_hoach", "-o", str(existing)])
    assert refused.exit_code == 1 and existing.read_text(encoding="utf-8") == "giữ nguyên\n"
