"""ND30 layout read back from the rendered sample with python-docx (spec/nd30.md)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Pt
from lxml import etree

from engine.paths import TEMPLATE_DIR
from templates.build import SOURCES, edited_by_hand, package_bytes, template_bytes
from templates.build import main as build_templates
from templates.nd30 import FONT, new_document
from tests.wordlike import word_like

SAMPLE = "xa-luc-binh-2023-6t"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
    assert "PAGE" in section.header._element.xml
    assert section.first_page_header.is_linked_to_previous or not "".join(
        paragraph.text for paragraph in section.first_page_header.paragraphs
    )


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


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_template_records_that_it_is_generated_and_from_what(kind: str) -> None:
    path = TEMPLATE_DIR / f"{kind}.docx"
    with zipfile.ZipFile(path) as archive:
        custom = archive.read("docProps/custom.xml").decode()
    assert f'name="baocao.mau.nguon"><vt:lpwstr>templates/{kind}.py</vt:lpwstr>' in custom
    assert re.search(r'name="baocao.mau.sha256"><vt:lpwstr>[0-9a-f]{64}</vt:lpwstr>', custom)
    assert edited_by_hand(path) is None
    assert Document(str(path)).part.package is not None  # still a package Word and python-docx open


def test_build_keeps_a_template_edited_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_templates([], out_dir=tmp_path) == 0
    edited, removed = tmp_path / "ke_hoach.docx", tmp_path / "bao_cao_nam.docx"
    edited.write_bytes(word_like(edited.read_bytes()))  # saved by Word: custom properties kept, content not
    by_hand = edited.read_bytes()
    removed.unlink()
    capsys.readouterr()
    assert build_templates([], out_dir=tmp_path) == 1
    assert edited.read_bytes() == by_hand
    assert removed.read_bytes() == template_bytes("bao_cao_nam")
    assert capsys.readouterr().err == (
        f"{edited}: lỗi: đã bị sửa sau khi sinh (nội dung khác mã băm đã ghi); không ghi đè "
        "(muốn giữ bản sửa: chép tệp này vào `<thư mục làm việc>/templates/docx/ke_hoach.docx` "
        "rồi chạy `make templates FORCE=1` để sinh lại mẫu gốc; "
        "`python -m templates.build --force` cũng vậy)\n"
    )
    assert build_templates(["--force"], out_dir=tmp_path) == 0
    assert edited.read_bytes() == template_bytes("ke_hoach")


def test_template_without_a_record_is_not_overwritten(tmp_path: Path) -> None:
    made_by_hand = tmp_path / "ke_hoach.docx"
    Document().save(str(made_by_hand))
    before = made_by_hand.read_bytes()
    assert build_templates([], out_dir=tmp_path) == 1
    assert made_by_hand.read_bytes() == before


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_template_carries_only_the_styles_it_uses(kind: str) -> None:
    with zipfile.ZipFile(TEMPLATE_DIR / f"{kind}.docx") as archive:
        names = archive.namelist()
        styles = etree.fromstring(archive.read("word/styles.xml"))
        referenced = {
            match.decode()
            for name in names
            if re.fullmatch(r"word/(?:document|header\d*|footer\d*)\.xml", name)
            for match in re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', archive.read(name))
        }
    assert not {"word/stylesWithEffects.xml", "word/numbering.xml", "customXml/item1.xml"} & set(names)
    assert styles.find(f"{W}docDefaults") is not None and styles.find(f"{W}latentStyles") is None
    defined = {style.get(f"{W}styleId"): style for style in styles.iter(f"{W}style")}
    defaults = {style_id for style_id, style in defined.items() if style.get(f"{W}default") == "1"}
    assert defaults == {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
    linked = {
        link.get(f"{W}val")
        for style in defined.values()
        for link in style
        if link.tag in {f"{W}basedOn", f"{W}link", f"{W}next"}
    }
    assert set(defined) == referenced | defaults | linked


def test_any_document_packs_lean_and_unstamped() -> None:
    """What `new-kind` and other builders of .docx files can reuse: no stamp without a source."""
    document = new_document()
    document.add_paragraph("Kính gửi: {{ co_quan.ten }}")
    packed = package_bytes(document)
    assert package_bytes(document) == packed
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        names = set(archive.namelist())
    assert "docProps/custom.xml" not in names and "word/stylesWithEffects.xml" not in names
    assert [paragraph.text for paragraph in Document(io.BytesIO(packed)).paragraphs] == [
        "Kính gửi: {{ co_quan.ten }}"
    ]
