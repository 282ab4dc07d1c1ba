"""Find a document kind's JSON Schema, validate data against it, explain each failure in Vietnamese.

A kind is a `<kind>.schema.json` file whose top level defines the `loai`
property; other schema files (`chung.schema.json`) only hold shared `$defs`,
reached by `$ref` through one registry keyed by file name. Which files those are
for a data file (a workspace's over the built-in ones) is `engine.workspace`'s business. Users are clerks
typing by hand, so messages quote what they wrote and hints show the fix.
"""

from __future__ import annotations

import ast
import calendar
import difflib
import json
import re
import unicodedata
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from engine.errors import DataPath, Issue, ReportError, format_path
from engine.load import LoadedDocument
from engine.paths import SCHEMA_DIR
from engine.workspace import Catalogue

if TYPE_CHECKING:
    from referencing._core import Resolver

SUFFIX = ".schema.json"
MESSAGE_KEY = "x-thong-bao"
MAX_LISTED = 12
TYPE_PHRASES = {
    "integer": "là số nguyên",
    "number": "là số",
    "string": "là chuỗi văn bản",
    "array": "là danh sách",
    "object": "là nhóm trường (các dòng `tên: giá trị`)",
    "boolean": "là true hoặc false",
    "null": "để trống",
}
SEPARATOR_NAMES = {".": "dấu chấm", ",": "dấu phẩy", " ": "dấu cách"}
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng (decomposed)
SHOWN_SENTENCE = 40
UNITS = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}
# `{0}` is the schema's bound, `{1}` the received length; SPECIAL words common bounds better.
BOUND_MESSAGES = {
    "minimum": "phải lớn hơn hoặc bằng {0}",
    "maximum": "phải nhỏ hơn hoặc bằng {0}",
    "exclusiveMinimum": "phải lớn hơn {0}",
    "exclusiveMaximum": "phải nhỏ hơn {0}",
    "multipleOf": "phải là bội số của {0}",
}
SIZE_MESSAGES = {
    "minLength": "phải có ít nhất {0} ký tự, hiện có {1}",
    "maxLength": "dài {1} ký tự, quá giới hạn {0} ký tự",
    "minItems": "cần ít nhất {0} mục, hiện có {1}",
    "maxItems": "nhiều nhất {0} mục, hiện có {1}",
}
SPECIAL: dict[tuple[str, int], str] = {
    ("minimum", 0): "phải là số không âm",
    ("exclusiveMinimum", 0): "phải là số dương",
    ("minLength", 1): "không được để trống",
    ("minItems", 1): "danh sách không được để trống",
}
DATE_EXAMPLE = "viết theo dạng YYYY-MM-DD, ví dụ 2023-06-15"
# Schema-path steps: into a child value, into a keyword holding named/indexed subschemas.
CHILD_KEYWORDS = {"items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains"}
CHILD_CONTAINERS = {"properties", "patternProperties", "prefixItems"}
SAME_CONTAINERS = {"allOf", "anyOf", "oneOf", "dependentSchemas", "$defs"}


def _is_integer(checker: object, instance: object) -> bool:
    """Only real integers: YAML reads `300.000` (Vietnamese for 300 000) as 300.0, which must not pass."""
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = cast(
    type[Validator],
    validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
    ),
)


# Where kinds come from: a catalogue (workspace over built-in, engine.workspace) or a plain schemas folder.
Schemas = Path | Catalogue


@cache
def load_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Every `*.schema.json` by file name, read once per process (callers must not modify them)."""
    paths = sorted(schema_dir.glob(f"*{SUFFIX}"))
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in paths}


def schema_files(where: Schemas) -> dict[str, dict[str, Any]]:
    return where.schemas if isinstance(where, Catalogue) else load_schemas(where)


@cache
def _registry(where: Schemas) -> Registry[Any]:
    resources = [(name, DRAFT202012.create_resource(schema)) for name, schema in schema_files(where).items()]
    return Registry().with_resources(resources)


@cache
def _validator(kind: str, where: Schemas) -> Validator:
    """Compiled once per kind per process; `check_schema` tells a schema author about mistakes early."""
    schema = schema_files(where)[kind + SUFFIX]
    StrictValidator.check_schema(schema)
    checker = Draft202012Validator.FORMAT_CHECKER
    return StrictValidator(schema, registry=_registry(where), format_checker=checker)


# jsonschema-rs resolves `chung.schema.json#…` against a base with a path; its own default base has one.
FAST_BASE = "json-schema:///"


@cache
def _fast_validator(kind: str, where: Schemas) -> jsonschema_rs.Validator:
    """The same schemas compiled by jsonschema-rs: about a thousand times faster, but it cannot explain.
    The explaining validator is made first, so a broken schema is reported as before."""
    _validator(kind, where)
    schemas = schema_files(where)
    registry = jsonschema_rs.Registry([(FAST_BASE + name, schema) for name, schema in schemas.items()])
    base = FAST_BASE + kind + SUFFIX
    return jsonschema_rs.validator_for(
        schemas[kind + SUFFIX], registry=registry, base_uri=base, validate_formats=True
    )


def _has_whole_float(data: Any) -> bool:
    """A float like 300.0, which JSON Schema counts as an integer and `_is_integer` does not."""
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            pending += node.values()
        elif isinstance(node, list):
            pending += node
        elif isinstance(node, float) and node.is_integer():
            return True
    return False


def is_valid_fast(kind: str, data: Any, where: Schemas = SCHEMA_DIR) -> bool:
    """True only when the explaining validator would find nothing; False means "ask it"."""
    return not _has_whole_float(data) and _fast_validator(kind, where).is_valid(data)


def list_kinds(where: Schemas = SCHEMA_DIR) -> list[str]:
    if isinstance(where, Catalogue):
        return where.names()
    return [
        name.removesuffix(SUFFIX)
        for name, schema in load_schemas(where).items()
        if "loai" in schema.get("properties", {})
    ]


def kind_of(doc: LoadedDocument, where: Schemas = SCHEMA_DIR) -> str:
    """The document's kind from its `loai` field; a located `ReportError` when missing or unknown."""
    kinds = list_kinds(where)
    kind = doc.data.get("loai")
    if isinstance(kind, str) and kind in kinds:
        return kind
    known = ", ".join(kinds)
    if "loai" not in doc.data:
        hint = f"loại văn bản: viết `loai: <tên loại>` ở đầu tệp; các loại có: {known}"
        issue = Issue("thiếu trường bắt buộc", path=("loai",), code="kind.missing", hint=hint)
    else:
        near = near_miss(kind, kinds) if isinstance(kind, str) else None
        hint = f"có phải ý bạn là `{near}`? Các loại có: {known}" if near else f"các loại có: {known}"
        message = f"không có loại văn bản {_show(kind, None)}"
        issue = Issue(message, path=("loai",), code="kind.unknown", hint=hint)
    raise ReportError([doc.positions.locate(issue, doc.file)])


def validate(doc: LoadedDocument, where: Schemas = SCHEMA_DIR) -> list[Issue]:
    """Every schema problem of the document, located and sorted by position."""
    kind = kind_of(doc, where)
    if is_valid_fast(kind, doc.data, where):
        return []
    schema = schema_files(where)[kind + SUFFIX]
    return _explained(doc, schema, kind + SUFFIX, _validator(kind, where), where)


def validate_part(
    doc: LoadedDocument, schema: dict[str, Any], base: str, where: Schemas = SCHEMA_DIR
) -> list[Issue]:
    """Every problem of a whole document checked against part of a schema (its `$ref`s resolved from the
    file `base`), as `validate` reports them: a figures-only file for `ky_truoc` (engine/previous.py)."""
    checker = Draft202012Validator.FORMAT_CHECKER
    validator = StrictValidator(schema, registry=_registry(where), format_checker=checker)
    return _explained(doc, schema, base, validator, where)


def _explained(
    doc: LoadedDocument, schema: dict[str, Any], base: str, validator: Validator, where: Schemas
) -> list[Issue]:
    resolver = _registry(where).resolver(base_uri=base)
    explain = _Explainer(doc, schema, resolver)
    found = [issue for error in validator.iter_errors(doc.data) for issue in explain(error)]
    located = [doc.positions.locate(issue, doc.file) for issue in dict.fromkeys(found)]
    return sorted(located, key=lambda issue: (issue.line, issue.col, format_path(issue.path), issue.message))


def _fold(name: str) -> str:
    """Compare names as users mistype them: case, diacritics (`số_tiền`), spaces and dashes."""
    decomposed = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s-]+", "_", bare.strip())


def tone_fold(text: str) -> str:
    """`Vũ Qúy` and `Vũ Quý`, `hoà` and `hòa` alike: each word's tone mark moved to the word's end.

    Where a tone mark sits is a typing habit (old and new style, or a slip); which tone, and the
    other marks (â, ơ, ư…), still tell words apart, so only the placement is folded away.
    """

    def canonical(word: re.Match[str]) -> str:
        letters = word.group()
        tones = "".join(char for char in letters if char in TONE_MARKS)
        return "".join(char for char in letters if char not in TONE_MARKS) + tones

    decomposed = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize("NFC", re.sub(r"[\w\u0300-\u036f]+", canonical, decomposed))


def near_miss(word: str, options: list[str]) -> str | None:
    """The option the user most likely meant: the same up to tone-mark placement, else a close one."""
    placed = {tone_fold(option): option for option in options}
    if tone_fold(word) in placed:
        return placed[tone_fold(word)]
    folded = {_fold(option): option for option in options}
    matches = difflib.get_close_matches(_fold(word), list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


def _number(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _show(value: Any, text: str | None) -> str:
    """A received value as the user typed it (numbers keep `300.000`), short enough for one line."""
    if isinstance(value, str):
        return f'"{value[:60]}…"' if len(value) > 60 else f'"{value}"'
    if value is None:
        return "giá trị trống"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return text or _number(value)
    return "một danh sách" if isinstance(value, list) else "một nhóm trường"


def _without_unit(written: str) -> tuple[str, str]:
    """`28 hộ` → (`28`, `hộ`), `95,5%` → (`95,5`, `%`): a figure typed with its unit."""
    found = re.fullmatch(r"([+-]?\d[\d., ]*?)\s*(%|[^\W\d_][^\d]*)", written)
    return (found.group(1), found.group(2)) if found else (written, "")


def _integer_hint(value: Any, text: str | None) -> str:
    """How to write a figure typed the Word/Excel way (`1.337.000.000`, `1,5 tỷ`, `28 hộ`, `79.756`)."""
    if not isinstance(value, str | float):
        return ""
    written = (text or "") if isinstance(value, float) else value
    if isinstance(value, float) and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", written):
        return (
            f"YAML đọc {written} là số thập phân {written.replace('.', ',')}; "
            f"số hàng nghìn viết liền, không dấu chấm: {written.replace('.', '')}"
        )
    written = re.sub(r"\s*(đồng|đ|vnđ|vnd)$", "", written.strip().casefold())
    scaled = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(tỷ|tỉ|triệu|nghìn|ngàn)", written)
    if scaled:
        amount = Decimal(scaled.group(1).replace(",", ".")) * UNITS[scaled.group(2)]
        if amount == amount.to_integral_value():
            return f"viết số nguyên liền bằng chữ số: {int(amount)}"
    written = _without_unit(written)[0]
    if written.isascii() and written.isdigit():
        return f"chỉ ghi chữ số, không kèm đơn vị: {written}"
    grouped = re.fullmatch(r"[+-]?\d{1,3}([., ])\d{3}(\1\d{3})*", written)
    if grouped:
        digits = re.sub(r"[., ]", "", written)
        return f"viết số nguyên liền, không {SEPARATOR_NAMES[grouped.group(1)]}: {digits}"
    if isinstance(value, float) or re.fullmatch(r"[+-]?\d+,\d+", written):
        return (
            f"viết số nguyên liền: {int(value)}"
            if isinstance(value, float) and value.is_integer()
            else "chỉ nhập số nguyên, không có phần thập phân"
        )
    return ""


def _decimal_hint(value: Any) -> str:
    """How to write a number with a fraction typed the Vietnamese way (`8,17`, `95,5%`, `1.234,5`)."""
    if not isinstance(value, str):
        return ""
    written, unit = _without_unit(value.strip().casefold())
    if not re.fullmatch(r"[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?", written):
        return ""
    plain = written.replace(".", "").replace(",", ".")
    if unit:
        return f"chỉ ghi số, không kèm đơn vị `{unit}`, dấu thập phân là dấu chấm: {plain}"
    if "," in written:
        return f"dấu thập phân viết bằng dấu chấm: {plain}"
    return f"viết liền, không dấu chấm: {plain}"


def _sentence_hint(value: Any, in_list: bool) -> str:
    """`- Nguyên nhân: do …` is read as a group `{Nguyên nhân: do …}`: show the sentence quoted."""
    if not isinstance(value, dict) or len(value) != 1:
        return ""
    ((key, rest),) = value.items()
    if isinstance(rest, dict | list):
        return ""
    if re.fullmatch(r"[a-z][a-z0-9_]*", key):  # a field name, not the start of a sentence
        return f"mục này chỉ cần câu văn: bỏ `{key}:` ở đầu" if isinstance(rest, str) else ""
    sentence = f"{key}:" if rest is None else f"{key}: {rest if isinstance(rest, str) else _show(rest, None)}"
    if len(sentence) > SHOWN_SENTENCE:
        sentence = sentence[:SHOWN_SENTENCE].rsplit(" ", 1)[0] + " …"
    quoted = f"'{sentence}'" if '"' in sentence else f'"{sentence}"'
    dash = "- " if in_list else ""
    return f"dấu `: ` trong câu làm YAML hiểu thành tên trường; đặt cả câu trong ngoặc kép: {dash}{quoted}"


def _date_hint(value: Any) -> str:
    """The ISO form of `30/06/2023`, or why `2023-02-30` does not exist."""
    if not isinstance(value, str):
        return DATE_EXAMPLE
    day_first = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value.strip())
    year_first = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if day_first:
        day, month, year = (int(part) for part in day_first.groups())
    elif year_first:
        year, month, day = (int(part) for part in year_first.groups())
    else:
        return DATE_EXAMPLE
    if not 1 <= month <= 12:
        return f"tháng phải từ 01 đến 12; {DATE_EXAMPLE}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"tháng {month}/{year} chỉ có {days} ngày"
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return DATE_EXAMPLE if iso == value.strip() else f"viết theo dạng YYYY-MM-DD: {iso}"


def _looks_like_date(value: Any) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", value.strip()))


def _listing(names: list[str]) -> str:
    shown = ", ".join(f"`{name}`" for name in names[:MAX_LISTED])
    return shown + (", …" if len(names) > MAX_LISTED else "")


class _Explainer:
    """Turns one jsonschema error into Vietnamese issues (several for `required` or unknown keys)."""

    def __init__(self, doc: LoadedDocument, root: dict[str, Any], resolver: Resolver[Any]) -> None:
        self.doc = doc
        self.root = root
        self.resolver = resolver

    def __call__(self, error: ValidationError) -> list[Issue]:
        if error.validator in ("anyOf", "oneOf") and error.context:
            return self(best_match(error.context))
        trail, resolver = self._trail(error)
        issues = self._explain(error, resolver)
        custom = next((node[MESSAGE_KEY] for node in reversed(trail) if MESSAGE_KEY in node), None)
        return [replace(issue, message=str(custom)) for issue in issues] if custom else issues

    def _trail(self, error: ValidationError) -> tuple[list[dict[str, Any]], Resolver[Any]]:
        """Schema objects describing the failing value, following the `$ref`s jsonschema drops from
        schema paths, so an `x-thong-bao` beside a `$ref` still applies."""
        node: Any = self.root
        resolver = self.resolver
        trail: list[dict[str, Any]] = [node]
        member_of: str | None = None  # the container keyword the previous step entered
        for part in list(error.absolute_schema_path)[:-1]:
            while member_of is None and isinstance(node, dict) and part not in node and "$ref" in node:
                try:
                    resolved = resolver.lookup(node["$ref"])
                except Unresolvable:
                    break
                node, resolver = resolved.contents, resolved.resolver
                trail.append(node)
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if member_of is None and isinstance(part, str) and part in CHILD_CONTAINERS | SAME_CONTAINERS:
                member_of = part
                continue
            if member_of in CHILD_CONTAINERS or part in CHILD_KEYWORDS:
                trail = []
            member_of = None
            if isinstance(node, dict):
                trail.append(node)
        if not trail or trail[-1] is not error.schema:
            trail.append(cast(dict[str, Any], error.schema))
        return [item for item in trail if isinstance(item, dict)], resolver

    def _explain(self, error: ValidationError, resolver: Resolver[Any]) -> list[Issue]:
        path: DataPath = tuple(error.absolute_path)
        value: Any = error.instance
        expected: Any = error.validator_value
        keyword = str(error.validator or "false")
        schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
        shown = _show(value, self.doc.positions.text(path))
        code = f"schema.{keyword}"

        def issue(message: str, hint: str = "", at: DataPath = path) -> Issue:
            return Issue(message, path=at, code=code, hint=hint)

        if keyword == "type":
            return [self._type_issue(error, path, shown)]
        properties = schema.get("properties", {})
        if keyword == "required":
            return [
                issue("thiếu trường bắt buộc", _title(properties.get(name)), (*path, name))
                for name in expected
                if name not in value
            ]
        if keyword == "dependentRequired":
            return [
                issue(
                    f"thiếu trường bắt buộc khi có `{trigger}`", _title(properties.get(name)), (*path, name)
                )
                for trigger, names in expected.items()
                if trigger in value
                for name in names
                if name not in value
            ]
        if keyword in ("additionalProperties", "unevaluatedProperties") and expected is False:
            return self._unknown_keys(error, path, schema, resolver)
        if keyword in ("enum", "const"):
            options = expected if keyword == "enum" else [expected]
            texts = [option for option in options if isinstance(option, str)]
            near = near_miss(value, texts) if isinstance(value, str) else None
            allowed = _listing([str(option) for option in options])
            message = f"phải là {allowed}" if keyword == "const" else f"phải là một trong {allowed}"
            return [issue(f"{message}, nhận được {shown}", f"có phải ý bạn là `{near}`?" if near else "")]
        if keyword in BOUND_MESSAGES:
            message = SPECIAL.get((keyword, expected)) or BOUND_MESSAGES[keyword].format(_number(expected))
            return [issue(f"{message}, nhận được {shown}")]
        if keyword == "format":
            if expected == "date":
                return [issue(f"ngày không hợp lệ: {shown}", _date_hint(value))]
            return [issue(f"không đúng định dạng {expected}, nhận được {shown}")]
        if keyword == "pattern":
            hint = _date_hint(value) if _looks_like_date(value) else ""
            return [issue(f"không đúng dạng quy định `{expected}`, nhận được {shown}", hint)]
        if keyword in SIZE_MESSAGES:
            return [
                issue(SPECIAL.get((keyword, expected)) or SIZE_MESSAGES[keyword].format(expected, len(value)))
            ]
        if keyword == "uniqueItems":
            return [
                issue(f"trùng với mục [{value.index(item)}] phía trên", at=(*path, index))
                for index, item in enumerate(value)
                if value.index(item) != index
            ]
        if keyword == "oneOf":
            return [issue("khớp với nhiều hơn một dạng cho phép; chỉ được khớp một")]
        if keyword == "not":
            return [issue(f"giá trị này không được phép: {shown}")]
        if keyword == "false":  # a `false` schema: nothing is allowed here
            return [issue("không được có giá trị ở đây")]
        return [issue(f"không hợp lệ theo mẫu ({keyword}): {error.message}")]

    def _type_issue(self, error: ValidationError, path: DataPath, shown: str) -> Issue:
        expected: Any = error.validator_value
        types: list[str] = [expected] if isinstance(expected, str) else list(expected)
        schema = error.schema if isinstance(error.schema, dict) else {}
        phrases = [TYPE_PHRASES.get(name, name) for name in types]
        if "integer" in types and schema.get("minimum") == 0:
            phrases[types.index("integer")] = "là số nguyên không âm"
        value, text = error.instance, self.doc.positions.text(path)
        hint = ""
        if "integer" in types:
            hint = _integer_hint(value, text)
        elif "number" in types:
            hint = _decimal_hint(value)
        elif "string" in types and isinstance(value, int | float):
            hint = f'đặt trong ngoặc kép nếu muốn giữ nguyên: "{text or value}"'
        elif "string" in types and isinstance(value, dict):
            hint = _sentence_hint(value, bool(path) and isinstance(path[-1], int))
        elif "array" in types and isinstance(value, str):
            hint = "mỗi mục một dòng, bắt đầu bằng `- `"
        message = f"phải {' hoặc '.join(phrases)}, nhận được {shown}"
        return Issue(message, path=path, code="schema.type", hint=hint)

    def _unknown_keys(
        self, error: ValidationError, path: DataPath, schema: dict[str, Any], resolver: Resolver[Any]
    ) -> list[Issue]:
        """One issue per unknown key, at the key itself, with the closest allowed name."""
        if error.validator == "additionalProperties":
            patterns = list(schema.get("patternProperties", {}))
            names = list(schema.get("properties", {}))
            extras = [
                key
                for key in cast(dict[str, Any], error.instance)
                if key not in names and not any(re.search(pattern, key) for pattern in patterns)
            ]
        else:
            listed = re.search(r"\((.*) (?:was|were) unexpected\)", error.message)
            names = sorted(_property_names(schema, resolver, set()))
            # A declared key whose own subschema failed is also "unevaluated"; that failure is reported.
            extras = [
                key for key in ast.literal_eval(f"[{listed.group(1) if listed else ''}]") if key not in names
            ]
        issues = []
        for key in extras:
            near = near_miss(key, names)
            hint = f"có phải ý bạn là `{near}`?" if near else f"các trường dùng được ở đây: {_listing(names)}"
            line, col = self.doc.positions.key((*path, key))
            message = "không có trường này trong mẫu"
            issue = Issue(message, path=(*path, key), code=f"schema.{error.validator}", hint=hint)
            issues.append(issue.at(self.doc.file, line, col))
        return issues


def _title(schema: Any) -> str:
    return str(schema.get("title", "")) if isinstance(schema, dict) else ""


def _property_names(schema: Any, resolver: Resolver[Any], seen: set[int]) -> set[str]:
    """Names a schema declares anywhere `unevaluatedProperties` can see them (applicators and `$ref`)."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    names = set(schema.get("properties", {}))
    subschemas = [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    subschemas += [schema[key] for key in ("if", "then", "else") if key in schema]
    subschemas += list(schema.get("dependentSchemas", {}).values())
    for subschema in subschemas:
        names |= _property_names(subschema, resolver, seen)
    if "$ref" in schema:
        try:
            resolved = resolver.lookup(schema["$ref"])
        except Unresolvable:
            return names
        names |= _property_names(resolved.contents, resolved.resolver, seen)
    return names


FieldPath = tuple[str, ...]


@cache
def field_paths(kind: str, where: Schemas = SCHEMA_DIR) -> dict[FieldPath, bool]:
    """Every field the kind's schema declares → whether it is a leaf; list items are the step `[]`.
    Walked once per kind per schema set (callers must not modify the result)."""
    resolver = _registry(where).resolver(base_uri=kind + SUFFIX)
    found: dict[FieldPath, bool] = {}
    _walk_fields(schema_files(where)[kind + SUFFIX], resolver, (), found, 0)
    return found


def _walk_fields(
    schema: Any, resolver: Resolver[Any], path: FieldPath, found: dict[FieldPath, bool], depth: int
) -> None:
    if not isinstance(schema, dict) or depth > 30:  # a recursive schema stops here
        return
    if "$ref" in schema:
        try:
            resolved = resolver.lookup(schema["$ref"])
        except Unresolvable:
            return
        _walk_fields(resolved.contents, resolved.resolver, path, found, depth + 1)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for subschema in schema.get(keyword, []):
            _walk_fields(subschema, resolver, path, found, depth + 1)
    children: list[tuple[FieldPath, Any]] = [
        ((*path, name), subschema) for name, subschema in schema.get("properties", {}).items()
    ]
    if "items" in schema:
        children.append(((*path, "[]"), schema["items"]))
    if path:
        found[path] = found.get(path, True) and not children
    for child, subschema in children:
        found.setdefault(child, True)
        _walk_fields(subschema, resolver, child, found, depth + 1)
