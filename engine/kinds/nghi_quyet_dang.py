"""Resolution of a commune or ward party committee (seed 001): party signing, numbered items, yearly rates.

Yearly poverty rates come from the rules file (computed from total households) or are
the published figures. What stays here cannot be declared as a rule: the party's
signature block (`T/M`, Hướng dẫn 36-HD/VPTW), the meeting date (`ngay_hop`, else the
issue date), the `./.` mark on the very last paragraph, and each rate's print precision
(as many decimals as it carries).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine import vi
from engine.derive import (
    Context,
    Derivation,
    common_context,
    parse_issue_date,
    signature_lines,
    with_closing_mark,
)


def derive_nghi_quyet_dang(data: Mapping[str, Any]) -> Derivation:
    context: Context = dict(data)
    context.update(common_context(data))
    context["ky"] = {
        "dong": signature_lines(data["nguoi_ky"], on_behalf="T/M"),
        "ho_ten": data["nguoi_ky"]["ho_ten"],
    }
    context["hop"] = parse_issue_date(data.get("ngay_hop") or data["ngay_ban_hanh"])

    assessment = data["danh_gia"]
    context["danh_gia"] = dict(assessment)
    if (yearly := assessment["ho_ngheo_theo_nam"]) is not None:
        context["danh_gia"]["ho_ngheo_theo_nam"] = {
            **yearly,
            "cac_nam": [_year(year) for year in yearly["cac_nam"]],
            "chuan_moi": None if yearly["chuan_moi"] is None else _year(yearly["chuan_moi"]),
        }
    for part in ("muc_tieu_giai_phap", "to_chuc_thuc_hien"):
        context[part] = {**data[part], "muc": [_item(item) for item in data[part]["muc"]]}
    _mark_end(context["to_chuc_thuc_hien"]["muc"][-1])
    return Derivation(context)


def rate_digits(rate: int | float | Decimal) -> int:
    """Decimals a rate carries: 2 for a computed `Decimal('12.04')`, 1 for a typed `2.9`, 0 for `3`."""
    return vi.decimal_places(vi.exact(rate))


def _year(year: Mapping[str, Any]) -> dict[str, Any]:
    digits = year.get("chu_so")
    return {**year, "chu_so": rate_digits(year["ty_le"]) if digits is None else digits}


def _item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {**item, "muc": [dict(sub) for sub in item["muc"]]}


def _mark_end(item: dict[str, Any]) -> None:
    """ND30 and HD 36 end the body with `./.`: added to the last paragraph of the last item."""
    last = item["muc"][-1] if item["muc"] else item
    if last["doan_van"]:
        last["doan_van"] = [*last["doan_van"][:-1], with_closing_mark(last["doan_van"][-1])]
    else:
        last["ten"] = with_closing_mark(last["ten"])
