"""Trim python-docx's default package down to what a template uses.

python-docx starts every document from Word's default template: 160 styles and the
latent-style table (styles.xml, 350 KB), the same again with effects for Word 2010
(stylesWithEffects.xml, 440 KB), a numbering part and a bibliography custom XML item.
Every reader of every rendered document parses them. Kept here: the document
defaults, the styles the parts reference (with those they are based on, linked to or
followed by) and the default style of each type, so Word and LibreOffice resolve every
paragraph exactly as before; numbering only when a paragraph or style is numbered.
"""

from __future__ import annotations

import re

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLE_REFERENCE = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')
_STYLE_LINKS = ("basedOn", "link", "next")
_STYLE_USERS = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml")
# Parts nothing in a template refers to, with the relationship that brings each in.
_UNUSED = {
    "word/stylesWithEffects.xml": "stylesWithEffects.xml",
    "customXml/item1.xml": "../customXml/item1.xml",
    "customXml/itemProps1.xml": None,
    "customXml/_rels/item1.xml.rels": None,
}
_NUMBERING = "word/numbering.xml"


def lean(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The package without unused parts and styles, entries in their original order."""
    dropped = {name for name in _UNUSED if name in parts}
    if not any(b"<w:numPr" in parts[name] for name in parts if _STYLE_USERS.fullmatch(name)):
        dropped.add(_NUMBERING)
    styles = _used_styles(
        parts["word/styles.xml"], {name: parts[name] for name in parts if name not in dropped}
    )
    kept = {name: data for name, data in parts.items() if name not in dropped}
    kept["word/styles.xml"] = styles
    if b"<w:numPr" in styles and _NUMBERING in dropped:  # a kept style is numbered after all
        kept[_NUMBERING] = parts[_NUMBERING]
        dropped.discard(_NUMBERING)
    kept["[Content_Types].xml"] = _without_overrides(kept["[Content_Types].xml"], dropped)
    relationships = "word/_rels/document.xml.rels"
    targets = {_UNUSED.get(name) or name.removeprefix("word/") for name in dropped}
    kept[relationships] = _without_relationships(kept[relationships], targets)
    return kept


def _used_styles(styles_xml: bytes, parts: dict[str, bytes]) -> bytes:
    root = etree.fromstring(styles_xml)
    styles = {style.get(f"{_W}styleId"): style for style in root.iter(f"{_W}style")}
    wanted = {
        style_id
        for name, data in parts.items()
        if _STYLE_USERS.fullmatch(name) or name == _NUMBERING
        for style_id in (match.decode() for match in _STYLE_REFERENCE.findall(data))
    }
    wanted |= {style_id for style_id, style in styles.items() if style.get(f"{_W}default") == "1"}
    pending = list(wanted)
    while pending:
        style = styles.get(pending.pop())
        for link in _STYLE_LINKS:
            target = style.find(f"{_W}{link}") if style is not None else None
            if target is not None and (linked := target.get(f"{_W}val")) not in wanted and linked:
                wanted.add(linked)
                pending.append(linked)
    for style_id, style in styles.items():
        if style_id not in wanted:
            root.remove(style)
    latent = root.find(f"{_W}latentStyles")
    if latent is not None:
        root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_overrides(content_types: bytes, dropped: set[str]) -> bytes:
    for name in dropped:
        content_types = re.sub(
            rb'<Override PartName="/' + re.escape(name.encode()) + rb'"[^>]*/>', b"", content_types
        )
    return content_types


def _without_relationships(relationships: bytes, targets: set[str]) -> bytes:
    for target in targets:
        relationships = re.sub(
            rb'<Relationship [^>]*Target="' + re.escape(target.encode()) + rb'"/>', b"", relationships
        )
    return relationships
