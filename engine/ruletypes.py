"""The rule types of `schemas/<kind>.rules.yaml` and how each is computed (engine/rules.py reads the files).

A rule names figures by path (`a.b[*].c`; `[*]` walks a list). A rule with a target
(`RuleType.target`) derives that figure from its inputs: an omitted figure is filled in;
a stated one that disagrees is kept (the published document must still render) and
reported as a located warning, which `--strict` turns into an error. A rule without a
target only checks. A `[*]` in the target's path binds the same list item in the inputs
(`huyen[*].ty_le` with `huyen[*].ho_ngheo`); any other `[*]` sums over the list.

A derived-only target (`Rule.derived`: a name the schema does not store, such as
`so_sanh.ho_ngheo`) is always created, with its parent mappings: the computed value, or
None when an input is missing, so a template can test it. Arithmetic and wording come
from engine/vi.py and engine/derive.py, shared with every other derivation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine import vi
from engine.derive import count_change, plan_attainment, rate_change
from engine.errors import DataPath, Issue, Severity, format_path

WILDCARD = "*"
PatternPart = str | int
Pattern = tuple[PatternPart, ...]
Bindings = dict[Pattern, int]
Position = tuple[int, int]
Number = int | float | Decimal


@dataclass(frozen=True)
class Option:
    """A rule field that is not a path: its check, what it must be (for the message), its default."""

    accepts: Callable[[Any], bool]
    expected: str
    default: Any = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class RuleType:
    target: str | None  # the field naming the derived figure; None for a check
    inputs: tuple[str, ...] = ()  # fields naming one figure each
    lists: tuple[str, ...] = ()  # fields holding a list of paths (or fixed numbers)
    options: Mapping[str, Option] = field(default_factory=dict)

    @property
    def path_fields(self) -> tuple[str, ...]:
        return (*((self.target,) if self.target else ()), *self.inputs)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.path_fields, *self.lists, *self.options)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


DIGITS = Option(lambda value: _is_int(value) and 0 <= value <= 6, "một số nguyên từ 0 đến 6", 2)
MONTH = Option(lambda value: _is_int(value) and 1 <= value <= 12, "một số nguyên từ 1 đến 12")
UNIT = Option(lambda value: isinstance(value, str) and bool(value.strip()), "một đơn vị, ví dụ `hộ`")

OPTIONAL_NAME = Option(lambda value: isinstance(value, str), "tên một trường cùng nhóm, ví dụ `ky`", "")

RULE_TYPES: dict[str, RuleType] = {
    "tong": RuleType("tong", lists=("thanh_phan",)),
    "hieu": RuleType("hieu", ("so_bi_tru", "so_tru")),
    "ty_le": RuleType("ty_le", ("tu_so", "mau_so"), options={"chu_so": DIGITS}),
    "ty_trong": RuleType("ty_trong", ("phan", "tong"), options={"chu_so": DIGITS}),
    "dem": RuleType("so", ("danh_sach",)),
    "dat_ke_hoach": RuleType("dat_ke_hoach", ("thuc_hien", "ke_hoach"), options={"chu_so": DIGITS}),
    "so_sanh": RuleType("so_sanh", ("truoc", "sau"), options={"don_vi": UNIT}),
    "so_sanh_ty_le": RuleType("so_sanh_ty_le", ("truoc", "sau"), options={"chu_so": DIGITS}),
    "khong_vuot": RuleType(None, ("phan", "tong")),
    "ky_bao_cao": RuleType(None, ("ngay", "nam"), options={"thang_cuoi": MONTH}),
    "can_doi": RuleType(None, ("cuoi", "dau"), lists=("tang", "giam")),
    "so_ho_huong": RuleType(None, ("so_ho", "tong"), options={"tru_khi_co": OPTIONAL_NAME}),
}


def parse_pattern(text: str) -> Pattern:
    """`mtqg.du_an[*].mo_hinh` → `("mtqg", "du_an", "*", "mo_hinh")`."""
    parts: list[PatternPart] = []
    for name in text.split("."):
        if name.endswith("[*]"):
            parts += [name.removesuffix("[*]"), WILDCARD]
        else:
            parts.append(name)
    return tuple(parts)


@dataclass(frozen=True)
class Rule:
    """One rule: its type (`kiem_tra`), its fields, and where it was written (for messages)."""

    kind: str
    fields: Mapping[str, Any]
    file: str = ""
    line: int = 0
    col: int = 0
    positions: Mapping[str, Position] = field(default_factory=dict)  # "tong", "thanh_phan[1]", …
    derived: bool = False  # the target is a derived-only name, not a stored field

    @property
    def type(self) -> RuleType:
        return RULE_TYPES[self.kind]

    def pattern(self, name: str) -> Pattern:
        return parse_pattern(self.fields[name])

    def option(self, name: str) -> Any:
        value = self.fields.get(name)
        return self.type.options[name].default if value is None else value

    @property
    def target(self) -> str | None:
        return self.fields[self.type.target] if self.type.target else None

    def inputs(self) -> list[tuple[str, str]]:
        """(where, path) of every figure the rule reads; `where` keys `positions`."""
        found = [(name, self.fields[name]) for name in self.type.inputs]
        for name in self.type.lists:
            found += [
                (f"{name}[{index}]", text)
                for index, text in enumerate(self.fields[name])
                if isinstance(text, str)
            ]
        return found

    def paths(self) -> list[str]:
        """Every path the rule names: its target, then its inputs."""
        return [*filter(None, [self.target]), *(text for _, text in self.inputs())]

    def position(self, where: str) -> Position:
        return self.positions.get(where, (self.line, self.col))


@dataclass
class RuleResult:
    """The data with omitted figures filled in, the disagreements found, and each filled figure's sources."""

    data: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    sources: dict[str, tuple[DataPath, ...]] = field(default_factory=dict)


def apply_rules(rules: Sequence[Rule], data: Mapping[str, Any]) -> RuleResult:
    """Run `rules` in the order given (load_rules returns them in dependency order) on a copy of `data`."""
    result = RuleResult(_tree_copy(dict(data)))
    for rule in rules:
        CHECKS[rule.kind](rule, result)
    return result


def _tree_copy(node: Any) -> Any:
    """A copy of every mapping and list; the leaves, numbers and text as loaded, are immutable and shared.
    Several times faster than `copy.deepcopy`, which keeps a memo of every object it meets."""
    if isinstance(node, dict):
        return {key: _tree_copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_tree_copy(item) for item in node]
    return node


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


def _targets(rule: Rule, data: dict[str, Any]) -> Iterator[tuple[DataPath, Bindings]]:
    """Where the rule's figure goes; a derived-only target's parent mappings are created."""
    pattern = parse_pattern(str(rule.target))
    if not rule.derived:
        yield from _instances(data, pattern)
        return
    node: Any = data
    for part in pattern[:-1]:
        if not isinstance(node, dict):
            return
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    yield pattern, {}


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


def _single(rule: Rule, result: RuleResult, name: str, bindings: Bindings) -> tuple[DataPath, Any] | None:
    values = _values(result.data, rule.pattern(name), bindings)
    return values[0] if len(values) == 1 else None


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _number(value: Number) -> str:
    return vi.format_number(vi.exact(value))


def _warn(result: RuleResult, path: DataPath, message: str, code: str) -> None:
    result.issues.append(Issue(message, path=path, severity=Severity.WARNING, code=f"rules.{code}"))


def _settle(
    rule: Rule, result: RuleResult, target: DataPath, computed: Any, sources: Sequence[DataPath]
) -> Any:
    """The stated figure, if any (to compare with `computed`); otherwise fill in `computed`.

    `computed` None means an input is missing: a derived-only figure is then set to None."""
    parent = _get(result.data, target[:-1])
    stated = parent.get(target[-1])
    if stated is None:
        if computed is not None or rule.derived:
            parent[target[-1]] = computed
        if computed is not None:
            result.sources[format_path(target)] = tuple(sources)
    return None if computed is None else stated


# --- the rule types ----------------------------------------------------------------

MAX_TERMS_SHOWN = 6


def _sum(rule: Rule, result: RuleResult) -> None:
    for target, bindings in _targets(rule, result.data):
        parts: list[tuple[DataPath | None, Number]] = []
        for item in rule.fields["thanh_phan"]:
            parts += _item_values(result.data, item, bindings)
        sources = [path for path, _ in parts if path is not None]
        total = sum(value for _, value in parts) if sources else None
        stated = _settle(rule, result, target, total, sources)
        if stated is not None and total is not None and stated != total:
            terms = " + ".join(_number(value) for _, value in parts)
            if len(parts) > MAX_TERMS_SHOWN:
                terms = f"{len(parts)} thành phần"
            message = f"({_number(stated)}) khác tổng các thành phần ({terms} = {_number(total)})"
            _warn(result, target, message, rule.kind)


def _difference(rule: Rule, result: RuleResult) -> None:
    for target, bindings in _targets(rule, result.data):
        minuend = _single(rule, result, "so_bi_tru", bindings)
        subtrahend = _single(rule, result, "so_tru", bindings)
        if minuend is None or subtrahend is None:
            _settle(rule, result, target, None, [])
            continue
        (left_path, left), (right_path, right) = minuend, subtrahend
        computed = left - right if _is_int(left) and _is_int(right) else vi.exact(left) - vi.exact(right)
        stated = _settle(rule, result, target, computed, [left_path, right_path])
        if stated is not None and vi.exact(stated) != vi.exact(computed):
            shown = f"{_number(left)} - {_number(right)} = {_number(computed)}"
            _warn(result, target, f"({_number(stated)}) khác hiệu tính được ({shown})", rule.kind)


def _percent(rule: Rule, result: RuleResult, part_field: str, whole_field: str, noun: str) -> None:
    """`ty_le` and `ty_trong`: part / whole × 100, half-up to `chu_so` decimals; a stated figure is
    compared at that precision."""
    digits = int(rule.option("chu_so"))
    for target, bindings in _targets(rule, result.data):
        part, whole = (
            _single(rule, result, part_field, bindings),
            _single(rule, result, whole_field, bindings),
        )
        if part is None or whole is None or whole[1] == 0:
            _settle(rule, result, target, None, [])
            continue
        (part_path, numerator), (whole_path, denominator) = part, whole
        computed = vi.ratio_half_up(vi.exact(numerator), vi.exact(denominator), digits)
        stated = _settle(rule, result, target, computed, [part_path, whole_path])
        if stated is not None and vi.round_half_up(vi.exact(stated), digits) != computed:
            shown = f"{_number(numerator)} / {_number(denominator)} = {vi.format_number(computed, digits)}%"
            message = f"({vi.format_number(vi.exact(stated))}%) khác {noun} tính được ({shown})"
            _warn(result, target, message, rule.kind)


def _rate(rule: Rule, result: RuleResult) -> None:
    _percent(rule, result, "tu_so", "mau_so", "tỷ lệ")


def _share(rule: Rule, result: RuleResult) -> None:
    _percent(rule, result, "phan", "tong", "tỷ trọng")


def _count(rule: Rule, result: RuleResult) -> None:
    for target, bindings in _targets(rule, result.data):
        found = _single(rule, result, "danh_sach", bindings)
        if found is None or not isinstance(found[1], list):
            _settle(rule, result, target, None, [])
            continue
        list_path, items = found
        stated = _settle(rule, result, target, len(items), [list_path])
        if stated is not None and stated != len(items):
            message = f"({_number(stated)}) khác số mục đã liệt kê ở {format_path(list_path)} ({len(items)})"
            _warn(result, target, message, rule.kind)


def _phrase(
    rule: Rule, result: RuleResult, fields: tuple[str, str], wording: Callable[[Any, Any], str | None]
) -> None:
    """`dat_ke_hoach`, `so_sanh`, `so_sanh_ty_le`: a phrase from two figures (engine/derive.py words it)."""
    for target, bindings in _targets(rule, result.data):
        left, right = (_single(rule, result, name, bindings) for name in fields)
        computed = None if left is None or right is None else wording(left[1], right[1])
        sources = [] if left is None or right is None else [left[0], right[0]]
        stated = _settle(rule, result, target, computed, sources)
        if stated is not None and stated != computed:
            _warn(result, target, f'"{stated}" khác câu tính được ("{computed}")', rule.kind)


def _attainment(rule: Rule, result: RuleResult) -> None:
    digits = int(rule.option("chu_so"))
    _phrase(rule, result, ("thuc_hien", "ke_hoach"), lambda done, plan: plan_attainment(done, plan, digits))


def _count_change(rule: Rule, result: RuleResult) -> None:
    unit = str(rule.option("don_vi"))
    _phrase(rule, result, ("truoc", "sau"), lambda before, after: count_change(before, after, unit))


def _rate_change(rule: Rule, result: RuleResult) -> None:
    digits = int(rule.option("chu_so"))
    _phrase(rule, result, ("truoc", "sau"), lambda before, after: rate_change(before, after, digits))


def _part_of_whole(rule: Rule, result: RuleResult) -> None:
    for part_path, bindings in _instances(result.data, rule.pattern("phan")):
        part = _get(result.data, part_path[:-1]).get(part_path[-1])
        wholes = _values(result.data, rule.pattern("tong"), bindings)
        if part is None or len(wholes) != 1:
            continue
        whole_path, whole = wholes[0]
        if part > whole:
            message = f"({_number(part)}) lớn hơn {format_path(whole_path)} ({_number(whole)})"
            _warn(result, part_path, message, "khong_vuot")


def _period(rule: Rule, result: RuleResult) -> None:
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


def _balance(rule: Rule, result: RuleResult) -> None:
    """`can_doi`: end = start + increases − decreases (a flow between two periods); checked only when
    every figure is given."""
    for end_path, bindings in _instances(result.data, rule.pattern("cuoi")):
        end = _get(result.data, end_path[:-1]).get(end_path[-1])
        start = _single(rule, result, "dau", bindings)
        flows = [
            [_item_values(result.data, item, bindings) for item in rule.fields[name]]
            for name in ("tang", "giam")
        ]
        if end is None or start is None or any(len(found) != 1 for group in flows for found in group):
            continue
        (ups, downs), (start_path, start_value) = ([found[0] for found in group] for group in flows), start
        computed = start_value + sum(value for _, value in ups) - sum(value for _, value in downs)
        if end != computed:
            terms = "".join(
                [_term(start_path, start_value)]
                + [f" + {_term(path, value)}" for path, value in ups]
                + [f" - {_term(path, value)}" for path, value in downs]
            )
            message = f"({_number(end)}) khác số tính theo kỳ trước ({terms} = {_number(computed)})"
            _warn(result, end_path, message, rule.kind)


def _item_values(data: Any, item: Any, bindings: Bindings) -> list[tuple[DataPath | None, Any]]:
    """The values a list item names (`tong`, `can_doi`); a fixed number is its own value."""
    return [(None, item)] if not isinstance(item, str) else [*_values(data, parse_pattern(item), bindings)]


def _term(path: DataPath | None, value: Number) -> str:
    """A figure in a message, named by its path; a fixed number (path None) by itself."""
    return _number(value) if path is None else f"{format_path(path)} {_number(value)}"


def _beneficiaries(rule: Rule, result: RuleResult) -> None:
    """`so_ho_huong`: households supported in the year cannot outnumber such households (each counts
    once; support counted per time belongs in a `lượt` field). Skipped when the item has `tru_khi_co`
    (e.g. a cumulative period `ky`)."""
    skip = str(rule.option("tru_khi_co"))
    for part_path, bindings in _instances(result.data, rule.pattern("so_ho")):
        parent = _get(result.data, part_path[:-1])
        part = parent.get(part_path[-1])
        wholes = _values(result.data, rule.pattern("tong"), bindings)
        if part is None or len(wholes) != 1 or (skip and parent.get(skip) is not None):
            continue
        whole_path, whole = wholes[0]
        if part > whole:
            message = (
                f"({_number(part)} hộ) nhiều hơn {format_path(whole_path)} ({_number(whole)} hộ): mỗi hộ"
                " chỉ tính một lần (số lượt hỗ trợ ghi ở trường so_luot)"
            )
            _warn(result, part_path, message, rule.kind)


CHECKS: dict[str, Callable[[Rule, RuleResult], None]] = {
    "tong": _sum,
    "hieu": _difference,
    "ty_le": _rate,
    "ty_trong": _share,
    "dem": _count,
    "dat_ke_hoach": _attainment,
    "so_sanh": _count_change,
    "so_sanh_ty_le": _rate_change,
    "khong_vuot": _part_of_whole,
    "ky_bao_cao": _period,
    "can_doi": _balance,
    "so_ho_huong": _beneficiaries,
}
