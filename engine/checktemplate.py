"""`baocao check-template`: lint a .docx template before anyone renders with it.

Clerks edit templates in Word, which splits `{{ … }}` across formatting runs,
brings back Calibri and resets margins. This finds, each located by part and
paragraph (number and opening words): Jinja syntax errors, names the kind's data
does not have, schema fields the template never prints, and the ND30 page
layout points a .docx can show (A4, margins, Times New Roman). Tags Word split or
retyped (smart quotes, non-breaking spaces) are repaired when rendering
(engine/wordxml.py) and reported as information only.

Names the template may use are the schema's fields plus whatever the engine
derives; the derived ones are read from the context of the project's samples
of that kind (data/*.yaml), so a new derived figure needs no list here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree

from engine.derive import COMMON_EXAMPLE, common_context
from engine.errors import Issue, ReportError, Severity
from engine.filters import FILTERS
from engine.kinds import DERIVER_INPUTS
from engine.load import load_document
from engine.paths import ROOT
from engine.pipeline import rules_of
from engine.rules import WILDCARD, parse_pattern
from engine.schema import FieldPath, field_paths, kind_of
from engine.templates import TemplateError, environment, jinja_parts, locate, syntax_error
from engine.wordxml import accept_changes, excerpt, join_split_tags, paragraph_text, paragraphs
from engine.workspace import Catalogue, Kind, lookup

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FONT_ATTRIBUTES = ("ascii", "hAnsi", "cs", "eastAsia")
_FONT_PARTS = re.compile(r"word/(?:document|styles|header\d*|footer\d*|footnotes)\.xml")
FONT = "Times New Roman"
DATA_DIR = ROOT / "data"  # samples whose derived context lists the derived names
# ND30 (spec/nd30.md): page in mm, margins (top, bottom, left, right) as allowed ranges in mm.
A4_MM = (210, 297)
MARGINS_MM = {"trên": (20, 25), "dưới": (20, 25), "trái": (30, 35), "phải": (15, 20)}
# Fields the engine reads to build other names (date, signature, recipients), not printed as such.
DERIVE_INPUTS: set[FieldPath] = {
    ("loai",),
    ("ngay_ban_hanh",),
    ("nguoi_ky",),
    ("noi_nhan",),
    ("co_quan", "ten"),
    ("co_quan", "chu_quan"),
}


@dataclass
class _Usage:
    """Data paths a template refers to: `printed` ones use everything below them."""

    referenced: dict[FieldPath, int] = field(default_factory=dict)  # path → first Jinja line
    printed: set[FieldPath] = field(default_factory=set)


def check_template(path: Path, kind: str | None = None, data_dir: Path | None = None) -> list[Issue]:
    """Every problem found in the template: errors, and warnings for schema fields never printed
    (a warning only: a field may feed a derived figure instead, which no template mentions)."""
    file = str(path)
    try:
        data = path.read_bytes()
        parts = jinja_parts(path, data)
    except OSError as error:
        return [Issue(f"không đọc được tệp ({error.strerror})", code="template.read", file=file)]
    except TemplateError as error:
        return [Issue(str(error.problem), code="template.zip", file=file)]
    kind = kind or path.stem
    try:
        kinds = lookup(path)  # the workspace holding the template, or the one named by `--kinds`
        if kind in kinds.kinds:  # a broken rules file: its own errors, not a cascade of unknown names
            rules_of(kinds.kinds[kind], kinds)
    except ReportError as error:
        return error.issues
    issues: list[Issue] = []
    if kind not in kinds.kinds:
        message = f"không có loại văn bản `{kind}` cho mẫu này; bỏ qua phần đối chiếu với lược đồ"
        issues.append(Issue(message, code="template.kind", file=file))
    samples = [data_dir] if data_dir else [DATA_DIR]
    if data_dir is None and kinds.workspace is not None:
        samples.insert(0, kinds.workspace / "data")
    known = _known_paths(kind, samples, kinds) if kind in kinds.kinds else None
    usage = _Usage()
    env = environment(FILTERS)
    syntax_errors = False
    for name, xml, source in parts:
        issues += _joined_tags(path, name, xml)
        try:
            tree = env.parse(source)
            env.compile(tree)
        except jinja2.TemplateSyntaxError as error:
            issues.append(_issue(syntax_error(path, name, xml, error), "template.syntax"))
            syntax_errors = True
            continue
        part_usage = _usage(tree)
        usage.printed |= part_usage.printed
        for used, line in part_usage.referenced.items():
            usage.referenced.setdefault(used, line)
            if known is not None and used not in known:
                problem = f"biến `{_dotted(used)}` không có trong lược đồ `{kind}` và không được tính ra"
                issues.append(_issue(locate(path, name, xml, problem, line), "template.unknown_name"))
    if known is not None and not syntax_errors:  # a part that does not parse uses nothing we can see
        issues += _unused_fields(file, kinds.kinds[kind], usage, kinds)
    issues += _layout(path, data)
    return issues


def _issue(error: TemplateError, code: str) -> Issue:
    return Issue(f"{error.where}: {error.problem}", code=code, file=str(error.template))


def _dotted(path: FieldPath) -> str:
    return ".".join(path).replace(".[]", "[]")


def _known_paths(kind: str, data_dirs: list[Path], kinds: Catalogue) -> set[FieldPath]:
    """Schema fields, the shared ND30 names and the figures the kind's rules derive, and every path
    in the derived context of the kind's valid samples."""
    from engine.pipeline import check  # the full pipeline, only needed here

    fields = field_paths(kind, kinds)
    known = set(fields)
    present = {name: block for name, block in COMMON_EXAMPLE.items() if (name,) in known}
    known |= set(_context_paths(common_context(present), ()))
    for rule in rules_of(kinds.kinds[kind], kinds):
        if rule.target is not None:
            target = _rule_path(rule.target)
            known |= {target[:end] for end in range(1, len(target) + 1)}
    for sample in sorted(sample for data_dir in data_dirs for sample in data_dir.rglob("*.yaml")):
        try:
            if kind_of(load_document(sample), kinds) == kind:
                known |= set(_context_paths(check(sample).derivation.context, ()))
        except ReportError:
            continue
    return known


def _context_paths(value: Any, path: FieldPath) -> Iterator[FieldPath]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _context_paths(child, (*path, str(key)))
    elif isinstance(value, list):
        yield (*path, "[]")
        for item in value:
            yield from _context_paths(item, (*path, "[]"))
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _context_paths(getattr(value, name), (*path, name))


def _usage(tree: nodes.Template) -> _Usage:
    usage = _Usage()
    # Jinja's own names (`loop`, `namespace`, `range`…) are not data; () marks a name not to check.
    _visit(tree, {name: () for name in ("loop", *environment(FILTERS).globals)}, usage)
    return usage


def _visit(node: nodes.Node, aliases: dict[str, FieldPath], usage: _Usage) -> None:
    """Record data paths in template order, resolving names as Jinja scopes them:
    `{% for x in a.b %}` makes x → a.b[] inside the loop, `{% set x = a.b %}` makes x → a.b."""
    if isinstance(node, nodes.For):
        _visit(node.iter, aliases, usage)
        inner = dict(aliases)
        iterated = _chain(_iterated(node.iter), aliases)
        for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else []:
            inner[target.name] = ()
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = (*iterated, "[]") if iterated else ()
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            _visit(child, inner, usage)
        return
    if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
        _visit(node.node, aliases, usage)
        aliases[node.target.name] = _chain(node.node, aliases) or ()
        return
    if isinstance(node, nodes.Output):
        for expression in node.nodes:
            for value in _value_nodes(expression):
                if path := _chain(value, aliases):
                    usage.printed.add(path)
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem) and (path := _chain(node, aliases)):
        usage.referenced.setdefault(path, node.lineno)
        if isinstance(node, nodes.Getitem):
            _visit(node.arg, aliases, usage)
        return
    for child in node.iter_child_nodes():
        _visit(child, aliases, usage)


def _iterated(node: nodes.Node) -> nodes.Node:
    """The data a loop walks: `a.b or []` and `a.b|sort` walk `a.b`."""
    if isinstance(node, nodes.Or):
        return _iterated(node.left)
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _iterated(node.node)
    return node


def _value_nodes(expression: nodes.Node) -> Iterator[nodes.Node]:
    """What a printed expression prints: through filters, not into `if` tests."""
    if isinstance(expression, nodes.Filter) and expression.node is not None:
        yield from _value_nodes(expression.node)
        for arg in expression.args:
            yield from _value_nodes(arg)
    elif isinstance(expression, nodes.CondExpr):
        yield from _value_nodes(expression.expr1)
        if expression.expr2 is not None:
            yield from _value_nodes(expression.expr2)
    else:
        yield expression


def _chain(node: nodes.Node, aliases: dict[str, FieldPath]) -> FieldPath | None:
    """`a.b['c'][0]` → ("a", "b", "c", "[]") with aliases applied; None for anything else."""
    if isinstance(node, nodes.Name):
        return aliases.get(node.name, (node.name,))
    if isinstance(node, nodes.Getattr):
        base = _chain(node.node, aliases)
        return None if base is None or base == () else (*base, node.attr)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = _chain(node.node, aliases)
        step = node.arg.value if isinstance(node.arg.value, str) else "[]"
        return None if base is None or base == () else (*base, step)
    return None


def _rule_inputs(kind: Kind, kinds: Catalogue) -> set[FieldPath]:
    """Fields the kind's consistency rules read or fill: used, even when no sentence prints them."""
    paths: set[FieldPath] = set()
    for rule in rules_of(kind, kinds):
        paths |= {_rule_path(text) for text in rule.paths()}
    return paths


def _rule_path(text: str) -> FieldPath:
    return tuple("[]" if part == WILDCARD else str(part) for part in parse_pattern(text))


def _unused_fields(file: str, kind: Kind, usage: _Usage, kinds: Catalogue) -> list[Issue]:
    rule_inputs = _rule_inputs(kind, kinds)
    derive_inputs = DERIVE_INPUTS | DERIVER_INPUTS.get(kind.name, frozenset())

    def used(leaf: FieldPath) -> bool:
        prefixes = {leaf[:end] for end in range(1, len(leaf) + 1)}
        return (
            leaf in usage.referenced
            or leaf in rule_inputs
            or bool(prefixes & usage.printed)
            or any(prefix in derive_inputs for prefix in prefixes)
        )

    return [
        Issue(
            f"trường `{_dotted(leaf)}` của lược đồ `{kind.name}` không được mẫu dùng ở đâu",
            severity=Severity.WARNING,
            code="template.unused_field",
            hint="thêm câu in trường này vào mẫu, hoặc bỏ trường khỏi lược đồ; "
            "bỏ qua nếu trường chỉ dùng để tính số liệu khác",
            file=file,
        )
        for leaf, is_leaf in field_paths(kind.name, kinds).items()
        if is_leaf and not used(leaf)
    ]


def _joined_tags(path: Path, part: str, xml: bytes) -> list[Issue]:
    """Tracked changes, and tags Word split over several runs or retyped, which rendering repairs:
    information only."""
    issues = []
    root = etree.fromstring(xml)
    if tracked := accept_changes(root):
        message = (
            f"phần {part}: còn {tracked} thay đổi được theo dõi (Track Changes); "
            "khi dựng văn bản coi như đã chấp nhận"
        )
        hint = "trong Word: Xem lại → Chấp nhận tất cả thay đổi"
        issues.append(
            Issue(message, severity=Severity.INFO, code="template.tracked_changes", hint=hint, file=str(path))
        )
    texts = [paragraph_text(paragraph) for paragraph in paragraphs(root)]
    for joined in join_split_tags(root):
        changes = []
        if joined.pieces > 1:
            changes.append(f"bị Word tách thành {joined.pieces} đoạn định dạng (run)")
        if joined.retyped:
            changes.append("có dấu nháy cong hoặc khoảng trắng không ngắt")
        message = (
            f"phần {part}, đoạn {joined.paragraph} «{excerpt(texts[joined.paragraph - 1])}»: "
            f"thẻ `{joined.tag}` {' và '.join(changes)}; đã tự sửa khi dựng văn bản"
        )
        hint = "không cần làm gì; muốn mẫu gọn thì xóa cả thẻ rồi gõ lại một lần"
        issues.append(
            Issue(message, severity=Severity.INFO, code="template.split_tag", hint=hint, file=str(path))
        )
    return issues


def _layout(path: Path, data: bytes) -> list[Issue]:
    """Page size, margins and fonts (spec/nd30.md), read from the .docx itself."""
    from docx import Document

    file = str(path)
    issues = []
    for index, section in enumerate(Document(io.BytesIO(data)).sections, start=1):
        width, height = (
            round(length.mm) if length is not None else 0
            for length in (section.page_width, section.page_height)
        )
        if sorted((width, height)) != list(A4_MM):
            message = f"mục (section) {index}: khổ giấy {width} × {height} mm, không phải A4 (210 × 297 mm)"
            issues.append(Issue(message, code="template.page_size", file=file))
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        for (side, (low, high)), length in zip(MARGINS_MM.items(), margins, strict=True):
            millimetres = round(length.mm) if length is not None else 0
            if not low <= millimetres <= high:
                message = f"mục (section) {index}: lề {side} {millimetres} mm, ND30 quy định {low}–{high} mm"
                issues.append(Issue(message, code="template.margin", file=file))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if _FONT_PARTS.fullmatch(name):
                issues += _fonts(file, name, etree.fromstring(archive.read(name)))
    return issues


def _fonts(file: str, part: str, root: etree._Element) -> list[Issue]:
    fonts: set[str] = set()
    themes: set[str] = set()
    for element in root.iter(f"{_W}rFonts"):
        for attribute, value in element.attrib.items():
            name, text = str(attribute).removeprefix(_W), str(value)
            if name.endswith("Theme"):
                themes.add(text)
            elif name in _FONT_ATTRIBUTES and text != FONT:
                fonts.add(text)
    found = [f"phông {font}" for font in sorted(fonts)]
    if themes:
        found.append(f"phông theo chủ đề ({', '.join(sorted(themes))}), thường là Calibri")
    return [
        Issue(f"phần {part}: dùng {what}; ND30 dùng {FONT}", code="template.font", file=file)
        for what in found
    ]
