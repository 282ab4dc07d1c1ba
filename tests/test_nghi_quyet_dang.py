"""`nghi_quyet_dang` (seed 001): party layout, the yearly poverty sentence, its rates, one-figure changes."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from engine.derive import signature_lines
from engine.docxtext import docx_text
from engine.kinds.nghi_quyet_dang import rate_digits
from engine.pipeline import check, render_checked
from tests.conftest import DATA_DIR, changed_copy

SAMPLE = DATA_DIR / "phuong-huong-xuan-2022-nq-giam-ngheo.yaml"
SEED = next((Path(__file__).parent / "seeds").glob("001_*.txt"))
YEARLY = (
    "Tỷ lệ hộ nghèo trên địa bàn toàn phường giảm đáng kể qua từng năm, cụ thể: Năm 2016: 230 hộ, chiếm"
    " tỷ lệ 12,04%; năm 2017: 193 hộ, chiếm tỷ lệ 10,04%; năm 2018: 106 hộ, chiếm tỷ lệ 5,52%; năm 2019:"
    " 57 hộ, chiếm tỷ lệ 2,9% và đến năm 2020 còn 52 hộ, chiếm tỷ lệ 2,61%. Đến cuối năm 2021 qua điều tra,"
    " rà soát hộ nghèo theo chuẩn mới trên địa bàn phường có 82 hộ nghèo, chiếm tỷ lệ 4,1%."
)


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_checked(check(SAMPLE))


def changed_sample(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    return changed_copy(SAMPLE, tmp_path, *replacements)


def test_yearly_sentence_reproduces_the_seed(rendered: bytes) -> None:
    assert YEARLY in SEED.read_text(encoding="utf-8")
    assert YEARLY in docx_text(rendered).splitlines()


def test_rates_are_computed_from_total_households(tmp_path: Path) -> None:
    # 230 / 1.910 = 12,0418…% → 12,04%; 57 / 1.966 = 2,8992…% → 2,90% (2 decimals when computed).
    changed = changed_sample(
        tmp_path,
        ("{nam: 2016, ho_ngheo: 230, ty_le: 12.04}", "{nam: 2016, ho_ngheo: 230, tong_so_ho: 1910}"),
        ("{nam: 2019, ho_ngheo: 57, ty_le: 2.9}", "{nam: 2019, ho_ngheo: 57, tong_so_ho: 1966}"),
    )
    checked = check(changed)
    assert not checked.warnings
    years = checked.derivation.context["danh_gia"]["ho_ngheo_theo_nam"]["cac_nam"]
    assert (years[0]["ty_le"], years[3]["ty_le"]) == (Decimal("12.04"), Decimal("2.90"))
    text = docx_text(render_checked(checked))
    assert "Năm 2016: 230 hộ, chiếm tỷ lệ 12,04%;" in text
    assert "năm 2019: 57 hộ, chiếm tỷ lệ 2,90% và" in text


def test_published_rate_that_disagrees_is_flagged(tmp_path: Path) -> None:
    # 193 / 1.900 = 10,157…% → 10,16%, not the 10,04% stated; 2,9% against 57 / 1.966 = 2,90% agrees.
    changed = changed_sample(
        tmp_path,
        (
            "{nam: 2017, ho_ngheo: 193, ty_le: 10.04}",
            "{nam: 2017, ho_ngheo: 193, ty_le: 10.04, tong_so_ho: 1900}",
        ),
        ("{nam: 2019, ho_ngheo: 57, ty_le: 2.9}", "{nam: 2019, ho_ngheo: 57, ty_le: 2.9, tong_so_ho: 1966}"),
    )
    checked = check(changed)
    assert [(issue.path, issue.message) for issue in checked.warnings] == [
        (
            ("danh_gia", "ho_ngheo_theo_nam", "cac_nam", 1, "ty_le"),
            "(10,04%) khác tỷ lệ tính được (193 / 1.900 = 10,16%)",
        )
    ]
    assert "năm 2017: 193 hộ, chiếm tỷ lệ 10,04%;" in docx_text(render_checked(checked)), (
        "published figure kept"
    )


@pytest.mark.parametrize(
    ("rate", "digits"), [(Decimal("12.04"), 2), (Decimal("10.40"), 2), (2.9, 1), (12.04, 2), (3, 0)]
)
def test_rate_digits(rate: Decimal | float | int, digits: int) -> None:
    assert rate_digits(rate) == digits


def test_party_signature_lines() -> None:
    assert signature_lines({"thay_mat": "Ban Chấp hành", "chuc_vu": "Bí thư"}, "T/M") == [
        "T/M BAN CHẤP HÀNH",
        "BÍ THƯ",
    ]
    deputy = {"thay_mat": "Ban Thường vụ", "ky_thay": "K/T", "thu_truong": "Bí thư", "chuc_vu": "Phó Bí thư"}
    assert signature_lines(deputy, "T/M") == ["T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "PHÓ BÍ THƯ"]


def test_party_header_and_closing(rendered: bytes) -> None:
    document = Document(io.BytesIO(rendered))
    body_cell, party_cell = document.tables[0].rows[0].cells
    parent, *agency, star = [paragraph for paragraph in body_cell.paragraphs if paragraph.text]
    assert parent.text == "ĐẢNG BỘ THỊ XÃ HƯƠNG TRÀ" and not parent.runs[0].bold
    assert [line.text for line in agency] == ["ĐẢNG ỦY", "PHƯỜNG HƯƠNG XUÂN"]
    assert all(line.runs[0].bold for line in agency)
    assert star.text == "*"
    (party,) = [paragraph for paragraph in party_cell.paragraphs if paragraph.text]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.runs[0].bold and party.runs[0].underline and party.runs[0].font.size == Pt(15)
    number_cell, date_cell = document.tables[0].rows[1].cells
    assert number_cell.text == "Số      -NQ/ĐU", "party style: no colon, number before the type code"
    assert date_cell.text == "Hương Xuân, ngày 23 tháng 5 năm 2022"
    paragraphs = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert paragraphs[:2] == ["NGHỊ QUYẾT", "về giảm nghèo bền vững giai đoạn 2021 - 2025"]
    assert paragraphs[2].startswith(
        "Ngày 23 tháng 5 năm 2022, dưới sự chủ trì của đồng chí Nguyễn Tiến Giang"
    )
    assert paragraphs[-1].endswith("báo cáo kết quả việc tổ chức thực hiện Nghị quyết này./.")
    recipients, signature = document.tables[-1].rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:" and label.runs[0].underline and not label.runs[0].bold
    signed = [paragraph.text for paragraph in signature.paragraphs if paragraph.text]
    assert signed == ["T/M BAN CHẤP HÀNH", "BÍ THƯ", "Nguyễn Tiến Giang"]


def test_numbered_party_document(tmp_path: Path) -> None:
    document = Document(io.BytesIO(render_checked(check(changed_sample(tmp_path, ("so:   ", "so: 75"))))))
    assert document.tables[0].rows[1].cells[0].text == "Số 75-NQ/ĐU"


def test_items_are_numbered(rendered: bytes) -> None:
    lines = docx_text(rendered).splitlines()
    for start in (
        "1. Mục tiêu tổng quát",
        "2.1. Phấn đấu đến cuối năm 2025",
        "3.7. Tăng cường kỷ cương",
        "4. Văn phòng",
    ):
        assert any(line.startswith(start) for line in lines), start
    document = Document(io.BytesIO(rendered))
    titled = next(p for p in document.paragraphs if p.text.startswith("3.2. Đẩy mạnh"))
    assert titled.runs[0].bold and titled.runs[0].italic
    untitled = next(p for p in document.paragraphs if p.text.startswith("2.1. Phấn đấu"))
    assert not any(run.bold for run in untitled.runs)


def test_changing_one_figure_changes_exactly_its_sentence(tmp_path: Path, rendered: bytes) -> None:
    before = docx_text(rendered).splitlines()
    changed = changed_sample(tmp_path, ("{nam: 2018, ho_ngheo: 106,", "{nam: 2018, ho_ngheo: 110,"))
    after = docx_text(render_checked(check(changed))).splitlines()
    differences = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert differences == [(YEARLY, YEARLY.replace("năm 2018: 106 hộ", "năm 2018: 110 hộ"))]
