"""Undo what Word does to template tags, and name paragraphs the way a clerk sees them.

Word splits a `{{ … }}` typed or edited in pieces over several runs, with spelling
marks (`w:proofErr`), bookmarks and revision ids between them, and autocorrects the
quotes typed inside a tag into “smart” ones; people paste non-breaking spaces. Here
each tag is moved whole into the text element where it starts and its quotes and
spaces are made plain, before docxtpl's preprocessing sees the part. Runs left
empty are removed; the tag keeps the formatting of its first piece, as in docxtpl.
A tag can only be joined within one paragraph: one spanning paragraphs stays a
Jinja syntax error. Tracked changes (Track Changes left on while editing the template)
are accepted first: a tag half inside a `w:ins` would otherwise cut the XML apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _RPR = f"{_W}p", f"{_W}r", f"{_W}t", f"{_W}rPr"
# Tracked changes inside paragraphs: insertions and moves in are kept (unwrapped), deletions dropped.
_ACCEPTED = {f"{_W}ins", f"{_W}moveTo"}
_REJECTED = {f"{_W}del", f"{_W}moveFrom"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# Characters Word or a paste puts inside tags, and what Jinja needs instead.
_PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\u202f": " ", "\u2007": " "})
# docxtpl's paragraph, row and cell tags, whose own paragraph disappears in preprocessing.
_BLOCK_TAG = re.compile(r"(\{[%{#](?:p|tr|tc) )")
EXCERPT_CHARS = 60


@dataclass(frozen=True)
class JoinedTag:
    """A tag repaired in paragraph `paragraph` (1-based, in document order, as Word counts them)."""

    paragraph: int
    tag: str  # as it now reads
    pieces: int  # text elements it was spread over
    retyped: bool  # had smart quotes or non-breaking spaces


def paragraphs(root: etree._Element) -> list[etree._Element]:
    """Every paragraph of a part in document order, including those in table cells and text boxes."""
    return list(root.iter(_P))


def texts(paragraph: etree._Element) -> list[etree._Element]:
    """The paragraph's own text elements (not those of a text box nested in it)."""
    return [text for text in paragraph.iter(_T) if next(text.iterancestors(_P)) is paragraph]


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(text.text or "" for text in texts(paragraph))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The opening words of a paragraph, cut at a word boundary: `Trong 6 tháng đầu năm…`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"{cut}…"


def unclosed_tag(text: str) -> str | None:
    """The opening of a tag the paragraph leaves open (`{{`, `{%`, `{#`), if any."""
    opened = re.search(r"\{[{%#]", _TAG.sub("", text))
    return opened.group() if opened else None


def accept_changes(root: etree._Element) -> int:
    """Accept the tracked insertions and deletions of runs in place; return how many there were.

    Revision marks on properties (a paragraph mark, a table row) are left alone.
    """
    changes = [
        element
        for element in root.iter(*_ACCEPTED, *_REJECTED)
        if not str(getattr(element.getparent(), "tag", "Pr")).endswith("Pr")
        and next(element.iterancestors(_P), None) is not None
    ]
    for element in changes:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag in _ACCEPTED:
            index = parent.index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(index + offset, child)
        parent.remove(element)
    return len(changes)


def join_split_tags(root: etree._Element, *, mark_blocks: bool = False) -> list[JoinedTag]:
    """Repair every tag of the part in place; return what was repaired.

    `mark_blocks` writes `@@pN@@` after a `{%p `/`{%tr `/`{%tc ` tag's keyword, so the
    paragraph number survives preprocessing (used only to locate errors, never compiled).
    """
    joined: list[JoinedTag] = []
    for number, paragraph in enumerate(paragraphs(root), start=1):
        elements = texts(paragraph)
        joined += _join(number, elements)
        if mark_blocks:
            for element in elements:
                if element.text and _BLOCK_TAG.search(element.text):
                    element.text = _BLOCK_TAG.sub(rf"\1@@p{number}@@", element.text, count=1)
    return joined


def _join(number: int, elements: list[etree._Element]) -> list[JoinedTag]:
    pieces = [element.text or "" for element in elements]
    owner = [index for index, piece in enumerate(pieces) for _ in piece]
    starts = [len("".join(pieces[:index])) for index in range(len(pieces))]
    whole = "".join(pieces)
    moved: list[list[str]] = [list(piece) for piece in pieces]
    joined: list[JoinedTag] = []
    for match in _TAG.finditer(whole):
        tag = match.group()
        plain = tag.translate(_PLAIN)
        spread = len(set(owner[match.start() : match.end()]))
        if spread == 1 and plain == tag:
            continue
        first = owner[match.start()]
        for position in range(match.start(), match.end()):
            moved[owner[position]][position - starts[owner[position]]] = ""
        moved[first][match.start() - starts[first]] = plain
        joined.append(JoinedTag(number, plain, spread, plain != tag))
    if joined:
        for element, characters in zip(elements, moved, strict=True):
            _set_text(element, "".join(characters))
    return joined


def _set_text(element: etree._Element, text: str) -> None:
    """New text for a text element; a run left with nothing to show is removed."""
    if text:
        element.text = text
        if text != text.strip():
            element.set(_XML_SPACE, "preserve")
        return
    run = element.getparent()
    if run is not None and run.tag == _R and all(child is element or child.tag == _RPR for child in run):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)
            return
    element.text = ""
