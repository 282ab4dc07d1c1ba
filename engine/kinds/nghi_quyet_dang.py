"""Resolution of a commune or ward party committee (seed 001): party signing, numbered items, yearly rates.

Yearly poverty rates come from the rules file (computed from total households) or
are the published figures; each prints with as many decimals as it carries.
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
    context["danh_gia"] = {"doan_van": [], "ho_ngheo_theo_nam": None, "doan_van_sau": [], **assessment}
    if (yearly := assessment.get("ho_ngheo_theo_nam")) is not None:
        context["danh_gia"]["ho_ngheo_theo_nam"] = {
            **yearly,
            "cac_nam": [_year(year) for year in yearly["cac_nam"]],
            "chuan_moi": _year(yearly["chuan_moi"]) if yearly.get("chuan_moi") is not None else None,
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
    return {"tong_so_ho": None, **year, "chu_so": rate_digits(year["ty_le"]) if digits is None else digits}


def _item(item: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"ten": None, "doan_van": [], **item}
    result["muc"] = [{"ten": None, "doan_van": [], **sub} for sub in item.get("muc", [])]
    return result


def _mark_end(item: dict[str, Any]) -> None:
    """ND30 and HD 36 end the body with `./.`: added to the last paragraph of the last item."""
    last = item["muc"][-1] if item["muc"] else item
    if last["doan_van"]:
        last["doan_van"] = [*last["doan_van"][:-1], with_closing_mark(last["doan_van"][-1])]
    else:
        last["ten"] = with_closing_mark(last["ten"])
