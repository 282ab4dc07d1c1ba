"""ND30 layout read back from the rendered sample with python-docx (spec/nd30.md)."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Pt

from engine.paths import TEMPLATE_DIR
from templates.build import SOURCES, template_bytes
from templates.nd30 import FONT

SAMPLE = "xa-luc-binh-2023-6t"


@pytest.fixture
def document(rendered_samples: dict[str, bytes]) -> DocumentObject:
    return Document(io.BytesIO(rendered_samples[SAMPLE]))


def test_page_is_a4_with_nd30_margins(document: DocumentObject) -> None:
    section = document.sections[0]

    def millimetres(*lengths: Length | None) -> tuple[int, ...]:
        # DOCX stores page geometry in twips, so compare to the nearest millimetre.
        return tuple(round(length.mm) if length is not None else -1 for length in lengths)

    assert millimetres(section.page_width, section.page_height) == (210, 297)
    assert millimetres(section.top_margin, section.bottom_margin) == (20, 20)
    assert millimetres(section.left_margin, section.right_margin) == (30, 15)


def test_page_numbers_from_page_two(document: DocumentObject) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    fields = section.header._element.xpath(".//w:instrText/text()")
    assert [field.strip() for field in fields] == ["PAGE"]
    (number,) = section.header.paragraphs
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "".join(paragraph.text for paragraph in section.first_page_header.paragraphs) == ""


def test_times_new_roman_everywhere(rendered_samples: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered_samples[SAMPLE])) as archive:
        for name in ("word/styles.xml", "word/document.xml"):
            xml = archive.read(name).decode("utf-8")
            assert "Theme=" not in xml and "w:cstheme" not in xml, name
            assert "Calibri" not in xml and "Cambria" not in xml, name
    assert Document(io.BytesIO(rendered_samples[SAMPLE])).styles["Normal"].font.name == FONT


def test_header_block(document: DocumentObject) -> None:
    header = document.tables[0]
    body_cell, motto_cell = header.rows[0].cells
    parent, *agency, _rule = body_cell.paragraphs
    assert parent.text == "UBND HUYỆN BẠCH THÔNG" and not parent.runs[0].bold
    assert [line.text for line in agency] == ["ỦY BAN NHÂN DÂN", "XÃ LỤC BÌNH"]
    assert all(line.runs[0].bold and line.runs[0].font.size == Pt(13) for line in agency)
    nation, motto = motto_cell.paragraphs[0], motto_cell.paragraphs[1]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and nation.runs[0].bold
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold
    for cell in (body_cell, motto_cell):
        assert "w:pBdr" in cell.paragraphs[-1]._p.xml, "a solid line under the last header line"
    number_cell, date_cell = header.rows[1].cells
    assert number_cell.paragraphs[0].text == "Số:      /BC-UBND"
    date = date_cell.paragraphs[0]
    assert date.text == "Lục Bình, ngày      tháng 4 năm 2023"
    assert all(run.italic for run in date.runs if run.text.strip())


def test_title_and_body(document: DocumentObject) -> None:
    paragraphs = [paragraph for paragraph in document.paragraphs if paragraph.text]
    kind, subject = paragraphs[0], paragraphs[1]
    assert kind.text == "BÁO CÁO" and kind.runs[0].bold
    assert kind.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert subject.text.endswith("6 tháng đầu năm 2023") and subject.runs[0].bold
    normal = document.styles["Normal"]
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert normal.paragraph_format.first_line_indent == Cm(1.27)
    assert normal.font.size == Pt(14)
    assert paragraphs[-1].text.endswith("./.")


def test_closing_block(document: DocumentObject) -> None:
    recipients, signature = document.tables[-1].rows[0].cells
    first = recipients.paragraphs[0]
    assert first.text == "Nơi nhận:" and first.runs[0].bold and first.runs[0].italic
    lines = [paragraph.text for paragraph in recipients.paragraphs if paragraph.text.startswith("- ")]
    assert all(line.endswith(";") for line in lines[:-1]) and lines[-1].endswith(".")
    signed = [paragraph.text for paragraph in signature.paragraphs if paragraph.text]
    assert signed == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Hậu"]


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_committed_template_matches_its_source(kind: str) -> None:
    assert template_bytes(kind) == (TEMPLATE_DIR / f"{kind}.docx").read_bytes(), "run `make templates`"
