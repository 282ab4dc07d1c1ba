"""ND30 layout primitives for building templates with python-docx.

Values are the defaults chosen in spec/nd30.md (Phụ lục I, Nghị định
30/2020/NĐ-CP): A4, margins 20/20/30/15 mm, Times New Roman 14 pt body,
first-line indent 1.27 cm, page numbers centred at the top from page 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
FIRST_LINE_INDENT_CM = 1.27
FIXED_DATE = datetime(2020, 3, 5)  # Nghị định 30/2020/NĐ-CP
# Wider than the text block, as in the published forms, so the two header lines fit on one line each.
HEADER_COLUMNS_CM = (7.5, 10.0)


@dataclass(frozen=True)
class R:
    """One run of text with its character formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None


Runs = tuple[str | R, ...]


def new_document() -> DocumentObject:
    """A4 document whose every style resolves to Times New Roman (no theme fonts left)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.start_type = WD_SECTION_START.NEW_PAGE
    _use_font_everywhere(doc)
    normal = doc.styles["Normal"].paragraph_format
    normal.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
    normal.space_before, normal.space_after = Pt(0), Pt(6)
    normal.line_spacing = 1.15
    _page_number_header(doc)
    properties = doc.core_properties
    # No "python-docx" author or comment in Word's File → Info; fixed dates keep builds reproducible.
    properties.author, properties.comments, properties.last_modified_by = "", "", ""
    properties.created = properties.modified = FIXED_DATE
    return doc


def _use_font_everywhere(doc: DocumentObject) -> None:
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert run_defaults is not None
    for size_tag in ("w:sz", "w:szCs"):
        element = run_defaults.find(qn(size_tag))
        if element is not None:
            element.set(qn("w:val"), str(BODY_PT * 2))
    language = run_defaults.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:val"), "vi-VN")
    normal = doc.styles["Normal"].font
    normal.name, normal.size = FONT, Pt(BODY_PT)
    for style in doc.styles:
        font = getattr(style, "font", None)
        if font is not None and font.name is not None:
            font.name = FONT


def _page_number_header(doc: DocumentObject) -> None:
    """Centred PAGE field in the header; the first page's header stays empty."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def add_runs(
    paragraph: Paragraph, runs: Runs, *, bold: bool = False, italic: bool = False, size: float | None = None
) -> Paragraph:
    for item in runs:
        run_spec = item if isinstance(item, R) else R(item)
        run = paragraph.add_run(run_spec.text)
        run.bold = run_spec.bold or bold or None
        run.italic = run_spec.italic or italic or None
        if run_spec.size or size:
            run.font.size = Pt(run_spec.size or size or BODY_PT)
    return paragraph


def body(
    doc: DocumentObject,
    *runs: str | R,
    bold: bool = False,
    italic: bool = False,
    keep_with_next: bool = False,
) -> Paragraph:
    """A justified body paragraph with first-line indent."""
    paragraph = add_runs(doc.add_paragraph(), runs, bold=bold, italic=italic)
    paragraph.paragraph_format.keep_with_next = keep_with_next or None
    return paragraph


def bullets(doc: DocumentObject, items: str, marker: str = "- ") -> None:
    """One body paragraph per item of the list `items`, each opening with `marker`."""
    tag(doc, f"for muc in {items}")
    body(doc, f"{marker}{{{{ muc }}}}")
    tag(doc, "endfor")


def heading(doc: DocumentObject, text: str) -> Paragraph:
    """`I.`, `1.` headings: bold, kept with the paragraph that follows."""
    return body(doc, text, bold=True, keep_with_next=True)


def tag(container: DocumentObject | _Cell, jinja: str) -> Paragraph:
    """A docxtpl paragraph tag (`{%p … %}`): the whole paragraph is replaced by the tag."""
    return container.add_paragraph(f"{{%p {jinja} %}}")


def centred(
    container: DocumentObject | _Cell,
    *runs: str | R,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    space_before: float = 0,
    space_after: float = 0,
) -> Paragraph:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Cm(0)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    fmt.line_spacing = 1.0
    return add_runs(paragraph, runs, bold=bold, italic=italic, size=size)


def left(
    container: DocumentObject | _Cell,
    *runs: str | R,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
) -> Paragraph:
    paragraph = centred(container, *runs, bold=bold, italic=italic, size=size)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return paragraph


def rule(container: DocumentObject | _Cell, width_cm: float, line_width_cm: float) -> Paragraph:
    """A short solid line, centred: an empty paragraph with a bottom border and side indents."""
    paragraph = centred(container, "", size=2)
    side = Cm((width_cm - line_width_cm) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def borderless_table(doc: DocumentObject, rows: int, widths_cm: tuple[float, ...]) -> list[list[_Cell]]:
    """A fixed-width table without borders, as used for the header and the signature block."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.iterchildren(), widths_cm, strict=True):
        column.set(qn("w:w"), str(Cm(width).twips))
    cells = [list(row.cells) for row in table.rows]
    for row_cells in cells:
        for cell in row_cells:
            cell._tc.remove(cell.paragraphs[0]._p)
    return cells


def _issuing_body(cell: _Cell) -> None:
    """Parent body (if any) over the issuing body, capitals, as derive.agency_lines splits it."""
    tag(cell, "if co_quan.chu_quan")
    centred(cell, "{{ co_quan.chu_quan }}", size=13)
    tag(cell, "endif")
    tag(cell, "for dong in co_quan.ten_dong")
    centred(cell, "{{ dong }}", bold=True, size=13)
    tag(cell, "endfor")


def _number_and_date(number_cell: _Cell, date_cell: _Cell, number_line: str) -> None:
    centred(number_cell, number_line, size=13, space_before=6)
    centred(
        date_cell,
        "{{ ban_hanh.ngay|ngay(co_quan.dia_danh, thang=ban_hanh.thang, nam=ban_hanh.nam) }}",
        italic=True,
        space_before=6,
    )


def state_header(doc: DocumentObject, number_line: str) -> None:
    """Issuing body | Quốc hiệu, Tiêu ngữ; then Số | place and date (ND30 Phụ lục I)."""
    (body_cell, motto_cell), (number_cell, date_cell) = borderless_table(doc, 2, HEADER_COLUMNS_CM)
    _issuing_body(body_cell)
    rule(body_cell, HEADER_COLUMNS_CM[0], HEADER_COLUMNS_CM[0] / 3)
    centred(motto_cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    centred(motto_cell, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    rule(motto_cell, HEADER_COLUMNS_CM[1], 6.2)
    _number_and_date(number_cell, date_cell, number_line)


def title(doc: DocumentObject, type_name: str, subject: str) -> None:
    centred(doc, type_name, bold=True, space_before=18)
    centred(doc, subject, bold=True)
    rule(doc, TEXT_WIDTH_CM, 3.5)
    centred(doc, "", space_after=6)


def closing(doc: DocumentObject) -> None:
    """Nơi nhận (left, punctuation from derive) and the signature block (right)."""
    recipients, signature = borderless_table(doc, 1, (8.0, TEXT_WIDTH_CM - 8.0))[0]
    left(recipients, R("Nơi nhận:", bold=True, italic=True), size=12)
    tag(recipients, "for nhom in noi_nhan")
    tag(recipients, "if nhom.nhom")
    left(recipients, "{{ nhom.nhom }}:", italic=True, size=11)
    tag(recipients, "endif")
    tag(recipients, "for dong in nhom.dong")
    left(recipients, "{{ dong }}", size=11)
    tag(recipients, "endfor")
    tag(recipients, "endfor")
    tag(signature, "for dong in ky.dong")
    centred(signature, "{{ dong }}", bold=True)
    tag(signature, "endfor")
    for _ in range(4):
        centred(signature, "")
    centred(signature, "{{ ky.ho_ten }}", bold=True)


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def grid_table(
    doc: DocumentObject,
    widths_cm: tuple[float, ...],
    rows: list[tuple[str | R, ...]],
    *,
    aligns: str,
    header_rows: int = 1,
    size: float = 12,
) -> list[list[_Cell]]:
    """A bordered table as in a Phụ lục: header rows bold, centred and repeated on every page.

    `aligns` holds one letter per column for the other rows: `l`eft, `c`entre, `r`ight.
    A row of one cell text starting with `{%tr` is a docxtpl row tag (a loop around rows).
    """
    table = doc.add_table(rows=len(rows), cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.iterchildren(), widths_cm, strict=True):
        column.set(qn("w:w"), str(Cm(width).twips))
    placement = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    for index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        if index < header_rows:
            header = OxmlElement("w:tblHeader")
            row._tr.get_or_add_trPr().append(header)
        padded = texts + ("",) * (len(widths_cm) - len(texts))
        for column, (cell, width, text) in enumerate(zip(row.cells, widths_cm, padded, strict=True)):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Cm(0)
            fmt.space_before, fmt.space_after = Pt(2), Pt(2)
            fmt.line_spacing = 1.0
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if index < header_rows else placement[aligns[column]]
            add_runs(paragraph, (text,), bold=index < header_rows, size=size)
    return [list(row.cells) for row in table.rows]


PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"


def party_header(doc: DocumentObject, number_line: str) -> None:
    """Party documents (Hướng dẫn 36-HD/VPTW): party body and `*` | ĐẢNG CỘNG SẢN VIỆT NAM underlined;
    then `Số 75-NQ/ĐU` | place and date."""
    (body_cell, party_cell), (number_cell, date_cell) = borderless_table(doc, 2, HEADER_COLUMNS_CM)
    _issuing_body(body_cell)
    centred(body_cell, "*", size=13)
    for run in centred(party_cell, PARTY_NAME, bold=True, size=15).runs:
        run.underline = True
    _number_and_date(number_cell, date_cell, number_line)


def party_closing(doc: DocumentObject) -> None:
    """`closing`, with the party's `Nơi nhận:` label: plain and underlined instead of bold italic."""
    closing(doc)
    label = doc.tables[-1].rows[0].cells[0].paragraphs[0]
    for run in label.runs:
        run.bold = run.italic = None
        run.underline = True
        run.font.size = Pt(BODY_PT)
