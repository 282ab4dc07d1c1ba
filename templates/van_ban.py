"""Template of `van_ban`: any ND30 document whose body is written in the data.

The deriver (engine/kinds/van_ban.py) hands over the body as a flat list of numbered
blocks (`khoi`); each block kind has one paragraph here, so headings, paragraphs and
bullets keep the ND30 styles and stay editable in Word. Tables arrive built (their
shape comes from the data) and replace their paragraph (`{{p … }}`).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from engine.kinds.van_ban_tables import BOLD_CELL_STYLE, BOLD_CELL_STYLE_ID, CELL_STYLE, CELL_STYLE_ID
from templates.nd30 import (
    R,
    body,
    centred,
    closing,
    heading,
    new_document,
    page_break,
    state_header,
    tag,
    title,
)

RECIPIENT_INDENT_CM = 2.5
CELL_PT = 12


def cell_styles(doc: DocumentObject) -> None:
    """The paragraph styles of table cells built by engine/kinds/van_ban_tables.py."""
    cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.style_id = CELL_STYLE_ID
    cell.base_style = doc.styles["Normal"]
    cell.font.size = Pt(CELL_PT)
    fmt = cell.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Cm(0)
    fmt.space_before = fmt.space_after = Pt(2)
    fmt.line_spacing = 1.0
    bold = doc.styles.add_style(BOLD_CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    bold.style_id = BOLD_CELL_STYLE_ID
    bold.base_style = cell
    bold.font.bold = True


def blocks(doc: DocumentObject, items: str) -> None:
    """One paragraph per block kind, chosen by `k.kieu`."""
    tag(doc, f"for k in {items}")
    tag(doc, "if k.kieu == 'muc_la_ma' or k.kieu == 'muc_so'")
    heading(doc, "{{ k.so }} {{ k.chu }}")
    tag(doc, "elif k.kieu == 'muc_so_con'")
    body(doc, R("{{ k.so }} {{ k.chu }}", bold=True, italic=True), keep_with_next=True)
    tag(doc, "elif k.kieu == 'muc_chu'")
    body(doc, "{{ k.so }} {{ k.chu }}", keep_with_next=True)
    tag(doc, "elif k.kieu == 'muc_gach' or k.kieu == 'gach'")
    body(doc, "- {{ k.chu }}")
    tag(doc, "elif k.kieu == 'cong'")
    body(doc, "+ {{ k.chu }}")
    tag(doc, "elif k.kieu == 'ten_bang'")
    centred(
        doc, "{{ k.chu }}", bold=True, space_before=6, space_after=6
    ).paragraph_format.keep_with_next = True
    # The unit line and the space after a table use the cell styles, so the template keeps them.
    tag(doc, "elif k.kieu == 'dvt'")
    unit = doc.add_paragraph(style=CELL_STYLE)
    unit.add_run("{{ k.chu }}").italic = True
    unit.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    unit.paragraph_format.keep_with_next = True
    tag(doc, "elif k.kieu == 'bang'")
    doc.add_paragraph("{{p k.bang }}")
    doc.add_paragraph(style=BOLD_CELL_STYLE)
    tag(doc, "else")
    body(doc, "{{ k.chu }}")
    tag(doc, "endif")
    tag(doc, "endfor")


def _recipients(doc: DocumentObject) -> None:
    """`Kính gửi: X` on one line, or `Kính gửi:` over `- X;` lines (công văn, tờ trình)."""
    tag(doc, "if kinh_gui.mot")
    centred(doc, "Kính gửi: {{ kinh_gui.mot }}", space_after=12)
    tag(doc, "elif kinh_gui.ds")
    centred(doc, "Kính gửi:", space_after=0)
    tag(doc, "for dong in kinh_gui.ds")
    line = body(doc, "{{ dong }}")
    line.paragraph_format.left_indent = Cm(RECIPIENT_INDENT_CM)
    line.paragraph_format.first_line_indent = Cm(0)
    line.paragraph_format.space_after = Pt(0)
    tag(doc, "endfor")
    centred(doc, "", space_after=6)
    tag(doc, "endif")


def build() -> DocumentObject:
    doc = new_document()
    cell_styles(doc)
    state_header(doc, "Số: {{ so_ky_hieu }}")
    number_cell = doc.tables[-1].rows[1].cells[0]
    tag(number_cell, "if cong_van")
    centred(number_cell, "{{ vv }}", size=12, space_before=3)
    tag(number_cell, "endif")
    tag(doc, "if ten_loai")
    title(doc, "{{ ten_loai }}", "{{ trich_yeu }}")
    tag(doc, "else")
    centred(doc, "", space_after=6)
    tag(doc, "endif")
    _recipients(doc)
    tag(doc, "for doan in mo_dau")
    body(doc, "{{ doan }}")
    tag(doc, "endfor")
    blocks(doc, "khoi")
    closing(doc)

    tag(doc, "for pl in phu_luc")
    page_break(doc)
    centred(doc, "PHỤ LỤC{{ pl.so }}", bold=True)
    centred(doc, "{{ pl.tieu_de }}", bold=True)
    centred(doc, "{{ pl.kem_theo }}", italic=True, space_after=12)
    blocks(doc, "pl.khoi")
    tag(doc, "endfor")
    return doc
