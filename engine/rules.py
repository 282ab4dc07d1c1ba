"""Declarative consistency rules, one file per kind: `schemas/<kind>.rules.yaml`.

Each rule relates stored figures by path (`a.b[*].c`; `[*]` walks a list). A figure
the data leaves out is computed and filled in; a stated figure that disagrees is kept
(the published document must still render) and reported as a warning, which
`--strict` turns into an error. Rule kinds:

- `tong`: `tong` = sum of `thanh_phan` (each part may walk a list);
- `khong_vuot`: `phan` ≤ `tong`;
- `ty_le`: `ty_le` (%) = `tu_so` / `mau_so` × 100, half-up to `chu_so` decimals (2);
- `dem`: `so` = number of items in `danh_sach`;
- `ky_bao_cao`: the issue date `ngay` falls after the period of year `nam` ending in month
  `thang_cuoi`, and no later than the next year.

A `[*]` in the checked figure's path binds the same list item in the other paths
(`huyen[*].ty_le` with `huyen[*].ho_ngheo`); any other `[*]` sums over the list.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine import vi
from engine.errors import BaocaoError, DataPath, Issue, Severity, format_path
from engine.paths import SCHEMA_DIR

WILDCARD = "*"
PatternPart = str | int
Pattern = tuple[PatternPart, ...]
Bindings = dict[Pattern, int]

RULE_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (required fields, optional fields)
    "tong": ({"tong", "thanh_phan"}, set()),
    "khong_vuot": ({"phan", "tong"}, set()),
    "ty_le": ({"ty_le", "tu_so", "mau_so"}, {"chu_so"}),
    "dem": ({"so", "danh_sach"}, set()),
    "ky_bao_cao": ({"ngay", "nam", "thang_cuoi"}, set()),
}
PATH_FIELDS = {"tong", "phan", "ty_le", "tu_so", "mau_so", "so", "danh_sach", "ngay", "nam"}
_PATH_SYNTAX = re.compile(r"[a-z_][a-z0-9_]*(\[\*\])?(\.[a-z_][a-z0-9_]*(\[\*\])?)*")


class RuleFileError(BaocaoError):
    """A rules file itself is malformed: a mistake in the engine's own files, not in user data."""


@dataclass(frozen=True)
class Rule:
    kind: str
    fields: Mapping[str, Any]

    def pattern(self, name: str) -> Pattern:
        return parse_pattern(self.fields[name])


@dataclass
class RuleResult:
    """The data with omitted figures filled in, the disagreements found, and each filled figure's sources."""

    data: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    sources: dict[str, tuple[DataPath, ...]] = field(default_factory=dict)


def parse_pattern(text: str) -> Pattern:
    """`mtqg.du_an[*].mo_hinh` → `("mtqg", "du_an", "*", "mo_hinh")`."""
    parts: list[PatternPart] = []
    for name in text.split("."):
        if name.endswith("[*]"):
            parts += [name.removesuffix("[*]"), WILDCARD]
        else:
            parts.append(name)
    return tuple(parts)


def rules_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.rules.yaml"


def load_rules(kind: str) -> tuple[Rule, ...]:
    return read_rules(rules_path(kind))


@cache
def read_rules(path: Path) -> tuple[Rule, ...]:
    """The rules of one rules file (a built-in kind's or a workspace's); none when it does not exist."""
    if not path.exists():
        return ()
    try:
        raw = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    except YAMLError as error:
        raise RuleFileError(f"{path}: tệp quy tắc không đọc được: {error}") from error
    if not isinstance(raw, list):
        raise RuleFileError(f"{path}: tệp quy tắc phải là một danh sách quy tắc")
    return tuple(_rule(path, index, item) for index, item in enumerate(raw))


def _rule(path: Path, index: int, item: object) -> Rule:
    where = f"{path}: quy tắc thứ {index + 1}"
    if not isinstance(item, dict) or item.get("kiem_tra") not in RULE_FIELDS:
        raise RuleFileError(f"{where}: `kiem_tra` phải là một trong {', '.join(RULE_FIELDS)}")
    fields = {key: value for key, value in item.items() if key != "kiem_tra"}
    required, optional = RULE_FIELDS[item["kiem_tra"]]
    if missing := required - fields.keys():
        raise RuleFileError(f"{where}: thiếu {', '.join(sorted(missing))}")
    if unknown := fields.keys() - required - optional:
        raise RuleFileError(f"{where}: không có trường {', '.join(sorted(unknown))}")
    texts = [fields[name] for name in PATH_FIELDS & fields.keys()]
    texts += fields.get("thanh_phan", [])
    for text in texts:
        if not isinstance(text, str) or not _PATH_SYNTAX.fullmatch(text):
            raise RuleFileError(f"{where}: đường dẫn không hợp lệ {text!r}")
    return Rule(item["kiem_tra"], fields)


def apply_rules(kind: str, data: Mapping[str, Any]) -> RuleResult:
    return run_rules(load_rules(kind), data)


def run_rules(rules: Sequence[Rule], data: Mapping[str, Any]) -> RuleResult:
    result = RuleResult(copy.deepcopy(dict(data)))
    for rule in rules:
        CHECKS[rule.kind](rule, result)
    return result


# --- walking paths -----------------------------------------------------------------


def _instances(data: Any, pattern: Pattern) -> Iterator[tuple[DataPath, Bindings]]:
    """Concrete paths matching `pattern` whose parent container exists (the value itself may be absent)."""

    def walk(
        node: Any, depth: int, path: DataPath, bindings: Bindings
    ) -> Iterator[tuple[DataPath, Bindings]]:
        part = pattern[depth]
        if depth == len(pattern) - 1:
            if isinstance(node, dict):
                yield (*path, part), bindings
            return
        if part == WILDCARD:
            if isinstance(node, list):
                for index, child in enumerate(node):
                    yield from walk(child, depth + 1, (*path, index), {**bindings, pattern[:depth]: index})
        elif isinstance(node, dict) and part in node:
            yield from walk(node[part], depth + 1, (*path, part), bindings)

    yield from walk(data, 0, (), {})


def _values(data: Any, pattern: Pattern, bindings: Bindings) -> list[tuple[DataPath, Any]]:
    """Present, non-null values at `pattern`; bound wildcards take their item, free ones take all."""
    found: list[tuple[DataPath, Any]] = [((), data)]
    for depth, part in enumerate(pattern):
        following: list[tuple[DataPath, Any]] = []
        for path, node in found:
            if part == WILDCARD and isinstance(node, list):
                bound = bindings.get(pattern[:depth])
                indices = [bound] if bound is not None and bound < len(node) else range(len(node))
                following += [((*path, index), node[index]) for index in indices]
            elif isinstance(node, dict) and node.get(part) is not None:
                following.append(((*path, part), node[part]))
        found = following
    return found


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: DataPath, value: object) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _number(value: int | Decimal) -> str:
    return vi.format_number(Decimal(value))


def _warn(result: RuleResult, path: DataPath, message: str, code: str) -> None:
    result.issues.append(Issue(message, path=path, severity=Severity.WARNING, code=f"rules.{code}"))


def _stated_or_filled(result: RuleResult, target: DataPath, computed: object, sources: list[DataPath]) -> Any:
    """The stated value when there is one; otherwise fill in `computed` and record its sources."""
    stated = _get(result.data, target[:-1]).get(target[-1])
    if stated is None:
        _set(result.data, target, computed)
        result.sources[format_path(target)] = tuple(sources)
    return stated


# --- the checks --------------------------------------------------------------------

MAX_TERMS_SHOWN = 6


def _check_sum(rule: Rule, result: RuleResult) -> None:
    for target, bindings in _instances(result.data, rule.pattern("tong")):
        parts = [
            found
            for text in rule.fields["thanh_phan"]
            for found in _values(result.data, parse_pattern(text), bindings)
        ]
        if not parts:
            continue
        total = sum(value for _, value in parts)
        stated = _stated_or_filled(result, target, total, [path for path, _ in parts])
        if stated is not None and stated != total:
            terms = " + ".join(_number(value) for _, value in parts)
            if len(parts) > MAX_TERMS_SHOWN:
                terms = f"{len(parts)} thành phần"
            _warn(
                result,
                target,
                f"({_number(stated)}) khác tổng các thành phần ({terms} = {_number(total)})",
                "tong",
            )


def _check_part_of_whole(rule: Rule, result: RuleResult) -> None:
    for part_path, bindings in _instances(result.data, rule.pattern("phan")):
        part = _get(result.data, part_path[:-1]).get(part_path[-1])
        wholes = _values(result.data, rule.pattern("tong"), bindings)
        if part is None or len(wholes) != 1:
            continue
        whole_path, whole = wholes[0]
        if part > whole:
            message = f"({_number(part)}) lớn hơn {format_path(whole_path)} ({_number(whole)})"
            _warn(result, part_path, message, "khong_vuot")


def _check_rate(rule: Rule, result: RuleResult) -> None:
    digits = int(rule.fields.get("chu_so", 2))
    for target, bindings in _instances(result.data, rule.pattern("ty_le")):
        numerators = _values(result.data, rule.pattern("tu_so"), bindings)
        denominators = _values(result.data, rule.pattern("mau_so"), bindings)
        if len(numerators) != 1 or len(denominators) != 1 or denominators[0][1] == 0:
            continue
        (numerator_path, numerator), (denominator_path, denominator) = numerators[0], denominators[0]
        computed = vi.ratio_half_up(Decimal(numerator), Decimal(denominator), digits)
        stated = _stated_or_filled(result, target, computed, [numerator_path, denominator_path])
        if stated is not None and vi.round_half_up(vi.exact(stated), digits) != computed:
            shown = vi.format_number(vi.exact(stated))
            message = (
                f"({shown}%) khác tỷ lệ tính được ({_number(numerator)} / {_number(denominator)}"
                f" = {vi.format_number(computed, digits)}%)"
            )
            _warn(result, target, message, "ty_le")


def _check_count(rule: Rule, result: RuleResult) -> None:
    for target, bindings in _instances(result.data, rule.pattern("so")):
        lists = _values(result.data, rule.pattern("danh_sach"), bindings)
        if len(lists) != 1 or not isinstance(lists[0][1], list):
            continue
        list_path, items = lists[0]
        stated = _stated_or_filled(result, target, len(items), [list_path])
        if stated is not None and stated != len(items):
            message = f"({_number(stated)}) khác số mục đã liệt kê ở {format_path(list_path)} ({len(items)})"
            _warn(result, target, message, "dem")


def _check_period(rule: Rule, result: RuleResult) -> None:
    dates = _values(result.data, rule.pattern("ngay"), {})
    years = _values(result.data, rule.pattern("nam"), {})
    if len(dates) != 1 or len(years) != 1:
        return
    (date_path, text), (_, year) = dates[0], years[0]
    parts = [int(part) for part in str(text).split("-")]
    issued_year, issued_month = parts[0], parts[1]
    last_month = int(rule.fields["thang_cuoi"])
    period_end = date(year + last_month // 12, last_month % 12 + 1, 1).toordinal() - 1
    end_text = vi.short_date(date.fromordinal(period_end))
    if len(parts) == 3:
        issued, too_early = f"ngày {vi.short_date(date(*parts))}", date(*parts).toordinal() < period_end
    else:
        issued, too_early = (
            f"tháng {issued_month}/{issued_year}",
            (issued_year, issued_month) < (year, last_month),
        )
    if too_early:
        message = f"ban hành {issued}, trước khi kỳ báo cáo kết thúc ({end_text})"
        _warn(result, date_path, message, "ky_bao_cao")
    elif issued_year > year + 1:
        _warn(result, date_path, f"ban hành năm {issued_year}, quá xa kỳ báo cáo năm {year}", "ky_bao_cao")


CHECKS = {
    "tong": _check_sum,
    "khong_vuot": _check_part_of_whole,
    "ty_le": _check_rate,
    "dem": _check_count,
    "ky_bao_cao": _check_period,
}
