"""A .docx body as plain text, so rendered documents can be reviewed and diffed as golden files.

One line per paragraph, one line per table row (cells joined by ` | `, a cell's
paragraphs by ` / `), and a visible line where a page break falls, so a golden
file shows e.g. that the Phụ lục starts on a new page. Headers and footers are left
out: they hold page numbers, not content.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

PAGE_BREAK = "--- ngắt trang ---"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
# Containers whose content belongs to the body as if unwrapped.
_BLOCK_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"}
# Inside a paragraph: properties (whose w:tabs hold tab stops, not tabs) and text boxes.
_NOT_TEXT = {f"{_W}pPr", f"{_W}rPr", f"{_W}txbxContent"}
_OFF = {"0", "false", "off"}
_PARSER = etree.XMLParser(resolve_entities=False)
_PAGE = "\f"  # marks a page break among a paragraph's text (XML text cannot hold \f)


def docx_text(source: Path | bytes) -> str:
    """The body's text, one line per paragraph or table row, ending with a newline."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        root = etree.fromstring(archive.read("word/document.xml"), _PARSER)
    body = root.find(f"{_W}body")
    return _tidy(_block_lines(body) if body is not None else [])


def _block_lines(container: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in container:
        if child.tag == _P:
            lines.extend(_paragraph_lines(child))
        elif child.tag == _TBL:
            lines.extend(
                " | ".join(_cell_text(cell) for cell in row.iterchildren(_TC))
                for row in child.iterchildren(_TR)
            )
        elif child.tag in _BLOCK_WRAPPERS:
            lines.extend(_block_lines(child))
    return lines


def _cell_text(cell: etree._Element) -> str:
    lines = "\n".join(_block_lines(cell)).split("\n")
    return " / ".join(line.strip() for line in lines if line.strip())


def _paragraph_lines(paragraph: etree._Element) -> list[str]:
    """The paragraph's text, split where page breaks fall; `[""]` for an empty paragraph."""
    lines = [PAGE_BREAK] if _breaks_page_before(paragraph) else []
    for index, segment in enumerate("".join(_pieces(paragraph)).split(_PAGE)):
        if index:
            lines.append(PAGE_BREAK)
        if segment.strip():
            lines.append(segment)
    return lines or [""]


def _breaks_page_before(paragraph: etree._Element) -> bool:
    flag = paragraph.find(f"{_W}pPr/{_W}pageBreakBefore")
    return flag is not None and flag.get(f"{_W}val", "1").lower() not in _OFF


def _pieces(element: etree._Element) -> Iterator[str]:
    """Text, tabs and breaks in document order, through runs, hyperlinks, insertions and fields."""
    for child in element:
        tag = child.tag
        if tag == _T:
            yield child.text or ""
        elif tag == _TAB:
            yield "\t"
        elif tag in (_BR, _CR):
            yield _PAGE if child.get(f"{_W}type") == "page" else "\n"
        elif tag not in _NOT_TEXT:
            yield from _pieces(child)


def _tidy(lines: list[str]) -> str:
    """Trailing whitespace stripped, runs of empty lines collapsed to one, one final newline."""
    kept: list[str] = []
    for line in "\n".join(lines).split("\n"):
        stripped = line.rstrip()
        if stripped or not kept or kept[-1]:
            kept.append(stripped)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n"
