"""`bao_cao_ket_qua_nghi_quyet` (seed 000): fund figures, letter order, layout, one-figure changes."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from engine.docxtext import docx_text
from engine.errors import Severity
from engine.kinds import derive
from engine.kinds.bao_cao_ket_qua_nghi_quyet import year_changes
from engine.load import load_document
from engine.pipeline import check, render_checked
from tests.conftest import DATA_DIR, changed_copy, kind_rules

KIND = "bao_cao_ket_qua_nghi_quyet"
SAMPLE = DATA_DIR / "xa-duc-hop-2024-nq41.yaml"
SEED = next((Path(__file__).parent / "seeds").glob("000_*.txt"))
FUND_ITEM = "Kết quả xây dựng, quản lý và sử dụng Quỹ “Vì người nghèo”"


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_checked(check(SAMPLE))


def render_text(tmp_path: Path, *replacements: tuple[str, str]) -> str:
    return docx_text(render_checked(check(changed_copy(SAMPLE, tmp_path, *replacements))))


def fund(context: dict[str, object]) -> dict[str, object]:
    items = [policy for item in context["ket_qua"] for policy in item["chinh_sach"]]  # type: ignore[attr-defined]
    return next(policy["quy_vi_nguoi_ngheo"] for policy in items if policy["ten"] == FUND_ITEM)


def test_fund_total_and_growth_are_derived() -> None:
    derivation = derive(KIND, load_document(SAMPLE).data, kind_rules(KIND))
    figures = fund(derivation.context)
    # 23.985.000 + 26.974.000 = 50.959.000; 26.974.000 - 23.985.000 = 2.989.000 = 12,462…% of 23.985.000.
    assert figures["tong"] == 50_959_000
    assert figures["thay_doi"] == [
        {
            "nam": 2024,
            "nam_truoc": 2023,
            "xu_huong": "tăng",
            "chenh_lech": 2_989_000,
            "ty_le": Decimal("12.46"),
        }
    ]
    assert not derivation.issues, "the seed prints no total, so nothing disagrees"


def test_summary_sentence_prints_the_derived_figures(tmp_path: Path) -> None:
    text = render_text(tmp_path, ("in_tong_hop: false", "in_tong_hop: true"))
    assert (
        "Tổng cộng năm 2023 và năm 2024 vận động được 50.959.000 đồng; năm 2024 tăng 2.989.000 đồng (12,46%)"
        " so với năm 2023.\n" in text
    )


def test_stated_fund_total_is_checked(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8")
    for stated, warned in (("50959000", False), ("50000000", True)):
        changed = tmp_path / f"{stated}.yaml"
        changed.write_text(
            data.replace("in_tong_hop: false", f"tong: {stated}\n          in_tong_hop: false")
        )
        issues = check(changed).warnings
        assert bool(issues) == warned
    (issue,) = issues
    assert issue.severity is Severity.WARNING
    assert issue.message == "(50.000.000) khác tổng các thành phần (23.985.000 + 26.974.000 = 50.959.000)"


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        ((100, 80), [("giảm", 20, Decimal("20.00"))]),
        ((100, 100), [("bằng", 0, Decimal("0.00"))]),
        ((0, 50, 75), [("tăng", 50, None), ("tăng", 25, Decimal("50.00"))]),
    ],
)
def test_year_changes(amounts: tuple[int, ...], expected: list[tuple[str, int, Decimal | None]]) -> None:
    years = [{"nam": 2020 + index, "so_tien": amount} for index, amount in enumerate(amounts)]
    changes = year_changes(years)
    assert [(change["xu_huong"], change["chenh_lech"], change["ty_le"]) for change in changes] == expected


def test_letters_follow_the_vietnamese_alphabet_unlike_the_seed(rendered: bytes) -> None:
    text = docx_text(rendered)
    seed = SEED.read_text(encoding="utf-8")
    letters = re.findall(r"^([a-zđ])\) ", text, flags=re.MULTILINE)
    assert letters == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"]
    # The seed skips đ: legal aid is its "e)", and it writes "i," for the water item.
    assert "\nđ) Hỗ trợ tiếp cận các dịch vụ trợ giúp pháp lý\n" in text
    assert "\ne) Hỗ trợ tiếp cận các dịch vụ trợ giúp pháp lý\n" in seed
    assert not re.search(r"^đ\) ", seed, flags=re.MULTILINE)
    assert "\ni, Hỗ trợ về nước sinh hoạt và vệ sinh\n" in seed
    assert "\nh) Hỗ trợ về nước sinh hoạt và vệ sinh\n" in text
    assert "\nl) Thực hiện các chính sách xã hội khác\n" in text
    assert "\nm) Thực hiện các chính sách xã hội khác\n" in seed


def test_printed_fund_figures_match_the_seed(rendered: bytes) -> None:
    text = docx_text(rendered)
    seed = SEED.read_text(encoding="utf-8")
    for year, amount in (("2023", "23.985.000"), ("2024", "26.974.000")):
        assert f"Năm {year} vận động được {amount}đ" in seed
        assert f"Năm {year} vận động được {amount} đồng." in text


def test_resolution_is_named_in_title_and_closing(rendered: bytes) -> None:
    name = (
        "Nghị quyết số 41-NQ/TU ngày 21/8/2023 của Ban Thường vụ Tỉnh ủy về tăng cường sự lãnh đạo của Đảng"
        " đối với công tác giảm nghèo tỉnh Hưng Yên giai đoạn 2023-2025, định hướng đến năm 2030"
    )
    lines = docx_text(rendered).splitlines()
    assert f"Kết quả tình hình thực hiện {name}" in lines
    assert f"Trên đây là báo cáo kết quả thực hiện {name} trên địa bàn xã Đức Hợp./." in lines


def test_layout(rendered: bytes) -> None:
    document = Document(io.BytesIO(rendered))
    body_cell = document.tables[0].rows[0].cells[0]
    assert [p.text for p in body_cell.paragraphs if p.text] == [
        "UBND HUYỆN KIM ĐỘNG",
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỨC HỢP",
    ]
    number_cell, date_cell = document.tables[0].rows[1].cells
    assert number_cell.text == "Số:      /BC-UBND"
    assert date_cell.text == "Đức Hợp, ngày      tháng 8 năm 2024"
    by_text = {paragraph.text: paragraph for paragraph in document.paragraphs}
    for heading in (
        "I. TÌNH HÌNH QUÁN TRIỆT VÀ TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT",
        "2. Công tác lãnh đạo, chỉ đạo",
    ):
        assert by_text[heading].runs[0].bold
    letter = by_text["đ) Hỗ trợ tiếp cận các dịch vụ trợ giúp pháp lý"]
    assert not letter.runs[0].bold and letter.paragraph_format.keep_with_next
    _, signature = document.tables[-1].rows[0].cells
    signed = [paragraph.text for paragraph in signature.paragraphs if paragraph.text]
    assert signed == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Tiến Lực"]


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_changing_one_figure_changes_exactly_its_sentences(tmp_path: Path, rendered: bytes) -> None:
    before = docx_text(rendered)
    after = render_text(tmp_path, ("so_tien: 26974000", "so_tien: 27985000"))
    assert changed_lines(before, after) == [
        ("Năm 2024 vận động được 26.974.000 đồng.", "Năm 2024 vận động được 27.985.000 đồng.")
    ]
    summary = ("in_tong_hop: false", "in_tong_hop: true")
    before = render_text(tmp_path, summary)
    after = render_text(tmp_path, summary, ("so_tien: 26974000", "so_tien: 23985000"))
    assert [new for _, new in changed_lines(before, after)] == [
        "Năm 2024 vận động được 23.985.000 đồng.",
        "Tổng cộng năm 2023 và năm 2024 vận động được 47.970.000 đồng; năm 2024 bằng năm 2023.",
    ]
