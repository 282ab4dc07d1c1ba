"""Kind lookup: which schema, rules and template files make up each document kind a data file sees.

A **workspace** is a folder laid out like the project that holds a `schemas/` folder or a
`templates/docx/` folder. A data file sees the kinds of the nearest workspace enclosing it
(found by walking up from its folder, as git finds a repository) on top of the built-in
kinds; `--kinds DIR` names the workspace instead. A workspace kind is three files:
`schemas/<loai>.schema.json`, `schemas/<loai>.rules.yaml` (optional) and
`templates/docx/<loai>.docx`; for a built-in kind, a workspace may provide any of the three
and the rest comes from the built-in kind. A workspace schema `$ref`s the built-in shared
blocks by file name (`chung.schema.json#/$defs/co_quan`) unless it provides its own.
The project checkout is the built-in "workspace" itself, never a user one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from engine.errors import DataPath, Issue, ReportError
from engine.load import load_document
from engine.paths import SCHEMA_DIR, TEMPLATE_DIR

SCHEMA_SUFFIX = ".schema.json"
RULES_SUFFIX = ".rules.yaml"
WORKSPACE_SCHEMAS = Path("schemas")
WORKSPACE_TEMPLATES = Path("templates") / "docx"
BUILT_IN, IN_WORKSPACE = "có sẵn", "kho mẫu"
KIND_NAME = re.compile(r"[a-z][a-z0-9_]*")
LOAI_CONST: DataPath = ("properties", "loai", "const")

_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)
# Set for a command: `(root,)` makes every lookup use that workspace (None: the built-in kinds only).
_fixed: ContextVar[tuple[Path | None] | None] = ContextVar("baocao_kinds_dir", default=None)


@dataclass(frozen=True)
class Kind:
    """One document kind as resolved for a workspace: its three files and where each came from."""

    name: str
    schema: Path
    rules: Path  # may not exist: a kind without rules
    template: Path  # may not exist for a workspace kind still being written
    workspace: Path | None = None

    def origin(self, file: Path) -> str:
        """Whether one of the kind's files is built-in or comes from the workspace."""
        if self.workspace is not None and file.is_relative_to(self.workspace):
            return IN_WORKSPACE
        return BUILT_IN

    def inputs(self) -> tuple[Path, ...]:
        """Every file whose presence or content changes this kind's output, existing or not:
        creating a workspace override must make `build` render again."""
        names = (f"{self.name}{SCHEMA_SUFFIX}", f"{self.name}{RULES_SUFFIX}", f"chung{SCHEMA_SUFFIX}")
        files = [self.template, self.schema, SCHEMA_DIR / names[2], self.rules]
        if self.workspace is not None:
            schemas = self.workspace / WORKSPACE_SCHEMAS
            files += [schemas / name for name in names]
            files += sorted(schemas.glob(f"*{SCHEMA_SUFFIX}"))  # shared blocks its schema may `$ref`
            files.append(self.workspace / WORKSPACE_TEMPLATES / f"{self.name}.docx")
        return tuple(dict.fromkeys(files))


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The kinds one workspace sees (the built-in ones when `workspace` is None), per state of its files."""

    workspace: Path | None
    schemas: dict[str, dict[str, Any]]  # every schema file by name, the workspace's over the built-in
    kinds: dict[str, Kind]

    def names(self) -> list[str]:
        return sorted(self.kinds)


def is_workspace(folder: Path) -> bool:
    return (folder / WORKSPACE_SCHEMAS).is_dir() or (folder / WORKSPACE_TEMPLATES).is_dir()


def find_workspace(start: Path) -> Path | None:
    """The nearest folder at or above `start` that is a workspace; None inside the project checkout."""
    builtin = _checkout()
    start = start.resolve()
    for folder in chain((start,), start.parents):  # lazily: the search mostly stops near `start`
        if folder == builtin:
            return None
        if is_workspace(folder):
            return folder
    return None


@cache
def _checkout() -> Path:
    return SCHEMA_DIR.parent.resolve()


@contextmanager
def using(kinds_dir: Path | None) -> Iterator[None]:
    """Within the block, every lookup uses `kinds_dir` (`--kinds DIR`) when it is given."""
    with _fixing((kinds_dir.resolve(),) if kinds_dir is not None else _fixed.get()):
        yield


@contextmanager
def seen_as(root: Path | None) -> Iterator[None]:
    """Within the block, every lookup uses the workspace `root` (None: the built-in kinds only):
    a batch finds each folder's workspace once instead of once per file."""
    with _fixing((root,)):
        yield


@contextmanager
def seen_from(near: Path) -> Iterator[None]:
    """Within the block, every lookup sees the kinds `near` sees (a copy of a data file kept
    elsewhere, as `build` keeps them, is read with its original's kinds)."""
    fixed = _fixed.get() or (_root_near(near),)
    with _fixing(fixed):
        yield


@contextmanager
def _fixing(fixed: tuple[Path | None] | None) -> Iterator[None]:
    token = _fixed.set(fixed)
    try:
        yield
    finally:
        _fixed.reset(token)


def explicit() -> Path | None:
    """The workspace named by `--kinds` for the running command, if any."""
    fixed = _fixed.get()
    return fixed[0] if fixed else None


def lookup(near: Path | None = None) -> Catalogue:
    """The kinds seen from the file or folder `near` (the current folder when None), or those of
    the `--kinds` workspace; a located `ReportError` when a workspace file is broken."""
    fixed = _fixed.get()
    return catalogue(fixed[0] if fixed else _root_near(near))


def _root_near(near: Path | None) -> Path | None:
    return find_workspace(Path() if near is None else near if near.is_dir() else near.parent)


def catalogue(root: Path | None) -> Catalogue:
    """Read once per state of the workspace's files, so a long-running process sees edits."""
    return _catalogue(root, _signature(root))


def _signature(root: Path | None) -> tuple[tuple[str, int, int], ...]:
    if root is None:
        return ()
    files = [
        path for folder in (WORKSPACE_SCHEMAS, WORKSPACE_TEMPLATES) for path in (root / folder).glob("*")
    ]
    stats = [(str(path), path.lstat()) for path in sorted(files)]
    return tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)


@lru_cache(maxsize=32)
def _catalogue(root: Path | None, signature: tuple[tuple[str, int, int], ...]) -> Catalogue:
    schemas, paths = _builtin_schemas()
    issues: list[Issue] = []
    if root is not None:
        for path in sorted((root / WORKSPACE_SCHEMAS).glob(f"*{SCHEMA_SUFFIX}")):
            issues += _outside(root, path)
            schema, found = _read_schema(path)
            issues += found
            if schema is not None:
                schemas[path.name], paths[path.name] = schema, path
    if root is not None:
        named = _name_issues(root, schemas, paths)
        issues += named
        for issue in named:  # a misnamed kind is left out, so no further message follows from it
            del schemas[Path(issue.file).name]
    kinds = {name: _kind(name, paths, root) for name in _kind_names(schemas)}
    if root is not None:
        issues += [issue for kind in kinds.values() for issue in _kind_file_issues(root, kind)]
    if issues:
        raise ReportError(issues)
    return Catalogue(root, schemas, kinds)


@cache
def _builtin_loaded() -> tuple[tuple[str, dict[str, Any], Path], ...]:
    return tuple(
        (path.name, json.loads(path.read_text(encoding="utf-8")), path)
        for path in sorted(SCHEMA_DIR.glob(f"*{SCHEMA_SUFFIX}"))
    )


def _builtin_schemas() -> tuple[dict[str, dict[str, Any]], dict[str, Path]]:
    loaded = _builtin_loaded()
    return {name: schema for name, schema, _ in loaded}, {name: path for name, _, path in loaded}


def _kind_names(schemas: dict[str, dict[str, Any]]) -> list[str]:
    """A kind is a schema file whose top level declares `loai`; others hold shared `$defs`."""
    return [
        name.removesuffix(SCHEMA_SUFFIX)
        for name, schema in schemas.items()
        if isinstance(schema.get("properties"), dict) and "loai" in schema["properties"]
    ]


def _kind(name: str, schema_paths: dict[str, Path], root: Path | None) -> Kind:
    """The workspace's rules and template when it has them, else the built-in kind's."""

    def pick(folder: Path, file: str, builtin: Path) -> Path:
        mine = None if root is None else root / folder / file
        return mine if mine is not None and mine.exists() else builtin / file

    rules = pick(WORKSPACE_SCHEMAS, f"{name}{RULES_SUFFIX}", SCHEMA_DIR)
    template = pick(WORKSPACE_TEMPLATES, f"{name}.docx", TEMPLATE_DIR)
    return Kind(name, schema_paths[name + SCHEMA_SUFFIX], rules, template, root)


def _read_schema(path: Path) -> tuple[dict[str, Any] | None, list[Issue]]:
    """A workspace schema, checked as JSON and against the JSON Schema meta-schema."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Issue(f"không đọc được lược đồ: {error}", code="workspace.read", file=file)]
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"lược đồ không phải JSON hợp lệ: {_json_reason(error.msg)}"
        hint = "kiểm tra dấu phẩy, ngoặc và ngoặc kép quanh mỗi tên, mỗi chuỗi"
        issue = Issue(message, code="workspace.json", hint=hint).at(file, error.lineno, error.colno)
        return None, [issue]
    if not isinstance(schema, dict):
        return None, [
            Issue("lược đồ phải là một đối tượng JSON `{…}`", code="workspace.schema").at(file, 1, 1)
        ]
    issues = [
        Issue(f"không phải JSON Schema hợp lệ: {_meta_reason(error)}", path=tuple(error.absolute_path))
        for error in _META.iter_errors(schema)
    ]
    located = [_in_json(path, replace(issue, code="workspace.meta_schema")) for issue in issues]
    return (None if located else schema), sorted(located, key=lambda issue: (issue.line, issue.col))


_JSON_REASONS = {
    "Expecting ',' delimiter": "thiếu dấu phẩy",
    "Expecting ':' delimiter": "thiếu dấu hai chấm",
    "Expecting value": "thiếu giá trị hoặc có dấu phẩy thừa",
    "Expecting property name": "tên trường phải trong ngoặc kép (hoặc có dấu phẩy thừa)",
    "Extra data": "có nội dung thừa sau khi lược đồ đã đóng",
    "Unterminated string starting at": "chuỗi chưa đóng ngoặc kép",
}


def _meta_reason(error: ValidationError) -> str:
    """The meta-schema's complaint in Vietnamese for the usual slips; jsonschema's words otherwise."""
    shown = json.dumps(error.instance, ensure_ascii=False)
    if error.validator == "type":
        expected: Any = error.validator_value
        names = " hoặc ".join([expected] if isinstance(expected, str) else map(str, expected))
        return f"phải có kiểu {names}, nhận được {shown}"
    if error.validator == "anyOf" and list(error.absolute_path)[-1:] == ["type"]:
        return f"kiểu {shown} không có (dùng object, array, string, integer, number, boolean hoặc null)"
    if error.validator == "minimum":
        return f"phải lớn hơn hoặc bằng {error.validator_value}, nhận được {shown}"
    return str(error.message)


def _json_reason(message: str) -> str:
    return next((text for key, text in _JSON_REASONS.items() if message.startswith(key)), message)


def _in_json(path: Path, issue: Issue) -> Issue:
    """The issue at its place in a JSON file (JSON reads as YAML, whose loader knows positions)."""
    try:
        return load_document(path).positions.locate(issue, str(path))
    except ReportError:
        return issue.at(str(path), 1, 1)


def _name_issues(root: Path, schemas: dict[str, dict[str, Any]], paths: dict[str, Path]) -> list[Issue]:
    """A workspace kind's name is its file name; its `loai` must say the same, once per workspace."""
    issues = []
    mine = {file: path for file, path in paths.items() if path.is_relative_to(root)}
    claims = {
        name: _claimed(schemas[name + SCHEMA_SUFFIX], name)
        for name in _kind_names({file: schemas[file] for file in mine})
    }
    for name, claimed in claims.items():
        path = mine[name + SCHEMA_SUFFIX]
        if not KIND_NAME.fullmatch(name):
            hint = "chữ thường không dấu, chữ số và `_`, ví dụ bao_cao_thien_tai"
            issue = Issue(f"tên loại `{name}` không dùng được", code="workspace.name", hint=hint)
        elif claimed != name and (claimed in claims or list(claims.values()).count(claimed) > 1):
            message = f"hai loại văn bản cùng tên `{claimed}` trong một kho mẫu"
            hint = f"đổi `const` thành `{name}` cho khớp tên tệp"
            issue = Issue(message, path=LOAI_CONST, code="workspace.duplicate", hint=hint)
        elif claimed != name:
            message = f"`loai` là `{claimed}` nhưng tệp tên {path.name}"
            hint = f"đổi `const` thành `{name}`, hoặc đổi tên tệp thành {claimed}{SCHEMA_SUFFIX}"
            issue = Issue(message, path=LOAI_CONST, code="workspace.name", hint=hint)
        else:
            continue
        issues.append(_in_json(path, issue))
    return issues


def _claimed(schema: dict[str, Any], name: str) -> str:
    loai = schema["properties"]["loai"]
    return str(loai.get("const", name)) if isinstance(loai, dict) else name


def _outside(root: Path, path: Path) -> list[Issue]:
    """A kind file that is a link to somewhere outside the workspace is refused."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        message = f"tệp là liên kết tới {path.resolve()}, ngoài kho mẫu {root}"
        hint = "chép tệp vào kho mẫu thay vì liên kết"
        return [Issue(message, code="workspace.symlink", hint=hint, file=str(path))]
    return []


def _kind_file_issues(root: Path, kind: Kind) -> list[Issue]:
    issues = [
        issue
        for file in (kind.rules, kind.template)
        if file.is_relative_to(root)
        for issue in _outside(root, file)
    ]
    if kind.schema.is_relative_to(root) and not kind.template.exists():
        message = f"loại `{kind.name}` chưa có mẫu {root / WORKSPACE_TEMPLATES / (kind.name + '.docx')}"
        hint = f"tạo bằng `baocao new-kind {kind.name} -o …` hoặc chép một mẫu .docx vào đó"
        issues.append(Issue(message, code="workspace.template", hint=hint, file=str(kind.schema)))
    return issues
