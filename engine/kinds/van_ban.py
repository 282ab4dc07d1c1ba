"""General ND30 document (`van_ban`): báo cáo, kế hoạch, tờ trình, thông báo, chương trình or công văn
on any subject, its body written in the data.

What cannot be declared lives here: the body's nesting becomes a flat list of blocks
numbered I. / 1. / 1.1. / a) / - (Vietnamese letters), `[[tên]]` references are
formatted (engine/kinds/van_ban_figures.py), tables are built with their derived
columns and totals (engine/kinds/van_ban_tables.py), and the Phụ lục caption is made
from the document's own number and date. The template only lays the blocks out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from engine import vi
from engine.derive import Context, Derivation, common_context, with_closing_mark
from engine.errors import DataPath, Issue
from engine.kinds.van_ban_figures import References, derive_figures
from engine.kinds.van_ban_tables import build_table

TYPES = {
    # the_loai: (tên loại, mã loại in the number, name in the Phụ lục caption)
    "bao_cao": ("BÁO CÁO", "BC", "Báo cáo"),
    "ke_hoach": ("KẾ HOẠCH", "KH", "Kế hoạch"),
    "to_trinh": ("TỜ TRÌNH", "TTr", "Tờ trình"),
    "thong_bao": ("THÔNG BÁO", "TB", "Thông báo"),
    "chuong_trinh": ("CHƯƠNG TRÌNH", "CTr", "Chương trình"),
    "cong_van": (None, None, "Công văn"),
}
# Heading styles by depth, for each numbering scheme: the template lays out each `kieu`.
LEVELS = {
    "la_ma": ("muc_la_ma", "muc_so", "muc_so_con", "muc_chu", "muc_gach"),
    "so": ("muc_so", "muc_so_con", "muc_chu", "muc_gach"),
}
LEVEL_NAMES = {"muc_la_ma": "I.", "muc_so": "1.", "muc_so_con": "1.1.", "muc_chu": "a)", "muc_gach": "-"}
TEXT_BLOCKS = ("doan", "gach", "cong")
# The body, figures and numbering are read here, never printed by the template as they are.
DERIVER_INPUTS = frozenset(
    (name,)
    for name in (
        "the_loai",
        "so_hieu",
        "kinh_gui",
        "danh_so_muc",
        "so_lieu",
        "ky_truoc",
        "mo_dau",
        "noi_dung",
    )
) | {("phu_luc",), ("co_quan", "ten_viet_tat")}
BLOCK_KEYS = ("muc", "gach", "bang")


def derive_van_ban(data: Mapping[str, Any]) -> Derivation:
    figures = derive_figures(data.get("so_lieu") or {}, _previous(data))
    if any(issue.is_error for issue in figures.issues):
        return Derivation({}, figures.issues)
    refs = References(figures.by_name)
    type_name, type_code, caption_name = TYPES[data["the_loai"]]
    context: Context = common_context({**data, "so_hieu": {**data["so_hieu"], "ma_loai": type_code}})
    number = _number_line(data["so_hieu"], type_code)
    context["so_ky_hieu"] = number
    # Each figure's value by name: what a later period's `ky_truoc` compares with (engine/previous.py).
    context["so_lieu"] = {name: figure.value for name, figure in figures.by_name.items()}
    context["ten_loai"] = type_name
    subject = refs.text(str(data["trich_yeu"]), ("trich_yeu",))
    context["trich_yeu"] = subject
    context["cong_van"] = type_code is None
    context["vv"] = subject if subject.startswith("V/v") else f"V/v {subject}"
    context["kinh_gui"] = _recipients(data.get("kinh_gui") or [])
    context["mo_dau"] = [
        refs.text(str(text), ("mo_dau", index)) for index, text in enumerate(data.get("mo_dau") or [])
    ]
    scheme = LEVELS[data.get("danh_so_muc") or "la_ma"]
    body = Body(refs, scheme)
    body.blocks(data["noi_dung"], ("noi_dung",), depth=0, prefix="")
    _close(body.out, context["mo_dau"])
    context["khoi"] = body.out
    issued = _short_date(data["ngay_ban_hanh"])
    caption = f"(Kèm theo {caption_name} số {number} ngày {issued} của {data['co_quan']['ten_viet_tat']})"
    appendices = data.get("phu_luc") or []
    context["phu_luc"] = []
    for index, appendix in enumerate(appendices):
        part = Body(refs, scheme)
        part.blocks(appendix["noi_dung"], ("phu_luc", index, "noi_dung"), depth=0, prefix="")
        context["phu_luc"].append(
            {
                "so": f" {vi.roman(index + 1)}" if len(appendices) > 1 else "",
                "tieu_de": refs.text(str(appendix["tieu_de"]), ("phu_luc", index, "tieu_de")).upper(),
                "kem_theo": caption,
                "khoi": part.out,
            }
        )
    return Derivation(context, [*figures.issues, *refs.issues, *body.issues], figures.sources)


def _previous(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    previous = data.get("ky_truoc")
    return previous if isinstance(previous, Mapping) else None


def _number_line(number: Mapping[str, Any], type_code: str | None) -> str:
    """`07/BC-UBND`; a công văn has no type code: `125/UBND-VP`; a draft leaves the number blank."""
    if type_code is not None:
        return vi.document_number(number.get("so"), type_code, number["ma_co_quan"])
    so = number.get("so")
    text = vi.BLANK_NUMBER if so is None else f"{so:02d}"
    unit = number.get("ma_don_vi")
    return f"{text}/{number['ma_co_quan']}" + (f"-{unit}" if unit else "")


def _short_date(text: str) -> str:
    """`07/3/2024`; a draft without a day: `     /4/2023`."""
    issued = text.split("-")
    if len(issued) == 2:
        return f"{vi.BLANK_NUMBER}/{int(issued[1])}/{issued[0]}"
    return vi.short_date(date.fromisoformat(text))


def _recipients(names: Sequence[str]) -> dict[str, Any]:
    """One recipient on the `Kính gửi:` line; several as `- …;` lines, the last ending with `.`."""
    cleaned = [str(name).rstrip(" ;.") for name in names]
    if len(cleaned) == 1:
        return {"mot": cleaned[0], "ds": []}
    lines = [f"- {name}{'.' if index == len(cleaned) - 1 else ';'}" for index, name in enumerate(cleaned)]
    return {"mot": None, "ds": lines}


def _close(blocks: list[dict[str, Any]], opening: list[str]) -> None:
    """`./.` after the body's last sentence."""
    for block in reversed(blocks):
        if block["kieu"] in TEXT_BLOCKS:
            block["chu"] = with_closing_mark(block["chu"])
            return
    if opening:
        opening[-1] = with_closing_mark(opening[-1])


class Body:
    """Flattens nested blocks into the template's list, numbering headings by depth."""

    def __init__(self, refs: References, scheme: tuple[str, ...]) -> None:
        self.refs = refs
        self.scheme = scheme
        self.out: list[dict[str, Any]] = []
        self.issues: list[Issue] = []

    def blocks(self, items: Sequence[Any], path: DataPath, depth: int, prefix: str) -> None:
        heading_index = 0
        for index, item in enumerate(items):
            where = (*path, index)
            if isinstance(item, str):
                self._text("doan", item, where)
                continue
            keys = [key for key in BLOCK_KEYS if item.get(key)]
            if len(keys) != 1 or (bool(item.get("noi_dung")) and keys != ["muc"]):
                message = "mỗi khối là một đoạn văn, hoặc đúng một trong: muc (kèm noi_dung), gach, bang"
                self.issues.append(Issue(message, path=where, code="van_ban.khoi"))
                continue
            if keys == ["gach"]:
                self._bullets(item["gach"], (*where, "gach"))
            elif keys == ["bang"]:
                self._table(item["bang"], (*where, "bang"))
            else:
                heading_index += 1
                self._section(item, where, depth, prefix, heading_index)

    def _text(self, kind: str, text: str, path: DataPath, number: str = "") -> None:
        self.out.append({"kieu": kind, "so": number, "chu": self.refs.text(str(text), path), "bang": ""})

    def _bullets(self, items: Sequence[Any], path: DataPath) -> None:
        for index, item in enumerate(items):
            if isinstance(item, str):
                self._text("gach", item, (*path, index))
                continue
            self._text("gach", item["ten"], (*path, index, "ten"))
            for sub_index, sub in enumerate(item["cong"]):
                self._text("cong", sub, (*path, index, "cong", sub_index))

    def _table(self, table: Mapping[str, Any], path: DataPath) -> None:
        if table.get("tieu_de"):
            self._text("ten_bang", table["tieu_de"], (*path, "tieu_de"))
        if table.get("don_vi_tinh"):
            self._text("dvt", f"Đơn vị tính: {table['don_vi_tinh']}", (*path, "don_vi_tinh"))
        xml = build_table(table, path, self.refs)
        if xml is not None:
            self.out.append({"kieu": "bang", "so": "", "chu": "", "bang": xml})

    def _section(self, item: Mapping[str, Any], path: DataPath, depth: int, prefix: str, index: int) -> None:
        if depth >= len(self.scheme):
            levels = " / ".join(LEVEL_NAMES[name] for name in self.scheme)
            message = f"mục “{item['muc']}” lồng quá {len(self.scheme)} cấp ({levels})"
            hint = "đưa mục lên cấp trên, hoặc viết thành gạch đầu dòng `gach`"
            self.issues.append(Issue(message, path=(*path, "muc"), code="van_ban.qua_cap", hint=hint))
            return
        kind = self.scheme[depth]
        try:
            number, child_prefix = _label(kind, index, prefix)
        except ValueError as error:  # more than 39 Roman or 23 lettered headings at one level
            hint = "tách thành mục con, hoặc viết thành gạch đầu dòng `gach`"
            self.issues.append(Issue(f"mục thứ {index} ở cấp này: {error}", path=(*path, "muc"), hint=hint))
            return
        text = self.refs.text(str(item["muc"]), (*path, "muc"))
        self.out.append(
            {"kieu": kind, "so": number, "chu": text.upper() if kind == "muc_la_ma" else text, "bang": ""}
        )
        self.blocks(item.get("noi_dung") or [], (*path, "noi_dung"), depth + 1, child_prefix)


def _label(kind: str, index: int, prefix: str) -> tuple[str, str]:
    """The heading's number and the prefix its `1.1.`-style children build on."""
    if kind == "muc_la_ma":
        return f"{vi.roman(index)}.", ""
    if kind == "muc_so":
        return f"{index}.", f"{index}."
    if kind == "muc_so_con":
        return f"{prefix}{index}.", ""
    if kind == "muc_chu":
        return f"{vi.letter(index)})", ""
    return "-", ""
