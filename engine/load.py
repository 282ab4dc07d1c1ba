"""Load one YAML data file into plain Python data and a map from data paths to source positions.

ruamel.yaml only composes the node tree; values are built here so every rule
that protects hand-typed files lives in one place: YAML 1.2 core scalars only
(dates stay text for the schema to check), no custom tags, bounded alias
expansion, NFC strings, every duplicate key reported. All problems come back
at once, already located, in one `ReportError`.
"""

from __future__ import annotations

import codecs
import functools
import importlib.util
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, StreamMark, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from engine.errors import DataPath, Issue, ReportError, Severity
from engine.yamlerrors import DEPTH_HINT, DEPTH_MESSAGE, syntax_issue

# Limits keep a bad file fast to refuse: ruamel's pure-Python parser needs about 4 s per MB.
MAX_BYTES = 2 * 1024 * 1024
MAX_VALUES = 20_000  # values as written, counted while composing
MAX_NODES = 100_000  # values after alias expansion
MAX_DEPTH = 100
MAX_CONTROL_REPORTS = 20
SHOWN_START = 30  # characters of a long text value shown before the part a comment dropped
# libyaml composes recursively in C and crashes the process on deeply nested input, so it only reads
# text that cannot nest deeper than MAX_DEPTH; the pure parser refuses anything deeper, with its position.
HAVE_LIBYAML = importlib.util.find_spec("_ruamel_yaml") is not None
FIGURE_REFERENCE = re.compile(r"\[\[[^\[\]\n]*\]\]")
COMMENT_AFTER_VALUE = re.compile(r" (#.*)")

Position = tuple[int, int]

# Cc characters except tab and newline (CR is normalised away), Unicode line/paragraph separators,
# and what XML cannot hold: surrogates (from `"\\ud800"` escapes) and the noncharacters U+FFFE/U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
CONTROL_HINT = "thường do dán từ Word/Excel; hãy xóa ký tự này hoặc gõ lại đoạn đó"
CORE_TAG = "tag:yaml.org,2002:"
PLAIN = "tag:baocao,2024:plain"  # what `_PlainResolver` gives plain scalars
ALLOWED_TAGS: dict[type[Node], frozenset[str]] = {
    ScalarNode: frozenset(CORE_TAG + name for name in ("str", "int", "float", "bool", "null")),
    SequenceNode: frozenset({CORE_TAG + "seq"}),
    MappingNode: frozenset({CORE_TAG + "map"}),
}
# YAML 1.2 core schema, in resolution order; anything else is a string.
CORE_SCALARS: list[tuple[re.Pattern[str], Callable[[str], Any]]] = [
    (re.compile(r"~|null|Null|NULL|"), lambda text: None),
    (re.compile(r"true|True|TRUE"), lambda text: True),
    (re.compile(r"false|False|FALSE"), lambda text: False),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0o[0-7]+"), lambda text: int(text[2:], 8)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda text: int(text[2:], 16)),
    (re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"), float),
    (re.compile(r"[-+]?\.(inf|Inf|INF)"), lambda text: float(text.replace(".", ""))),
    (re.compile(r"\.(nan|NaN|NAN)"), lambda text: float("nan")),
]
CORE_FIRST = frozenset("~nNtTfF+-.0123456789")  # what a CORE_SCALARS match can start with
CORE_TYPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),),
    "bool": (bool,),
    "int": (int,),
    "float": (float, int),
}
READ_ERRORS: dict[type[OSError], str] = {
    FileNotFoundError: "không tìm thấy tệp",
    IsADirectoryError: "đây là thư mục, không phải tệp",
    PermissionError: "không có quyền đọc tệp",
}


@dataclass(frozen=True)
class Positions:
    """Where each value and mapping key was written, so any step can point back at the source."""

    values: dict[DataPath, Position] = field(default_factory=dict)
    keys: dict[DataPath, Position] = field(default_factory=dict)
    texts: dict[DataPath, str] = field(default_factory=dict)

    def value(self, path: DataPath) -> Position:
        """The value at `path`, or its nearest existing ancestor (where a missing field belongs)."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def key(self, path: DataPath) -> Position:
        """The key of the mapping entry at `path` (for unknown keys), else `value(path)`."""
        return self.keys.get(path) or self.value(path)

    def text(self, path: DataPath) -> str | None:
        """A number as typed: `300.000` loads as 300.0, but messages should quote what the user wrote."""
        return self.texts.get(path)

    def locate(self, issue: Issue, file: str) -> Issue:
        """Fill file, line and column from the issue's path; a position already set is kept."""
        if issue.line:
            return issue if issue.file else replace(issue, file=file)
        line, col = self.value(issue.path)
        return issue.at(issue.file or file, line, col)


@dataclass(frozen=True)
class LoadedDocument:
    """One data file: the name to print in messages, its plain data, where each value was written, and
    the bytes read (what `build` hashes and keeps as the document's data copy)."""

    file: str
    data: dict[str, Any]
    positions: Positions
    source: bytes
    warnings: list[Issue] = field(default_factory=list)


def load_document(path: Path, display_name: str | None = None) -> LoadedDocument:
    """Read, parse and convert one data file; raise `ReportError` listing every problem found."""
    file = display_name or str(path)
    source = _read_bytes(path, file)
    text = _decode(source, file)
    issues = _control_issues(text, file)
    try:
        root, is_small_tree = _compose(CONTROL.sub(" ", text) if issues else text)
    except _RefusedError as refused:
        raise ReportError([*issues, refused.issue(file)]) from None
    except MarkedYAMLError as error:
        raise ReportError(issues or [syntax_issue(error, text, file)]) from error
    except YAMLError as error:
        unplaced = Issue(f"lỗi cú pháp YAML: {error}", code="yaml.syntax", file=file, line=1, col=1)
        raise ReportError(issues or [unplaced]) from error
    if root is None or (
        isinstance(root, ScalarNode) and root.tag == PLAIN and _core_value(root.value) is None
    ):
        empty = "tệp không có dữ liệu"
        hint = "tệp phải có các dòng `tên_trường: giá trị`, bắt đầu bằng `loai: …`"
        raise ReportError([*issues, Issue(empty, code="yaml.empty", hint=hint, file=file, line=1, col=1)])
    # Control characters in the text are blanked above; only a `\` escape can still make one.
    builder = _Builder(file, text, check_controls="\\" in text)
    if not isinstance(root, MappingNode):
        is_list = isinstance(root, SequenceNode)
        what = "một danh sách" if is_list else "một giá trị đơn"
        hint = "bỏ dấu `-` ở đầu các dòng ngoài cùng" if is_list else ""
        message = f"cấp ngoài cùng của tệp phải là các dòng `tên_trường: giá trị`, không phải {what}"
        raise ReportError([*issues, builder.issue(root, (), message, "yaml.not_mapping", hint)])
    try:
        if not is_small_tree:
            _measure(root, 0, {}, set())
    except _RefusedError as refused:
        raise ReportError([*issues, refused.issue(file)]) from None
    data = builder.value(root, ())
    issues = _ordered(issues + builder.issues)
    warnings = _ordered(builder.warnings)
    if issues or not isinstance(data, dict):
        raise ReportError(_ordered(issues + warnings))
    return LoadedDocument(file, data, builder.positions, source, warnings)


def _read_bytes(path: Path, file: str) -> bytes:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        message = READ_ERRORS.get(type(error), f"không đọc được tệp ({error.strerror})")
        raise ReportError([Issue(message, code="file.read", file=file)]) from error
    if len(raw) > MAX_BYTES:
        # Point at the line where the limit is passed: usually a huge pasted value.
        line = raw.count(b"\n", 0, MAX_BYTES) + 1
        message = f"tệp quá lớn (hơn {MAX_BYTES // 1024 // 1024} MB), vượt giới hạn ở dòng này"
        hint = "tệp dữ liệu thường chỉ vài chục KB; kiểm tra đoạn văn bị dán nhiều lần"
        raise ReportError([Issue(message, code="file.size", hint=hint, file=file, line=line, col=1)])
    return raw


def _decode(raw: bytes, file: str) -> str:
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            message = "tệp được lưu bằng mã UTF-16, không phải UTF-8"
        else:
            message = f"tệp không phải mã UTF-8: không đọc được byte 0x{raw[error.start]:02X}"
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        col = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        hint = "mở tệp và lưu lại với mã hóa UTF-8; Notepad: Lưu thành… → Mã hóa: UTF-8"
        issue = Issue(message, code="file.encoding", hint=hint, file=file, line=line, col=col)
        raise ReportError([issue]) from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _index_position(text: str, index: int) -> Position:
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _control_issues(text: str, file: str) -> list[Issue]:
    """Raw control characters, located exactly (ruamel would stop at the first without a position)."""
    issues: list[Issue] = []
    found = list(CONTROL.finditer(text))
    for match in found[:MAX_CONTROL_REPORTS]:
        line, col = _index_position(text, match.start())
        message = f"ký tự điều khiển U+{ord(match.group()):04X} không được phép"
        issues.append(
            Issue(message, code="yaml.control_char", hint=CONTROL_HINT, file=file, line=line, col=col)
        )
    if len(found) > MAX_CONTROL_REPORTS:
        line, col = _index_position(text, found[MAX_CONTROL_REPORTS].start())
        message = f"còn {len(found) - MAX_CONTROL_REPORTS} ký tự điều khiển khác từ đây trở đi"
        issues.append(Issue(message, code="yaml.control_char", file=file, line=line, col=col))
    return issues


PLAIN_TAG = Tag(suffix=PLAIN)  # one shared instance: a Tag caches its text, a new one per scalar costs 10 %


class _PlainResolver(VersionedResolver):
    """Leaves plain scalars unresolved so `_core_value` applies YAML 1.2 core rules (dates stay text)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # What `VersionedResolver.resolve` gives every node but plain scalars (no path resolvers).
        if kind is ScalarNode:
            return PLAIN_TAG if implicit[0] else self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


# The resolver's tag for each node type: a node carries it (or PLAIN_TAG) unless the file wrote a tag.
IMPLICIT_TAGS: dict[type[Node], Tag] = {
    ScalarNode: _PlainResolver.DEFAULT_SCALAR_TAG,  # a quoted scalar
    SequenceNode: _PlainResolver.DEFAULT_SEQUENCE_TAG,
    MappingNode: _PlainResolver.DEFAULT_MAPPING_TAG,
}
QUOTED_TAG = IMPLICIT_TAGS[ScalarNode]


class _RefusedError(Exception):
    """Input too big or too deep to build, located at the value where a limit was passed."""

    def __init__(self, mark: StreamMark, message: str, code: str, hint: str = "") -> None:
        super().__init__(message)
        self.mark, self.message, self.code, self.hint = mark, message, code, hint

    def issue(self, file: str) -> Issue:
        line, col = self.mark.line + 1, self.mark.column + 1
        return Issue(self.message, code=self.code, hint=self.hint, file=file, line=line, col=col)


class _CountingComposer(Composer):
    """Stops composing after MAX_VALUES written values, before a huge list costs seconds and memory."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.count = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.parser.check_event(AliasEvent):
            self.count += 1
            if self.count > MAX_VALUES:
                message = f"tệp có quá nhiều giá trị (hơn {_thousands(MAX_VALUES)}), dừng đọc ở đây"
                hint = "một văn bản chỉ cần vài nghìn giá trị; hãy tách bảng rất dài ra tệp khác"
                raise _RefusedError(self.parser.peek_event().start_mark, message, "yaml.size", hint)
        return super().compose_node(parent, index)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _compose(text: str) -> tuple[Node | None, bool]:
    """libyaml when installed and safe for this text (most of the load time), else ruamel's pure parser.

    Text libyaml refuses is read again by the pure parser, whose messages `yamlerrors` translates;
    so is text with tabs, which libyaml accepts in places the pure parser (and our cases) refuse.
    Also says whether the nodes form a tree (no alias) within MAX_DEPTH, which `_measure` would pass.
    """
    if libyaml_reads(text):
        composer = _libyaml_composer()(text)
        try:
            node: Node | None = composer.get_single_node()
        except YAMLError:
            pass
        else:
            return node, node is not None and (_few_values(text) or _refuse_too_many_written(node))
        finally:
            composer.dispose()
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _CountingComposer
    yaml.Resolver = _PlainResolver
    yaml.max_depth = MAX_DEPTH
    yaml.composer.warn_double_anchors = False  # YAML allows redefining an anchor
    node = yaml.compose(text)
    return node, False


def libyaml_reads(text: str) -> bool:
    """Whether libyaml may read `text`: installed, and the text has no tab and cannot nest too deep."""
    return HAVE_LIBYAML and "\t" not in text and _nests_within(text, MAX_DEPTH)


@functools.cache
def _libyaml_composer() -> Callable[[str], Any]:
    """libyaml's parser composing with `_PlainResolver`, as `YAML(typ="safe", pure=False).compose`
    does, but made once: YAML() looks for plug-ins and defines a loader class on every call."""
    from _ruamel_yaml import CParser  # type: ignore[import-not-found]  # only when HAVE_LIBYAML

    class LibyamlComposer(CParser, _PlainResolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _PlainResolver.__init__(self, loadumper=self)

    return LibyamlComposer


def _nests_within(text: str, limit: int) -> bool:
    """Whether `text` cannot nest deeper than `limit`: every flow opener, plus the widest block
    indentation, plus 3, is at most `limit`.

    A figure reference `[[tên]]` (engine/kinds/van_ban_figures.py) nests nothing unless it is the
    innermost list of a real flow collection, which the 2 of the 3 cover; references are only
    taken out of the count when the plain count is too high."""
    flow = text.count("[") + text.count("{")
    if flow + 3 > limit:
        text = FIGURE_REFERENCE.sub("", text)
        flow = text.count("[") + text.count("{")
    room = limit - flow - 3  # the widest block indentation allowed
    # `\n` first, not `^` with MULTILINE: the regex engine then skips ahead to each line break.
    return room >= 0 and re.search(f"\n[ \t?:-]{{{room + 1}}}", "\n" + text) is None


# Every node but the root is a collection, key, value or list item that one of these introduces,
# at most three per indicator (`[a: b]`: a mapping, its key and its value for one `:`).
INDICATORS = ":?,-[{"
ALIAS = re.compile(r"\*[^\s,\[\]{}]")  # `*` then an anchor name's first character; `* ` is text


def _few_values(text: str) -> bool:
    """Whether `text`, read by libyaml, is a tree within both limits without walking it: no alias,
    too few indicators for MAX_VALUES nodes, and (`libyaml_reads`) no deeper than MAX_DEPTH."""
    return ALIAS.search(text) is None and 1 + 3 * sum(map(text.count, INDICATORS)) <= MAX_VALUES


def _refuse_too_many_written(root: Node) -> bool:
    """`_CountingComposer`'s limit, applied after libyaml composed the (alias-shared) node graph.

    True when no node is reached twice (no alias) and none is deeper than MAX_DEPTH: a tree within
    both limits, whose alias expansion `_measure` need not check.
    """
    seen: set[int] = set()
    is_small_tree = True
    pending = [(root, 0)]
    while pending:
        node, depth = pending.pop()
        if id(node) in seen:
            is_small_tree = False
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            is_small_tree = False
        if len(seen) > MAX_VALUES:
            message = f"tệp có quá nhiều giá trị (hơn {_thousands(MAX_VALUES)}), dừng đọc ở đây"
            hint = "một văn bản chỉ cần vài nghìn giá trị; hãy tách bảng rất dài ra tệp khác"
            raise _RefusedError(node.start_mark, message, "yaml.size", hint)
        if isinstance(node, SequenceNode):
            pending += [(child, depth + 1) for child in reversed(node.value)]
        elif isinstance(node, MappingNode):
            pending += [(part, depth + 1) for pair in reversed(node.value) for part in reversed(pair)]
    return is_small_tree


def _measure(node: Node, depth: int, memo: dict[int, tuple[int, int]], active: set[int]) -> tuple[int, int]:
    """(values, height) of `node` with aliases expanded; linear in the composed tree, so bombs fail fast."""
    key = id(node)
    size, height = memo.get(key, (0, 0))
    if depth + height > MAX_DEPTH:
        raise _RefusedError(node.start_mark, DEPTH_MESSAGE, "yaml.depth", DEPTH_HINT)
    if key in memo:
        return size, height
    if key in active:
        raise _RefusedError(node.start_mark, "bí danh trỏ vào chính giá trị chứa nó", "yaml.alias_cycle")
    active.add(key)
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = node.value
    elif isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    size, height = 1, 0
    for child in children:
        child_size, child_height = _measure(child, depth + 1, memo, active)
        size, height = size + child_size, max(height, child_height + 1)
        if size > MAX_NODES:
            message = f"quá nhiều giá trị sau khi mở rộng bí danh (hơn {_thousands(MAX_NODES)})"
            hint = "tệp có thể bị hỏng; hãy bớt dùng `*bí_danh`"
            raise _RefusedError(node.start_mark, message, "yaml.alias_limit", hint)
    active.discard(key)
    memo[key] = size, height
    return size, height


def _core_value(text: str) -> Any:
    if text and text[0] not in CORE_FIRST:  # most text: no core pattern can match
        return text
    if text.isdigit() and text.isascii():  # most figures: `[0-9]+`, the int pattern without a sign
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            return text
    for pattern, convert in CORE_SCALARS:
        if pattern.fullmatch(text):
            try:
                return convert(text)
            except ValueError:  # an integer longer than Python converts: leave it as text
                return text
    return text


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(CORE_TAG) if tag.startswith(CORE_TAG) else tag


def _is_plain(node: Node) -> bool:
    """`node.tag == PLAIN`, mostly by identity: the `tag` property builds a new string on every call."""
    return node.ctag is PLAIN_TAG or node.tag == PLAIN


def _is_merge_key(node: Node) -> bool:
    return node.value == "<<" and isinstance(node, ScalarNode) and _is_plain(node)


def _ordered(issues: list[Issue]) -> list[Issue]:
    """In file order, each position once: an aliased value is built (and checked) once per use."""
    unique = {(issue.line, issue.col, issue.message): issue for issue in reversed(issues)}
    return sorted(unique.values(), key=lambda issue: (issue.line, issue.col))


class _Builder:
    """Turns composed nodes into plain values, recording positions and collecting issues."""

    def __init__(self, file: str, text: str, check_controls: bool = True) -> None:
        self.file = file
        self.lines = text.split("\n")
        self.has_hash = "#" in text  # else no value can be cut short by a comment
        self.check_controls = check_controls
        self.issues: list[Issue] = []
        self.warnings: list[Issue] = []
        self.positions = Positions()

    def issue(self, node: Node, path: DataPath, message: str, code: str, hint: str = "") -> Issue:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        return Issue(message, path=path, code=code, hint=hint, file=self.file, line=line, col=col)

    def value(self, node: Node, path: DataPath) -> Any:
        mark = node.start_mark
        self.positions.values[path] = mark.line + 1, mark.column + 1
        if not self._tag_allowed(node, path):
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _tag_allowed(self, node: Node, path: DataPath) -> bool:
        if node.ctag is PLAIN_TAG or node.ctag is IMPLICIT_TAGS[type(node)]:
            return True
        tag = str(node.tag)
        if tag == PLAIN or tag in ALLOWED_TAGS[type(node)]:
            return True
        hint = "tệp dữ liệu chỉ chứa chữ, số, danh sách và các trường; hãy xóa phần bắt đầu bằng `!`"
        message = f"thẻ `{_short_tag(tag)}` không được phép"
        self.issues.append(self.issue(node, path, message, "yaml.tag", hint))
        return False

    def _scalar(self, node: Node, path: DataPath) -> Any:
        text = unicodedata.normalize("NFC", node.value)
        if node.ctag is QUOTED_TAG:
            self._check_text(text, node, path)
            return text
        plain = _is_plain(node)
        tag = "" if plain else str(node.tag).removeprefix(CORE_TAG)
        if not plain and tag == "str":
            value: Any = text
        else:
            value = _core_value(text)
            expected = CORE_TYPES.get(tag)
            if expected and (not isinstance(value, expected) or (tag != "bool" and isinstance(value, bool))):
                message = f'giá trị "{text}" không đúng với thẻ `!!{tag}`'
                self.issues.append(self.issue(node, path, message, "yaml.tag"))
                return None
            value = float(value) if tag == "float" else value
        if isinstance(value, str):
            self._check_text(value, node, path)
            if plain and self.has_hash:
                self._check_comment(value, node, path)
        elif value is not None and not isinstance(value, bool):
            self.positions.texts[path] = text
        return value

    def _check_text(self, text: str, node: Node, path: DataPath) -> None:
        found = self.check_controls and CONTROL.search(text)
        if found:
            message = f"có ký tự điều khiển U+{ord(found.group()):04X} trong chuỗi"
            self.issues.append(self.issue(node, path, message, "yaml.control_char", CONTROL_HINT))

    def _check_comment(self, text: str, node: Node, path: DataPath) -> None:
        """`ghi_chu: Hỗ trợ hộ #5 thôn Đông` keeps only `Hỗ trợ hộ`: YAML reads ` #` as a comment.

        One space before `#` right after a text value is how prose is typed; a comment meant as one
        is set apart by two spaces (as in the sample files), so that stays silent.
        """
        end = node.end_mark
        line = self.lines[end.line] if end.line < len(self.lines) else ""
        found = COMMENT_AFTER_VALUE.match(line, end.column)
        if not found:
            return
        dropped = found.group(1).rstrip()
        shown = text if len(text) <= SHOWN_START else "… " + text[-SHOWN_START:].split(" ", 1)[-1]
        sentence = f"{shown} {dropped}"
        message = f'phần "{dropped}" bị bỏ qua: YAML coi dấu cách và `#` là đầu chú thích'
        hint = (
            f'nếu đó là một phần của câu, đặt cả câu trong ngoặc kép: "{sentence}"; '
            "nếu là chú thích, để hai dấu cách trước `#`"
        )
        line_number, col = end.line + 1, end.column + 2
        warning = Issue(message, path=path, severity=Severity.WARNING, code="yaml.comment", hint=hint)
        self.warnings.append(warning.at(self.file, line_number, col))

    def _key(self, node: Node, path: DataPath) -> str | None:
        if not isinstance(node, ScalarNode):
            message = "tên trường phải là chữ đơn giản, không phải danh sách hay nhóm trường"
            self.issues.append(self.issue(node, path, message, "yaml.key"))
            return None
        if not self._tag_allowed(node, path):
            return None
        key = unicodedata.normalize("NFC", node.value)
        self._check_text(key, node, path)
        return key

    def _mapping(self, node: MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges = [value for key, value in node.value if key.value == "<<" and _is_merge_key(key)]
        for source in reversed(self._merge_sources(merges, path)):  # earlier sources win
            result.update(self._mapping(source, path))
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = None if merges and _is_merge_key(key_node) else self._key(key_node, path)
            if key is None:
                continue
            if key in first_lines:
                message = f"trường bị lặp lại, đã có ở dòng {first_lines[key]}"
                hint = "giữ một dòng, xóa dòng còn lại"
                self.issues.append(self.issue(key_node, (*path, key), message, "yaml.duplicate_key", hint))
                continue
            mark = key_node.start_mark
            first_lines[key] = mark.line + 1
            child = (*path, key)
            self.positions.keys[child] = key_position = mark.line + 1, mark.column + 1
            result[key] = self.value(value_node, child)
            if not value_node.value and isinstance(value_node, ScalarNode) and _is_plain(value_node):
                self.positions.values[child] = key_position  # ruamel marks `key:` + nothing on the next line
        return result

    def _merge_sources(self, merges: list[Node], path: DataPath) -> list[MappingNode]:
        sources: list[MappingNode] = []
        for merge in merges:
            items = merge.value if isinstance(merge, SequenceNode) else [merge]
            for item in items:
                if not isinstance(item, MappingNode):
                    message = "`<<` phải trỏ tới một nhóm trường, ví dụ `<<: *chung`"
                    self.issues.append(self.issue(item, path, message, "yaml.merge"))
                elif self._tag_allowed(item, path):
                    sources.append(item)
        return sources
