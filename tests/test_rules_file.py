"""Rules files as user files: every problem located in the rules file, all at once; dependency order."""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from engine.checktemplate import check_template
from engine.errors import ReportError
from engine.rules import RULE_TYPES, apply_rules, check_rule_paths, load_rules
from engine.schema import field_paths, list_kinds
from engine.workspace import using
from tests.conftest import kind_rules, run_cli

TYPES = (
    "tong, hieu, ty_le, ty_trong, dem, dat_ke_hoach, so_sanh, so_sanh_ty_le, khong_vuot, ky_bao_cao, can_doi,"
    " so_ho_huong"
)
PATH_HINT = (
    "đường dẫn là các tên chữ thường nối bằng dấu chấm, `[*]` đi qua từng mục của danh sách,"
    " ví dụ `huyen[*].ho_ngheo`"
)
CYCLE_HINT = "một số tính ra không được dùng, trực tiếp hay qua quy tắc khác, để tính chính nó"
DERIVED_HINT = (
    "số chỉ tính ra, không nhập, phải đặt dưới một tên gốc không có trong lược đồ, ví dụ `so_sanh.ho_ngheo`"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "thu.rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ReportError) as raised:
        load_rules(path, "schemas/thu.rules.yaml")
    return [issue.format() for issue in raised.value.issues]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- kiem_tra: tong\n  tong: [a\n",
            ["schemas/thu.rules.yaml:2:9: lỗi: thiếu dấu phẩy hoặc dấu `]` đóng ngoặc"],
        ),
        (
            "kiem_tra: dem\n",
            [
                "schemas/thu.rules.yaml:1:1: lỗi: tệp quy tắc phải là một danh sách quy tắc,"
                " mỗi quy tắc bắt đầu bằng `- kiem_tra: …`"
            ],
        ),
        (
            "- kiem_tra: cong\n  tong: a\n",
            [
                "schemas/thu.rules.yaml:1:13: lỗi: `cong` không phải loại quy tắc nào"
                f" (có phải `tong`? Các loại quy tắc: {TYPES})"
            ],
        ),
        (
            "- tong: a\n",
            [
                "schemas/thu.rules.yaml:1:3: lỗi: quy tắc thứ 1 thiếu `kiem_tra`, tên loại quy tắc"
                f" (các loại quy tắc: {TYPES})"
            ],
        ),
        (
            "- 3\n",
            [
                "schemas/thu.rules.yaml:1:3: lỗi: quy tắc thứ 1 phải là các dòng `tên: giá trị`,"
                " bắt đầu bằng `kiem_tra: …`"
            ],
        ),
        (
            "- kiem_tra: tong\n  tong: a\n",
            ["schemas/thu.rules.yaml:1:3: lỗi: quy tắc `tong` thiếu trường `thanh_phan`"],
        ),
        (
            "- kiem_tra: dem\n  so: a\n  danh_sach: b\n  them: c\n  danh_sch: x\n",
            [
                "schemas/thu.rules.yaml:4:3: lỗi: quy tắc `dem` không có trường `them`"
                " (quy tắc `dem` có các trường: so, danh_sach)",
                "schemas/thu.rules.yaml:5:3: lỗi: quy tắc `dem` không có trường `danh_sch`"
                " (có phải `danh_sach`?)",
            ],
        ),
        (
            "- kiem_tra: dem\n  so: A.b\n  danh_sach: b[1]\n",
            [
                f"schemas/thu.rules.yaml:2:7: lỗi: `A.b` không phải đường dẫn hợp lệ ({PATH_HINT})",
                f"schemas/thu.rules.yaml:3:14: lỗi: `b[1]` không phải đường dẫn hợp lệ ({PATH_HINT})",
            ],
        ),
        (
            "- kiem_tra: tong\n  tong: t\n  thanh_phan: a\n",
            [
                "schemas/thu.rules.yaml:3:15: lỗi: `thanh_phan` phải là một danh sách đường dẫn"
                " (có thể có số cố định)"
            ],
        ),
        (
            "- kiem_tra: tong\n  tong: t\n  thanh_phan:\n    - a\n    - B\n",
            [f"schemas/thu.rules.yaml:5:7: lỗi: `B` không phải đường dẫn hợp lệ ({PATH_HINT})"],
        ),
        (
            "- kiem_tra: ty_le\n  ty_le: r\n  tu_so: a\n  mau_so: b\n  chu_so: 9\n",
            ["schemas/thu.rules.yaml:5:11: lỗi: `chu_so` phải là một số nguyên từ 0 đến 6, không phải `9`"],
        ),
        (
            "- kiem_tra: ky_bao_cao\n  ngay: n\n  nam: y\n  thang_cuoi: 13\n",
            [
                "schemas/thu.rules.yaml:4:15: lỗi: `thang_cuoi` phải là một số nguyên từ 1 đến 12,"
                " không phải `13`"
            ],
        ),
        (
            "- kiem_tra: so_sanh\n  so_sanh: s.a\n  truoc: a\n  sau: b\n",
            ["schemas/thu.rules.yaml:1:3: lỗi: quy tắc `so_sanh` thiếu trường `don_vi`"],
        ),
        (
            "- kiem_tra: dem\n  so: a\n  so: b\n  danh_sach: c\n",
            [
                "schemas/thu.rules.yaml:3:3: lỗi: trường `so` bị lặp lại trong quy tắc này"
                " (giữ một dòng, xóa dòng còn lại)"
            ],
        ),
    ],
    ids=[
        "yaml",
        "not-a-list",
        "unknown-type",
        "no-type",
        "not-a-mapping",
        "missing-field",
        "unknown-fields",
        "path-syntax",
        "parts-not-a-list",
        "part-syntax",
        "digits",
        "month",
        "unit",
        "duplicate-key",
    ],
)
def test_malformed_rules_are_located_in_the_rules_file(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    assert problems(write(tmp_path, text)) == expected


def test_unreadable_rules_files(tmp_path: Path) -> None:
    (tmp_path / "thu.rules.yaml").mkdir()
    assert problems(tmp_path / "thu.rules.yaml") == [
        "schemas/thu.rules.yaml: lỗi: đây là thư mục, không phải tệp"
    ]
    other = tmp_path / "khac.rules.yaml"
    other.write_bytes(b"- kiem_tra: dem\n  so: \xff\n")
    assert problems(other) == [
        "schemas/thu.rules.yaml: lỗi: tệp quy tắc không phải mã UTF-8 (mở tệp và lưu lại với mã hóa UTF-8)"
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = "- kiem_tra: cong\n- kiem_tra: tong\n  tong: a\n- kiem_tra: dem\n  so: A\n  danh_sach: b\n"
    assert [line.split(": lỗi")[0] for line in problems(write(tmp_path, text))] == [
        "schemas/thu.rules.yaml:1:13",
        "schemas/thu.rules.yaml:2:3",
        "schemas/thu.rules.yaml:5:7",
    ]


def test_a_figure_that_depends_on_itself_is_refused(tmp_path: Path) -> None:
    text = """\
- kiem_tra: tong
  tong: a
  thanh_phan: [b, c]
- kiem_tra: hieu
  hieu: b
  so_bi_tru: a
  so_tru: c
- kiem_tra: tong
  tong: x
  thanh_phan: [x, y]
"""
    assert problems(write(tmp_path, text)) == [
        f"schemas/thu.rules.yaml:2:9: lỗi: `a` phụ thuộc vào chính nó: a ← b ← a ({CYCLE_HINT})",
        f"schemas/thu.rules.yaml:9:9: lỗi: `x` phụ thuộc vào chính nó: x ← x ({CYCLE_HINT})",
    ]


def test_rules_run_in_dependency_order(tmp_path: Path) -> None:
    text = """\
- kiem_tra: ty_le
  ty_le: ty_le
  tu_so: ngheo
  mau_so: tong_so_ho
- kiem_tra: tong
  tong: ngheo
  thanh_phan:
    - xa[*].ngheo
- kiem_tra: tong
  tong: tong_so_ho
  thanh_phan:
    - xa[*].ho
"""
    rules = load_rules(write(tmp_path, text))
    assert [rule.target for rule in rules] == ["ngheo", "tong_so_ho", "ty_le"]
    data = {"xa": [{"ho": 300, "ngheo": 12}, {"ho": 500, "ngheo": 8}]}
    assert str(apply_rules(rules, data).data["ty_le"]) == "2.50"


def test_a_fixed_number_in_a_balance_list_is_a_value_as_in_tong(tmp_path: Path) -> None:
    text = "- kiem_tra: can_doi\n  cuoi: cuoi\n  dau: dau\n  tang: [1]\n  giam: [giam]\n"
    rules = load_rules(write(tmp_path, text))
    [issue] = apply_rules(rules, {"dau": 5, "giam": 2, "cuoi": 3}).issues  # 5 + 1 - 2 = 4
    assert issue.message == "(3) khác số tính theo kỳ trước (dau 5 + 1 - giam 2 = 4)"


def test_missing_and_empty_rules_files_have_no_rules(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "khong_co.rules.yaml") == ()
    assert load_rules(write(tmp_path, "# chưa có quy tắc\n")) == ()


def test_a_changed_rules_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, "- kiem_tra: dem\n  so: a\n  danh_sach: b\n")
    assert [rule.kind for rule in load_rules(path)] == ["dem"]
    path.write_text("- kiem_tra: tong\n  tong: a\n  thanh_phan: [b, c, d]\n", encoding="utf-8")
    assert [rule.kind for rule in load_rules(path)] == ["tong"]


def test_paths_are_checked_against_the_schema(tmp_path: Path) -> None:
    text = """\
- kiem_tra: ty_le
  ty_le: ket_qua.ty_le_ho_ngheoo
  tu_so: ket_qua.ho_ngheo
  mau_so: ket_qua.tong_so_hoo
- kiem_tra: so_sanh
  so_sanh: so_sanh.ho_ngheo
  truoc: ky_truoc.ho_ngheo
  sau: ket_qua.ho_ngheo
  don_vi: hộ
- kiem_tra: dat_ke_hoach
  dat_ke_hoach: tinh[*].dat
  thuc_hien: so_sanh.ho_ngheo
  ke_hoach: khong_co.gi
"""
    rules = load_rules(write(tmp_path, text), "thu.rules.yaml")
    with pytest.raises(ReportError) as raised:
        check_rule_paths(rules, field_paths("bao_cao_nam"), "bao_cao_nam")
    assert [issue.format() for issue in raised.value.issues] == [
        "thu.rules.yaml:2:10: lỗi: `ket_qua.ty_le_ho_ngheoo` không có trong lược đồ `bao_cao_nam`"
        f" (có phải `ket_qua.ty_le_ho_ngheo`? {DERIVED_HINT[:1].upper()}{DERIVED_HINT[1:]})",
        "thu.rules.yaml:4:11: lỗi: `ket_qua.tong_so_hoo` không có trong lược đồ `bao_cao_nam`"
        " (có phải `ket_qua.tong_so_ho`?)",
        "thu.rules.yaml:11:17: lỗi: `tinh[*].dat` không có trong lược đồ `bao_cao_nam` (số chỉ tính ra không"
        " đi qua danh sách `[*]`; muốn tính cho từng mục thì thêm trường vào lược đồ)",
        "thu.rules.yaml:13:13: lỗi: `khong_co.gi` không có trong lược đồ `bao_cao_nam`",
    ]


def test_derived_only_names_may_be_read_by_other_rules(tmp_path: Path) -> None:
    text = """\
- kiem_tra: hieu
  hieu: tinh.giam_ho_ngheo
  so_bi_tru: ky_truoc.ho_ngheo
  so_tru: ket_qua.ho_ngheo
- kiem_tra: dat_ke_hoach
  dat_ke_hoach: tinh.dat
  thuc_hien: tinh.giam_ho_ngheo
  ke_hoach: muc_tieu.giam_ho_ngheo
"""
    rules = check_rule_paths(load_rules(write(tmp_path, text)), field_paths("bao_cao_nam"), "bao_cao_nam")
    assert [rule.derived for rule in rules] == [True, True]
    data = {"ky_truoc": {"ho_ngheo": 143}, "ket_qua": {"ho_ngheo": 101}, "muc_tieu": {"giam_ho_ngheo": 40}}
    assert apply_rules(rules, data).data["tinh"] == {"giam_ho_ngheo": 42, "dat": "đạt 105% kế hoạch"}


# van_ban declares its derivations in the data (`so_lieu`), not in a rules file.
@pytest.mark.parametrize("kind", [kind for kind in list_kinds() if kind != "van_ban"])
def test_built_in_rules_name_fields_of_their_schema(kind: str) -> None:
    assert kind_rules(kind)


def test_readme_shows_a_valid_example_of_every_rule_type(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quy tắc đối chiếu số liệu")[1].split("Ví dụ từng loại")[1]
    example = section.split("```yaml\n")[1].split("```")[0]
    rules = load_rules(write(tmp_path, example))
    assert sorted({rule.kind for rule in rules}) == sorted(RULE_TYPES)


def test_check_template_knows_the_names_rules_and_nd30_blocks_derive(tmp_path: Path) -> None:
    template = Path(__file__).parents[1] / "templates" / "docx" / "bao_cao_nam.docx"
    unknown = [
        issue.message.split("biến `")[1].split("`")[0]
        for issue in check_template(template, data_dir=tmp_path)  # no samples to learn names from
        if issue.code == "template.unknown_name"
    ]
    # Rule targets (nam_sau, so_sanh.ho_ngheo, ke_hoach.ho_ngheo…) and the shared ND30 names (ban_hanh, ky…)
    # are known; only what the Python deriver adds is learnt from samples.
    assert unknown == ["so_sanh.nam", "so_sanh.cau_ho_ngheo", "so_sanh.cau_ho_can_ngheo"]


def workspace_rules(tmp_path: Path, kind: str, text: str) -> Path:
    """A workspace overriding the built-in kind's rules file (engine/workspace.py)."""
    path = tmp_path / "schemas" / f"{kind}.rules.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_check_template_reports_a_broken_rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace_rules(tmp_path, "bao_cao_nam", "- kiem_tra: cong\n")
    monkeypatch.chdir(tmp_path)  # messages name the rules file relative to the working folder
    template = Path(__file__).parents[1] / "templates" / "docx" / "bao_cao_nam.docx"
    with using(tmp_path):
        issues = [
            issue for issue in check_template(template, data_dir=tmp_path) if issue.code.startswith("rules")
        ]
    assert [issue.format().split(" (")[0] for issue in issues] == [
        "schemas/bao_cao_nam.rules.yaml:1:13: lỗi: `cong` không phải loại quy tắc nào"
    ]


def test_render_refuses_with_the_rules_file_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace_rules(
        tmp_path,
        "bao_cao_6_thang",
        "- kiem_tra: tong\n  tong: tin_dung.luot_hoo\n  thanh_phan: [tin_dung.ho_ngheo]\n",
    )
    sample = Path(__file__).parents[1] / "data" / "xa-luc-binh-2023-6t.yaml"
    monkeypatch.chdir(tmp_path)
    result = run_cli(["render", "--kinds", ".", str(sample), "-o", "out.docx"])
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            "schemas/bao_cao_6_thang.rules.yaml:2:9: lỗi: `tin_dung.luot_hoo` không có trong lược đồ"
            f" `bao_cao_6_thang` (có phải `tin_dung.luot_ho`? {DERIVED_HINT[:1].upper()}{DERIVED_HINT[1:]})",
            "không tạo out.docx: 1 lỗi, 0 cảnh báo",
        ],
    )
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("- kiem_tra: tong\n  tong: [a\n", "yaml.syntax"),
        ("kiem_tra: dem\n", "rules.file.not_list"),
        ("- 3\n", "rules.file.not_mapping"),
        ("- tong: a\n", "rules.file.missing_type"),
        ("- kiem_tra: cong\n", "rules.file.unknown_type"),
        ("- kiem_tra: dem\n  so: a\n  danh_sach: b\n  them: c\n", "rules.file.unknown_field"),
        ("- kiem_tra: tong\n  tong: a\n", "rules.file.missing_field"),
        ("- kiem_tra: dem\n  so: A\n  danh_sach: b\n", "rules.file.path_syntax"),
        ("- kiem_tra: tong\n  tong: t\n  thanh_phan: a\n", "rules.file.not_list"),
        ("- kiem_tra: ty_le\n  ty_le: r\n  tu_so: a\n  mau_so: b\n  chu_so: 9\n", "rules.file.option"),
        ("- kiem_tra: dem\n  so: a\n  so: b\n  danh_sach: c\n", "rules.file.duplicate_key"),
        ("- kiem_tra: tong\n  tong: x\n  thanh_phan: [x, y]\n", "rules.file.cycle"),
    ],
)
def test_each_problem_has_its_code_for_json_output(tmp_path: Path, text: str, code: str) -> None:
    # `--format json` gives editors and CI each problem's code (spec/cli.md)
    with pytest.raises(ReportError) as raised:
        load_rules(write(tmp_path, text))
    assert [issue.code for issue in raised.value.issues] == [code]


def test_a_rules_file_that_is_not_a_list_is_located_where_its_content_starts(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "# quy tắc của huyện\n\nkiem_tra: dem\nso: a\n")) == [
        "schemas/thu.rules.yaml:3:1: lỗi: tệp quy tắc phải là một danh sách quy tắc,"
        " mỗi quy tắc bắt đầu bằng `- kiem_tra: …`"
    ]
    assert problems(write(tmp_path, "dem\n"))[0].startswith(
        "schemas/thu.rules.yaml:1:1: lỗi: tệp quy tắc phải"
    )


def test_kind_rules_are_read_again_when_the_file_changes_and_located_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(Path(__file__).parents[1] / "schemas", schemas)
    rules = schemas / "bao_cao_6_thang.rules.yaml"
    count = len(kind_rules("bao_cao_6_thang", schemas))
    with rules.open("a", encoding="utf-8") as stream:
        stream.write("- kiem_tra: tong\n  tong: nam_sau\n  thanh_phan: [nam, 1]\n")
    assert len(kind_rules("bao_cao_6_thang", schemas)) == count + 1
    rules.write_text("- kiem_tra: cong\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReportError) as raised:
        kind_rules("bao_cao_6_thang", schemas)
    assert (
        raised.value.issues[0]
        .format()
        .startswith("schemas/bao_cao_6_thang.rules.yaml:1:13: lỗi: `cong` không phải loại quy tắc nào")
    )
    rules.unlink()
    assert kind_rules("bao_cao_6_thang", schemas) == ()


def test_later_rules_are_numbered_and_located_and_only_the_broken_one_is_left_out(tmp_path: Path) -> None:
    text = (
        "- kiem_tra: dem\n  so: a\n  danh_sach: b\n"
        "- 3\n"
        "- tong: a\n"
        "- kiem_tra: 5\n"
        "- kiem_tra: tong\n  tong: t\n  thanh_phan: []\n"
        "- kiem_tra: tong\n  tong: t\n  thanh_phan: [a, 1, 2.5, true]\n"
        "- kiem_tra: ty_le\n  ty_le: r\n  tu_so: a\n  mau_so: b\n  chu_so: 2.0\n"
    )
    assert problems(write(tmp_path, text)) == [
        "schemas/thu.rules.yaml:4:3: lỗi: quy tắc thứ 2 phải là các dòng `tên: giá trị`,"
        " bắt đầu bằng `kiem_tra: …`",
        "schemas/thu.rules.yaml:5:3: lỗi: quy tắc thứ 3 thiếu `kiem_tra`, tên loại quy tắc"
        f" (các loại quy tắc: {TYPES})",
        f"schemas/thu.rules.yaml:6:13: lỗi: `5` không phải loại quy tắc nào (các loại quy tắc: {TYPES})",
        "schemas/thu.rules.yaml:9:15: lỗi: `thanh_phan` phải là một danh sách đường dẫn"
        " (có thể có số cố định)",
        f"schemas/thu.rules.yaml:12:27: lỗi: `True` không phải đường dẫn hợp lệ ({PATH_HINT})",
        "schemas/thu.rules.yaml:17:11: lỗi: `chu_so` phải là một số nguyên từ 0 đến 6, không phải `2.0`",
    ]
    good = (
        "- kiem_tra: dem\n  so: a\n  danh_sach: b\n- kiem_tra: tong\n  tong: t\n  thanh_phan: [a, 1, 2.5]\n"
    )
    rules = load_rules(write(tmp_path, good))
    assert [(rule.kind, rule.line, rule.col) for rule in rules] == [("dem", 1, 3), ("tong", 4, 3)]
    assert rules[1].fields["thanh_phan"] == ["a", 1, 2.5]
    assert rules[1].positions["thanh_phan[2]"] == (6, 22)


def test_rules_file_text_is_read_in_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "hộ")
    text = f"- kiem_tra: so_sanh\n  so_sanh: s.a\n  truoc: a\n  sau: b\n  don_vi: {decomposed}\n"
    [rule] = load_rules(write(tmp_path, text))
    assert rule.fields["don_vi"] == unicodedata.normalize("NFC", "hộ")


def test_reading_a_figure_waits_for_every_rule_deriving_inside_it(tmp_path: Path) -> None:
    # README: a rule reading a derived figure runs after the rule deriving it; reading `xa` (a list) needs
    # `xa[*].tong` filled first. A `dem` of a list may fill a figure inside that list: not a cycle.
    text = """\
- kiem_tra: dem
  so: so_xa
  danh_sach: xa
- kiem_tra: tong
  tong: xa[*].tong
  thanh_phan:
    - xa[*].a
    - xa[*].b
- kiem_tra: dem
  so: nhom.so
  danh_sach: nhom
"""
    rules = load_rules(write(tmp_path, text))
    assert [rule.target for rule in rules] == ["xa[*].tong", "so_xa", "nhom.so"]


def test_a_misspelt_path_through_a_list_is_suggested_with_its_wildcard(tmp_path: Path) -> None:
    text = "- kiem_tra: tong\n  tong: nha_o.tong_so_ho\n  thanh_phan:\n    - nha_o.de_nghi_ho_tro[*].so_hoo\n"
    rules = load_rules(write(tmp_path, text), "thu.rules.yaml")
    with pytest.raises(ReportError) as raised:
        check_rule_paths(rules, field_paths("bao_cao_6_thang"), "bao_cao_6_thang")
    [issue] = raised.value.issues
    assert issue.code == "rules.file.path"
    assert issue.format() == (
        "thu.rules.yaml:4:7: lỗi: `nha_o.de_nghi_ho_tro[*].so_hoo` không có trong lược đồ `bao_cao_6_thang`"
        " (có phải `nha_o.de_nghi_ho_tro[*].so_ho`?)"
    )
    derived = "- kiem_tra: tong\n  tong: nha_o.tong_so_hoo\n  thanh_phan: [nam]\n"
    with pytest.raises(ReportError) as raised:
        check_rule_paths(
            load_rules(write(tmp_path, derived)), field_paths("bao_cao_6_thang"), "bao_cao_6_thang"
        )
    assert [issue.code for issue in raised.value.issues] == ["rules.file.path"]


def test_a_path_far_from_every_field_gets_no_suggestion(tmp_path: Path) -> None:
    # the nearest field, `tin_dung.ho_ngheo`, is another figure altogether: suggesting it would mislead
    text = "- kiem_tra: tong\n  tong: nha_o.tong_so_ho\n  thanh_phan: [ket_qua.ho_ngheo]\n"
    with pytest.raises(ReportError) as raised:
        check_rule_paths(
            load_rules(write(tmp_path, text), "thu.rules.yaml"), field_paths("bao_cao_6_thang"), "x"
        )
    assert [issue.format() for issue in raised.value.issues] == [
        "thu.rules.yaml:3:16: lỗi: `ket_qua.ho_ngheo` không có trong lược đồ `x`"
    ]


def test_a_rules_file_is_read_again_when_its_size_or_time_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "- kiem_tra: dem\n  so: a\n  danh_sach: b\n")
    stamp = path.stat().st_mtime_ns
    assert [rule.target for rule in load_rules(path)] == ["a"]
    path.write_text("- kiem_tra: dem\n  so: c\n  danh_sach: d\n", encoding="utf-8")  # same size
    os.utime(path, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))
    assert [rule.target for rule in load_rules(path)] == ["c"]
    path.write_text("- kiem_tra: dem\n  so: ef\n  danh_sach: g\n", encoding="utf-8")  # same time
    os.utime(path, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))
    assert [rule.target for rule in load_rules(path)] == ["ef"]
