"""Rules files, `schemas/<kind>.rules.yaml`: the one declarative place for a kind's derived figures.

A rules file is a YAML list; each rule names its type with `kiem_tra` and its figures
by path. The types and how each is computed are in engine/ruletypes.py; README
"Quy tắc đối chiếu số liệu" is the reference for users.

Public API:
- `load_rules(path, display_name=None) -> tuple[Rule, ...]`: read one rules file, in
  dependency order (a rule reading a derived figure runs after the rule deriving it).
  A missing file is `()`. Every problem in the file (YAML syntax, not a list, unknown
  type with a near-miss hint, missing or unknown field, bad path syntax, bad option, a
  derived figure that depends on itself) is raised at once as a `ReportError` located
  in the rules file (`schemas/x.rules.yaml:12:5: lỗi: …`).
- `check_rule_paths(rules, fields, kind) -> tuple[Rule, ...]`: check every path against
  the kind's schema fields (`engine.schema.field_paths`); a target the schema does not
  store is a derived-only name, allowed under a top-level name the schema does not have
  (`so_sanh.ho_ngheo`), and comes back marked `Rule.derived`. Raises `ReportError`.
- `schema_fields(kind, schema_dir)`: the schema's field paths, cached. `engine.pipeline.rules_of`
  reads and checks a kind's rules file with the two functions above, once per state of the file.
- `apply_rules(rules, data) -> RuleResult` (from engine/ruletypes.py).
"""

from __future__ import annotations

import difflib
import graphlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from engine.errors import Issue, ReportError
from engine.load import READ_ERRORS
from engine.paths import SCHEMA_DIR
from engine.ruletypes import (
    RULE_TYPES,
    WILDCARD,
    Pattern,
    Rule,
    RuleResult,
    apply_rules,
    parse_pattern,
)
from engine.schema import FieldPath, field_paths
from engine.vi import capitalize_first
from engine.yamlerrors import syntax_issue

__all__ = [
    "RULE_TYPES",
    "WILDCARD",
    "Pattern",
    "Rule",
    "RuleResult",
    "apply_rules",
    "check_rule_paths",
    "load_rules",
    "parse_pattern",
    "schema_fields",
]

TYPE_KEY = "kiem_tra"
PATH_SYNTAX = re.compile(r"[a-z_][a-z0-9_]*(\[\*\])?(\.[a-z_][a-z0-9_]*(\[\*\])?)*")
PATH_HINT = (
    "đường dẫn là các tên chữ thường nối bằng dấu chấm, `[*]` đi qua từng mục của danh sách,"
    " ví dụ `huyen[*].ho_ngheo`"
)
TYPES_HINT = "các loại quy tắc: " + ", ".join(RULE_TYPES)


def display(path: Path) -> str:
    """A rules file as messages name it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def load_rules(path: Path, display_name: str | None = None) -> tuple[Rule, ...]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ()
    return _load(path, display_name or display(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def schema_fields(kind: str, schema_dir: Path = SCHEMA_DIR) -> Mapping[FieldPath, bool]:
    """`engine.schema.field_paths`, computed once per kind (schemas are read once per process too)."""
    return field_paths(kind, schema_dir)


def _issue(file: str, where: tuple[int, int], message: str, code: str, hint: str = "") -> Issue:
    return Issue(message, code=f"rules.file.{code}", file=file, line=where[0], col=where[1], hint=hint)


def _near(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return f"có phải `{found[0]}`?" if found else ""


@lru_cache(maxsize=64)
def _load(path: Path, file: str, mtime_ns: int, size: int) -> tuple[Rule, ...]:
    del mtime_ns, size  # cache keys: a changed file is read again
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as error:
        message = READ_ERRORS.get(type(error), f"không đọc được tệp quy tắc ({error.strerror})")
        raise ReportError([_issue(file, (0, 0), message, "read")]) from error
    except UnicodeDecodeError as error:
        hint = "mở tệp và lưu lại với mã hóa UTF-8"
        raise ReportError(
            [_issue(file, (0, 0), "tệp quy tắc không phải mã UTF-8", "encoding", hint)]
        ) from error
    try:
        root = YAML(typ="rt", pure=True).load(text)
    except DuplicateKeyError as error:
        raise ReportError([_duplicate_issue(error, file)]) from error
    except MarkedYAMLError as error:
        raise ReportError([syntax_issue(error, text, file)]) from error
    except YAMLError as error:
        raise ReportError([_issue(file, (1, 1), f"lỗi cú pháp YAML: {error}", "syntax")]) from error
    if root is None:
        return ()
    if not isinstance(root, CommentedSeq):
        message = "tệp quy tắc phải là một danh sách quy tắc, mỗi quy tắc bắt đầu bằng `- kiem_tra: …`"
        raise ReportError([_issue(file, _start(root), message, "not_list")])
    issues: list[Issue] = []
    rules: list[Rule] = []
    for index, item in enumerate(root):
        rule = _rule(file, index, item, _pos(root.lc.item(index)), issues)
        if rule is not None:
            rules.append(rule)
    ordered = _in_dependency_order(rules, issues)
    if issues:
        raise ReportError(sorted(issues, key=lambda issue: (issue.line, issue.col)))
    return ordered


def _duplicate_issue(error: DuplicateKeyError, file: str) -> Issue:
    found = re.search(r'duplicate key "(.*?)"', str(error.problem))
    message = f"trường `{found.group(1) if found else ''}` bị lặp lại trong quy tắc này"
    mark = error.problem_mark
    where = _pos((mark.line, mark.column) if mark is not None else None)
    return _issue(file, where, message, "duplicate_key", "giữ một dòng, xóa dòng còn lại")


def _pos(mark: Sequence[int] | None) -> tuple[int, int]:
    """ruamel's 0-based (line, column) → 1-based."""
    return (mark[0] + 1, mark[1] + 1) if mark else (1, 1)


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    return _pos((lc.line, lc.col)) if lc is not None and lc.line is not None else (1, 1)


def _plain(value: Any) -> Any:
    """Round-trip scalars → plain Python values; text in NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", str(value))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, CommentedSeq):
        return [_plain(item) for item in value]
    return value


def _rule(file: str, index: int, item: Any, where: tuple[int, int], issues: list[Issue]) -> Rule | None:
    if not isinstance(item, CommentedMap):
        message = f"quy tắc thứ {index + 1} phải là các dòng `tên: giá trị`, bắt đầu bằng `kiem_tra: …`"
        issues.append(_issue(file, where, message, "not_mapping"))
        return None
    keys = {str(key): _pos(item.lc.key(key)) for key in item}
    values = {str(key): _pos(item.lc.value(key)) for key in item}
    kind = item.get(TYPE_KEY)
    if kind is None:
        message = f"quy tắc thứ {index + 1} thiếu `kiem_tra`, tên loại quy tắc"
        issues.append(_issue(file, where, message, "missing_type", TYPES_HINT))
        return None
    if not isinstance(kind, str) or kind not in RULE_TYPES:
        near = _near(str(kind), RULE_TYPES)
        hint = f"{near} {capitalize_first(TYPES_HINT)}" if near else TYPES_HINT
        message = f"`{kind}` không phải loại quy tắc nào"
        issues.append(_issue(file, values[TYPE_KEY], message, "unknown_type", hint))
        return None
    spec = RULE_TYPES[kind]
    fields = {str(key): _plain(value) for key, value in item.items() if key != TYPE_KEY}
    count = len(issues)
    for name in fields.keys() - set(spec.fields):
        hint = _near(name, spec.fields) or f"quy tắc `{kind}` có các trường: {', '.join(spec.fields)}"
        issues.append(
            _issue(file, keys[name], f"quy tắc `{kind}` không có trường `{name}`", "unknown_field", hint)
        )
    required = [*spec.path_fields, *spec.lists, *(name for name, opt in spec.options.items() if opt.required)]
    for name in required:
        if fields.get(name) is None:
            message = f"quy tắc `{kind}` thiếu trường `{name}`"
            issues.append(_issue(file, keys[TYPE_KEY], message, "missing_field"))
    positions = dict(values)
    for name in spec.path_fields:
        if fields.get(name) is not None:
            _check_path(file, fields[name], values[name], issues)
    for name in spec.lists:
        positions.update(_check_list(file, name, item.get(name), values.get(name, where), issues))
    for name, option in spec.options.items():
        if fields.get(name) is not None and not option.accepts(fields[name]):
            message = f"`{name}` phải là {option.expected}, không phải `{fields[name]}`"
            issues.append(_issue(file, values[name], message, "option"))
    if len(issues) > count:
        return None
    return Rule(kind, fields, file, *where, positions=positions)


def _check_path(file: str, text: Any, where: tuple[int, int], issues: list[Issue]) -> None:
    if not isinstance(text, str) or not PATH_SYNTAX.fullmatch(text):
        issues.append(_issue(file, where, f"`{text}` không phải đường dẫn hợp lệ", "path_syntax", PATH_HINT))


def _check_list(
    file: str, name: str, node: Any, where: tuple[int, int], issues: list[Issue]
) -> dict[str, tuple[int, int]]:
    """A list of paths (fixed numbers allowed): each checked, each item's position kept."""
    if node is None:
        return {}
    if not isinstance(node, CommentedSeq) or not node:
        message = f"`{name}` phải là một danh sách đường dẫn (có thể có số cố định)"
        issues.append(_issue(file, where, message, "not_list"))
        return {}
    positions = {}
    for index, value in enumerate(_plain(node)):
        at = _pos(node.lc.item(index))
        positions[f"{name}[{index}]"] = at
        if not (isinstance(value, int | float) and not isinstance(value, bool)):
            _check_path(file, value, at, issues)
    return positions


# --- dependency order --------------------------------------------------------------


def _needs(read: str, written: str, same_rule: bool) -> bool:
    """Reading `a.b` needs `a.b` and what is derived inside it (`a.b.c`) settled first.

    Within one rule only reading its very target is a cycle (`dem` of a list may fill a figure in it)."""
    if same_rule:
        return read == written
    first, second = parse_pattern(read), parse_pattern(written)
    return second[: len(first)] == first


def _in_dependency_order(rules: list[Rule], issues: list[Issue]) -> tuple[Rule, ...]:
    """File order, except that a rule runs after every rule deriving a figure it reads; cycles reported."""
    needs = {
        index: {
            other
            for other, producer in enumerate(rules)
            if producer.target is not None
            and any(_needs(text, producer.target, other == index) for _, text in rule.inputs())
        }
        for index, rule in enumerate(rules)
    }
    ordered: list[int] = []
    pending = list(range(len(rules)))
    while pending:
        ready = next((index for index in pending if needs[index] <= set(ordered)), None)
        if ready is None:
            break
        ordered.append(ready)
        pending.remove(ready)
    remaining = set(pending)
    while remaining:
        graph = {index: needs[index] & remaining for index in remaining}
        try:
            graphlib.TopologicalSorter(graph).prepare()
        except graphlib.CycleError as error:
            cycle: list[int] = list(error.args[1])
        else:  # only rules waiting on a cycle are left
            break
        issues.append(_cycle_issue([rules[index] for index in cycle]))
        remaining -= set(cycle)
    return tuple(rules[index] for index in ordered)


def _cycle_issue(cycle: list[Rule]) -> Issue:
    """`graphlib` lists a cycle as [a, …, a], each needed by the next: named from its first rule,
    `a ← b ← a` reading "a needs b, which needs a"."""
    first = cycle[0]
    chain = " ← ".join(str(rule.target) for rule in reversed(cycle))
    target_field = str(first.type.target)
    message = f"`{first.target}` phụ thuộc vào chính nó: {chain}"
    hint = "một số tính ra không được dùng, trực tiếp hay qua quy tắc khác, để tính chính nó"
    return _issue(first.file, first.position(target_field), message, "cycle", hint)


# --- paths against the schema ------------------------------------------------------


def _field_path(text: str) -> FieldPath:
    return tuple("[]" if part == WILDCARD else str(part) for part in parse_pattern(text))


def _dotted(path: FieldPath) -> str:
    return ".".join(path).replace(".[]", "[*]")


PATH_CUTOFF = 0.8
DERIVED_HINT = (
    "số chỉ tính ra, không nhập, phải đặt dưới một tên gốc không có trong lược đồ, ví dụ `so_sanh.ho_ngheo`"
)
DERIVED_LIST_HINT = (
    "số chỉ tính ra không đi qua danh sách `[*]`; muốn tính cho từng mục thì thêm trường vào lược đồ"
)


def check_rule_paths(rules: Sequence[Rule], fields: Mapping[FieldPath, bool], kind: str) -> tuple[Rule, ...]:
    """Every path a stored field, or a derived-only name; raise `ReportError` listing all that are not."""
    stored = set(fields)
    known = [_dotted(path) for path in fields]
    issues: list[Issue] = []
    derived: set[str] = set()
    checked: list[Rule] = []
    for rule in rules:
        target = rule.target
        is_derived = target is not None and _field_path(target) not in stored
        if target is not None and is_derived:
            rule_hint = DERIVED_LIST_HINT if WILDCARD in parse_pattern(target) else DERIVED_HINT
            if _field_path(target)[:1] in stored or WILDCARD in parse_pattern(target):
                near = _near(target, known, PATH_CUTOFF)
                hint = f"{near} {capitalize_first(rule_hint)}" if near else rule_hint
                message = f"`{target}` không có trong lược đồ `{kind}`"
                issues.append(_issue(rule.file, rule.position(rule.type.target or ""), message, "path", hint))
            else:
                derived.add(target)
        checked.append(replace(rule, derived=is_derived))
    for rule in checked:
        for where, text in rule.inputs():
            if _field_path(text) not in stored and text not in derived:
                message = f"`{text}` không có trong lược đồ `{kind}`"
                hint = _near(text, known, PATH_CUTOFF)
                issues.append(_issue(rule.file, rule.position(where), message, "path", hint))
    if issues:
        raise ReportError(sorted(issues, key=lambda issue: (issue.file, issue.line, issue.col)))
    return tuple(checked)
