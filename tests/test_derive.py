"""Derivations shared by every document kind."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from engine.derive import (
    UNCHANGED,
    IssueDate,
    agency_lines,
    common_context,
    count_and_rate_change,
    recipient_lines,
    signature_lines,
    with_closing_mark,
)
from engine.docxtext import docx_text
from engine.filters import FILTERS
from engine.kinds import derive
from engine.render import render_docx
from engine.schema import field_paths
from engine.templates import load_template
from tests.conftest import kind_rules


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Ủy ban nhân dân xã Lục Bình", ["ỦY BAN NHÂN DÂN", "XÃ LỤC BÌNH"]),
        ("Ủy ban nhân dân tỉnh Hưng Yên", ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"]),
        ("UBND xã Lục Bình", ["UBND XÃ LỤC BÌNH"]),
        ("Ủy ban nhân dân xã Ea Sô", ["ỦY BAN NHÂN DÂN XÃ EA SÔ"]),  # 24 letters: still one line
        ("Phòng Lao động - Thương binh và Xã hội", ["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]),
    ],
)
def test_agency_name_splits_after_body_type_when_long(name: str, lines: list[str]) -> None:
    assert agency_lines(name) == lines


def test_a_number_not_yet_in_the_register_is_blank() -> None:
    """`so` may be left out of a draft's `so_hieu`: the template still finds it, empty."""
    number = {"ma_loai": "BC", "ma_co_quan": "UBND"}
    assert common_context({"so_hieu": number})["so_hieu"] == {"so": None, **number}
    assert common_context({"so_hieu": {"so": 7, **number}})["so_hieu"] == {"so": 7, **number}


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("hộ nghèo", "số hộ và tỷ lệ hộ nghèo không thay đổi (3,96%)"),
        ("hộ", "số và tỷ lệ hộ không thay đổi (3,96%)"),
    ],
)
def test_count_and_rate_both_unchanged_share_their_words(noun: str, expected: str) -> None:
    assert count_and_rate_change(noun, UNCHANGED, f"{UNCHANGED} (3,96%)") == expected


# --- a kind defined only by files: schema, rules, template ---------------------------

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "loai": {"const": "thien_tai"},
        "nam": {"type": "integer"},
        "ngay_ban_hanh": {"type": "string"},
        "thiet_hai": {
            "type": "object",
            "properties": {
                "nha_sap": {"type": "integer"},
                "nha_hu_hong": {"type": "integer"},
                "tong_nha": {"type": "integer"},
            },
        },
        "ky_truoc": {"type": "object", "properties": {"tong_nha": {"type": "integer"}}},
        "ke_hoach_sua": {"type": "integer"},
        "da_sua": {"type": "integer"},
        "ghi_chu": {"type": "string"},
        "de_xuat": {"type": "array", "items": {"type": "string"}},
    },
}
RULES = """\
- kiem_tra: tong
  tong: thiet_hai.tong_nha
  thanh_phan: [thiet_hai.nha_sap, thiet_hai.nha_hu_hong]
- kiem_tra: so_sanh
  so_sanh: so_sanh.tong_nha
  truoc: ky_truoc.tong_nha
  sau: thiet_hai.tong_nha
  don_vi: căn
- kiem_tra: ty_trong
  ty_trong: tinh.ty_trong_nha_sap
  phan: thiet_hai.nha_sap
  tong: thiet_hai.tong_nha
  chu_so: 1
- kiem_tra: dat_ke_hoach
  dat_ke_hoach: tinh.sua_chua
  thuc_hien: da_sua
  ke_hoach: ke_hoach_sua
"""
DATA = {
    "loai": "thien_tai",
    "nam": 2024,
    "ngay_ban_hanh": "2024-10-02",
    "thiet_hai": {"nha_sap": 12, "nha_hu_hong": 148},
    "ky_truoc": {"tong_nha": 95},
    "ke_hoach_sua": 150,
    "da_sua": 120,
}


@pytest.fixture
def kind_dir(tmp_path: Path) -> Path:
    (tmp_path / "thien_tai.schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (tmp_path / "thien_tai.rules.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def test_a_kind_without_python_gets_derived_figures_and_explicit_optional_fields(kind_dir: Path) -> None:
    derivation = derive(
        "thien_tai", DATA, kind_rules("thien_tai", kind_dir), field_paths("thien_tai", kind_dir)
    )
    context = derivation.context
    assert context["thiet_hai"]["tong_nha"] == 160
    assert context["so_sanh"] == {"tong_nha": "tăng 65 căn"}
    assert context["tinh"] == {"ty_trong_nha_sap": Decimal("7.5"), "sua_chua": "đạt 80% kế hoạch"}
    assert (context["ghi_chu"], context["de_xuat"]) == (None, [])
    assert context["ban_hanh"] == IssueDate(date(2024, 10, 2), 10, 2024)
    assert "ky" not in context  # no signer block in this data
    assert derivation.sources["thiet_hai.tong_nha"] == (
        ("thiet_hai", "nha_sap"),
        ("thiet_hai", "nha_hu_hong"),
    )


def test_derived_only_names_render_in_a_template(kind_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "thien_tai.docx"
    document = Document()
    document.add_paragraph(
        "Tổng số nhà bị ảnh hưởng {{ thiet_hai.tong_nha|so }} căn"
        "{% if so_sanh.tong_nha %}, so với năm trước {{ so_sanh.tong_nha }}{% endif %}."
    )
    document.add_paragraph("Nhà sập chiếm {{ tinh.ty_trong_nha_sap|so(1) }}%; sửa chữa {{ tinh.sua_chua }}.")
    document.add_paragraph(
        "{% if ghi_chu %}{{ ghi_chu }}{% endif %}{% for y in de_xuat %}{{ y }}{% endfor %}"
    )
    document.save(str(template))
    data = {**DATA, "thiet_hai": {"nha_sap": 1200, "nha_hu_hong": 1800}}
    del data["ky_truoc"]  # no previous year: the comparison is None and its clause is left out
    derivation = derive(
        "thien_tai", data, kind_rules("thien_tai", kind_dir), field_paths("thien_tai", kind_dir)
    )
    text = docx_text(render_docx(load_template(template, FILTERS), derivation.context))
    assert text.splitlines() == [
        "Tổng số nhà bị ảnh hưởng 3.000 căn.",
        "Nhà sập chiếm 40,0%; sửa chữa đạt 80% kế hoạch.",
    ]


def test_recipients_lose_the_punctuation_typed_and_get_nd30_s() -> None:
    groups: list[Mapping[str, Any]] = [
        {"nhom": "Như trên", "ds": ["UBND huyện;", "Phòng LĐ-TB&XH huyện. "]},
        {"ds": ["Lưu: VT."]},
    ]
    assert recipient_lines(groups) == [
        {"nhom": "Như trên", "dong": ["- UBND huyện;", "- Phòng LĐ-TB&XH huyện;"]},
        {"nhom": None, "dong": ["- Lưu: VT."]},
    ]


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("Thực hiện tốt.", "Thực hiện tốt./."),
        ("Câu cuối . ", "Câu cuối./."),
        (" Đầu cách", " Đầu cách./."),
        ("Đại hội Đảng bộ khóa XX.", "Đại hội Đảng bộ khóa XX./."),  # a Roman numeral keeps its letters
    ],
)
def test_closing_mark_replaces_the_last_full_stop(text: str, closed: str) -> None:
    assert with_closing_mark(text) == closed


def test_signature_on_behalf_and_for_the_head() -> None:
    signer = {
        "thay_mat": "Ủy ban nhân dân",
        "ky_thay": "KT.",
        "thu_truong": "Chủ tịch",
        "chuc_vu": "Phó Chủ tịch",
    }
    assert signature_lines(signer) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature_lines({"chuc_vu": "Chủ tịch"}) == ["CHỦ TỊCH"]
