"""A kind's JSON Schema as spreadsheet columns: what `sheet`, `import` and `export` share.

Generic over any schema: every scalar field outside a list is a column of the main sheet
(one row per document, or one row per field for a single document); every list of records
(`phu_luc.huyen`) is a table with its own sheet. A column the kind's rules compute from
other columns of the same row is derived: shown read-only, never imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from engine.errors import DataPath, format_path
from engine.pipeline import rules_of
from engine.rules import WILDCARD, Pattern, Rule, parse_pattern
from engine.schema import SUFFIX
from engine.workspace import Catalogue

# The column that names a document in a rollup sheet: the locality when the kind has one, else the
# issuing body, else the first text field.
KEY_PATHS: tuple[DataPath, ...] = (("dia_ban",), ("co_quan", "ten"))
DATE_REFS = {"ngay_ban_hanh"}
YEAR_REF = "nam"  # a year is no figure: kept from the base, shown without grouping
# Rule fields naming the figure a rule computes, and those it computes it from.
FORMULA_RULES = {"tong", "hieu", "ty_le", "ty_trong"}  # the rule types a formula reproduces
RuleTarget = tuple[str, Pattern, list[Pattern], int]  # rule type, computed figure, sources, decimals


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
    group: str = ""  # the title of the group holding the field, to tell apart fields titled alike
    header: str = ""  # the title as the sheet shows it (`with_headers`)
    derived: bool = False
    formula: tuple[str, tuple[DataPath, ...], int] = ("", (), 0)  # (rule type, source paths, decimals)

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
        """The column naming each row's document (engine/columns.py puts it first)."""
        return self.columns[0]

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
    group = str(node.get("title", "")) if path else ""
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
            yield replace(column, group=group)


def with_headers(columns: list[Column]) -> list[Column]:
    """Each column's sheet header: its title, with its group's when another column has the same title
    (`Tổng số hộ dân cư — II.2. Kết quả giảm nghèo`), and `(tự tính)` for a derived one."""
    counts = Counter(column.title for column in columns)
    result = []
    for column in columns:
        header = (
            f"{column.title} — {column.group}" if counts[column.title] > 1 and column.group else column.title
        )
        result.append(replace(column, header=header + (" (tự tính)" if column.derived else "")))
    return result


def _derived(columns: list[Column], rules: list[RuleTarget], prefix: Pattern) -> list[Column]:
    """Mark columns a rule computes from other columns of the same row; `prefix` is a table's `path[*]`."""
    names = {column.path for column in columns}
    return [_formula(column, names, rules, prefix) for column in columns]


def _formula(column: Column, names: set[DataPath], rules: list[RuleTarget], prefix: Pattern) -> Column:
    for rule_kind, target, sources, digits in rules:
        relative = tuple(source[len(prefix) :] for source in sources if source[: len(prefix)] == prefix)
        if target == (*prefix, *column.path) and len(relative) == len(sources) and set(relative) <= names:
            return replace(column, derived=True, formula=(rule_kind, relative, digits))
    return column


def _rule_targets(rules: tuple[Rule, ...]) -> list[RuleTarget]:
    """Rules that compute a stored figure a spreadsheet formula can show: (type, target, sources)."""
    found = []
    for rule in rules:
        if rule.kind not in FORMULA_RULES or rule.derived:
            continue
        texts = [rule.fields[name] for name in rule.type.inputs]
        texts += [text for name in rule.type.lists for text in rule.fields.get(name, [])]
        if all(isinstance(text, str) for text in texts):
            sources = [parse_pattern(text) for text in texts]
            digits = int(rule.fields.get("chu_so", 2))
            found.append((rule.kind, rule.pattern(str(rule.type.target)), sources, digits))
    return found


def layout(kind: str, where: Catalogue) -> Layout:
    """The kind's columns and tables as `where` (engine.workspace.lookup) resolves it, key column first;
    `UnknownKindError` for a kind `where` does not have."""
    return _layout(kind, where)


@lru_cache(maxsize=64)
def _layout(kind: str, where: Catalogue) -> Layout:
    if kind not in where.kinds:
        raise UnknownKindError(f"không có loại văn bản `{kind}`; các loại có: {', '.join(where.names())}")
    schemas = where.schemas
    root = schemas[kind + SUFFIX]
    found = list(_walk(schemas, root, kind + SUFFIX, ()))
    rules = _rule_targets(rules_of(where.kinds[kind], where))
    columns = _derived([item for item in found if isinstance(item, Column)], rules, ())
    columns = with_headers(columns)
    if not columns:
        raise UnknownKindError(f"loại văn bản `{kind}` không có trường nào điền được bằng bảng tính")
    texts = [column for column in columns if column.kind == "text"]
    key = next((column for path in KEY_PATHS for column in columns if column.path == path), None)
    key = key or (texts[0] if texts else columns[0])  # a kind without a locality or an issuing body
    columns = [key, *(column for column in columns if column is not key)]
    tables = tuple(
        Table(
            table.path,
            table.title,
            tuple(with_headers(_derived(list(table.columns), rules, (*table.path, WILDCARD)))),
        )
        for table in found
        if isinstance(table, Table)
    )
    return Layout(kind, str(root.get("title", kind)), tuple(columns), tables)
