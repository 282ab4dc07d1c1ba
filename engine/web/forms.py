"""A form for any JSON schema, and the form's values back as YAML scalars.

Generic over the schema's keywords (objects, arrays, integer / number / string / boolean, `format: date`,
`enum`, `const`, `$ref`, `allOf`, `oneOf` / `anyOf`): no code per kind. Field names are data paths
(`tin_dung.luot_ho`, `noi_nhan[0].ds[1]`) prefixed with `f.`; integers are shown with thousands dots
and read back without them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine import vi
from engine.errors import DataPath, format_path
from engine.schema import SUFFIX, Schemas, schema_files
from engine.web.recent import Recent

if TYPE_CHECKING:
    from referencing._core import Resolver

PREFIX = "f."
GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+")
MAX_DEPTH = 20
LONG_TEXT = 70
DECIMAL_COMMA = re.compile(r"-?\d+,\d+")
DATE_LIKE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
ANY: dict[str, Any] = {}  # the schema of a value the schema does not describe (shared, never changed)
# `_resolved`'s results: the flat schema is shared by the forms and never changed.
_RESOLVED: Recent[tuple[int, int, str], tuple[Any, Resolver[Any], tuple[dict[str, Any], Resolver[Any]]]]
_RESOLVED = Recent(4096)


@dataclass
class Field:
    path: DataPath
    label: str
    help: str
    widget: str  # group, list, text, textarea, integer, number, date, select, checkbox, fixed
    value: str = ""
    options: list[str] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    required: bool = False
    pattern: str = ""

    @property
    def name(self) -> str:
        return PREFIX + format_path(self.path)

    @property
    def anchor(self) -> str:
        return "fld-" + re.sub(r"[^A-Za-z0-9_-]", "-", format_path(self.path) or "goc")


@lru_cache(maxsize=32)
def _registry(where: Schemas) -> Registry[Any]:
    resources = [(name, DRAFT202012.create_resource(s)) for name, s in schema_files(where).items()]
    return Registry().with_resources(resources)


@lru_cache(maxsize=32)
def root_schema(kind: str, where: Schemas) -> tuple[dict[str, Any], Resolver[Any]]:
    """The kind's schema as the file's workspace sees it (`engine.workspace.lookup`), and its resolver: the
    same objects for each form of the kind, which `_resolved` counts on."""
    resolver = _registry(where).resolver(base_uri=kind + SUFFIX)
    return schema_files(where)[kind + SUFFIX], resolver


def _json_type(value: Any) -> str:
    """All `resolve` needs to know of a value (`_fits`)."""
    if value is None:
        return "null"
    kinds = (bool, int, float, str, dict, list)
    return next((kind.__name__ for kind in kinds if isinstance(value, kind)), "other")


def _resolved(schema: Any, resolver: Resolver[Any], value: Any) -> tuple[dict[str, Any], Resolver[Any]]:
    """`resolve`, remembered by the schema and resolver objects (which the entry keeps alive, so no other
    object gets their ids) and the value's JSON type. Forms of one kind share the resolvers it returns,
    so the next form of the kind resolves nothing again; a changed workspace brings other objects."""
    key = (id(schema), id(resolver), _json_type(value))
    return _RESOLVED.get(key, lambda: (schema, resolver, resolve(schema, resolver, value)))[2]


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def resolve(schema: Any, resolver: Resolver[Any], value: Any, depth: int = 0) -> tuple[dict[str, Any], Any]:
    """One flat schema for `value`: `$ref` and `allOf` merged in, the fitting `oneOf`/`anyOf` branch."""
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return {}, resolver
    merged = {key: item for key, item in schema.items() if key not in ("$ref", "allOf", "oneOf", "anyOf")}
    if "$ref" in schema:
        try:
            found = resolver.lookup(schema["$ref"])
        except Unresolvable:
            found = None
        if found is not None:
            target, resolver = resolve(found.contents, found.resolver, value, depth + 1)
            merged = {**target, **merged}
    for sub in schema.get("allOf", []):
        extra, _ = resolve(sub, resolver, value, depth + 1)
        merged = _merge(merged, extra)
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    if branches:
        resolved = [resolve(sub, resolver, value, depth + 1) for sub in branches]
        fitting = [pair for pair in resolved if _fits(pair[0], value)] or resolved
        chosen = fitting[0][0]
        if all("format" in sub or "pattern" in sub for sub, _ in resolved) and len(resolved) > 1:
            chosen = {key: item for key, item in chosen.items() if key not in ("format", "pattern")}
        merged = _merge(merged, chosen)
    return merged, resolver


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = {**extra, **base}
    if "properties" in base or "properties" in extra:
        result["properties"] = {**extra.get("properties", {}), **base.get("properties", {})}
    if "required" in base or "required" in extra:
        result["required"] = [*base.get("required", []), *extra.get("required", [])]
    return result


def _fits(schema: Mapping[str, Any], value: Any) -> bool:
    types = _types(schema)
    if value is None or not types:
        return (value is None and "null" in types) or not types
    checks = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }
    return any(checks.get(name, False) for name in types)


def build_fields(
    schema: Any, resolver: Resolver[Any], value: Any, path: DataPath = (), depth: int = 0
) -> Field:
    """The form for `value` (the draft's data at `path`) under `schema`."""
    flat, resolver = _resolved(schema, resolver, value)
    label = str(flat.get("title") or (path[-1] if path and isinstance(path[-1], str) else ""))
    if path and isinstance(path[-1], int):
        label = f"{label} – mục {path[-1] + 1}" if label else f"Mục {path[-1] + 1}"
    help_text = str(flat.get("description", ""))
    types = [name for name in _types(flat) if name != "null"]
    if depth > MAX_DEPTH:
        return Field(path, label, help_text, "textarea", display(value))
    if "const" in flat:
        return Field(path, label, help_text, "fixed", display(value if value is not None else flat["const"]))
    if "enum" in flat:
        options = [display(option) for option in flat["enum"]]
        return Field(path, label, help_text, "select", display(value), options)
    if "properties" in flat or "object" in types or isinstance(value, dict):
        group = Field(path, label, help_text, "group")
        present = value if isinstance(value, dict) else {}
        required = set(flat.get("required", []))
        properties: dict[str, Any] = dict(flat.get("properties", {}))
        extra = flat.get("additionalProperties")
        for key in present:
            properties.setdefault(key, extra if isinstance(extra, dict) else ANY)
        for key, sub in properties.items():
            child = build_fields(sub, resolver, present.get(key), (*path, key), depth + 1)
            child.required = key in required
            group.children.append(child)
        return group
    if "items" in flat or "array" in types or isinstance(value, list):
        items = value if isinstance(value, list) else []
        listing = Field(path, label, help_text, "list")
        listing.children = [
            build_fields(flat.get("items", ANY), resolver, item, (*path, index), depth + 1)
            for index, item in enumerate(items)
        ]
        return listing
    return _scalar(flat, types, value, Field(path, label, help_text, "text"))


def _scalar(flat: Mapping[str, Any], types: list[str], value: Any, blank: Field) -> Field:
    """`blank` (path, label, help) with the widget and value for a single value."""
    blank.value = display(value)
    if "boolean" in types:
        blank.widget, blank.options = "checkbox", ["true", "false"]
    elif "integer" in types:
        blank.widget = "integer"
    elif "number" in types:
        blank.widget = "number"
    elif flat.get("format") == "date":
        blank.widget = "date"
    else:
        long = "\n" in blank.value or len(blank.value) > LONG_TEXT or flat.get("maxLength", 0) > 200
        blank.widget = "textarea" if long else "text"
        blank.pattern = str(flat.get("pattern", ""))
    return blank


def display(value: Any) -> str:
    """A data value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return ("-" if value < 0 else "") + vi.group_digits(str(abs(value)))
    return str(value)


def scalar_text(field: Field | None, typed: str) -> str:
    """The YAML scalar to write for what was typed: integers without their dots, text quoted if needed."""
    typed = typed.replace("\r\n", "\n")
    widget = field.widget if field is not None else "text"
    if widget in ("integer", "number", "checkbox", "select", "date", "fixed"):
        stripped = typed.strip()
        if widget == "integer" and GROUPED.fullmatch(stripped):
            stripped = stripped.replace(".", "")
        if widget == "number" and DECIMAL_COMMA.fullmatch(stripped):
            stripped = stripped.replace(",", ".")
        return stripped
    if typed.strip() == "":
        return ""
    if DATE_LIKE.fullmatch(typed):
        return typed
    try:
        if YAML(typ="safe", pure=True).load(typed) == typed and "\n" not in typed:
            return typed
    except YAMLError:
        pass
    return json.dumps(typed, ensure_ascii=False)


def index(root: Field) -> dict[str, Field]:
    """Every field by its form name."""
    found = {root.name: root}
    for child in root.children:
        found.update(index(child))
    return found
