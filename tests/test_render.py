"""Compiling and rendering docxtpl-style templates: text, determinism, escaping, errors, atomic writes."""

from __future__ import annotations

import io
import os
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import filters, pipeline
from engine.docxtext import docx_text
from engine.errors import FilterError
from engine.render import render_docx, write_atomic
from engine.templates import Filters, TemplateError, load_template, make_environment
from tests.conftest import DATA_DIR, SAMPLES, run_cli
from tests.wordlike import word_like

FILTERS: Filters = {"hoa": str.upper}

CONTEXT: dict[str, Any] = {
    "title": "Báo cáo 6 tháng",
    "name": "UBND xã Lục Bình",
    "items": ["thứ nhất", "thứ hai"],
    "rows": [{"stt": 1, "ten": "Hộ nghèo"}, {"stt": 2, "ten": "Hộ cận nghèo"}],
    "split": "đã ghép",
}

EXPECTED_TEXT = """\
Kính gửi: UBND XÃ LỤC BÌNH
- thứ nhất
- thứ hai
STT | Nội dung
1 | Hộ nghèo
2 | Hộ cận nghèo
Tách: đã ghép.
--- ngắt trang ---
Phụ lục
"""


def build_template(path: Path, *paragraphs: str) -> Path:
    """A small template using each docxtpl feature the engine relies on; `paragraphs` are appended."""
    doc = Document()
    doc.core_properties.title = "{{ title }}"
    doc.sections[0].header.paragraphs[0].text = "{{ title }}"
    doc.add_paragraph("Kính gửi: {{ name|hoa }}")
    doc.add_paragraph("{%p for x in items %}")
    doc.add_paragraph("- {{ x }}")
    doc.add_paragraph("{%p endfor %}")
    table = doc.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "STT", "Nội dung"
    table.cell(1, 0).text = "{%tr for r in rows %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ r.stt }}", "{{ r.ten }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    # `{{ split }}` spread over four runs, as Word does after editing: `{` | `{ split` (bold) | ` }` | `}.`
    split = doc.add_paragraph("Tách: ")
    split.add_run("{")
    split.add_run("{ split").bold = True
    split.add_run(" }")
    split.add_run("}.")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Phụ lục")
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


@pytest.fixture
def template_path(tmp_path: Path) -> Path:
    return build_template(tmp_path / "mau.docx")


def render(path: Path, context: dict[str, Any] | None = None, filters: Filters = FILTERS) -> bytes:
    return render_docx(load_template(path, filters), CONTEXT if context is None else context)


def test_renders_paragraphs_loops_rows_and_split_tags(template_path: Path) -> None:
    assert docx_text(render(template_path)) == EXPECTED_TEXT


def test_renders_header_and_core_properties(template_path: Path) -> None:
    doc = Document(io.BytesIO(render(template_path)))
    assert doc.sections[0].header.paragraphs[0].text == "Báo cáo 6 tháng"
    assert doc.core_properties.title == "Báo cáo 6 tháng"


def test_output_is_byte_identical_with_fixed_zip_metadata(template_path: Path) -> None:
    first = render(template_path)
    assert render(template_path) == first
    with zipfile.ZipFile(io.BytesIO(first)) as out, zipfile.ZipFile(template_path) as source:
        assert out.namelist() == source.namelist()
        assert {info.date_time for info in out.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.fixture
def restore_timezone() -> Iterator[None]:
    saved = os.environ.get("TZ")
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.mark.usefixtures("restore_timezone")
def test_output_does_not_depend_on_time_zone(template_path: Path) -> None:
    outputs = []
    for zone in ("UTC", "Asia/Ho_Chi_Minh", "America/Los_Angeles"):
        os.environ["TZ"] = zone
        time.tzset()
        outputs.append(render(template_path))
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize(
    "value",
    [
        "Sở Lao động - Thương binh & Xã hội",
        "a < b > c",
        "trích \"nguyên văn\" và 'đơn'",
        "đóng CDATA ]]> giữa câu",
        "{{ 7*7 }}",
        '{% include "x" %}',
        "{%p endfor %} {# chú thích #}",
        "</w:t></w:r><w:r><w:t>chèn",
    ],
)
def test_values_appear_literally(template_path: Path, value: str) -> None:
    out = render(template_path, {**CONTEXT, "items": [value], "rows": [{"stt": 1, "ten": value}]})
    text = docx_text(out)
    assert f"- {value}\n" in text
    assert f"1 | {value}\n" in text
    assert value in [p.text for p in Document(io.BytesIO(out)).paragraphs][1]


@pytest.fixture(scope="module")
def shared_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("mau") / "mau.docx")


# Every character XML 1.0 allows in text, except the controls `resolve_listing` turns into layout.
XML_TEXT = (
    st.characters(min_codepoint=0x20, max_codepoint=0xD7FF)
    | st.characters(min_codepoint=0xE000, max_codepoint=0xFFFD)
    | st.characters(min_codepoint=0x10000)
)


@settings(max_examples=60, deadline=None)
@given(st.text(XML_TEXT))
def test_any_printable_text_is_literal(shared_template: Path, value: str) -> None:
    text = docx_text(render(shared_template, {**CONTEXT, "items": [value]}))
    assert f"\n- {value}".rstrip() + "\n" in text


def test_line_breaks_and_tabs_in_values(template_path: Path) -> None:
    out = render(template_path, {**CONTEXT, "items": ["dòng 1\ndòng 2\tcột"]})
    assert "- dòng 1\ndòng 2\tcột\n" in docx_text(out)
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "<w:br/>" in body and "<w:tab/>" in body


def test_text_xml_cannot_hold_is_a_filter_error(template_path: Path) -> None:
    with pytest.raises(FilterError, match="U\\+000B") as caught:
        render(template_path, {**CONTEXT, "items": ["dòng\vngắt"]})
    assert caught.value.value == "dòng\vngắt"


def test_tag_spanning_blocks_is_reported_when_output_breaks(tmp_path: Path) -> None:
    path = tmp_path / "vat.docx"
    doc = Document()
    doc.add_paragraph("{% if flag %}mở")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "đóng{% endif %}"
    doc.save(str(path))
    assert "mở" in docx_text(render(path, {"flag": True}))
    with pytest.raises(TemplateError, match=r"vat\.docx, phần word/document\.xml: kết quả dựng không"):
        render(path, {"flag": False})


def test_ampersand_in_template_literal_is_not_escaped_twice(tmp_path: Path) -> None:
    path = build_template(tmp_path / "mau.docx", "{{ 'Sở Lao động & Xã hội' }}")
    assert "\nSở Lao động & Xã hội\n" in docx_text(render(path))


def count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(source))
        return compile_source(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return calls


def test_second_load_and_render_compile_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_template(tmp_path / "mau.docx", f"mẫu {uuid.uuid4()}")  # bytes never seen before
    calls = count_compiles(monkeypatch)
    first = load_template(path, FILTERS)
    assert len(calls) == 3  # body, header, core properties
    render_docx(first, CONTEXT)
    assert load_template(path, FILTERS) is first
    render_docx(first, CONTEXT)
    assert len(calls) == 3
    load_template(path, {"hoa": str.upper})  # another filter table compiles anew
    assert len(calls) == 6


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return reads


def test_a_settled_template_is_not_read_again_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.templates._SETTLED_NS", -(10**12))  # as if written long ago
    reads = count_reads(monkeypatch)
    path = build_template(tmp_path / "mau.docx", "Bản A")
    os.utime(path, ns=(10**18, 10**18))
    first = load_template(path, FILTERS)
    assert load_template(path, FILTERS) is first
    assert reads == [path]
    build_template(path, "Bản B")  # likely the same size: the times tell
    os.utime(path, ns=(10**18 + 1, 10**18 + 1))
    assert "Bản B" in docx_text(render(path))
    assert reads == [path, path]


def test_a_template_just_written_is_read_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = count_reads(monkeypatch)
    path = build_template(tmp_path / "mau.docx", "Bản A")
    load_template(path, FILTERS)
    load_template(path, FILTERS)
    assert reads == [path, path]  # changed less than 2 s ago: a change within the same clock tick hides


def test_syntax_error_names_template_part_and_paragraph(tmp_path: Path) -> None:
    path = build_template(tmp_path / "hong.docx", "Đoạn tốt", "Đoạn {% if %} hỏng")
    with pytest.raises(TemplateError) as caught:
        load_template(path, FILTERS)
    message = str(caught.value)
    assert str(path) in message
    assert "word/document.xml" in message
    assert (
        "đoạn 17 «Đoạn {% if %} hỏng»" in message
    )  # 7 paragraphs above, 8 in the table's cells, "Đoạn tốt", then this
    assert message.endswith(": lỗi cú pháp Jinja: thẻ thiếu biểu thức (gặp `%}`)")


def test_syntax_error_in_header_names_the_header(tmp_path: Path) -> None:
    path = tmp_path / "dau_trang.docx"
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ title }"
    doc.save(str(path))
    with pytest.raises(
        TemplateError,
        match=r"word/header1\.xml, đoạn 1 «\{\{ title \}»: lỗi cú pháp Jinja: thẻ `\{\{` mở mà không đóng",
    ):
        load_template(path, FILTERS)


def test_undefined_variable_is_a_template_error(template_path: Path) -> None:
    context = {key: value for key, value in CONTEXT.items() if key != "split"}
    with pytest.raises(TemplateError) as caught:
        render(template_path, context)
    assert str(caught.value) == (
        f"mẫu {template_path}, phần word/document.xml, đoạn 13 «Tách: {{{{ split }}}}.»: "
        "thiếu giá trị: không có biến `split` (tên viết sai, hoặc dữ liệu của loại văn bản này không có)"
    )


def test_missing_attribute_names_the_field(tmp_path: Path) -> None:
    path = build_template(tmp_path / "mau.docx", "Số: {{ rows[0].so_ho }}")
    with pytest.raises(
        TemplateError,
        match=r"đoạn 16 «Số: \{\{ rows\[0\]\.so_ho \}\}»: "
        r"thiếu giá trị: `dict object` không có trường `so_ho`",
    ):
        render(path)


def test_printing_none_is_a_located_template_error(template_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render(template_path, {**CONTEXT, "split": None})
    assert str(caught.value) == (
        f"mẫu {template_path}, phần word/document.xml, đoạn 13 «Tách: {{{{ split }}}}.»: "
        "in ra giá trị trống (None); bọc câu bằng `{% if … %}` hoặc dùng bộ lọc có giá trị mặc định"
    )


def test_undefined_argument_to_filter_is_a_template_error(template_path: Path) -> None:
    context = {key: value for key, value in CONTEXT.items() if key != "name"}
    with pytest.raises(TemplateError, match="không có biến `name`"):
        render(template_path, context)


def test_sandbox_blocks_private_attributes(tmp_path: Path) -> None:
    path = build_template(tmp_path / "mau.docx", "{{ name.__class__ }}")
    with pytest.raises(TemplateError, match="unsafe"):
        render(path)


def test_include_cannot_read_files(tmp_path: Path) -> None:
    (tmp_path / "bi_mat.txt").write_text("bí mật", encoding="utf-8")
    path = build_template(tmp_path / "mau.docx", '{% include "bi_mat.txt" %}')
    with pytest.raises(TemplateError, match=r"bi_mat\.txt"):
        render(path)


def test_filter_errors_propagate_unchanged(template_path: Path) -> None:
    raised = FilterError("hoa", "UBND", "không thích")

    def refuse(value: object) -> str:
        raise raised

    with pytest.raises(FilterError) as caught:
        render(template_path, filters={"hoa": refuse})
    assert caught.value is raised


def test_not_a_docx_is_a_template_error(tmp_path: Path) -> None:
    path = tmp_path / "rong.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match=r"rong\.docx"):
        load_template(path, FILTERS)


def test_write_atomic_creates_parents_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out" / "sub" / "bao_cao.docx"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["bao_cao.docx"]


def fail(*args: object) -> None:
    raise OSError("đĩa đầy")


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_failed_write_leaves_target_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    target = tmp_path / "bao_cao.docx"
    target.write_bytes(b"old")
    failing: Callable[..., None] = fail
    monkeypatch.setattr(os, broken, failing)
    with pytest.raises(OSError, match="đĩa đầy"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["bao_cao.docx"]


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_template_saved_by_word_renders_the_same_text(
    tmp_path: Path, rendered_samples: dict[str, bytes], sample: Path
) -> None:
    checked = pipeline.check(sample)
    edited = tmp_path / f"{checked.kind}.docx"
    edited.write_bytes(word_like(checked.files.template.read_bytes()))
    assert edited.read_bytes() != checked.files.template.read_bytes()
    out = render_docx(load_template(edited, filters.FILTERS), checked.derivation.context)
    assert docx_text(out) == docx_text(rendered_samples[sample.stem])


def test_render_refuses_a_template_field_the_data_lacks(tmp_path: Path) -> None:
    sample = DATA_DIR / "xa-luc-binh-2023-6t.yaml"
    doc = Document(str(pipeline.check(sample).files.template))
    doc.add_paragraph("Trong 6 tháng đầu năm, số hộ {{ tin_dung.so_ho_vay }} đã được vay vốn.")
    doc.save(str(tmp_path / "mau.docx"))
    out = tmp_path / "ra.docx"
    result = run_cli(["render", str(sample), "-o", str(out), "--mau", str(tmp_path / "mau.docx")])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"không tạo {out}: mẫu {tmp_path / 'mau.docx'}, phần word/document.xml, đoạn "
    )
    assert result.stderr.rstrip().endswith(
        "«Trong 6 tháng đầu năm, số hộ {{ tin_dung.so_ho_vay }} đã…»: "
        "thiếu giá trị: `dict object` không có trường `so_ho_vay`"
    )
    assert not out.exists()


def test_unknown_name_in_a_branch_the_data_skips_is_refused(tmp_path: Path) -> None:
    path = build_template(
        tmp_path / "mau.docx", "{%p if title == 'khác' %}", "Câu {{ bien_sai }}", "{%p endif %}"
    )
    with pytest.raises(TemplateError) as caught:
        render(path)
    assert str(caught.value) == (
        f"mẫu {path}, phần word/document.xml, đoạn 17 «Câu {{{{ bien_sai }}}}»: thiếu giá trị: "
        "không có biến `bien_sai` (tên viết sai, hoặc dữ liệu của loại văn bản này không có)"
    )


def test_names_tested_with_defined_or_set_in_the_template_are_not_required(tmp_path: Path) -> None:
    path = build_template(
        tmp_path / "mau.docx",
        "{% if ghi_chu is defined %}{{ ghi_chu }}{% endif %}",
        "{%p if items %}",
        "{%p set dau = items[0] %}",
        "Đầu: {{ dau }}",
        "{%p endif %}",
    )
    assert docx_text(render(path)).endswith("Phụ lục\n\nĐầu: thứ nhất\n")


def grid_columns(docx: bytes) -> list[int]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode()
    return [len(grid.split("<w:gridCol ")) - 1 for grid in xml.split("<w:tblGrid>")[1:]]


def test_cells_made_by_the_data_get_a_matching_grid(tmp_path: Path) -> None:
    path = tmp_path / "cot.docx"
    doc = Document()
    cells = doc.add_table(rows=1, cols=4).rows[0].cells
    cells[0].text, cells[1].text = "Tiêu chí", "{%tc for c in cols %}"
    cells[2].text, cells[3].text = "{{ c }}", "{%tc endfor %}"
    doc.save(str(path))
    assert load_template(path, FILTERS).parts["word/document.xml"].fixes_tables
    one_column = render(path, {"cols": ["Năm 2024"]})
    assert docx_text(one_column) == "Tiêu chí | Năm 2024\n"
    assert grid_columns(one_column) == [2]  # docxtpl's repair: 4 grid columns for 2 cells → 2


def test_tables_the_data_cannot_reshape_skip_the_repair(tmp_path: Path) -> None:
    path = tmp_path / "bang.docx"
    doc = Document()
    cell = doc.add_table(rows=1, cols=2).cell(0, 1)
    cell.text = "{%p if co %}"
    cell.add_paragraph("{{ co }}")
    cell.add_paragraph("{%p endif %}")
    doc.save(str(path))
    assert not load_template(path, FILTERS).parts["word/document.xml"].fixes_tables
    assert grid_columns(render(path, {"co": "có"})) == [2]


def test_a_template_table_with_more_cells_than_grid_columns_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "luoi.docx"
    doc = Document()
    table = doc.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "{{ a }}"
    grid = table._tbl.tblGrid
    grid.remove(grid.gridCol_lst[-1])  # as a hand-edited file may have it: 3 cells, 2 grid columns
    doc.save(str(path))
    assert load_template(path, FILTERS).parts["word/document.xml"].fixes_tables
    assert grid_columns(render(path, {"a": "x"})) == [3]


@pytest.mark.parametrize(
    ("source", "data", "printed"),
    [
        ("{{ d.ten }}", {"ten": "Xã A"}, "Xã A"),
        ("{{ d.get('x', 'không') }}", {"get": "khóa"}, "không"),  # the dict's method wins, as in Jinja
        ("{{ d.ten.ho }}", {"ten": {"ho": "Nguyễn"}}, "Nguyễn"),
    ],
)
def test_dotted_names_read_dict_keys_as_jinja_does(source: str, data: Any, printed: str) -> None:
    assert make_environment({}).from_string(source).render(d=data) == printed


def test_a_missing_dict_key_is_an_undefined_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'ten'"):
        make_environment({}).from_string("{{ d.ten }}").render(d={})
