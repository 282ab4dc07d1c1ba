"""`engine.schema`: kinds, `$ref` to shared definitions, and every schema failure explained in Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import schema
from engine.errors import ReportError
from engine.load import LoadedDocument, load_document
from engine.paths import SCHEMA_DIR
from engine.schema import kind_of, list_kinds, validate

DEMO = Path(__file__).parent / "fixtures" / "schema_demo"
KINDS = "các loại có: bao_cao_demo, ke_hoach_demo"
# A valid bao_cao_demo; tests append or replace lines.
BASE = "loai: bao_cao_demo\nten: Báo cáo\ntin_dung:\n  so_tien: 1\n  ho_ngheo: 0\nnoi_nhan: [UBND huyện]\n"


def document(tmp_path: Path, text: str) -> LoadedDocument:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return load_document(path, "demo.yaml")


def problems(tmp_path: Path, text: str) -> list[str]:
    return [issue.format() for issue in validate(document(tmp_path, text), DEMO)]


def kind_problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ReportError) as caught:
        kind_of(document(tmp_path, text), DEMO)
    return [issue.format() for issue in caught.value.issues]


def test_kinds_are_schemas_defining_loai() -> None:
    assert list_kinds(DEMO) == ["bao_cao_demo", "ke_hoach_demo"]


@pytest.mark.parametrize("kind", list_kinds())
def test_project_schemas_compile(kind: str) -> None:
    assert schema._validator(kind, SCHEMA_DIR) is schema._validator(kind, SCHEMA_DIR)


@pytest.mark.parametrize("name", ["bao_cao_hop_le.yaml", "ke_hoach_hop_le.yaml"])
def test_valid_documents_have_no_issues(name: str) -> None:
    assert validate(load_document(DEMO / name, name), DEMO) == []


def test_kind_of_names_the_kind(tmp_path: Path) -> None:
    assert kind_of(document(tmp_path, BASE), DEMO) == "bao_cao_demo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# không có loai\nten: x\n",
            "demo.yaml:2:1: lỗi: loai: thiếu trường bắt buộc "
            f"(loại văn bản: viết `loai: <tên loại>` ở đầu tệp; {KINDS})",
        ),
        (
            "loai: Bao cao demo\n",
            'demo.yaml:1:7: lỗi: loai: không có loại văn bản "Bao cao demo" '
            "(có phải ý bạn là `bao_cao_demo`? Các loại có: bao_cao_demo, ke_hoach_demo)",
        ),
        ("loai: thong_bao\n", f'demo.yaml:1:7: lỗi: loai: không có loại văn bản "thong_bao" ({KINDS})'),
        ("loai: 5\n", f"demo.yaml:1:7: lỗi: loai: không có loại văn bản 5 ({KINDS})"),
    ],
    ids=["missing", "near-miss", "unknown", "not-text"],
)
def test_kind_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert kind_problems(tmp_path, text) == [expected]


def test_validate_refuses_an_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(ReportError):
        validate(document(tmp_path, "loai: khac\n"), DEMO)


def test_all_problems_at_once_sorted_by_position() -> None:
    doc = load_document(DEMO / "bao_cao_nhieu_loi.yaml", "loi.yaml")
    assert [issue.format() for issue in validate(doc, DEMO)] == [
        "loi.yaml:1:1: lỗi: noi_nhan: thiếu trường bắt buộc",
        "loi.yaml:2:6: lỗi: ten: không được để trống",
        'loi.yaml:3:16: lỗi: ngay_ban_hanh: ngày không hợp lệ: "30/06/2023" '
        "(viết theo dạng YYYY-MM-DD: 2023-06-30)",
        "loi.yaml:4:10: lỗi: so_hieu: số hiệu viết dạng 12/BC-UBND",
        'loi.yaml:5:9: lỗi: muc_do: phải là một trong `thap`, `trung_binh`, `cao`, nhận được "Cao" '
        "(có phải ý bạn là `cao`?)",
        "loi.yaml:6:8: lỗi: ty_le: phải là số dương, nhận được 0",
        "loi.yaml:7:10: lỗi: ghi_chu: dài 19 ký tự, quá giới hạn 10 ký tự",
        'loi.yaml:8:9: lỗi: co_dau: phải là true hoặc false, nhận được "có"',
        "loi.yaml:9:6: lỗi: the: nhiều nhất 3 mục, hiện có 4",
        "loi.yaml:9:13: lỗi: the[2]: trùng với mục [0] phía trên",
        'loi.yaml:11:12: lỗi: tin_dung.so_tien: phải là số nguyên không âm, nhận được "1.337.000.000" '
        "(viết số nguyên liền, không dấu chấm: 1337000000)",
        "loi.yaml:12:13: lỗi: tin_dung.ho_ngheo: phải là số không âm, nhận được -2",
        'loi.yaml:15:16: lỗi: tin_dung.nguon[0].so_tien: phải là số nguyên không âm, nhận được "1,5 tỷ" '
        "(viết số nguyên liền bằng chữ số: 1500000000)",
        "loi.yaml:16:7: lỗi: tin_dung.nguon[1].so_tien: thiếu trường bắt buộc",
        "loi.yaml:16:12: lỗi: tin_dung.nguon[1].ten: phải có ít nhất 2 ký tự, hiện có 1",
        "loi.yaml:17:7: lỗi: tin_dung.nguon[1].so_tienn: không có trường này trong mẫu "
        "(có phải ý bạn là `so_tien`?)",
        "loi.yaml:18:1: lỗi: noi_nhann: không có trường này trong mẫu (có phải ý bạn là `noi_nhan`?)",
        "loi.yaml:21:3: lỗi: nguoi_ky.thu_truong: thiếu trường bắt buộc khi có `ky_thay` "
        "(Chức vụ người đứng đầu)",
        "loi.yaml:23:15: lỗi: nguoi_ky.dien_thoai: phải là chuỗi văn bản, nhận được 0912345678 "
        '(đặt trong ngoặc kép nếu muốn giữ nguyên: "0912345678")',
        "loi.yaml:24:13: lỗi: nguoi_ky.nam_sinh: phải lớn hơn hoặc bằng 1900, nhận được 1800",
    ]


def test_shared_definitions_through_all_of_and_unevaluated_properties() -> None:
    doc = load_document(DEMO / "ke_hoach_loi.yaml", "kh.yaml")
    assert [issue.format() for issue in validate(doc, DEMO)] == [
        "kh.yaml:1:1: lỗi: co_quan: thiếu trường bắt buộc (Cơ quan ban hành)",
        'kh.yaml:2:16: lỗi: ngay_ban_hanh: ngày không hợp lệ: "2023-02-29" (tháng 2/2023 chỉ có 28 ngày)',
        "kh.yaml:4:3: lỗi: muc_tieu: cần ít nhất 2 mục, hiện có 1",
        "kh.yaml:4:5: lỗi: muc_tieu[0]: không được để trống",
        "kh.yaml:5:1: lỗi: muc_tieuu: không có trường này trong mẫu (có phải ý bạn là `muc_tieu`?)",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.337.000.000", '"1.337.000.000" (viết số nguyên liền, không dấu chấm: 1337000000)'),
        ("1,337,000", '"1,337,000" (viết số nguyên liền, không dấu phẩy: 1337000)'),
        ('"1 337 000"', '"1 337 000" (viết số nguyên liền, không dấu cách: 1337000)'),
        ("300.000 đồng", '"300.000 đồng" (viết số nguyên liền, không dấu chấm: 300000)'),
        ("1,5 tỷ", '"1,5 tỷ" (viết số nguyên liền bằng chữ số: 1500000000)'),
        ("2 Triệu", '"2 Triệu" (viết số nguyên liền bằng chữ số: 2000000)'),
        ("300000 đ", '"300000 đ" (chỉ ghi chữ số, không kèm đơn vị: 300000)'),
        (
            "300.000",
            "300.000 (YAML đọc 300.000 là số thập phân 300,000; "
            "số hàng nghìn viết liền, không dấu chấm: 300000)",
        ),
        ("1.5e9", "1.5e9 (viết số nguyên liền: 1500000000)"),
        ("2.5", "2.5 (chỉ nhập số nguyên, không có phần thập phân)"),
        ("hai", '"hai"'),
        ("true", "true"),
    ],
)
def test_integer_expected(tmp_path: Path, value: str, expected: str) -> None:
    text = BASE.replace("so_tien: 1\n", f"so_tien: {value}\n")
    assert problems(tmp_path, text) == [
        f"demo.yaml:4:12: lỗi: tin_dung.so_tien: phải là số nguyên không âm, nhận được {expected}"
    ]


def test_an_empty_value_points_at_its_key(tmp_path: Path) -> None:
    assert problems(tmp_path, BASE.replace("so_tien: 1\n", "so_tien:\n")) == [
        "demo.yaml:4:3: lỗi: tin_dung.so_tien: phải là số nguyên không âm, nhận được giá trị trống"
    ]


@given(st.integers(min_value=1000, max_value=10**15))
def test_any_dotted_figure_gets_its_plain_form(number: int) -> None:
    dotted = f"{number:,}".replace(",", ".")
    assert schema._integer_hint(dotted, None) == f"viết số nguyên liền, không dấu chấm: {number}"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("30/06/2023", "viết theo dạng YYYY-MM-DD: 2023-06-30"),
        ("5.7.2024", "viết theo dạng YYYY-MM-DD: 2024-07-05"),
        ("30/02/2023", "tháng 2/2023 chỉ có 28 ngày"),
        ("2024-7-5", "viết theo dạng YYYY-MM-DD: 2024-07-05"),
        ("2023-02-30", "tháng 2/2023 chỉ có 28 ngày"),
        ("2024-02-30", "tháng 2/2024 chỉ có 29 ngày"),
        ("2023-13-01", "tháng phải từ 01 đến 12; viết theo dạng YYYY-MM-DD, ví dụ 2023-06-15"),
        ("hôm nay", "viết theo dạng YYYY-MM-DD, ví dụ 2023-06-15"),
    ],
)
def test_dates(tmp_path: Path, value: str, hint: str) -> None:
    assert problems(tmp_path, f"{BASE}ngay_ban_hanh: {value}\n") == [
        f'demo.yaml:7:16: lỗi: ngay_ban_hanh: ngày không hợp lệ: "{value}" ({hint})'
    ]


def test_custom_message_on_any_of_keeps_the_best_branch_hint(tmp_path: Path) -> None:
    assert problems(tmp_path, f"{BASE}ky_bao_cao: 30/06/2023\nma_xa: '123'\n") == [
        "demo.yaml:7:13: lỗi: ky_bao_cao: viết YYYY-MM-DD hoặc YYYY-MM "
        "(viết theo dạng YYYY-MM-DD: 2023-06-30)",
        "demo.yaml:8:8: lỗi: ma_xa: mã xã gồm đúng 5 chữ số",
    ]
    assert problems(tmp_path, f"{BASE}ky_bao_cao: 2023-06\n") == []


def replaced(line: str) -> str:
    """BASE with the top-level field that `line` sets replaced (or added) as the last line."""
    blocks = re.split(r"\n(?=\S)", BASE.strip())
    kept = [block for block in blocks if not block.startswith(line.split(":", 1)[0] + ":")]
    return "\n".join([*kept, line]) + "\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "tin_dung: có",
            '4:11: lỗi: tin_dung: phải là nhóm trường (các dòng `tên: giá trị`), nhận được "có"',
        ),
        (
            "noi_nhan: UBND huyện",
            '6:11: lỗi: noi_nhan: phải là danh sách, nhận được "UBND huyện" '
            "(mỗi mục một dòng, bắt đầu bằng `- `)",
        ),
        ("ten: [a, b]", "6:6: lỗi: ten: phải là chuỗi văn bản, nhận được một danh sách"),
        ("ghi_chu: {a: 1}", "7:10: lỗi: ghi_chu: phải là chuỗi văn bản, nhận được một nhóm trường"),
        (
            "ghi_chu: 12.50",
            "7:10: lỗi: ghi_chu: phải là chuỗi văn bản, nhận được 12.50 "
            '(đặt trong ngoặc kép nếu muốn giữ nguyên: "12.50")',
        ),
        ("co_dau: ~", "7:9: lỗi: co_dau: phải là true hoặc false, nhận được giá trị trống"),
        ("ty_le: mười", '7:8: lỗi: ty_le: phải là số, nhận được "mười"'),
        (
            "ty_le: 8,17",
            '7:8: lỗi: ty_le: phải là số, nhận được "8,17" (dấu thập phân viết bằng dấu chấm: 8.17)',
        ),
        (
            "ty_le: 95,5%",
            '7:8: lỗi: ty_le: phải là số, nhận được "95,5%" '
            "(chỉ ghi số, không kèm đơn vị `%`, dấu thập phân là dấu chấm: 95.5)",
        ),
        (
            "ty_le: 1.234,5",
            '7:8: lỗi: ty_le: phải là số, nhận được "1.234,5" (dấu thập phân viết bằng dấu chấm: 1234.5)',
        ),
        (
            "ghi_chu:\n  Lưu ý: gửi báo cáo trước ngày 05 hằng tháng",
            "8:3: lỗi: ghi_chu: phải là chuỗi văn bản, nhận được một nhóm trường "
            "(dấu `: ` trong câu làm YAML hiểu thành tên trường; "
            'đặt cả câu trong ngoặc kép: "Lưu ý: gửi báo cáo trước ngày 05 hằng …")',
        ),
        (
            'ghi_chu:\n  Ý kiến: Đồng ý "phương án 2"',
            "8:3: lỗi: ghi_chu: phải là chuỗi văn bản, nhận được một nhóm trường "
            "(dấu `: ` trong câu làm YAML hiểu thành tên trường; "
            """đặt cả câu trong ngoặc kép: 'Ý kiến: Đồng ý "phương án 2"')""",
        ),
        (
            "tin_dung: {so_tien: 1.200 hộ, ho_ngheo: 0}",
            '4:21: lỗi: tin_dung.so_tien: phải là số nguyên không âm, nhận được "1.200 hộ" '
            "(viết số nguyên liền, không dấu chấm: 1200)",
        ),
        (
            'tin_dung: {so_tien: "8,17", ho_ngheo: 0}',
            '4:21: lỗi: tin_dung.so_tien: phải là số nguyên không âm, nhận được "8,17" '
            "(chỉ nhập số nguyên, không có phần thập phân)",
        ),
        ("ty_le: 100.5", "7:8: lỗi: ty_le: phải nhỏ hơn hoặc bằng 100, nhận được 100.5"),
        (
            "muc_do: rat_cao",
            '7:9: lỗi: muc_do: phải là một trong `thap`, `trung_binh`, `cao`, nhận được "rat_cao" '
            "(có phải ý bạn là `cao`?)",
        ),
        ("phien_ban: 1", "7:12: lỗi: phien_ban: phải là `2`, nhận được 1"),
        ("phu_luc: {}", "7:10: lỗi: phu_luc: không hợp lệ theo mẫu (minProperties): {} should be non-empty"),
        (
            "nguoi_ky: {ho_ten: A, nam_sinh: năm}",
            '7:33: lỗi: nguoi_ky.nam_sinh: phải là số nguyên hoặc để trống, nhận được "năm"',
        ),
        (
            "tin_dung: {so_tien: 1, ho_ngheo: 0, nguon: [x]}",
            '4:45: lỗi: tin_dung.nguon[0]: phải là nhóm trường (các dòng `tên: giá trị`), nhận được "x"',
        ),
        (
            "tin_dung: {so_tien: 1, ho_ngheo: 3.0}",
            "4:34: lỗi: tin_dung.ho_ngheo: phải là số nguyên không âm, nhận được 3.0 "
            "(viết số nguyên liền: 3)",
        ),
    ],
)
def test_one_field_one_message(tmp_path: Path, line: str, expected: str) -> None:
    assert problems(tmp_path, replaced(line)) == [f"demo.yaml:{expected}"]


def test_missing_fields_point_at_their_parent_and_name_the_field(tmp_path: Path) -> None:
    text = "loai: bao_cao_demo\nten: x\ntin_dung:\n  ho_ngheo: 1\nnguoi_ky:\n  ky_thay: KT.\n"
    assert problems(tmp_path, text) == [
        "demo.yaml:1:1: lỗi: noi_nhan: thiếu trường bắt buộc",
        "demo.yaml:4:3: lỗi: tin_dung.so_tien: thiếu trường bắt buộc (Tổng số tiền vay)",
        "demo.yaml:6:3: lỗi: nguoi_ky.ho_ten: thiếu trường bắt buộc",
        "demo.yaml:6:3: lỗi: nguoi_ky.thu_truong: thiếu trường bắt buộc khi có `ky_thay` "
        "(Chức vụ người đứng đầu)",
    ]


def test_unknown_keys_point_at_the_key_with_a_hint(tmp_path: Path) -> None:
    text = replaced("tin_dung:\n  số_tiền: 1\n  ho_ngheo: 0\n  lai_suat: 5\nzzz: 1")
    assert problems(tmp_path, text) == [
        "demo.yaml:5:3: lỗi: tin_dung.so_tien: thiếu trường bắt buộc (Tổng số tiền vay)",
        "demo.yaml:5:3: lỗi: tin_dung.số_tiền: không có trường này trong mẫu (có phải ý bạn là `so_tien`?)",
        "demo.yaml:7:3: lỗi: tin_dung.lai_suat: không có trường này trong mẫu "
        "(các trường dùng được ở đây: `so_tien`, `ho_ngheo`, `nguon`)",
        "demo.yaml:8:1: lỗi: zzz: không có trường này trong mẫu (các trường dùng được ở đây: `loai`, `ten`, "
        "`ngay_ban_hanh`, `so_hieu`, `ky_bao_cao`, `ma_xa`, `phien_ban`, `phu_luc`, `muc_do`, `ty_le`, "
        "`ghi_chu`, `co_dau`, …)",
    ]


def test_each_kind_compiles_once_per_process() -> None:
    assert schema._validator("bao_cao_demo", DEMO) is schema._validator("bao_cao_demo", DEMO)
    assert schema._validator("bao_cao_demo", DEMO) is not schema._validator("ke_hoach_demo", DEMO)


def test_near_miss_ignores_where_the_tone_mark_sits() -> None:
    assert schema.tone_fold("Vũ Qúy") == schema.tone_fold("Vũ Quý") != schema.tone_fold("Vũ Quy")
    assert schema.tone_fold("Hoà Bình") == schema.tone_fold("hòa bình") != schema.tone_fold("Hoá Bình")
    assert schema.near_miss("xã Vũ Qúy", ["xã Vũ Quy", "xã Vũ Quý", "xã Vũ Hòa"]) == "xã Vũ Quý"
    assert schema.near_miss("xã Vũ Hoà", ["xã Vũ Quy", "xã Vũ Quý", "xã Vũ Hòa"]) == "xã Vũ Hòa"
