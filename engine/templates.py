"""Compile docxtpl-style .docx templates once per process, in an autoescaping sandbox.

Plain docxtpl recompiles its Jinja template on every render (most of a render's
time) and renders with autoescape off, so a `<` or `{{` in user data could break
the XML. Here each part with Jinja markup is preprocessed by docxtpl's own
`patch_xml` and compiled once, keyed by the template's SHA-256; the sandbox
escapes every value and never lets the template reach the file system.
This is the only module that calls docxtpl.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from engine.errors import BaocaoError, FilterError
from engine.wordxml import (
    EXCERPT_CHARS,
    accept_changes,
    excerpt,
    join_split_tags,
    paragraph_text,
    paragraphs,
    unclosed_tag,
)

Filters = Mapping[str, Callable[..., Any]]

# The parts docxtpl renders (body, headers, footers, footnotes) plus the core properties.
_JINJA_PART = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes)\.xml|docProps/core\.xml")
_MARKUP = re.compile(r"\{[{%#]")
_NUMBER = re.compile(r"<!--p(\d+)-->|@@p(\d+)@@")
# A block tag right after an XML tag starts a line of its own; `-` removes that line break when rendering.
_BLOCK_START = re.compile(r">\{%-?")
# The same regions docxtpl's `clean_tags` unescapes: the inside of `{{ … }}` and `{% … %}`.
_INSIDE_TAGS = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})")
# Characters XML 1.0 forbids; \a and \f are left to `resolve_listing` (new paragraph, page break).
_NOT_XML = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# python-docx's own parser settings (docxtpl reads parts through it).
_PART_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
# docxtpl's XML text helpers use no instance state; an instance that never opens a file exposes them.
_DOCXTPL = DocxTemplate(None)


class TemplateError(BaocaoError):
    """A template that cannot compile or render, located by file, part and paragraph.

    A paragraph is named by its number and opening words, `đoạn 52 «Trong 6 tháng đầu năm…»`,
    so it can be found in Word with Ctrl+F.
    """

    def __init__(
        self, template: Path, part: str, problem: str, paragraph: int = 0, excerpt: str = ""
    ) -> None:
        where = f"phần {part}"
        if paragraph:
            where += f", đoạn {paragraph}"
        if excerpt:
            where += f" «{excerpt}»"
        super().__init__(f"mẫu {template}, {where}: {problem}")
        self.where = where
        self.template = template
        self.part = part
        self.paragraph = paragraph
        self.problem = problem


@dataclass(frozen=True, eq=False)
class CompiledPart:
    """One XML part's compiled Jinja template, with the part's bytes to locate its errors.

    `names` are the top-level names the part reads (with the Jinja line of the first use):
    all must be in the context, even those only read in a branch this data does not take.
    `fixes_tables` says whether a render can need docxtpl's table repair (see `changes_tables`).
    """

    name: str
    xml: bytes
    template: jinja2.Template
    names: Mapping[str, int]
    fixes_tables: bool

    def error(self, path: Path, problem: str, line: int) -> TemplateError:
        return locate(path, self.name, self.xml, problem, line)


def locate(
    path: Path, part: str, xml: bytes, problem: str, line: int, *, chars: int = EXCERPT_CHARS
) -> TemplateError:
    """A problem at a Jinja line of a part's preprocessed source, as a paragraph-located error.

    The part is preprocessed again with its paragraphs numbered (a comment at the start
    of each, and a mark inside each `{%p %}`/`{%tr %}`/`{%tc %}` tag, whose paragraph
    preprocessing removes); preprocessing keeps the same lines, so the last number up to
    that line is the paragraph's position in the part as Word shows it, counting
    paragraphs in table cells. The excerpt is that paragraph's text in the template.
    """
    lines = _numbered_lines(path, part, xml)[: max(line, 1)]
    numbers = [int(a or b) for a, b in _NUMBER.findall("\n".join(lines))]
    if not numbers:
        return TemplateError(path, part, problem)
    found = paragraphs(etree.fromstring(xml, _PART_PARSER))[numbers[-1] - 1]
    return TemplateError(path, part, problem, numbers[-1], excerpt(paragraph_text(found), chars))


@functools.lru_cache(maxsize=8)
def _numbered_lines(path: Path, part: str, xml: bytes) -> list[str]:
    return _preprocess(path, part, xml, number_paragraphs=True).split("\n")


def jinja_parts(path: Path, data: bytes) -> list[tuple[str, bytes, str]]:
    """(name, XML bytes, preprocessed Jinja source) of each part holding Jinja markup, in zip order."""
    parts: list[tuple[str, bytes, str]] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if _JINJA_PART.fullmatch(info.filename):
                    content = archive.read(info)
                    source = _preprocess(path, info.filename, content)
                    if _MARKUP.search(source):
                        parts.append((info.filename, content, source))
    except zipfile.BadZipFile as error:
        raise TemplateError(path, "(tệp zip)", f"không phải tệp .docx đọc được: {error}") from error
    return parts


@dataclass(frozen=True, eq=False)
class CompiledTemplate:
    """A template ready to render: its zip entries in order, and the compiled Jinja parts.

    Entries keep only name and bytes: the output zip's metadata is fixed, so nothing
    else from the template's ZipInfo is needed.
    """

    path: Path
    sha256: str
    entries: tuple[tuple[str, bytes], ...]
    parts: Mapping[str, CompiledPart]


def make_environment(filters: Filters) -> SandboxedEnvironment:
    """The Jinja environment every template compiles in.

    Autoescape makes user text literal in the XML; StrictUndefined turns a missing
    value into an error instead of an empty string in an official document. The
    loader is empty, so `{% include %}`/`{% import %}` fail with TemplateNotFound
    rather than reading files. Block trimming stays off, as in docxtpl, whose
    preprocessing relies on Jinja's defaults.
    """
    env = _Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        loader=jinja2.DictLoader({}),
        trim_blocks=False,
        lstrip_blocks=False,
        finalize=_xml_text,
    )
    env.filters.update({name: _refuse_undefined(function) for name, function in filters.items()})
    return env


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(SandboxedEnvironment):
    """`co_quan.ten` on a plain dict without the failed attribute lookup Jinja tries first: most
    of what a template reads is data, and the exception costs more than the value."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class NoneValueError(jinja2.TemplateRuntimeError):
    """A `{{ … }}` printed None: an official document must never read "None" or a silent blank."""


def _xml_text(value: Any) -> Any:
    """Refuse printing None, and text that no escaping can put into XML (e.g. a `"\\v"` in YAML data).

    None means the template prints an optional value without `{% if %}`: a template error,
    located at its paragraph. Bad text is a FilterError so the caller points at the data.
    """
    if value is None:
        raise NoneValueError(
            "in ra giá trị trống (None); bọc câu bằng `{% if … %}` hoặc dùng bộ lọc có giá trị mặc định"
        )
    if isinstance(value, str) and (bad := _NOT_XML.search(value)):
        reason = f"có ký tự điều khiển U+{ord(bad.group()):04X}, không đặt được vào tệp .docx"
        raise FilterError("in ra", value, reason)
    return value


def _refuse_undefined(function: Callable[..., Any]) -> Callable[..., Any]:
    """Raise UndefinedError before a filter sees an undefined argument.

    Otherwise a misspelt name in the template reaches the filter as `Undefined` and
    comes back as a FilterError blaming the data instead of the template.
    """

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, jinja2.Undefined):
                arg._fail_with_undefined_error()
        return function(*args, **kwargs)

    return checked


# Per-process caches. The environment cache holds each filter table, so its id is never reused.
_ENVIRONMENTS: dict[int, tuple[Filters, SandboxedEnvironment]] = {}
_TEMPLATES: dict[tuple[str, int], CompiledTemplate] = {}


def environment(filters: Filters) -> SandboxedEnvironment:
    """The shared environment for a filter table (one per table per process)."""
    if id(filters) not in _ENVIRONMENTS:
        _ENVIRONMENTS[id(filters)] = (filters, make_environment(filters))
    return _ENVIRONMENTS[id(filters)][1]


# Files known unchanged since they were compiled: (path, filter table) → (file signature, template).
_BY_FILE: dict[tuple[Path, int], tuple[tuple[int, ...], CompiledTemplate]] = {}
_SETTLED_NS = 2_000_000_000  # a file changed less than 2 s ago may change again within the same clock tick


def load_template(path: Path, filters: Filters) -> CompiledTemplate:
    """The compiled template, compiling only the first time these bytes are seen with this filter table.

    A file whose size, times and inode are those it had when compiled, and which had not changed
    for 2 s then, is not read again (the check git makes on its index); any other file is read
    and hashed."""
    stat = path.stat()
    signature = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    known = _BY_FILE.get((path, id(filters)))
    if known is not None and known[0] == signature:
        return known[1]
    compiled = _load_template(path, filters)
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > _SETTLED_NS:
        _BY_FILE[path, id(filters)] = signature, compiled
    return compiled


def _load_template(path: Path, filters: Filters) -> CompiledTemplate:
    data = path.read_bytes()
    key = (hashlib.sha256(data).hexdigest(), id(filters))
    compiled = _TEMPLATES.get(key)
    if compiled is None:
        compiled = _TEMPLATES[key] = _compile(path, key[0], data, environment(filters))
    # The same bytes under another name share the compiled parts; errors name the file asked for.
    return compiled if compiled.path == path else replace(compiled, path=path)


def _compile(path: Path, sha256: str, data: bytes, env: SandboxedEnvironment) -> CompiledTemplate:
    parts = {
        name: _compile_part(path, name, content, source, env)
        for name, content, source in jinja_parts(path, data)
    }
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = tuple((info.filename, archive.read(info)) for info in archive.infolist())
    return CompiledTemplate(path, sha256, entries, parts)


def _preprocess(path: Path, part: str, content: bytes, *, number_paragraphs: bool = False) -> str:
    """The part as docxtpl hands it to Jinja: tags Word split joined again, re-serialized,
    patched, each paragraph and each `{% %}` between XML elements on a line of its own."""
    try:
        root = etree.fromstring(content, _PART_PARSER)
    except etree.XMLSyntaxError as error:
        raise TemplateError(path, part, f"XML hỏng: {error}") from error
    accept_changes(root)
    join_split_tags(root, mark_blocks=number_paragraphs)
    if number_paragraphs:
        for number, paragraph in enumerate(paragraphs(root), start=1):
            paragraph.insert(0, etree.Comment(f"p{number}"))
    source = patch_xml(etree.tostring(root, encoding="unicode"))
    return _BLOCK_START.sub(">\n{%-", re.sub(r"<w:p([ >])", r"\n<w:p\1", source))


def _compile_part(
    path: Path, part: str, content: bytes, source: str, env: SandboxedEnvironment
) -> CompiledPart:
    try:
        tree = env.parse(source)
        fixes_tables = changes_tables(content)
        return CompiledPart(part, content, env.from_string(tree), _names_read(tree), fixes_tables)
    except jinja2.TemplateSyntaxError as error:
        raise syntax_error(path, part, content, error) from error


def _names_read(tree: nodes.Template) -> dict[str, int]:
    """Undeclared names (data, not loop variables or `set` names), except those only tested
    with `is defined`, each with the line where it is first read, in template order."""
    guarded = {
        test.node.name
        for test in tree.find_all(nodes.Test)
        if test.name in {"defined", "undefined"} and isinstance(test.node, nodes.Name)
    }
    # Jinja counts a name `set` inside an `if` as undeclared; any name the template assigns is its own.
    assigned = {node.name for node in tree.find_all(nodes.Name) if node.ctx in {"store", "param"}}
    names = meta.find_undeclared_variables(tree) - guarded - assigned
    lines: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in names and node.ctx == "load":
            lines[node.name] = min(lines.get(node.name, node.lineno), node.lineno)
    return dict(sorted(lines.items(), key=lambda item: item[1]))


SYNTAX_EXCERPT_CHARS = 160  # a syntax error shows the paragraph's text, where the bad tag is
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "hết mẫu"}
_SYNTAX_MESSAGES = (
    (r"unexpected end of template, expected '(.+)'\.", "thẻ chưa đóng: thiếu `{0}`"),
    (
        r"Unexpected end of template\. .* The innermost block that needs to be closed is '(.+)'\.",
        "khối `{0}` mở mà không đóng: thiếu thẻ `end{0}`",
    ),
    (
        r"Encountered unknown tag '(.+)'\. .* The innermost block that needs to be closed is '(.+)'\.",
        "thẻ `{0}` không đúng chỗ: khối `{1}` đang mở, cần thẻ `end{1}` trước",
    ),
    (r"Encountered unknown tag '(.+)'\.", "thẻ `{0}` không có, hoặc thừa (không có khối nào mở để đóng)"),
    (r"expected token '(.+)', got '(.+)'", "cần `{0}` nhưng gặp `{1}`"),
    (r"Expected an expression, got '(.+)'", "thẻ thiếu biểu thức (gặp `{0}`)"),
    (r"expected name or number", "sau dấu chấm cần tên trường"),
    (r"unexpected char ['\"](.)['\"] at \d+", "ký tự `{0}` không dùng được trong thẻ (dấu nháy chưa đóng?)"),
    (r"unexpected '(.+)', expected '(.+)'", "gặp `{0}` trong khi cần `{1}`"),
    (r"unexpected '(.+)'", "dấu `{0}` không đúng chỗ (gõ thiếu hoặc thừa một dấu ngoặc?)"),
)


def syntax_error(path: Path, part: str, xml: bytes, error: jinja2.TemplateSyntaxError) -> TemplateError:
    """One located message for a syntax error; a tag left open in its paragraph is said so,
    since Jinja only notices it further on, at some XML character of the part."""
    problem = syntax_problem(error.message or "")
    located = locate(path, part, xml, problem, error.lineno or 0, chars=SYNTAX_EXCERPT_CHARS)
    if located.paragraph:
        text = paragraph_text(paragraphs(etree.fromstring(xml, _PART_PARSER))[located.paragraph - 1])
        if opener := unclosed_tag(text):
            closer = {"{{": "}}", "{%": "%}", "{#": "#}"}[opener]
            located = locate(
                path,
                part,
                xml,
                f"lỗi cú pháp Jinja: thẻ `{opener}` mở mà không đóng trong đoạn này (thiếu `{closer}`)",
                error.lineno or 0,
                chars=SYNTAX_EXCERPT_CHARS,
            )
    return located


def syntax_problem(message: str) -> str:
    """Jinja's English syntax error, said in Vietnamese (the original when no pattern knows it)."""
    for pattern, wording in _SYNTAX_MESSAGES:
        if found := re.fullmatch(pattern, message, re.DOTALL):
            return "lỗi cú pháp Jinja: " + wording.format(*(_TOKENS.get(g, g) for g in found.groups()))
    return f"lỗi cú pháp Jinja: {message}"


def patch_xml(xml: str) -> str:
    """docxtpl's preprocessing (runs merged inside tags, `{%p %}`/`{%tr %}`/`{%tc %}`/`{%r %}`).

    docxtpl unescapes `&lt;`/`&gt;` inside tags but not `&amp;`; with autoescape on,
    a `&` in a template string literal would otherwise print as `&amp;`.
    """
    patched: str = _DOCXTPL.patch_xml(xml)
    return _INSIDE_TAGS.sub(lambda match: match.group(0).replace("&amp;", "&"), patched)


def resolve_listing(xml: str) -> str:
    """docxtpl's post-processing of values: `\\n` → line break, `\\t` → tab,
    `\\a` → new paragraph, `\\f` → page break."""
    resolved: str = _DOCXTPL.resolve_listing(xml)
    return resolved


# docxtpl's row and cell tags; any other block tag in a table outside cell text is raw Jinja in the XML.
_ROW_OR_CELL_TAG = re.compile(r"\{[%{]-?t[rc] ")
_TABLE_TOKEN = re.compile(r"<w:tbl[ >]|</w:tbl>|\{%")
_TEXT_RUN = re.compile(r"<w:t(?: [^>]*)?>[^<]*</w:t>")


def changes_tables(content: bytes) -> bool:
    """Whether docxtpl's table repair can change a render of this part.

    The repair matches each table's grid to its cells. It matters only where the data makes
    rows or cells (`{%tr %}`, `{%tc %}`, or raw Jinja between a table's elements), or where the
    template's own tables need it; otherwise every render's tables have the template's grid and cells.
    """
    root = etree.fromstring(content, _PART_PARSER)
    if root.find(".//{*}tbl") is None:
        return False
    accept_changes(root)
    join_split_tags(root)
    joined = etree.tostring(root, encoding="unicode")
    if _ROW_OR_CELL_TAG.search(joined):
        return True
    depth = 0
    for token in _TABLE_TOKEN.finditer(_TEXT_RUN.sub("", joined)):
        if token.group() == "{%":
            if depth:
                return True
        else:
            depth += -1 if token.group() == "</w:tbl>" else 1
    as_is = etree.fromstring(content, etree.XMLParser(recover=True))  # parsed as the repair parses
    return etree.tostring(fix_tables(content)) != etree.tostring(as_is)


def fix_tables(xml: str | bytes) -> etree._Element:
    """docxtpl's table repair: grid columns matched to the cell count a `{%tc %}` loop produced."""
    root: etree._Element = _DOCXTPL.fix_tables(xml)
    return root
