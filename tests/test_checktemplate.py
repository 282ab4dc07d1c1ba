"""`baocao check-template`: project templates are clean; a broken one shows every kind of problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from engine.checktemplate import check_template
from engine.errors import Issue, Severity
from engine.paths import TEMPLATE_DIR
from tests.conftest import run_cli
from tests.wordlike import word_like

TEMPLATES = sorted(TEMPLATE_DIR.glob("*.docx"))


def broken_template(path: Path, *, header: str = "{{ co_quan.ten }}") -> Path:
    """python-docx's default document (Letter, 1-inch margins, Calibri theme) with bad Jinja."""
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = header
    doc.add_paragraph("Kính gửi: {{ co_quan.ten_sai }} và {{ bien_la }}")
    split = doc.add_paragraph("Năm ")
    split.add_run("{")
    split.add_run("{ nam }").bold = True
    split.add_run("}.")
    doc.add_paragraph("{% for muc in han_che %}{{ muc.noi_dung }}{% endfor %}")
    doc.save(str(path))
    return path


@pytest.mark.parametrize("template", TEMPLATES, ids=[path.stem for path in TEMPLATES])
def test_project_templates_have_no_errors(template: Path) -> None:
    assert [issue.format() for issue in check_template(template) if issue.is_error] == []


def test_broken_template_shows_every_kind_of_problem(tmp_path: Path) -> None:
    path = broken_template(tmp_path / "bao_cao_6_thang.docx")
    issues = check_template(path)
    messages = [issue.message for issue in issues]
    assert {issue.code for issue in issues} == {
        "template.split_tag",
        "template.unknown_name",
        "template.unused_field",
        "template.page_size",
        "template.margin",
        "template.font",
    }
    assert (
        "phần word/document.xml, đoạn 1 «Kính gửi: {{ co_quan.ten_sai }} và {{ bien_la }}»: "
        "biến `co_quan.ten_sai` không có trong lược đồ `bao_cao_6_thang` và không được tính ra"
    ) in messages
    assert any("biến `bien_la`" in message for message in messages)
    assert any("biến `han_che[].noi_dung`" in message for message in messages)
    assert "trường `can_cu` của lược đồ `bao_cao_6_thang` không được mẫu dùng ở đâu" in messages
    assert "trường `nam` của lược đồ `bao_cao_6_thang` không được mẫu dùng ở đâu" not in messages
    assert "mục (section) 1: khổ giấy 216 × 279 mm, không phải A4 (210 × 297 mm)" in messages
    assert "mục (section) 1: lề phải 32 mm, ND30 quy định 15–20 mm" in messages
    assert any(message.startswith("phần word/styles.xml: dùng phông theo chủ đề") for message in messages)


def test_split_tag_word_can_repair_is_information(tmp_path: Path) -> None:
    path = broken_template(tmp_path / "bao_cao_6_thang.docx")
    [split] = [issue for issue in check_template(path) if issue.code == "template.split_tag"]
    assert split.format() == (
        f"{path}: thông tin: phần word/document.xml, đoạn 2 «Năm {{{{ nam }}}}.»: thẻ `{{{{ nam }}}}` "
        "bị Word tách thành 3 đoạn định dạng (run); đã tự sửa khi dựng văn bản "
        "(không cần làm gì; muốn mẫu gọn thì xóa cả thẻ rồi gõ lại một lần)"
    )
    assert not split.is_error


def test_syntax_error_is_one_message_without_unused_fields(tmp_path: Path) -> None:
    path = broken_template(tmp_path / "bao_cao_6_thang.docx", header="Trích yếu: {{ co_quan.ten }")
    issues = check_template(path)
    assert [issue.format() for issue in issues if issue.code == "template.syntax"] == [
        f"{path}: lỗi: phần word/header1.xml, đoạn 1 «Trích yếu: {{{{ co_quan.ten }}»: "
        "lỗi cú pháp Jinja: thẻ `{{` mở mà không đóng trong đoạn này (thiếu `}}`)"
    ]
    assert not any(issue.code == "template.unused_field" for issue in issues)


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ["{%p for muc in han_che %}", "- {{ muc }}", "{%p endfor %}", "{%p endfor %}"],
            "đoạn 5 «{%p endfor %}»: lỗi cú pháp Jinja: "
            "thẻ `endfor` không có, hoặc thừa (không có khối nào mở để đóng)",
        ),
        (
            ["Trong 6 tháng đầu năm {{ nam }}, toàn xã đã {% if nam %}giảm được nhiều hộ nghèo."],
            "đoạn 2 «Trong 6 tháng đầu năm {{ nam }}, toàn xã đã {% if nam %}giảm được nhiều hộ nghèo.»: "
            "lỗi cú pháp Jinja: khối `if` mở mà không đóng: thiếu thẻ `endif`",
        ),
        (
            ["{{ nam }}", "Tổng số {{ so_ho"],
            "đoạn 3 «Tổng số {{ so_ho»: lỗi cú pháp Jinja: "
            "thẻ `{{` mở mà không đóng trong đoạn này (thiếu `}}`)",
        ),
    ],
)
def test_syntax_error_names_the_paragraph_by_its_text(
    tmp_path: Path, paragraphs: list[str], expected: str
) -> None:
    doc = Document()
    doc.add_paragraph("Kính gửi: Ủy ban nhân dân huyện")
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(tmp_path / "mau.docx"))
    [issue] = [issue for issue in check_template(tmp_path / "mau.docx") if issue.code == "template.syntax"]
    assert issue.message == f"phần word/document.xml, {expected}"


@pytest.mark.parametrize("template", TEMPLATES, ids=[path.stem for path in TEMPLATES])
def test_template_saved_by_word_has_only_information(tmp_path: Path, template: Path) -> None:
    edited = tmp_path / template.name
    edited.write_bytes(word_like(template.read_bytes()))
    clean = [issue.format().replace(str(template), "") for issue in check_template(template)]
    issues = check_template(edited)
    assert [issue.format().replace(str(edited), "") for issue in issues if not _is_info(issue)] == clean
    assert {issue.code for issue in issues if _is_info(issue)} == {
        "template.split_tag",
        "template.tracked_changes",
    }
    result = run_cli(["check-template", str(edited)])
    assert result.exit_code == 0
    assert re.fullmatch(r"1 mẫu hợp lệ: 0 lỗi, \d+ cảnh báo, \d+ thông tin", result.stderr.splitlines()[-1])


def _is_info(issue: Issue) -> bool:
    return issue.severity is Severity.INFO


def test_unknown_kind_skips_schema_checks(tmp_path: Path) -> None:
    issues = check_template(broken_template(tmp_path / "mau.docx"))
    assert issues[0].message == "không có loại văn bản `mau` cho mẫu này; bỏ qua phần đối chiếu với lược đồ"
    assert not any(issue.code in ("template.unknown_name", "template.unused_field") for issue in issues)


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "hong.docx"
    path.write_bytes(b"not a zip")
    assert [issue.code for issue in check_template(path)] == ["template.zip"]


def test_cli_exit_codes(tmp_path: Path) -> None:
    clean = run_cli(["check-template", *map(str, TEMPLATES)])
    assert clean.exit_code == 0
    assert clean.stderr.splitlines()[-1].startswith(f"{len(TEMPLATES)} mẫu hợp lệ: 0 lỗi, ")
    broken = run_cli(
        ["check-template", str(broken_template(tmp_path / "x.docx")), "--loai", "bao_cao_6_thang"]
    )
    assert broken.exit_code == 1
    assert broken.stderr.splitlines()[-1].startswith("1 mẫu có lỗi: ")
    assert "Traceback" not in broken.stderr


def test_fields_read_by_rules_count_as_used() -> None:
    unused = [
        issue.message
        for issue in check_template(TEMPLATE_DIR / "nghi_quyet_dang.docx")
        if issue.code == "template.unused_field"
    ]
    assert unused, "the check still reports fields nothing uses"
    assert not any("cac_nam[].tong_so_ho" in message for message in unused), unused
