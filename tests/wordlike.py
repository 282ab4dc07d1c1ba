"""A template rewritten the way Word saves one after a clerk edited it, for tests.

Every run holding a tag is cut inside each tag (after its first brace, in the middle,
before its last brace); the pieces get `w:lang`/`w:noProof` and revision ids, every
other one is a tracked insertion (`w:ins`), spelling marks (`w:proofErr`) and a
bookmark sit between them, the quotes inside tags become
“smart” ones and their spaces non-breaking. Paragraphs get revision ids too.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
import zipfile

from lxml import etree

from engine.render import deterministic_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_PARTS = re.compile(r"word/(?:document|header\d*|footer\d*)\.xml")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def word_like(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, data in entries.items():
        if _PARTS.fullmatch(name):
            entries[name] = _edited(data)
    return deterministic_zip(entries.items())


def _edited(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for number, paragraph in enumerate(root.iter(f"{_W}p")):
        paragraph.set(f"{_W}rsidR", f"00{number:06X}")
        paragraph.set(f"{_W}rsidRDefault", "00A1B2C3")
        for run in list(paragraph.iter(f"{_W}r")):
            text = run.find(f"{_W}t")
            if text is not None and text.text and _TAG.search(text.text):
                _cut(run, _retyped(text.text))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _retyped(text: str) -> str:
    def smart(tag: re.Match[str]) -> str:
        inner = tag.group().replace(" ", "\u00a0")
        inner = re.sub(r'"([^"]*)"', "“\\1”", inner)
        return re.sub(r"'([^']*)'", "‘\\1’", inner)

    return _TAG.sub(smart, text)


def _cut(run: etree._Element, text: str) -> None:
    cuts = sorted(
        {0, len(text)}
        | {
            position
            for tag in _TAG.finditer(text)
            for position in (tag.start() + 1, (tag.start() + tag.end()) // 2, tag.end() - 1)
        }
    )
    parent = run.getparent()
    assert parent is not None
    index = parent.index(run)
    properties = run.find(f"{_W}rPr")
    pieces: list[etree._Element] = [_mark("bookmarkStart", id="7", name="_GoBack")]
    for number, (start, end) in enumerate(itertools.pairwise(cuts)):
        piece = etree.Element(f"{_W}r", {f"{_W}rsidR": f"00C0FF{number:02X}"})
        piece_properties = copy.deepcopy(properties) if properties is not None else etree.Element(f"{_W}rPr")
        etree.SubElement(piece_properties, f"{_W}noProof")
        etree.SubElement(piece_properties, f"{_W}lang", {f"{_W}val": "en-US"})
        piece.append(piece_properties)
        piece_text = etree.SubElement(piece, f"{_W}t", {_XML_SPACE: "preserve"})
        piece_text.text = text[start:end]
        if number % 2:  # typed with Track Changes on: a tracked insertion
            inserted = _mark("ins", id=str(100 + number), author="Văn thư", date="2024-03-07T08:00:00Z")
            inserted.append(piece)
            piece = inserted
        pieces += [_mark("proofErr", type="spellStart"), piece, _mark("proofErr", type="spellEnd")]
    pieces.append(_mark("bookmarkEnd", id="7"))
    parent.remove(run)
    for offset, element in enumerate(pieces):
        parent.insert(index + offset, element)


def _mark(tag: str, **attributes: str) -> etree._Element:
    return etree.Element(f"{_W}{tag}", {f"{_W}{key}": value for key, value in attributes.items()})
