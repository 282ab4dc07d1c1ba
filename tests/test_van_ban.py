"""The general kind `van_ban`: numbering, figures in text, tables, Phụ lục, against hand-computed values."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from ruamel.yaml import YAML

from engine.docxtext import docx_text
from engine.kinds.van_ban import derive_van_ban
from engine.kinds.van_ban_figures import Figure, References, derive_figures, format_figure
from engine.load import load_document
from engine.pipeline import check, render_checked
from tests.conftest import DATA_DIR, run_cli

SAMPLES = {
    "ktxh": DATA_DIR / "xa-tan-phong-2024-6t-ktxh.yaml",
    "cong_van": DATA_DIR / "xa-tan-phong-2024-cv-bhyt.yaml",
    "to_trinh": DATA_DIR / "xa-tan-phong-2024-tt-kinh-phi.yaml",
    "ke_hoach": DATA_DIR / "xa-tan-phong-2025-kh-phong-chong-thien-tai.yaml",
}


def rendered(sample: str) -> bytes:
    return render_checked(check(SAMPLES[sample], strict=True))


def text_of(sample: str) -> list[str]:
    return docx_text(rendered(sample)).splitlines()


# --- tables: derived totals, rates and shares, computed by hand -------------------------------


def test_rate_column_and_total_row_of_the_six_month_report() -> None:
    lines = text_of("ktxh")
    # 312,5/310 = 100,806 → 100,8; 48,2/50 = 96,4; 36,8/35 = 105,142 → 105,1;
    # total 397,5/395 = 100,632 → 100,6
    assert "1 | Lúa | 310,0 | 312,5 | 100,8" in lines
    assert "2 | Ngô | 50,0 | 48,2 | 96,4" in lines
    assert "3 | Rau màu các loại | 35,0 | 36,8 | 105,1" in lines
    assert "Tổng cộng | 395,0 | 397,5 | 100,6" in lines


def test_share_column_sums_to_one_hundred_in_the_to_trinh() -> None:
    lines = text_of("to_trinh")
    # 186.500.000 / 322.000.000 = 57,919% → 57,92; 94,2/322 = 29,255 → 29,25; 41,3/322 = 12,826 → 12,83
    assert "1 | Thay mái tôn | 186.500.000 | 57,92" in lines
    assert "2 | Trát, sơn tường | 94.200.000 | 29,25" in lines
    assert "3 | Hệ thống điện | 41.300.000 | 12,83" in lines
    assert "Tổng cộng | 322.000.000 | 100,00" in lines


def test_phu_luc_rates_recomputed_from_totals_not_averaged() -> None:
    lines = text_of("ke_hoach")
    # 46/152 = 30,263; 31/208 = 14,904; 58/117 = 49,573; 0/96 = 0;
    # total 135/573 = 23,560 (the mean of the rows would be 23,68)
    assert "1 | Khuôn Thắm | 152 | 46 | 30,26 | Di dời tạm thời đến nhà văn hóa thôn" in lines
    assert "4 | Nà Đon | 96 | 0 | 0,00 | Theo dõi" in lines
    assert "Tổng cộng | 573 | 135 | 23,56 |" in lines


def test_phu_luc_on_its_own_page_with_caption_from_number_and_date() -> None:
    lines = text_of("ke_hoach")
    start = lines.index("--- ngắt trang ---")
    assert lines[start + 1 : start + 4] == [
        "PHỤ LỤC",
        "DANH SÁCH KHU DÂN CƯ CÓ NGUY CƠ SẠT LỞ, LŨ QUÉT NĂM 2025",
        "(Kèm theo Kế hoạch số 12/KH-UBND ngày 18/02/2025 của UBND xã Tân Phong)",
    ]


def test_table_header_rows_repeat_and_merge() -> None:
    document = Document(io.BytesIO(rendered("ke_hoach")))
    table = document.tables[-1]
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    header_rows = [
        row for row in table.rows if row._tr.find(f"{namespace}trPr/{namespace}tblHeader") is not None
    ]
    assert len(header_rows) == 2
    spans = [cell.get(f"{namespace}val") for cell in table._tbl.iter(f"{namespace}gridSpan")]
    assert spans[0] == "2"  # "Số hộ" over two columns
    merges = [cell.get(f"{namespace}val") for cell in table._tbl.iter(f"{namespace}vMerge")]
    assert merges.count("restart") == 4  # STT, Thôn, Tỷ lệ, Phương án span both header rows


# --- layout of the types ----------------------------------------------------------------------


def test_cong_van_has_no_type_name_and_vv_under_the_number() -> None:
    lines = text_of("cong_van")
    assert lines[1].startswith("Số: 215/UBND-VX / V/v đề nghị hỗ trợ kinh phí mua thẻ bảo hiểm y tế")
    assert "BÁO CÁO" not in lines and "TỜ TRÌNH" not in lines
    assert lines[3:7] == [
        "Kính gửi:",
        "- Ủy ban nhân dân huyện Yên Sơn;",
        "- Phòng Lao động - Thương binh và Xã hội huyện;",
        "- Bảo hiểm xã hội huyện Yên Sơn.",
    ]


def test_to_trinh_amount_in_words_and_single_recipient() -> None:
    lines = text_of("to_trinh")
    assert "Kính gửi: Ủy ban nhân dân huyện Yên Sơn" in lines
    assert any("322.000.000 đồng (Bằng chữ: Ba trăm hai mươi hai triệu đồng)" in line for line in lines)
    # hiệu: 322.000.000 − 250.000.000; tỷ trọng 250/322 = 77,64 → 77,6 (chu_so: 1)
    assert any("(77,6% tổng kinh phí), ngân sách xã đối ứng 72.000.000 đồng." in line for line in lines)


def test_headings_numbered_by_level_in_vietnamese_order() -> None:
    lines = text_of("ktxh")
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI",
        "1.1. Sản xuất nông nghiệp",
        "2.2. Y tế, lao động - việc làm",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024",
    ):
        assert heading in lines


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "loai": "van_ban",
        "the_loai": "thong_bao",
        "co_quan": {"ten": "Ủy ban nhân dân xã A", "ten_viet_tat": "UBND xã A", "dia_danh": "A"},
        "so_hieu": {"so": 5, "ma_co_quan": "UBND"},
        "ngay_ban_hanh": "2024-03-07",
        "trich_yeu": "Kết luận",
        "noi_dung": ["Một."],
        "noi_nhan": [{"ds": ["Lưu: VT"]}],
        "nguoi_ky": {"chuc_vu": "Chủ tịch", "ho_ten": "B"},
    }
    return data | changes


def test_letters_skip_f_and_put_d_stroke_after_d() -> None:
    sections = [{"muc": f"Mục {index}"} for index in range(1, 8)]
    body = [{"muc": "A", "noi_dung": [{"muc": "B", "noi_dung": [{"muc": "C", "noi_dung": sections}]}]}]
    derivation = derive_van_ban(minimal(noi_dung=body))
    letters = [block["so"] for block in derivation.context["khoi"] if block["kieu"] == "muc_chu"]
    assert letters == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)"]
    assert derivation.context["so_ky_hieu"] == "05/TB-UBND"
    assert derivation.context["ten_loai"] == "THÔNG BÁO"


# --- figures ------------------------------------------------------------------------------------


def figures(**specs: dict[str, Any]) -> dict[str, Figure]:
    result = derive_figures(specs, None)
    assert not [issue for issue in result.issues if issue.is_error], result.issues
    return result.by_name


@pytest.mark.parametrize(
    ("spec", "form", "expected"),
    [
        ({"gia_tri": 2486, "don_vi": "hộ"}, None, "2.486 hộ"),
        ({"gia_tri": 1337000000, "don_vi": "đồng"}, None, "1.337.000.000 đồng"),
        ({"gia_tri": 1337000000, "don_vi": "đồng"}, "tỷ đồng", "1,34 tỷ đồng"),
        ({"gia_tri": 1337000000, "don_vi": "đồng"}, "triệu đồng", "1.337 triệu đồng"),
        ({"gia_tri": 1337000000, "don_vi": "đồng"}, "chữ", "một tỷ ba trăm ba mươi bảy triệu đồng"),
        ({"gia_tri": 1850.6, "don_vi": "triệu đồng"}, None, "1.850,6 triệu đồng"),
        (
            {"gia_tri": 1850.6, "don_vi": "triệu đồng"},
            "Chữ",
            "Một tỷ tám trăm năm mươi triệu sáu trăm nghìn đồng",
        ),
        ({"gia_tri": 3.5, "don_vi": "%"}, None, "3,50%"),
        ({"gia_tri": 3.456, "don_vi": "%", "chu_so": 1}, None, "3,5%"),
        ({"gia_tri": 12.5, "don_vi": "ha"}, "số", "12,5"),
        ({"gia_tri": 5, "don_vi": "lượt", "ky": "lũy kế 2021–2024"}, "kỳ", "lũy kế 2021–2024"),
        ({"chua_co_so_lieu": True, "don_vi": "hộ"}, None, "(chưa có số liệu)"),
    ],
)
def test_figure_formats(spec: dict[str, Any], form: str | None, expected: str) -> None:
    result = derive_figures({"x": spec}, None)
    assert format_figure(result.by_name["x"], form) == expected


def test_derivations_half_up() -> None:
    found = figures(
        a={"gia_tri": 1, "don_vi": "hộ"},
        b={"gia_tri": 8, "don_vi": "hộ"},
        tong={"tong": ["a", "b"]},
        hieu={"hieu": ["b", "a"]},
        ty_le={"ty_le": ["a", "b"]},
        dat={"so_voi_ke_hoach": ["b", "tong"], "chu_so": 1},
    )
    assert format_figure(found["tong"]) == "9 hộ"
    assert format_figure(found["hieu"]) == "7 hộ"
    assert format_figure(found["ty_le"]) == "12,50%"  # 1/8 = 0,125 exactly, half-up
    assert format_figure(found["dat"]) == "88,9%"  # 8/9 = 88,888…


def test_change_from_previous_period() -> None:
    specs: dict[str, dict[str, Any]] = {
        "ho": {"gia_tri": 98, "don_vi": "hộ"},
        "giam": {"so_voi_ky_truoc": "ho"},
    }
    result = derive_figures(specs, {"ho": Decimal(143)})
    assert format_figure(result.by_name["giam"]) == "giảm 45 hộ"
    rates: dict[str, dict[str, Any]] = {
        "tl": {"gia_tri": 2.5, "don_vi": "%"},
        "doi": {"so_voi_ky_truoc": "tl"},
    }
    result = derive_figures(rates, {"tl": Decimal("3.12")})
    assert format_figure(result.by_name["doi"]) == "từ 3,12% xuống còn 2,50% (giảm 0,62 điểm phần trăm)"


def test_stated_figure_that_disagrees_is_a_warning_and_kept() -> None:
    result = derive_figures(
        {
            "a": {"gia_tri": 2, "don_vi": "hộ"},
            "b": {"gia_tri": 3, "don_vi": "hộ"},
            "c": {"tong": ["a", "b"], "gia_tri": 6},
        },
        None,
    )
    (issue,) = result.issues
    assert not issue.is_error
    assert issue.path == ("so_lieu", "c", "gia_tri")
    assert issue.message == "(6) khác tổng các thành phần (2 + 3 = 5)"
    assert format_figure(result.by_name["c"]) == "6 hộ"


def test_unknown_reference_has_a_near_miss_hint() -> None:
    refs = References(figures(ho_ngheo={"gia_tri": 1, "don_vi": "hộ"}))
    assert refs.text("còn [[ho_ngeo]] hộ", ("noi_dung", 3)) == "còn  hộ"
    (issue,) = refs.issues
    assert issue.path == ("noi_dung", 3)
    assert issue.message == "không có số liệu `ho_ngeo` trong so_lieu"
    assert issue.hint == "có phải ý bạn là `ho_ngheo`?"


def test_escape_prints_the_brackets() -> None:
    refs = References(figures(a={"gia_tri": 7, "don_vi": "người"}))
    assert refs.text(r"\[[a]] là [[a]]", ()) == "[[a]] là 7 người"
    assert not refs.issues


@given(st.text().filter(lambda text: "[[" not in text))
def test_text_without_references_is_unchanged(text: str) -> None:
    refs = References({})
    assert refs.text(text, ()) == text
    assert not refs.issues


def test_samples_render_deterministically(tmp_path: Path) -> None:
    for sample in SAMPLES:
        assert rendered(sample) == rendered(sample)


def test_ky_truoc_compares_with_the_previous_files_figures(tmp_path: Path) -> None:
    base = SAMPLES["ktxh"].read_text(encoding="utf-8")
    (tmp_path / "nam-truoc.yaml").write_text(
        base.replace("gia_tri: 87, don_vi: hộ", "gia_tri: 112, don_vi: hộ"), encoding="utf-8"
    )
    current = base.replace(
        "  ho_ngheo: {gia_tri: 87, don_vi: hộ}\n",
        "  ho_ngheo: {gia_tri: 87, don_vi: hộ}\n"
        "  ho_ngheo_so_voi: {so_voi_ky_truoc: ho_ngheo}\n"
        "  ty_le_so_voi: {so_voi_ky_truoc: ty_le_ho_ngheo}\n",
    ).replace(
        "tỷ lệ hộ nghèo [[ty_le_ho_ngheo]].",
        "tỷ lệ hộ nghèo [[ty_le_ho_ngheo]]; so với cùng kỳ, số hộ nghèo [[ho_ngheo_so_voi]],"
        " tỷ lệ [[ty_le_so_voi]].",
    )
    (tmp_path / "nam-nay.yaml").write_text("ky_truoc: nam-truoc.yaml\n" + current, encoding="utf-8")
    text = docx_text(render_checked(check(tmp_path / "nam-nay.yaml", strict=True)))
    # 112/2.486 = 4,505 → 4,51%; 87/2.486 = 3,4996 → 3,50%
    assert (
        "so với cùng kỳ, số hộ nghèo giảm 25 hộ, tỷ lệ từ 4,51% xuống còn 3,50% (giảm 1,01 điểm phần trăm)."
        in text
    )


def test_too_many_lettered_headings_is_a_located_error() -> None:
    sections = [{"muc": f"Mục {index}"} for index in range(1, 25)]
    body = [{"muc": "A", "noi_dung": [{"muc": "B", "noi_dung": [{"muc": "C", "noi_dung": sections}]}]}]
    issues = derive_van_ban(minimal(noi_dung=body)).issues
    assert [(issue.path, issue.message) for issue in issues] == [
        (
            ("noi_dung", 0, "noi_dung", 0, "noi_dung", 0, "noi_dung", 23, "muc"),
            "mục thứ 24 ở cấp này: chỉ có 23 chữ cái (a … y), nhận thứ tự 24",
        )
    ]


def test_several_appendices_are_numbered_and_a_draft_caption_leaves_blanks() -> None:
    appendix = {"tieu_de": "Danh mục", "noi_dung": ["Nội dung."]}
    data = minimal(
        the_loai="ke_hoach", so_hieu={"so": None, "ma_co_quan": "UBND"}, ngay_ban_hanh="2024-04"
    ) | {"phu_luc": [appendix, appendix]}
    context = derive_van_ban(data).context
    assert [item["so"] for item in context["phu_luc"]] == [" I", " II"]
    assert (
        context["phu_luc"][0]["kem_theo"]
        == "(Kèm theo Kế hoạch số      /KH-UBND ngày      /4/2024 của UBND xã A)"
    )


def test_cong_van_number_has_no_type_code() -> None:
    data = minimal(the_loai="cong_van", kinh_gui=["UBND huyện B"], so_hieu={"so": 9, "ma_co_quan": "UBND"})
    context = derive_van_ban(data).context
    assert (context["so_ky_hieu"], context["ten_loai"], context["vv"]) == ("09/UBND", None, "V/v Kết luận")
    assert context["kinh_gui"] == {"mot": "UBND huyện B", "ds": []}


def test_new_from_previous_keeps_named_figures_with_values_commented(tmp_path: Path) -> None:
    out = tmp_path / "ky-sau.yaml"
    result = run_cli(["new", "van_ban", "--tu", str(SAMPLES["ktxh"]), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "  ho_ngheo:\n    # gia_tri: 87   # năm trước\n    don_vi: hộ\n" in text
    refilled = re.sub(r"(?m)^(\s*)# (gia_tri: \S+)   # năm trước$", r"\1\2", text)
    (tmp_path / "lai.yaml").write_text(refilled, encoding="utf-8")
    assert (
        load_document(tmp_path / "lai.yaml").data["so_lieu"] == load_document(SAMPLES["ktxh"]).data["so_lieu"]
    )


def test_a_derived_figure_stated_as_text_is_an_error() -> None:
    result = derive_figures(
        {"a": {"gia_tri": 1, "don_vi": "hộ"}, "b": {"tong": ["a"], "gia_tri": "khoảng 1"}}, None
    )
    assert [(issue.path, issue.message) for issue in result.issues] == [
        (("so_lieu", "b", "gia_tri"), "số liệu `b` được tính (tong), giá trị đã nhập phải là số")
    ]


NAMES = st.sampled_from(["a", "b", "c", "d"])
FIGURE_SPECS = st.one_of(
    st.fixed_dictionaries(
        {"gia_tri": st.one_of(st.integers(-5, 5), st.decimals(-5, 5, places=2).map(float), st.just("Đạt"))},
        optional={"don_vi": st.sampled_from(["hộ", "đồng", "%", "tỷ đồng"]), "chu_so": st.integers(0, 3)},
    ),
    st.fixed_dictionaries({"chua_co_so_lieu": st.just(True)}),
    st.fixed_dictionaries({"tong": st.lists(NAMES, min_size=1, max_size=3)}),
    *(
        st.fixed_dictionaries({kind: st.lists(NAMES, min_size=2, max_size=2)})
        for kind in ("hieu", "ty_le", "ty_trong", "so_voi_ke_hoach")
    ),
    st.fixed_dictionaries({"so_voi_ky_truoc": NAMES}),
)


@given(st.dictionaries(NAMES, FIGURE_SPECS, min_size=1), st.text(alphabet="[]:abcdsốchữkỳ\\ ", max_size=30))
def test_any_figures_and_references_give_issues_never_exceptions(specs: dict[str, Any], text: str) -> None:
    result = derive_figures(specs, {"a": Decimal(3), "b": Decimal("0.5")})
    if any(issue.is_error for issue in result.issues):
        assert all(issue.path[:2] in {("so_lieu", name) for name in specs} for issue in result.issues)
        return
    assert set(result.by_name) == set(specs)
    refs = References(result.by_name)
    assert isinstance(refs.text(text, ()), str)
    for figure in result.by_name.values():
        for form in (None, "số", "chữ", "tỷ đồng"):
            try:
                assert format_figure(figure, form)
            except ValueError as error:  # a form that does not fit the figure: a Vietnamese reason
                assert str(error)


def table_rows(markup: str) -> list[list[str]]:
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(f'<w:body xmlns:w="{namespace}">{markup}</w:body>')
    return [
        ["".join(str(text) for text in cell.itertext()) for cell in row.iterfind(f"{{{namespace}}}tc")]
        for row in root.iter(f"{{{namespace}}}tr")
    ]


def test_total_row_of_a_table_opening_with_a_number_column_keeps_every_total() -> None:
    table = {
        "cot": [
            {"ten": "Số hộ", "kieu": "so"},
            {"ten": "Tỷ trọng", "kieu": "ty_trong", "cua": 1, "chu_so": 1},
        ],
        "hang": [[1], [2]],
        "tong_cong": "Tổng",
    }
    (block,) = [k for k in derive_van_ban(minimal(noi_dung=[{"bang": table}])).context["khoi"] if k["bang"]]
    # 1/3 = 33,33… → 33,3; 2/3 = 66,66… → 66,7
    assert table_rows(block["bang"]) == [["Số hộ", "Tỷ trọng"], ["1", "33,3"], ["2", "66,7"], ["3", "100,0"]]


def test_the_benchmarks_large_document_is_valid_and_complete(tmp_path: Path) -> None:
    from bench.van_ban import large_document

    path = tmp_path / "lon.yaml"
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as file:
        yaml.dump(large_document(), file)
    checked = check(path, strict=True)
    blocks = checked.derivation.context["khoi"]
    assert sum(block["kieu"] in ("muc_la_ma", "muc_so") for block in blocks) == 60
    assert sum(block["kieu"] == "bang" for block in blocks) == 30
    # 5 × (1.000 + 9 × 37) + (0 + 1 + 2 + 3 + 4) = 6.675
    assert "X. LĨNH VỰC 10: TỔNG 6.675 HỘ" in docx_text(render_checked(checked))
