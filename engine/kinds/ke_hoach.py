"""Province plan for a year's poverty-reduction targets (seed 003): text shaping and district-list errors.

The rules file derives each district's rate, the Phụ lục totals and the target rate.
What stays here cannot be declared as a rule: wording (the subject inside a sentence,
căn cứ punctuation, the joiner before each target, the `./.` closing mark, an agency's
single task inline or as bullets), each target's print precision as typed and money
scale, and the district-list mistakes that must stop a plan from being issued
(duplicate names across items, more poor households than households) as located errors.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine import vi
from engine.derive import Context, Derivation, common_context, with_closing_mark
from engine.errors import Issue, format_path

JOINERS = {";": "; ", ",": ", ", "và": " và "}
# The `tien` filter's scale for each money unit a target may use.
MONEY_SCALES = {"đồng": None, "nghìn đồng": "nghìn", "triệu đồng": "triệu", "tỷ đồng": "tỷ"}


def derive_ke_hoach(data: Mapping[str, Any]) -> Derivation:
    context: Context = dict(data)
    context.update(common_context(data))
    subject = str(data["trich_yeu"])
    context["trich_yeu_trong_cau"] = subject[:1].lower() + subject[1:]
    context["can_cu"] = _punctuated(data["can_cu"])
    context["muc_tieu"] = {
        **data["muc_tieu"],
        "chieu_thieu_hut": [
            {
                **dimension,
                "chi_tieu": [_target(target, index) for index, target in enumerate(dimension["chi_tieu"])],
            }
            for dimension in data["muc_tieu"]["chieu_thieu_hut"]
        ],
    }
    context["noi_dung"] = [_section(item, nested=True) for item in data["noi_dung"]]
    context["to_chuc_thuc_hien"] = [
        {**_agency(item), "co_quan": [_agency(agency) for agency in item.get("co_quan", [])]}
        for item in data["to_chuc_thuc_hien"]
    ]
    reports = [str(text) for text in data["che_do_bao_cao"]]
    context["che_do_bao_cao"] = [*reports[:-1], with_closing_mark(reports[-1])]
    return Derivation(context, _district_errors(data["phu_luc"]["huyen"]))


def _punctuated(paragraphs: list[str]) -> list[str]:
    """Căn cứ paragraphs end with `;`, the last with `.`, whatever the data typed."""
    stripped = [str(text).rstrip(" ;.") for text in paragraphs]
    return [f"{text}{'.' if index == len(stripped) - 1 else ';'}" for index, text in enumerate(stripped)]


def _target(target: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Joiner before the target, and the filter arguments its kind needs (decimals as typed, money scale)."""
    digits = vi.decimal_places(vi.exact(target["gia_tri"]).normalize())
    unit: str | None = target.get("don_vi")
    return {
        **target,
        "noi_truoc": JOINERS[target.get("noi") or ";"] if index else "",
        "chu_so": digits,
        "thang_tien": MONEY_SCALES.get(unit or "đồng") if target["loai"] == "tien" else None,
    }


def _section(item: Mapping[str, Any], *, nested: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        **item,
        "doan": list(item.get("doan", [])),
        "gach": [_bullet(bullet) for bullet in item.get("gach", [])],
    }
    if nested:
        result["muc_con"] = [_section(child, nested=False) for child in item.get("muc_con", [])]
    return result


def _bullet(bullet: str | Mapping[str, Any]) -> dict[str, Any]:
    return {"ten": bullet, "cong": []} if isinstance(bullet, str) else dict(bullet)


def _agency(item: Mapping[str, Any]) -> dict[str, Any]:
    """A single task without a role sentence reads inline (`Sở Y tế: …`); otherwise tasks are `-` lines."""
    tasks = list(item.get("nhiem_vu", []))
    role = item.get("vai_tro")
    inline = tasks[0] if len(tasks) == 1 and role is None else None
    return {
        "ten": item["ten"],
        "vai_tro": role,
        "nhiem_vu_cung_dong": inline,
        "gach": [] if inline else tasks,
    }


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _district_errors(districts: list[Mapping[str, Any]]) -> list[Issue]:
    issues: list[Issue] = []
    first_seen: dict[str, int] = {}
    for index, district in enumerate(districts):
        path = ("phu_luc", "huyen", index)
        earlier = first_seen.setdefault(_key(district["ten"]), index)
        if earlier != index:
            where = format_path(("phu_luc", "huyen", earlier, "ten"))
            message = (
                f'"{district["ten"]}" trùng với {where} ("{districts[earlier]["ten"]}"); mỗi huyện một dòng'
            )
            issues.append(Issue(message, path=(*path, "ten"), code="ke_hoach.trung_ten"))
        poor, households = district["ho_ngheo"], district["tong_so_ho"]
        if poor > households:
            message = (
                f"({vi.format_number(Decimal(poor))}) lớn hơn tổng số hộ dân cư"
                f" ({vi.format_number(Decimal(households))}) của {district['ten']}"
            )
            issues.append(Issue(message, path=(*path, "ho_ngheo"), code="ke_hoach.khong_vuot"))
    return issues
