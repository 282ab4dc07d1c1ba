"""`docx_text`: the plain-text view of a document body used for review and golden files."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from engine.docxtext import PAGE_BREAK, docx_text


def save(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_paragraphs_breaks_tabs_and_empty_lines() -> None:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "đầu trang không in"
    doc.add_paragraph("Tiêu đề")
    for _ in range(3):
        doc.add_paragraph()
    doc.add_paragraph("Sau ba dòng trống   ")
    mixed = doc.add_paragraph("a")
    mixed.add_run().add_tab()
    mixed.add_run("b").add_break()
    mixed.add_run("c")
    doc.add_paragraph()
    doc.add_paragraph()
    assert docx_text(save(doc)) == "Tiêu đề\n\nSau ba dòng trống\na\tb\nc\n"


def test_table_rows_and_cells() -> None:
    doc = Document()
    doc.add_paragraph("Trước bảng")
    table = doc.add_table(rows=2, cols=3)
    first = table.cell(0, 0)
    first.text = "x"
    first.add_paragraph()
    first.add_paragraph("  y  ")
    table.cell(0, 1).text = "z"
    table.cell(1, 0).text = "1"
    table.cell(1, 2).text = "3"
    assert docx_text(save(doc)) == "Trước bảng\nx / y | z |\n1 |  | 3\n"


def test_page_breaks_are_visible() -> None:
    doc = Document()
    inline = doc.add_paragraph("trước")
    inline.add_run().add_break(WD_BREAK.PAGE)
    inline.add_run("sau")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    appendix = doc.add_paragraph("Phụ lục")
    appendix.paragraph_format.page_break_before = True
    doc.add_paragraph("Không ngắt").paragraph_format.page_break_before = False
    assert docx_text(save(doc)) == (
        f"trước\n{PAGE_BREAK}\nsau\n{PAGE_BREAK}\n{PAGE_BREAK}\nPhụ lục\nKhông ngắt\n"
    )


def test_field_codes_are_not_text() -> None:
    doc = Document()
    paragraph = doc.add_paragraph("Trang ")
    run = OxmlElement("w:r")
    code = OxmlElement("w:instrText")
    code.text = "PAGE"
    run.append(code)
    paragraph._p.append(run)
    paragraph.add_run("1")
    assert docx_text(save(doc)) == "Trang 1\n"


def test_reads_a_path_like_bytes(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Nội dung")
    path = tmp_path / "van_ban.docx"
    path.write_bytes(save(doc))
    assert docx_text(path) == docx_text(path.read_bytes()) == "Nội dung\n"


def test_empty_body_is_one_newline() -> None:
    doc = Document()
    body = doc.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    assert docx_text(save(doc)) == "\n"
