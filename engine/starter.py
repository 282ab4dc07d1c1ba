"""`baocao new`: a starter YAML data file for a document kind, explained by its schema.

The file is written from the kind's JSON Schema, walking its properties in order: every
field gets a comment built from its `title` and `description`, and the first line is the
editor modeline. With a previous document (`--tu`), its structure, texts and lists are
kept, the year moves on by one, the issue date becomes a draft month, and every figure
is left out, commented with last year's value, so validation asks for each one
("thiếu trường bắt buộc") at its place until the planner fills it in.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.errors import BaocaoError
from engine.paths import SCHEMA_DIR
from engine.schema import Schemas, list_kinds, schema_files
from engine.workspace import Catalogue

WIDTH = 100
INDENT = "  "
_SAFE_YAML = YAML(typ="safe", pure=True)
# Shared definitions a starter treats specially (by the name of the `$ref` target).
YEAR_DEF, DATE_DEF = "nam", "ngay_ban_hanh"


class StarterError(BaocaoError):
    """The kind is unknown, or the previous document is of another kind."""


@dataclass(frozen=True)
class Field:
    """One schema node with its `$ref`s resolved; `ref` names the shared definition it came from."""

    schema: Mapping[str, Any]
    ref: str = ""

    @property
    def types(self) -> set[str]:
        declared = self.schema.get("type", [])
        return {declared} if isinstance(declared, str) else set(declared)

    @property
    def is_figure(self) -> bool:
        return bool(self.types & {"integer", "number"}) and self.ref != YEAR_DEF

    def comment(self) -> list[str]:
        title, description = self.schema.get("title", ""), self.schema.get("description", "")
        text = f"{title}: {description}" if title and description else title or description
        if "enum" in self.schema:
            text += f" Chọn một trong: {', '.join(str(option) for option in self.schema['enum'])}."
        return textwrap.wrap(text, WIDTH - 2) if text else []


class _Schemas:
    """The kind's schema and the shared ones, for resolving `file#/$defs/name` references."""

    def __init__(self, kind: str, where: Schemas) -> None:
        known = list_kinds(where)
        if kind not in known:
            raise StarterError(f"không có loại văn bản `{kind}`; các loại có: {', '.join(known)}")
        self.kind_file = f"{kind}.schema.json"
        self.files = schema_files(where)

    def field(self, schema: Mapping[str, Any], file: str) -> tuple[Field, str]:
        """The node with its reference resolved; local keys (title, description) win over the target's."""
        ref = ""
        while "$ref" in schema:
            target_file, _, pointer = str(schema["$ref"]).partition("#")
            file = target_file or file
            target: Any = self.files[file]
            for part in pointer.strip("/").split("/"):
                target = target[part]
            ref = pointer.rsplit("/", 1)[-1]
            schema = {**target, **{key: value for key, value in schema.items() if key != "$ref"}}
        return Field(schema, ref), file


def starter_text(
    kind: str,
    previous: Mapping[str, Any] | None = None,
    *,
    schema_path: str = "",
    source: str = "",
    where: Schemas = SCHEMA_DIR,
) -> str:
    """The starter file's text; `schema_path` is the schema as seen from where the file is written."""
    schemas = _Schemas(kind, where)
    if previous is not None and previous.get("loai") != kind:
        raise StarterError(f"{source}: không phải văn bản loại `{kind}` (loai: {previous.get('loai')})")
    root = schemas.files[schemas.kind_file]
    lines = [f"# yaml-language-server: $schema={schema_path or schema_reference(None, kind, where)}"]
    lines += [f"# {line}" for line in textwrap.wrap(str(root.get("title", kind)), WIDTH - 2)]
    if previous is None:
        lines.append(
            "# Điền các trường còn trống; dòng bắt đầu bằng `# ` là trường tùy chọn hoặc lời giải thích."
        )
    else:
        year = previous.get("nam")
        lines += [
            f"# Bắt đầu từ {source} (năm {year}): giữ cấu trúc, chỉ tiêu, danh sách, câu chữ;",
            "# năm tăng 1, ngày ban hành là dự thảo, số văn bản để trống. Số liệu để trống: dòng",
            "# `# tên: số   # năm trước` là số năm trước; bỏ `# ` đầu dòng, điền số năm nay.",
            "# Xem lại các câu còn nhắc năm cũ.",
        ]
    writer = _Writer(schemas, carried=previous is not None)
    lines += writer.mapping(Field(root), schemas.kind_file, previous, indent="", explain=True)
    return "\n".join(lines) + "\n"


class _Writer:
    """Writes YAML lines for a schema node; `carried` when values come from a previous document."""

    def __init__(self, schemas: _Schemas, *, carried: bool) -> None:
        self.schemas = schemas
        self.carried = carried

    def mapping(
        self, field: Field, file: str, value: Mapping[str, Any] | None, *, indent: str, explain: bool
    ) -> list[str]:
        """`key: value` lines; `explain` adds each field's comment (in a list, only the first item's)."""
        lines: list[str] = []
        required = set(field.schema.get("required", []))
        for key, child_schema in field.schema.get("properties", {}).items():
            child, child_file = self.schemas.field(child_schema, file)
            if self.carried and key not in (value or {}) and key not in required:
                continue
            if explain:
                lines += [f"{indent}# {line}" for line in child.comment()]
            current = None if value is None else value.get(key)
            head = f"{indent}{key}:"
            lines += self.entry(head, child, child_file, current, required=key in required, explain=explain)
        return lines

    def entry(
        self, head: str, field: Field, file: str, value: Any, *, required: bool, explain: bool
    ) -> list[str]:
        indent = head[: len(head) - len(head.lstrip())]
        schema = field.schema
        if "const" in schema:
            return [f"{head} {_scalar(schema['const'], indent)}"]
        if self.carried and field.ref == YEAR_DEF and isinstance(value, int):
            return [f"{head} {value + 1}"]
        if self.carried and field.ref == DATE_DEF and isinstance(value, str):
            year, month = value.split("-")[:2]
            return [f"{head} {int(year) + 1}-{month}   # dự thảo: điền ngày khi ký ban hành"]
        if field.is_figure:
            if self.carried and value is not None:
                return [f"{indent}# {head.lstrip()} {_scalar(value, indent)}   # năm trước"]
            return [head if required else f"{indent}# {head.lstrip()}"]
        if not self.carried and not required:
            return [f"{indent}# {head.lstrip()}"]
        return self.value_lines(head, field, file, value, indent=indent, explain=explain)

    def value_lines(
        self, head: str, field: Field, file: str, value: Any, *, indent: str, explain: bool
    ) -> list[str]:
        """`head` followed by the value: inline for scalars, on indented lines for groups and lists."""
        inner = indent + INDENT
        if "object" in field.types or "properties" in field.schema:
            return [head, *self.mapping(field, file, value, indent=inner, explain=explain)]
        if "array" in field.types or "items" in field.schema:
            items = list(value) if self.carried and isinstance(value, list) else [None]
            return [head, *self.items(field, file, items, indent=inner, explain=explain)]
        if "anyOf" in field.schema:
            chosen = self.branch(field, file, value)
            return self.value_lines(head, chosen, file, value, indent=indent, explain=explain)
        return [f"{head} {_scalar(value, indent)}" if value is not None else head]

    def items(
        self, field: Field, file: str, items: list[Any], *, indent: str, explain: bool
    ) -> Iterator[str]:
        item_field, item_file = self.schemas.field(field.schema.get("items", {}), file)
        for index, item in enumerate(items):
            first_explained = explain and index == 0
            lines = self.value_lines("", item_field, item_file, item, indent=indent, explain=first_explained)
            nested = lines[1:]
            if lines[0]:  # a scalar: `- value`
                yield f"{indent}-{lines[0]}"
            elif nested and not nested[0].lstrip().startswith("#"):
                yield f"{indent}- {nested[0].removeprefix(indent + INDENT)}"
                yield from nested[1:]
            else:
                yield f"{indent}-"
                yield from nested

    def branch(self, field: Field, file: str, value: Any) -> Field:
        """The `anyOf` alternative that fits the previous value (a group for a mapping), else the first."""
        options = [self.schemas.field(option, file)[0] for option in field.schema["anyOf"]]
        wanted = "object" if isinstance(value, dict) else "string"
        return next((option for option in options if wanted in option.types), options[0])


def _scalar(value: object, indent: str) -> str:
    """The value as YAML: plain when that reads back the same, folded for long text, else quoted."""
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if len(value) + len(indent) > WIDTH - 20 and "\n" not in value and "  " not in value:
        wrapped = textwrap.wrap(
            value, WIDTH - len(indent) - 2, break_long_words=False, break_on_hyphens=False
        )
        folded = "\n".join(f"{indent}{INDENT}{line}" for line in wrapped)
        if _reads_back(f"k: >-\n{folded}\n", value):
            return f">-\n{folded}"
    if _reads_back(f"k: {value}\n", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _reads_back(text: str, value: str) -> bool:
    try:
        loaded = _SAFE_YAML.load(text)
    except YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


def schema_reference(out: Path | None, kind: str, where: Schemas = SCHEMA_DIR) -> str:
    """The schema's path relative to the written file's folder (or the current folder), for the modeline."""
    base = (out.parent if out is not None else Path()).resolve()
    schema = where.kinds[kind].schema if isinstance(where, Catalogue) else where / f"{kind}.schema.json"
    return Path(os.path.relpath(schema, base)).as_posix()
