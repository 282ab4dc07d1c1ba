"""A rendered .docx as HTML that looks like the printed page: page size and margins, the header table,
alignment, indents, spacing, bold / italic / underline, font sizes, Times New Roman.

Reads the WordprocessingML the engine wrote (body, docDefaults); all text is escaped.
"""

from __future__ import annotations

import io
import zipfile
from html import escape

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False)
_OFF = {"0", "false", "off"}
_ALIGN = {"center": "center", "right": "right", "end": "right", "both": "justify", "distribute": "justify"}
TWIPS_PER_PT = 20


def _attr(element: etree._Element | None, name: str) -> str | None:
    return None if element is None else element.get(f"{_W}{name}")


def _on(properties: etree._Element | None, tag: str) -> bool:
    if properties is None:
        return False
    element = properties.find(f"{_W}{tag}")
    return element is not None and _attr(element, "val") not in _OFF


def _pt(twips: str | None) -> str:
    return f"{int(twips or 0) / TWIPS_PER_PT:g}pt"


def docx_html(docx: bytes) -> str:
    """The body as one `<div class="trang">` of HTML."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"), _PARSER).find(f"{_W}body")
        styles = archive.read("word/styles.xml") if "word/styles.xml" in archive.namelist() else b""
    size, base = "14pt", []
    if styles:
        root = etree.fromstring(styles, _PARSER)
        default = root.find(f".//{_W}docDefaults//{_W}rPr/{_W}sz")
        if default is not None:
            size = f"{int(_attr(default, 'val') or 28) / 2:g}pt"
        normal = root.find(f"{_W}style[@{_W}type='paragraph'][@{_W}default='1']/{_W}pPr")
        base = _paragraph_style(normal)
    page = "width:210mm;padding:20mm 15mm 20mm 30mm;"
    section = body.find(f"{_W}sectPr") if body is not None else None
    if section is not None:
        sz, margin = section.find(f"{_W}pgSz"), section.find(f"{_W}pgMar")
        if sz is not None:
            page = f"width:{_pt(_attr(sz, 'w'))};"
        if margin is not None:
            sides = [_pt(_attr(margin, side)) for side in ("top", "right", "bottom", "left")]
            page += "padding:" + " ".join(sides) + ";"
    inner = "".join(_blocks(body, base)) if body is not None else ""
    return f'<div class="trang" style="{page}font-size:{size}">{inner}</div>'


def _blocks(container: etree._Element, base: list[str]) -> list[str]:
    """`base`: the default paragraph style's CSS, which each paragraph's own properties override."""
    parts: list[str] = []
    for child in container:
        if child.tag == f"{_W}p":
            parts.append(_paragraph(child, base))
        elif child.tag == f"{_W}tbl":
            parts.append(_table(child, base))
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            parts += _blocks(child, base)
    return parts


def _paragraph(paragraph: etree._Element, base: list[str]) -> str:
    properties = paragraph.find(f"{_W}pPr")
    style = ["margin:0", *base, *_paragraph_style(properties)]
    classes = ["ngat-trang"] if _on(properties, "pageBreakBefore") else []
    runs = "".join(_runs(paragraph)) or "&#8203;"
    css_class = f' class="{" ".join(classes)}"' if classes else ""
    return f'<p{css_class} style="{";".join(style)}">{runs}</p>'


def _paragraph_style(properties: etree._Element | None) -> list[str]:
    style: list[str] = []
    if properties is not None:
        align = _attr(properties.find(f"{_W}jc"), "val")
        if align in _ALIGN:
            style.append(f"text-align:{_ALIGN[align]}")
        indent = properties.find(f"{_W}ind")
        if indent is not None:
            for side, css in (
                ("firstLine", "text-indent"),
                ("left", "margin-left"),
                ("right", "margin-right"),
            ):
                if _attr(indent, side):
                    style.append(f"{css}:{_pt(_attr(indent, side))}")
            if _attr(indent, "hanging"):
                style.append(f"text-indent:-{_pt(_attr(indent, 'hanging'))}")
        spacing = properties.find(f"{_W}spacing")
        if spacing is not None:
            style.append(
                f"margin-top:{_pt(_attr(spacing, 'before'))};margin-bottom:{_pt(_attr(spacing, 'after'))}"
            )
            line, rule = _attr(spacing, "line"), _attr(spacing, "lineRule")
            if line and rule in (None, "auto"):
                style.append(f"line-height:{int(line) / 240:.2f}")
        bottom = properties.find(f"{_W}pBdr/{_W}bottom")
        if bottom is not None and _attr(bottom, "val") not in ("nil", "none"):
            style.append("border-bottom:1px solid #000")
    return style


def _runs(paragraph: etree._Element) -> list[str]:
    parts: list[str] = []
    for run in paragraph.iter(f"{_W}r"):
        properties = run.find(f"{_W}rPr")
        text = ""
        for piece in run:
            if piece.tag == f"{_W}t":
                text += escape(piece.text or "")
            elif piece.tag == f"{_W}tab":
                text += "&emsp;"
            elif piece.tag in (f"{_W}br", f"{_W}cr"):
                text += "<br>"
        if not text:
            continue
        style = []
        if _on(properties, "b"):
            style.append("font-weight:bold")
        if _on(properties, "i"):
            style.append("font-style:italic")
        underline = properties.find(f"{_W}u") if properties is not None else None
        if underline is not None and _attr(underline, "val") not in ("none", *_OFF):
            style.append("text-decoration:underline")
        if _on(properties, "caps"):
            style.append("text-transform:uppercase")
        size = _attr(properties.find(f"{_W}sz") if properties is not None else None, "val")
        if size:
            style.append(f"font-size:{int(size) / 2:g}pt")
        parts.append(f'<span style="{";".join(style)}">{text}</span>' if style else text)
    return parts


def _table(table: etree._Element, base: list[str]) -> str:
    rows = []
    for row in table.iter(f"{_W}tr"):
        if row.getparent() is not table:
            continue
        cells = []
        for cell in row.findall(f"{_W}tc"):
            properties = cell.find(f"{_W}tcPr")
            span = _attr(properties.find(f"{_W}gridSpan") if properties is not None else None, "val")
            width = _attr(properties.find(f"{_W}tcW") if properties is not None else None, "w")
            merge = properties.find(f"{_W}vMerge") if properties is not None else None
            if merge is not None and _attr(merge, "val") != "restart":
                continue  # a continued vertical merge shows nothing of its own
            attributes = f' colspan="{int(span)}"' if span else ""
            if width and width.isdigit():
                attributes += f' style="width:{_pt(width)}"'
            cells.append(f"<td{attributes}>{''.join(_blocks(cell, base))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    bordered = table.find(f".//{_W}tblBorders/{_W}top")
    visible = bordered is not None and _attr(bordered, "val") not in ("nil", "none")
    return f'<table class="{"bang-vien" if visible else "bang"}">{"".join(rows)}</table>'
