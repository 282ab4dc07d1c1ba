"""Change one value in a data file without touching anything else, then validate before replacing it.

A full ruamel.yaml round-trip dump re-indents sequences and moves comments of hand-written
files, so ruamel's round-trip parser is used only to find the value's exact span; the new
value is spliced in there and every other byte stays as it was (comments, order, quoting,
line endings). Re-parsing the result must give the old data with just that value changed.

libyaml (ruamel's C parser) finds the span and re-parses when `engine.load` would let it read the text
and the text has no anchor (libyaml's nodes do not keep them); ruamel's pure parser otherwise.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from engine.errors import DataPath, Issue, ReportError
from engine.load import libyaml_reads, load_document
from engine.pipeline import check
from engine.render import staged
from engine.schema import near_miss

_PART = re.compile(r"(?:^|\.)([^.\[\]]+)|\[(\d+)\]")
_COMMENT_GAP = re.compile(r"[ \t]+(?=#)")
# Where an anchor `&name` can start (after a space, a flow indicator or `:`); `LĐTB&XH` cannot be one.
_MAYBE_ANCHOR = re.compile(r"(?:^|(?<=[\s\[{,:]))&(?=\S)", re.MULTILINE)
PATH_HINT = "ví dụ `tin_dung.luot_ho` hoặc `noi_nhan[0].ds[1]`"


@dataclass(frozen=True)
class SetResult:
    path: DataPath
    old: str  # as written in the file (shortened to one line), before and after
    new: str
    warnings: list[Issue]


def parse_path(text: str) -> DataPath | None:
    """`noi_nhan[0].ds[1]` → `("noi_nhan", 0, "ds", 1)`; None when `text` is not such a path."""
    parts: list[str | int] = []
    end = 0
    for match in _PART.finditer(text):
        if match.start() != end:
            break
        key, index = match.groups()
        parts.append(unicodedata.normalize("NFC", key.strip()) if key is not None else int(index))
        end = match.end()
    if not parts or end != len(text) or text.startswith(".") or not isinstance(parts[0], str):
        return None
    return tuple(parts)


def set_value(file: Path, path_text: str, value_text: str, *, display_name: str | None = None) -> SetResult:
    """Replace the value at `path_text` with the YAML scalar `value_text` and validate the result.

    `file` is replaced atomically only when the edited data has no errors; otherwise the
    `ReportError` lists them (located in `file`) and `file` keeps every byte.
    """
    display = display_name or str(file)
    path = parse_path(path_text)
    if path is None:
        raise ReportError([_issue(f"đường dẫn `{path_text}` không hợp lệ", display, hint=PATH_HINT)])
    load_document(file, display)  # a file that does not load gets the usual located errors
    raw = file.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    original = raw.removeprefix(bom).decode("utf-8")
    newline = "\r\n" if "\r\n" in original else "\n"
    text = original.replace("\r\n", "\n")
    root, data = _compose(text)
    node = _find(root, path, display)
    value = _parse_value(value_text, display)
    edited, old, new = _splice(text, data, node, path, value=value, typed=value_text.strip(), display=display)
    warnings = _replace_checked(file, bom + edited.replace("\n", newline).encode(), display)
    return SetResult(path, old, new, warnings)


def _issue(
    message: str, display: str, path: DataPath = (), node: Node | None = None, hint: str = ""
) -> Issue:
    line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)
    return Issue(message, path=path, code="set", file=display, line=line, col=col, hint=hint)


def _find(root: Node, path: DataPath, display: str) -> ScalarNode:
    node = root
    for depth, part in enumerate(path):
        here, at = path[:depth], path[: depth + 1]
        if isinstance(part, str):
            if not isinstance(node, MappingNode):
                raise ReportError([_issue("không phải nhóm trường", display, here, node)])
            pairs = {
                unicodedata.normalize("NFC", str(key.value)): value
                for key, value in node.value
                if isinstance(key, ScalarNode)
            }
            if part not in pairs:
                near = near_miss(part, list(pairs))
                hint = f"có phải ý bạn là `{near}`?" if near else "các trường có: " + ", ".join(pairs)
                raise ReportError([_issue("không có trường này trong tệp", display, at, node, hint)])
            node = pairs[part]
        else:
            if not isinstance(node, SequenceNode):
                raise ReportError([_issue("không phải danh sách", display, here, node)])
            if part >= len(node.value):
                message = f"danh sách chỉ có {len(node.value)} mục (đánh số từ 0)"
                raise ReportError([_issue(message, display, here, node)])
            node = node.value[part]
    if not isinstance(node, ScalarNode):
        message = "là nhóm trường hoặc danh sách; `set` chỉ sửa từng giá trị"
        raise ReportError([_issue(message, display, path, node)])
    if node.anchor:
        message = f"giá trị dùng chung qua bí danh `&{node.anchor}`; hãy sửa trực tiếp trong tệp"
        raise ReportError([_issue(message, display, path, node)])
    return node


def _fast(text: str) -> bool:
    """libyaml reads `text` as the pure parser would: `engine.load`'s rule, and no `%YAML` directive
    (only the pure parser follows one)."""
    return "%YAML" not in text and libyaml_reads(text)


class _Yaml12Resolver(VersionedResolver):
    """What ruamel resolves libyaml's scalars with anyway (its C parser passes on no `%YAML` directive),
    without looking the version up again for every scalar."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)


def _libyaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Yaml12Resolver
    return yaml


def _compose(text: str) -> tuple[Node, Any]:
    """The node tree with exact spans (and anchors), and the data it loads as."""
    if not _MAYBE_ANCHOR.search(text) and _fast(text):
        yaml = _libyaml()
        try:
            root = yaml.compose(text)
            return root, yaml.constructor.construct_document(root)
        except YAMLError:
            pass
    return YAML(typ="rt", pure=True).compose(text), _safe_load(text)


def _safe_load(text: str) -> Any:
    if _fast(text):
        try:
            return _libyaml().load(text)
        except YAMLError:
            pass
    return YAML(typ="safe", pure=True).load(text)


def _parse_value(value_text: str, display: str) -> Any:
    try:
        value = _safe_load(value_text)
    except YAMLError as error:
        hint = "đặt giá trị trong ngoặc kép, ví dụ '\"Ghi chú: …\"'"
        raise ReportError([_issue(f"giá trị không đọc được: {error}", display, hint=hint)]) from error
    if isinstance(value, dict | list):
        message = "giá trị phải là một giá trị đơn (số hoặc chữ), không phải danh sách hay nhóm trường"
        raise ReportError([_issue(message, display)])
    return value


def _splice(
    text: str, data: Any, node: ScalarNode, path: DataPath, *, value: Any, typed: str, display: str
) -> tuple[str, str, str]:
    """The edited text, the old value as written and the new one; `data` (what `text` loads as) is
    changed to the expected result.

    The value is written as typed when that reads back as the same value in this place
    (e.g. a `,` is fine in a block but not inside `{…}`), else as a double-quoted string.
    """
    start, end = node.start_mark.index, node.end_mark.index
    span = text[start:end]
    old = span.rstrip()
    tail = span[len(old) :]  # a block scalar's final line breaks
    _assign(data, path, value)
    candidates = [typed] if "\n" not in typed else []
    if isinstance(value, str):
        candidates.append(json.dumps(value, ensure_ascii=False))
    before = " " if start == end and text[start - 1] not in " \t" else ""  # `key:` with no value
    for written in candidates:
        after = text[end:]
        gap = _COMMENT_GAP.match(after) if not tail else None
        if gap is not None:  # keep a trailing comment in its column
            width = max(1, len(gap.group()) - len(before + written) + len(old))
            after = " " * width + after[gap.end() :]
        edited = text[:start] + before + written + tail + after
        try:
            if _safe_load(edited) == data:
                return edited, _brief(old) or "(trống)", written
        except YAMLError:
            continue
    message = f"không ghi được giá trị {typed!r} vào chỗ này"
    raise ReportError([_issue(message, display, path, node, 'thử đặt trong ngoặc kép: "…"')])


def _brief(written: str, width: int = 60) -> str:
    """A block scalar's text on one line, shortened, for the message."""
    line = " ".join(written.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _assign(data: Any, path: DataPath, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _replace_checked(file: Path, content: bytes, display: str) -> list[Issue]:
    """Validate the new content as a file beside `file`, then rename it over `file`."""
    with staged(file, content) as temporary:
        shutil.copymode(file, temporary)
        warnings = check(temporary, display_name=display).warnings
        os.replace(temporary, file)
        return warnings


def splice_values(raw: bytes, changes: list[tuple[DataPath, str]], display: str) -> bytes:
    """`raw` with the value at each path replaced by a YAML scalar, every other byte kept; not validated.

    For callers that edit several values before one validation (the web form's draft).
    """
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    original = raw.removeprefix(bom).decode("utf-8")
    newline = "\r\n" if "\r\n" in original else "\n"
    text = original.replace("\r\n", "\n")
    for path, value_text in changes:
        root, data = _compose(text)
        node = _find(root, path, display)
        value = _parse_value(value_text, display)
        text, _, _ = _splice(text, data, node, path, value=value, typed=value_text.strip(), display=display)
    return bom + text.replace("\n", newline).encode()
