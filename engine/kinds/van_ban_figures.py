"""Named figures of a general document (`so_lieu`): derivations and `[[tên]]` references in text.

A figure is stated (`gia_tri`, `don_vi`), derived (`tong`, `hieu`, `ty_le`, `ty_trong`,
`so_voi_ke_hoach`, `so_voi_ky_truoc`), or marked `chua_co_so_lieu`. Each derivation becomes
a `Rule` over `so_lieu.<tên>.gia_tri` and all run through the rules machinery
(engine/rules.py `apply_rules`): an omitted figure is filled in, a stated one that disagrees
is a located warning. What rules leave silent is checked here first, as located errors
naming the figure: an unknown input, a circular derivation, a text figure in arithmetic,
units that cannot be added, a zero denominator.

Reference syntax, inside any paragraph, bullet, heading or table cell:
`[[ten]]` prints the figure in its unit; `[[ten:FORMAT]]` with FORMAT one of `số` (number
only), `chữ` / `Chữ` (in words, capitalised), `kỳ` (its period), or a money unit
(`đồng`, `nghìn đồng`, `triệu đồng`, `tỷ đồng`). `\\[[` prints `[[` as typed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from engine import vi
from engine.errors import DataPath, Issue, Severity
from engine.filters import tien
from engine.rules import Rule, apply_rules

MISSING_TEXT = "(chưa có số liệu)"
MONEY_EXPONENTS = {"đồng": 0, "nghìn đồng": 3, "triệu đồng": 6, "tỷ đồng": 9}
PERCENT = "%"
DERIVATIONS = ("tong", "hieu", "ty_le", "ty_trong", "so_voi_ke_hoach", "so_voi_ky_truoc")
WORD_FORMATS = ("chữ", "Chữ")
FORMATS = ("số", *WORD_FORMATS, "kỳ", *MONEY_EXPONENTS)
REFERENCE = re.compile(r"\\\[\[|\[\[([^\[\]]*)\]\]|\[\[")
NAME = re.compile(r"[a-z_][a-z0-9_]*")
RATE_DIGITS = 2


@dataclass(frozen=True)
class Figure:
    """A figure ready to print: `value` is None when it is not available (`chua_co_so_lieu`)."""

    name: str
    value: Decimal | str | None
    unit: str | None = None
    period: str | None = None
    digits: int | None = None
    change: str | None = None  # `so_voi_ky_truoc`: "giảm 45 hộ"

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass
class Figures:
    by_name: dict[str, Figure] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    sources: dict[str, tuple[DataPath, ...]] = field(default_factory=dict)


def _error(path: DataPath, message: str, code: str, hint: str = "") -> Issue:
    return Issue(message, path=path, code=f"van_ban.{code}", hint=hint)


def near_hint(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"có phải ý bạn là `{close[0]}`?" if close else ""


def _inputs(spec: Mapping[str, Any]) -> tuple[str, list[str]]:
    kind = next(key for key in DERIVATIONS if spec.get(key) is not None)
    names = spec[kind]
    return kind, [names] if isinstance(names, str) else list(names)


def derive_figures(raw: Mapping[str, Mapping[str, Any]], previous: Mapping[str, Any] | None) -> Figures:
    result = Figures()
    names = list(raw)
    derived: dict[str, tuple[str, list[str]]] = {}
    for name, spec in raw.items():
        path: DataPath = ("so_lieu", name)
        kinds = [key for key in DERIVATIONS if spec.get(key) is not None]
        if len(kinds) > 1:
            message = f"số liệu `{name}` khai nhiều cách tính ({', '.join(kinds)}); chỉ giữ một"
            result.issues.append(_error(path, message, "nhieu_cach_tinh"))
        elif kinds and isinstance(spec.get("gia_tri"), str):
            message = f"số liệu `{name}` được tính ({kinds[0]}), giá trị đã nhập phải là số"
            result.issues.append(_error((*path, "gia_tri"), message, "khong_phai_so"))
        elif kinds:
            kind, inputs = _inputs(spec)
            if kind == "so_voi_ky_truoc":  # an unknown name is reported with the previous file's names
                derived[name] = (kind, [item for item in inputs if item in raw])
                continue
            unknown = [(index, item) for index, item in enumerate(inputs) if item not in raw]
            for index, item in unknown:
                message = f"số liệu `{name}` tính từ `{item}`, nhưng không có số liệu `{item}` trong so_lieu"
                where = (*path, kind, index) if len(inputs) > 1 or kind == "tong" else (*path, kind)
                result.issues.append(_error(where, message, "thieu_dau_vao", near_hint(item, names)))
            if not unknown:
                derived[name] = (kind, inputs)
        elif spec.get("gia_tri") is None and not spec.get("chua_co_so_lieu"):
            message = f"số liệu `{name}` chưa có `gia_tri` (hoặc cách tính, hoặc `chua_co_so_lieu: true`)"
            result.issues.append(_error(path, message, "thieu_gia_tri"))
    if result.issues:
        return result
    order = _order(derived, result)
    if result.issues:
        return result
    plan = _Plan(raw, previous, result)
    for name in [name for name in raw if name not in derived] + order:
        plan.add(name, derived.get(name))
    if any(issue.is_error for issue in result.issues):
        return result
    work: dict[str, Any] = {"so_lieu": {name: {"gia_tri": _stated(spec)} for name, spec in raw.items()}}
    if previous is not None:
        work["ky_truoc"] = {name: value for name, value in previous.items() if isinstance(value, Decimal)}
    ruled = apply_rules(plan.rules, work)
    result.issues += ruled.issues
    result.sources.update(ruled.sources)
    for name, meta in plan.meta.items():
        values = ruled.data["so_lieu"][name]
        result.by_name[name] = replace(meta, value=values["gia_tri"], change=values.get("cau"))
    plan.check_denominators()
    return result


def _stated(spec: Mapping[str, Any]) -> Decimal | str | None:
    value = spec.get("gia_tri")
    return vi.exact(value) if isinstance(value, int | float) else value


def _order(derived: Mapping[str, tuple[str, list[str]]], result: Figures) -> list[str]:
    """Derived figures, each after its inputs; a cycle is an error at its first figure."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2 or name not in derived:
            return
        if state.get(name) == 1:
            cycle = [*trail[trail.index(name) :], name]
            message = f"số liệu `{name}` tính vòng: {' → '.join(cycle)}; một số phải được nhập"
            result.issues.append(_error(("so_lieu", name), message, "tinh_vong"))
            return
        state[name] = 1
        for item in derived[name][1]:
            visit(item, [*trail, name])
        state[name] = 2
        order.append(name)

    for name in derived:
        if not result.issues:
            visit(name, [])
    return order


def _path(name: str, field: str = "gia_tri") -> str:
    return f"so_lieu.{name}.{field}"


class _Plan:
    """Each figure's unit and precision, and its derivation as a rule (engine/rules.py), in dependency order.

    A ratio to a target is a `ty_le` of achieved over planned; a change from the previous
    period is a `hieu` (the figure's value) and a `so_sanh`/`so_sanh_ty_le` (its words, `cau`).
    """

    def __init__(
        self, raw: Mapping[str, Mapping[str, Any]], previous: Mapping[str, Any] | None, result: Figures
    ):
        self.raw, self.previous, self.result = raw, previous, result
        self.meta: dict[str, Figure] = {}
        self.rules: list[Rule] = []
        self.divisions: list[tuple[str, str, str]] = []  # (figure, rule kind, denominator)

    def add(self, name: str, derivation: tuple[str, list[str]] | None) -> None:
        spec = self.raw[name]
        unit, digits = spec.get("don_vi"), spec.get("chu_so")
        figure = Figure(name, None, unit=unit, period=spec.get("ky"), digits=digits)
        if spec.get("chua_co_so_lieu"):
            message = f"số liệu `{name}` chưa có số liệu; mọi câu dùng số này in “{MISSING_TEXT}”"
            issue = Issue(message, path=("so_lieu", name), severity=Severity.WARNING, code="van_ban.chua_co")
            self.result.issues.append(issue)
        elif derivation is not None:
            figure = self._derived(name, figure, *derivation)
        self.meta[name] = figure

    def _derived(self, name: str, figure: Figure, kind: str, inputs: list[str]) -> Figure:
        path: DataPath = ("so_lieu", name, kind)
        if kind == "so_voi_ky_truoc":
            return self._change(name, figure)
        texts = [item for item in inputs if isinstance(self.raw[item].get("gia_tri"), str)]
        if texts:
            message = f"số liệu `{name}` tính từ `{texts[0]}`, nhưng `{texts[0]}` là chữ, không phải số"
            self.result.issues.append(_error(path, message, "khong_phai_so"))
            return figure
        sources = [self.meta[item] for item in inputs]
        if kind in ("tong", "hieu"):
            if len({source.unit for source in sources}) > 1:
                shown = (" + " if kind == "tong" else " − ").join(
                    f"{source.name} ({source.unit or 'không đơn vị'})" for source in sources
                )
                message = f"số liệu `{name}` cộng trừ các số khác đơn vị: {shown}"
                self.result.issues.append(_error(path, message, "khac_don_vi"))
                return figure
            if kind == "tong":
                self.rules.append(
                    Rule("tong", {"tong": _path(name), "thanh_phan": [_path(i) for i in inputs]})
                )
            else:
                difference = {"hieu": _path(name), "so_bi_tru": _path(inputs[0]), "so_tru": _path(inputs[1])}
                self.rules.append(Rule("hieu", difference))
            return replace(figure, unit=figure.unit or sources[0].unit)
        digits = RATE_DIGITS if figure.digits is None else figure.digits
        rule_kind, part, whole = (
            ("ty_trong", "phan", "tong") if kind == "ty_trong" else ("ty_le", "tu_so", "mau_so")
        )
        fields: dict[str, Any] = {rule_kind: _path(name), part: _path(inputs[0]), whole: _path(inputs[1])}
        fields["chu_so"] = digits
        self.rules.append(Rule(rule_kind, fields))
        self.divisions.append((name, kind, inputs[1]))
        return replace(figure, unit=PERCENT, digits=digits)

    def _change(self, name: str, figure: Figure) -> Figure:
        """`so_voi_ky_truoc: ho_ngheo`: this period's figure against the previous file's, in words."""
        item = self.raw[name]["so_voi_ky_truoc"]
        path: DataPath = ("so_lieu", name, "so_voi_ky_truoc")
        current = self.meta.get(item)
        if self.previous is None:
            message = f"số liệu `{name}` so với kỳ trước nhưng văn bản chưa có `ky_truoc` (tệp kỳ trước)"
            self.result.issues.append(_error(path, message, "thieu_ky_truoc"))
        elif current is None:
            message = f"số liệu `{name}` so với `{item}`, nhưng không có số liệu `{item}` trong so_lieu"
            self.result.issues.append(_error(path, message, "thieu_dau_vao", near_hint(item, list(self.raw))))
        elif not isinstance(self.previous.get(item), Decimal):
            message = f"số liệu `{name}`: tệp kỳ trước không có số `{item}`"
            hint = near_hint(item, list(self.previous))
            self.result.issues.append(_error(path, message, "thieu_ky_truoc", hint))
        else:
            before, after = f"ky_truoc.{item}", _path(item)
            self.rules.append(Rule("hieu", {"hieu": _path(name), "so_bi_tru": after, "so_tru": before}))
            if current.unit == PERCENT:
                digits = RATE_DIGITS if current.digits is None else current.digits
                fields = {
                    "so_sanh_ty_le": _path(name, "cau"),
                    "truoc": before,
                    "sau": after,
                    "chu_so": digits,
                }
                self.rules.append(Rule("so_sanh_ty_le", fields))
            else:
                fields = {
                    "so_sanh": _path(name, "cau"),
                    "truoc": before,
                    "sau": after,
                    "don_vi": current.unit or "",
                }
                self.rules.append(Rule("so_sanh", fields))
            return replace(figure, unit=current.unit, digits=current.digits)
        return figure

    def check_denominators(self) -> None:
        """A rate over zero is left blank by its rule; here it is an error naming the figure."""
        for name, kind, denominator in self.divisions:
            if self.result.by_name[denominator].value == 0:
                message = f"số liệu `{name}` chia cho `{denominator}` bằng 0"
                self.result.issues.append(_error(("so_lieu", name, kind), message, "chia_0"))


# --- references in text ------------------------------------------------------------------


@dataclass
class References:
    """Formats `[[tên]]` references; problems are collected as located errors."""

    figures: Mapping[str, Figure]
    issues: list[Issue] = field(default_factory=list)

    def text(self, text: str, path: DataPath) -> str:
        def replace(match: re.Match[str]) -> str:
            token = match.group(0)
            if token == "\\[[":
                return "[["
            if match.group(1) is None:
                message = "`[[` chưa đóng bằng `]]`"
                self.issues.append(_error(path, message, "tham_chieu", "viết \\[[ để in nguyên [["))
                return token
            return self.reference(match.group(1), path)

        return REFERENCE.sub(replace, text) if "[[" in text else text

    def lookup(self, inner: str, path: DataPath) -> tuple[Figure | None, str | None]:
        name, _, form = (part.strip() for part in inner.partition(":"))
        if not NAME.fullmatch(name):
            message = f"`[[{inner}]]`: tên số liệu chỉ gồm chữ thường không dấu, số và `_`"
            self.issues.append(_error(path, message, "tham_chieu", "viết \\[[ để in nguyên [["))
            return None, None
        figure = self.figures.get(name)
        if figure is None:
            message = f"không có số liệu `{name}` trong so_lieu"
            self.issues.append(_error(path, message, "tham_chieu", near_hint(name, list(self.figures))))
            return None, None
        if form and form not in FORMATS:
            message = f"`[[{inner}]]`: không có cách in `{form}`; có: {', '.join(FORMATS)}"
            self.issues.append(_error(path, message, "tham_chieu", near_hint(form, list(FORMATS))))
            return None, None
        return figure, form or None

    def reference(self, inner: str, path: DataPath) -> str:
        figure, form = self.lookup(inner, path)
        if figure is None:
            return ""
        try:
            return format_figure(figure, form)
        except ValueError as error:
            self.issues.append(_error(path, f"`[[{inner}]]`: {error}", "tham_chieu"))
            return ""


def format_figure(figure: Figure, form: str | None = None) -> str:
    """The figure as a sentence prints it; `ValueError` (Vietnamese) when the form does not fit it."""
    if form == "kỳ":
        if figure.period is None:
            raise ValueError(f"số liệu `{figure.name}` không ghi kỳ (`ky`)")
        return figure.period
    if figure.missing:
        return MISSING_TEXT
    value = figure.value
    if isinstance(value, str):
        if form:
            raise ValueError(f"số liệu `{figure.name}` là chữ, không in được dạng `{form}`")
        return value
    assert value is not None
    if figure.change is not None and form is None:
        return figure.change
    unit = figure.unit
    if form in MONEY_EXPONENTS or form in WORD_FORMATS:
        return _money_or_words(figure, value, form)
    number = number_text(value, figure.digits, unit)
    if form == "số" or not unit:
        return number
    return number + unit if unit == PERCENT else f"{number} {unit}"


def number_text(value: Decimal, digits: int | None, unit: str | None) -> str:
    if digits is None and unit == PERCENT:
        digits = RATE_DIGITS
    if digits is None and unit == "đồng":
        digits = 0
    return vi.format_number(value, digits)


def _money_or_words(figure: Figure, value: Decimal, form: str) -> str:
    unit = figure.unit or ""
    if unit in MONEY_EXPONENTS:
        value = vi.shift(value, MONEY_EXPONENTS[unit])
        unit = "đồng"
    elif form in MONEY_EXPONENTS:
        raise ValueError(f"số liệu `{figure.name}` có đơn vị `{unit}`, không phải tiền")
    if form in MONEY_EXPONENTS:
        scale = {0: None, 3: "nghìn", 6: "triệu", 9: "tỷ"}[MONEY_EXPONENTS[form]]
        return tien(value, scale)
    if value != value.to_integral_value() or value < 0:
        raise ValueError(
            f"chỉ đọc thành chữ được số nguyên không âm, số liệu `{figure.name}` là {vi.format_number(value)}"
        )
    words = vi.number_words(int(value)) + (f" {unit}" if unit and unit != PERCENT else "")
    if unit == PERCENT:
        words += " phần trăm"
    return vi.capitalize_first(words) if form == "Chữ" else words
