"""A kind's JSON Schema as spreadsheet columns: what `sheet`, `import` and `export` share.

Generic over any schema: every scalar field outside a list is a column of the main sheet
(one row per document, or one row per field for a single document); every list of records
(`phu_luc.huyen`) is a table with its own sheet. A column the kind's rules compute from
other columns of the same row is derived: shown read-only, never imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from engine.errors import DataPath, format_path
from engine.paths import SCHEMA_DIR
from engine.rules import WILDCARD, Pattern, load_rules, parse_pattern
from engine.schema import SUFFIX, list_kinds, load_schemas

# The row that names a document in a rollup sheet: the locality when the kind has one.
KEY_PATHS: tuple[DataPath, ...] = (("dia_ban",), ("co_quan", "ten"))
DATE_REFS = {"ngay_ban_hanh"}
YEAR_REF = "nam"  # a year is no figure: kept from the base, shown without grouping
# Rule fields naming the figure a rule computes, and those it computes it from.
TARGET_FIELDS = {"tong": "tong", "ty_le": "ty_le"}
SOURCE_FIELDS = ("thanh_phan", "tu_so", "mau_so")


@dataclass(frozen=True)
class Column:
    """One scalar field: where it lives in the data, how the sheet shows and checks it."""

    path: DataPath  # relative to its table's record for table columns
    title: str
    description: str
    kind: str  # integer, number, year, date, date_or_month (an issue date or a draft's month), text, choice
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[str, ...] = ()
    derived: bool = False
    formula: tuple[str, tuple[DataPath, ...]] = ("", ())  # ("ty_le"|"tong", source paths)

    @property
    def name(self) -> str:
        return format_path(self.path)

    @property
    def is_figure(self) -> bool:
        return self.kind in {"integer", "number"}


@dataclass(frozen=True)
class Table:
    """A list of records: its path in the document and the columns of one record."""

    path: DataPath
    title: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return format_path(self.path)


@dataclass(frozen=True)
class Layout:
    """Everything a workbook of one kind holds: the kind's title, main columns, tables."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    tables: tuple[Table, ...] = field(default=())

    @property
    def key(self) -> Column:
        return next(column for column in self.columns if column.path in KEY_PATHS)

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)


class UnknownKindError(LookupError):
    """`sheet KIND` with a kind that has no schema."""


def _resolve(
    schemas: Mapping[str, Any], node: Mapping[str, Any], file: str
) -> tuple[dict[str, Any], str, str]:
    """The node with its `$ref`s followed (local keys win), the file it came from, the last ref name."""
    ref = ""
    resolved = dict(node)
    while "$ref" in resolved:
        target_file, _, pointer = str(resolved.pop("$ref")).partition("#")
        file = target_file or file
        target: Any = schemas[file]
        for part in pointer.strip("/").split("/"):
            target = target[part]
        ref = pointer.rsplit("/", 1)[-1]
        resolved = {**target, **resolved}
    return resolved, file, ref


def _types(node: Mapping[str, Any]) -> set[str]:
    declared = node.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def _scalar(path: DataPath, node: Mapping[str, Any], ref: str) -> Column | None:
    types = _types(node)
    title, description = str(node.get("title", "")), str(node.get("description", ""))
    if "const" in node or "boolean" in types:
        return None
    base = Column(path, title or format_path(path), description, "text")
    if ref == YEAR_REF:
        return replace(base, kind="year", minimum=node.get("minimum"), maximum=node.get("maximum"))
    for figure in ("integer", "number"):
        if figure in types:
            return replace(base, kind=figure, minimum=node.get("minimum"), maximum=node.get("maximum"))
    if "enum" in node:
        return replace(base, kind="choice", options=tuple(map(str, node["enum"])))
    if ref in DATE_REFS:
        return replace(base, kind="date_or_month")
    if node.get("format") == "date":
        return replace(base, kind="date")
    return base if "string" in types or not types else None


def _walk(
    schemas: Mapping[str, Any], node: Mapping[str, Any], file: str, path: DataPath
) -> Iterator[Column | Table]:
    for name, child in node.get("properties", {}).items():
        resolved, child_file, ref = _resolve(schemas, child, file)
        child_path = (*path, name)
        types = _types(resolved)
        if "object" in types or "properties" in resolved:
            yield from _walk(schemas, resolved, child_file, child_path)
        elif "array" in types:
            items, items_file, _ = _resolve(schemas, resolved.get("items", {}), child_file)
            record = tuple(item for item in _walk(schemas, items, items_file, ()) if isinstance(item, Column))
            covered = {column.path[0] for column in record}
            # A record with a required field no cell can hold (a list of lines) is no table.
            if record and covered >= set(items.get("required", [])):
                yield Table(child_path, str(resolved.get("title", name)), record)
        elif column := _scalar(child_path, resolved, ref):
            yield column


def _derived(
    columns: list[Column], rules: list[tuple[str, Pattern, list[Pattern]]], prefix: Pattern
) -> list[Column]:
    """Mark columns a rule computes from other columns of the same row; `prefix` is a table's `path[*]`."""
    names = {column.path for column in columns}
    return [_formula(column, names, rules, prefix) for column in columns]


def _formula(
    column: Column, names: set[DataPath], rules: list[tuple[str, Pattern, list[Pattern]]], prefix: Pattern
) -> Column:
    for rule_kind, target, sources in rules:
        relative = tuple(source[len(prefix) :] for source in sources if source[: len(prefix)] == prefix)
        if target == (*prefix, *column.path) and len(relative) == len(sources) and set(relative) <= names:
            return replace(column, derived=True, formula=(rule_kind, relative))
    return column


def _rule_targets(kind: str) -> list[tuple[str, Pattern, list[Pattern]]]:
    found = []
    for rule in load_rules(kind):
        if rule.kind not in TARGET_FIELDS:
            continue
        sources = [
            parse_pattern(text)
            for name in SOURCE_FIELDS
            if name in rule.fields
            for text in (rule.fields[name] if isinstance(rule.fields[name], list) else [rule.fields[name]])
        ]
        found.append((rule.kind, rule.pattern(TARGET_FIELDS[rule.kind]), sources))
    return found


@cache
def layout(kind: str, schema_dir: Path = SCHEMA_DIR) -> Layout:
    """The kind's columns and tables, key column first; `UnknownKindError` for an unknown kind."""
    known = list_kinds(schema_dir)
    if kind not in known:
        raise UnknownKindError(f"không có loại văn bản `{kind}`; các loại có: {', '.join(known)}")
    schemas = load_schemas(schema_dir)
    root = schemas[kind + SUFFIX]
    found = list(_walk(schemas, root, kind + SUFFIX, ()))
    rules = _rule_targets(kind)
    columns = _derived([item for item in found if isinstance(item, Column)], rules, ())
    key = next((column for path in KEY_PATHS for column in columns if column.path == path), None)
    if key is not None:
        columns = [key, *(column for column in columns if column is not key)]
    tables = tuple(
        Table(table.path, table.title, tuple(_derived(list(table.columns), rules, (*table.path, WILDCARD))))
        for table in found
        if isinstance(table, Table)
    )
    return Layout(kind, str(root.get("title", kind)), tuple(columns), tables)
