"""Workspaces (engine/workspace.py): a kind written by hand as three files works through every command
without Python; `new-kind` output renders from anywhere; a workspace overrides a built-in template."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from engine.checktemplate import check_template
from engine.docxtext import docx_text
from templates import bao_cao_6_thang
from templates.nd30 import body, closing, new_document, state_header, title
from tests.conftest import DATA_DIR, run_cli

KIND = "bao_cao_thien_tai"
SHARED = "chung.schema.json#/$defs/"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Báo cáo công tác phòng, chống thiên tai",
    "type": "object",
    "additionalProperties": False,
    "required": ["loai", "co_quan", "so_hieu", "ngay_ban_hanh", "nam", "thiet_hai", "noi_nhan", "nguoi_ky"],
    "properties": {
        "loai": {"title": "Loại văn bản", "const": KIND},
        "co_quan": {"$ref": SHARED + "co_quan"},
        "so_hieu": {"$ref": SHARED + "so_hieu"},
        "ngay_ban_hanh": {"$ref": SHARED + "ngay_ban_hanh"},
        "nam": {"$ref": SHARED + "nam"},
        "thiet_hai": {
            "title": "Thiệt hại do thiên tai (đồng)",
            "type": "object",
            "additionalProperties": False,
            "required": ["nha_o", "nong_nghiep", "giao_thong"],
            "properties": {
                "nha_o": {"$ref": SHARED + "tien", "title": "Nhà ở"},
                "nong_nghiep": {"$ref": SHARED + "tien", "title": "Nông nghiệp"},
                "giao_thong": {"$ref": SHARED + "tien", "title": "Giao thông"},
                "tong": {"$ref": SHARED + "tien", "title": "Tổng thiệt hại"},
            },
        },
        "noi_nhan": {"$ref": SHARED + "noi_nhan"},
        "nguoi_ky": {"$ref": SHARED + "nguoi_ky"},
    },
}
RULES = """\
- kiem_tra: tong
  tong: thiet_hai.tong
  thanh_phan: [thiet_hai.nha_o, thiet_hai.nong_nghiep, thiet_hai.giao_thong]
"""
DATA = """\
loai: bao_cao_thien_tai
co_quan:
  chu_quan: UBND HUYỆN SƠN THƯỢNG
  ten: Ủy ban nhân dân xã Bình An
  ten_viet_tat: UBND xã Bình An
  dia_danh: Bình An
so_hieu:
  so: 31
  ma_loai: BC
  ma_co_quan: UBND
ngay_ban_hanh: 2024-11-20
nam: 2024
thiet_hai:
  nha_o: 1200000000
  nong_nghiep: 850000000
  giao_thong: 400000000
noi_nhan:
  - ds:
      - Ban Chỉ huy PCTT và TKCN huyện
      - Lưu VT
nguoi_ky:
  thay_mat: Ủy ban nhân dân
  chuc_vu: Chủ tịch
  ho_ten: Lê Thị Hoa
"""
TOTAL_SENTENCE = (
    "Tổng thiệt hại ước tính 2.450.000.000 đồng, trong đó nhà ở 1.200.000.000 đồng,"
    " nông nghiệp 850.000.000 đồng, giao thông 400.000.000 đồng."
)


def template(*, word_like: bool = False) -> DocumentObject:
    """The ND30 frame; `word_like`: a tag split across runs with a proofing mark between, as Word saves it."""
    doc = new_document()
    state_header(doc, "Số: {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }}")
    title(doc, "BÁO CÁO", "Công tác phòng, chống thiên tai năm {{ nam }}")
    split = ("{{ thiet_", "hai.nha_o|tien }}") if word_like else ("{{ thiet_hai.nha_o|tien }}", "")
    paragraph = body(
        doc,
        "Tổng thiệt hại ước tính {{ thiet_hai.tong|tien }}, trong đó nhà ở " + split[0],
        split[1]
        + ", nông nghiệp {{ thiet_hai.nong_nghiep|tien }}, giao thông {{ thiet_hai.giao_thong|tien }}.",
    )
    if word_like:
        proofing = OxmlElement("w:proofErr")
        proofing.set(qn("w:type"), "spellStart")
        paragraph.runs[0]._r.addnext(proofing)
    body(doc, "Trên đây là báo cáo của {{ co_quan.ten_viet_tat }}./.")
    closing(doc)
    return doc


def make_workspace(root: Path, *, word_like: bool = False) -> Path:
    """The thiên tai kind written by hand (no Python for it anywhere), with one data file."""
    (root / "schemas").mkdir(parents=True)
    (root / "templates" / "docx").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "schemas" / f"{KIND}.schema.json").write_text(json.dumps(SCHEMA, ensure_ascii=False, indent=2))
    (root / "schemas" / f"{KIND}.rules.yaml").write_text(RULES, encoding="utf-8")
    template(word_like=word_like).save(str(root / "templates" / "docx" / f"{KIND}.docx"))
    data = root / "data" / "thien-tai-2024.yaml"
    data.write_text(DATA, encoding="utf-8")
    return data


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_workspace(tmp_path / "kho")
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # commands find the workspace from the data file, not the current folder
    return tmp_path / "kho"


def test_a_kind_written_as_three_files_works_through_every_command(workspace: Path, tmp_path: Path) -> None:
    data = workspace / "data" / "thien-tai-2024.yaml"
    run = run_cli(["validate", str(data)])
    assert (run.exit_code, run.stderr) == (0, "1 tệp hợp lệ: 0 lỗi, 0 cảnh báo\n")

    out = tmp_path / "ra" / "thien-tai.docx"
    run = run_cli(["render", str(data), "-o", str(out)])
    assert (run.exit_code, run.stderr) == (0, f"đã tạo {out}\n")
    text = docx_text(out)
    assert TOTAL_SENTENCE in text.splitlines()
    assert "Bình An, ngày 20 tháng 11 năm 2024" in text
    assert "Số: 31/BC-UBND" in text

    run = run_cli(["build", str(workspace / "data"), "-o", str(tmp_path / "lo")])
    assert (run.exit_code, run.stderr.splitlines()[-1]) == (0, "đã tạo 1, không đổi 0, lỗi 0")
    (workspace / "schemas" / f"{KIND}.rules.yaml").write_text(
        RULES + "- kiem_tra: khong_vuot\n  phan: thiet_hai.nha_o\n  tong: thiet_hai.tong\n", encoding="utf-8"
    )
    run = run_cli(
        ["build", str(workspace / "data"), "-o", str(tmp_path / "lo")]
    )  # the kind's files are inputs
    assert (run.exit_code, run.stderr.splitlines()[-1]) == (0, "đã tạo 1, không đổi 0, lỗi 0")

    run = run_cli(["set", str(data), "thiet_hai.nha_o", "1300000000"])
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"đã sửa {data}: thiet_hai.nha_o: 1200000000 → 1300000000\n"

    run = run_cli(["diff", str(data), "--built", str(tmp_path / "lo")])
    assert run.exit_code == 1
    assert "thiet_hai.tong: 2450000000 → 2550000000" in run.stdout, run.stdout

    starter = workspace / "data" / "thien-tai-2025.yaml"
    run = run_cli(["new", KIND, "-o", str(starter), "--tu", str(data)])
    assert (run.exit_code, run.stderr) == (0, f"đã tạo {starter}\n")
    assert starter.read_text(encoding="utf-8").startswith(
        f"# yaml-language-server: $schema=../schemas/{KIND}.schema.json\n"
    )
    run = run_cli(["validate", str(starter)])
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (  # every figure left for this year: the group is empty
        f"{starter}:35:1: lỗi: thiet_hai: phải là nhóm trường (các dòng `tên: giá trị`),"
        " nhận được giá trị trống"
    )

    template = workspace / "templates" / "docx" / f"{KIND}.docx"
    run = run_cli(["check-template", str(template)])
    assert (run.exit_code, run.stderr) == (0, "1 mẫu hợp lệ: 0 lỗi, 0 cảnh báo\n")


def test_a_template_as_word_saves_it_renders_the_same(tmp_path: Path) -> None:
    texts = []
    for word_like in (False, True):
        data = make_workspace(tmp_path / f"kho-{word_like}", word_like=word_like)
        out = tmp_path / f"{word_like}.docx"
        assert run_cli(["render", str(data), "-o", str(out)]).exit_code == 0
        texts.append(docx_text(out))
    assert texts[0] == texts[1]
    assert TOTAL_SENTENCE in texts[1].splitlines()
    template = tmp_path / "kho-True" / "templates" / "docx" / f"{KIND}.docx"
    found = [(issue.code, issue.is_error) for issue in check_template(template)]
    assert found == [("template.split_tag", True)], "only the split Word made, which render repairs"


def test_rule_disagreement_is_a_located_warning(workspace: Path, tmp_path: Path) -> None:
    data = workspace / "data" / "thien-tai-2024.yaml"
    data.write_text(
        DATA.replace("  giao_thong: 400000000\n", "  giao_thong: 400000000\n  tong: 2000000000\n")
    )
    run = run_cli(["validate", str(data)])
    assert run.stderr.splitlines()[0] == (
        f"{data}:17:9: cảnh báo: thiet_hai.tong (2.000.000.000) khác tổng các thành phần"
        " (1.200.000.000 + 850.000.000 + 400.000.000 = 2.450.000.000)"
    )


def test_kinds_lists_where_each_file_comes_from(workspace: Path) -> None:
    run = run_cli(["kinds", "--kinds", str(workspace)])
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == f"kho mẫu: {workspace}"
    assert lines[-1] == "\t".join(
        [
            KIND,
            f"lược đồ: {workspace}/schemas/{KIND}.schema.json (kho mẫu)",
            f"quy tắc: {workspace}/schemas/{KIND}.rules.yaml (kho mẫu)",
            f"mẫu: {workspace}/templates/docx/{KIND}.docx (kho mẫu)",
        ]
    )
    assert "ke_hoach\tlược đồ: schemas/ke_hoach.schema.json (có sẵn)\t" in run.stdout


def test_kinds_option_names_the_workspace_for_a_file_outside_it(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "noi-khac" / "thien-tai.yaml"
    outside.write_text(DATA, encoding="utf-8")
    run = run_cli(["validate", str(outside)])
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0].startswith(f'{outside}:1:7: lỗi: loai: không có loại văn bản "{KIND}"')
    run = run_cli(["validate", "--kinds", str(workspace), str(outside)])
    assert (run.exit_code, run.stderr) == (0, "1 tệp hợp lệ: 0 lỗi, 0 cảnh báo\n")
    run = run_cli(
        ["build", "--kinds", str(workspace), "-j", "2", str(outside.parent), "-o", str(tmp_path / "lo")]
    )
    assert (run.exit_code, run.stderr.splitlines()[-1]) == (0, "đã tạo 1, không đổi 0, lỗi 0")


def override_template() -> DocumentObject:
    doc = bao_cao_6_thang.build()
    body(doc, "Mẫu riêng của huyện Sơn Thượng.")
    return doc


def test_a_workspace_template_overrides_the_built_in_one(tmp_path: Path) -> None:
    workspace = tmp_path / "huyen"
    (workspace / "templates" / "docx").mkdir(parents=True)
    (workspace / "data").mkdir()
    data = workspace / "data" / "xa.yaml"
    shutil.copy(DATA_DIR / "xa-luc-binh-2023-6t.yaml", data)
    built_in = tmp_path / "co-san.docx"
    assert run_cli(["render", str(data), "-o", str(built_in)]).exit_code == 0
    assert "Mẫu riêng của huyện Sơn Thượng." not in docx_text(built_in)

    override_template().save(str(workspace / "templates" / "docx" / "bao_cao_6_thang.docx"))
    overridden = tmp_path / "rieng.docx"
    assert run_cli(["render", str(data), "-o", str(overridden)]).exit_code == 0
    assert docx_text(overridden) == docx_text(built_in) + "Mẫu riêng của huyện Sơn Thượng.\n"
    run = run_cli(["kinds", "--kinds", str(workspace)])
    line = next(line for line in run.stdout.splitlines() if line.startswith("bao_cao_6_thang\t"))
    assert line.split("\t")[1:] == [
        "lược đồ: schemas/bao_cao_6_thang.schema.json (có sẵn)",
        "quy tắc: schemas/bao_cao_6_thang.rules.yaml (có sẵn)",
        f"mẫu: {workspace}/templates/docx/bao_cao_6_thang.docx (kho mẫu)",
    ]


def test_adding_an_override_makes_build_render_again(tmp_path: Path) -> None:
    workspace = tmp_path / "huyen"
    (workspace / "data").mkdir(parents=True)
    (workspace / "templates" / "docx").mkdir(parents=True)
    shutil.copy(DATA_DIR / "xa-luc-binh-2023-6t.yaml", workspace / "data" / "xa.yaml")
    out = tmp_path / "ra"
    assert run_cli(["build", str(workspace / "data"), "-o", str(out)]).stderr.endswith(
        "đã tạo 1, không đổi 0, lỗi 0\n"
    )
    assert run_cli(["build", str(workspace / "data"), "-o", str(out)]).stderr.endswith(
        "đã tạo 0, không đổi 1, lỗi 0\n"
    )
    override_template().save(str(workspace / "templates" / "docx" / "bao_cao_6_thang.docx"))
    assert run_cli(["build", str(workspace / "data"), "-o", str(out)]).stderr.endswith(
        "đã tạo 1, không đổi 0, lỗi 0\n"
    )
    assert docx_text(out / "xa.docx").endswith("Mẫu riêng của huyện Sơn Thượng.\n")


def test_mau_renders_with_another_template(tmp_path: Path) -> None:
    house = tmp_path / "mau-rieng.docx"
    override_template().save(str(house))
    out = tmp_path / "ra.docx"
    run = run_cli(["render", str(DATA_DIR / "xa-luc-binh-2023-6t.yaml"), "--mau", str(house), "-o", str(out)])
    assert run.exit_code == 0, run.stderr
    assert docx_text(out).endswith("Mẫu riêng của huyện Sơn Thượng.\n")


def test_new_kind_output_renders_from_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli(["new-kind", "bao_cao_de_dieu", "-o", "kho"])
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines()[:4] == [
        "đã tạo kho/schemas/bao_cao_de_dieu.schema.json",
        "đã tạo kho/schemas/bao_cao_de_dieu.rules.yaml",
        "đã tạo kho/templates/docx/bao_cao_de_dieu.docx",
        "đã tạo kho/data/bao_cao_de_dieu-mau.yaml",
    ]
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    sample = tmp_path / "kho" / "data" / "bao_cao_de_dieu-mau.yaml"
    run = run_cli(["render", str(sample), "-o", "ra.docx", "--strict"])
    assert (run.exit_code, run.stderr) == (0, "đã tạo ra.docx\n")
    lines = docx_text(elsewhere / "ra.docx").splitlines()
    assert "Tổng số 155, trong đó: 120 thuộc mục thứ nhất, 35 thuộc mục thứ hai." in lines
    assert lines[0].endswith("| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc")
    template = tmp_path / "kho" / "templates" / "docx" / "bao_cao_de_dieu.docx"
    run = run_cli(["check-template", str(template)])
    assert (run.exit_code, run.stderr) == (0, "1 mẫu hợp lệ: 0 lỗi, 0 cảnh báo\n")
    rules = (tmp_path / "kho" / "schemas" / "bao_cao_de_dieu.rules.yaml").read_text(encoding="utf-8")
    types = ["tong", "khong_vuot", "hieu", "ty_le", "ty_trong", "dem", "dat_ke_hoach", "so_sanh"]
    types += ["so_sanh_ty_le", "ky_bao_cao"]
    assert re.findall(r"(?m)^(?:# )?- kiem_tra: (\w+)", rules) == types
    (tmp_path / "kho" / "schemas" / "bao_cao_de_dieu.rules.yaml").write_text(
        re.sub(r"(?m)^# (?=[ -])", "", rules), encoding="utf-8"
    )
    run = run_cli(["validate", "--strict", str(sample)])  # every example rule, once uncommented, works
    assert (run.exit_code, run.stderr) == (0, "1 tệp hợp lệ: 0 lỗi, 0 cảnh báo\n")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "bao_cao_6_thang",
            "lỗi: loại `bao_cao_6_thang` đã có sẵn; chọn tên khác (ghi đè mẫu có sẵn: xem README)",
        ),
        (
            "Bao-Cao",
            "lỗi: tên loại `Bao-Cao` không dùng được: chỉ chữ thường không dấu, chữ số và `_`,"
            " bắt đầu bằng chữ, ví dụ bao_cao_thien_tai",
        ),
    ],
)
def test_new_kind_refuses_a_name_in_use_or_unusable(kind: str, message: str, tmp_path: Path) -> None:
    run = run_cli(["new-kind", kind, "-o", str(tmp_path / "kho")])
    assert (run.exit_code, run.stderr) == (1, message + "\n")
    assert not (tmp_path / "kho").exists()


def test_new_kind_refuses_a_kind_the_workspace_has(workspace: Path) -> None:
    run = run_cli(["new-kind", KIND, "-o", str(workspace)])
    assert run.exit_code == 1
    assert run.stderr.startswith(
        f"lỗi: loại `{KIND}` đã có trong {workspace}: {workspace}/schemas/{KIND}.schema.json"
    )


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _break_json(root: Path) -> list[str]:
    _replace(
        root / "schemas" / f"{KIND}.schema.json",
        '"type": "object",\n  "additional',
        '"type": "object"\n  "additional',
    )
    return [
        f"{root}/schemas/{KIND}.schema.json:5:3: lỗi: lược đồ không phải JSON hợp lệ: thiếu dấu phẩy"
        " (kiểm tra dấu phẩy, ngoặc và ngoặc kép quanh mỗi tên, mỗi chuỗi)"
    ]


def _break_meta_schema(root: Path) -> list[str]:
    _replace(
        root / "schemas" / f"{KIND}.schema.json", '"required": [\n        "nha_o"', '"required": [\n        5'
    )
    _replace(root / "schemas" / f"{KIND}.schema.json", '"title": "Nhà ở"', '"title": "Nhà ở", "type": "so"')
    return [
        f"{root}/schemas/{KIND}.schema.json:38:9: lỗi: properties.thiet_hai.required[0]:"
        " không phải JSON Schema hợp lệ: phải có kiểu string, nhận được 5",
        f"{root}/schemas/{KIND}.schema.json:45:37: lỗi: properties.thiet_hai.properties.nha_o.type:"
        ' không phải JSON Schema hợp lệ: kiểu "so" không có'
        " (dùng object, array, string, integer, number, boolean hoặc null)",
    ]


def _remove_template(root: Path) -> list[str]:
    (root / "templates" / "docx" / f"{KIND}.docx").unlink()
    return [
        f"{root}/schemas/{KIND}.schema.json: lỗi: loại `{KIND}` chưa có mẫu {root}/templates/docx/{KIND}.docx"
        f" (tạo bằng `baocao new-kind {KIND} -o …` hoặc chép một mẫu .docx vào đó)"
    ]


def _duplicate(root: Path) -> list[str]:
    shutil.copy(root / "schemas" / f"{KIND}.schema.json", root / "schemas" / f"{KIND}_2024.schema.json")
    return [
        f"{root}/schemas/{KIND}_2024.schema.json:19:16: lỗi: properties.loai.const: hai loại văn bản cùng tên"
        f" `{KIND}` trong một kho mẫu (đổi `const` thành `{KIND}_2024` cho khớp tên tệp)"
    ]


def _link_outside(root: Path) -> list[str]:
    rules = root / "schemas" / f"{KIND}.rules.yaml"
    outside = root.parent / "ngoai.rules.yaml"
    rules.rename(outside)
    rules.symlink_to(outside)
    return [
        f"{rules}: lỗi: tệp là liên kết tới {outside}, ngoài kho mẫu {root}"
        " (chép tệp vào kho mẫu thay vì liên kết)"
    ]


@pytest.mark.parametrize(
    "breakage", [_break_json, _break_meta_schema, _remove_template, _duplicate, _link_outside]
)
def test_a_broken_workspace_is_reported_in_the_file_at_fault(breakage: Any, tmp_path: Path) -> None:
    data = make_workspace(tmp_path / "kho")
    expected = breakage((tmp_path / "kho").resolve())
    out = tmp_path / "ra.docx"
    run = run_cli(["render", str(data), "-o", str(out)])
    assert (run.exit_code, run.stderr.splitlines()) == (
        1,
        [*expected, f"không tạo {out}: {len(expected)} lỗi, 0 cảnh báo"],
    )
    assert not out.exists()
    run = run_cli(["kinds", "--kinds", str(tmp_path / "kho")])
    assert (run.exit_code, run.stderr.splitlines()) == (1, expected)


def test_a_rules_path_not_in_the_schema_stops_render_and_check_template(tmp_path: Path) -> None:
    data = make_workspace(tmp_path / "kho")
    rules = tmp_path / "kho" / "schemas" / f"{KIND}.rules.yaml"
    _replace(rules, "thiet_hai.giao_thong]", "thiet_hai.giao_thongg]")
    expected = (
        f"{rules}:3:56: lỗi: `thiet_hai.giao_thongg` không có trong lược đồ `{KIND}`"
        " (có phải `thiet_hai.giao_thong`?)"
    )
    out = tmp_path / "ra.docx"
    run = run_cli(["render", str(data), "-o", str(out)])
    assert (run.exit_code, run.stderr.splitlines()) == (1, [expected, f"không tạo {out}: 1 lỗi, 0 cảnh báo"])
    run = run_cli(["check-template", str(tmp_path / "kho" / "templates" / "docx" / f"{KIND}.docx")])
    assert (run.exit_code, run.stderr.splitlines()) == (1, [expected, "1 mẫu có lỗi: 1 lỗi, 0 cảnh báo"])
