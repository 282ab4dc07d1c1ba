"""Report on one year of carrying out a party resolution (seed 000): what its template needs beyond the rules.

The fund's total comes from the rules file; the change from one year to the next
(a difference, which no rule kind expresses) is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from engine import vi
from engine.derive import Context, Derivation, common_context


def derive_bao_cao_ket_qua_nghi_quyet(data: Mapping[str, Any]) -> Derivation:
    """Optional sections become explicit `None`s or empty lists; fund changes are added per year."""
    context: Context = {"nguyen_nhan": None, "bai_hoc": [], **data}
    context.update(common_context(data))
    if (causes := data.get("nguyen_nhan")) is not None:
        context["nguyen_nhan"] = {"chu_quan": None, "khach_quan": None, **causes}
    context["ket_qua"] = [
        {
            "doan_van": [],
            **item,
            "chinh_sach": [_policy(policy) for policy in item.get("chinh_sach", [])],
        }
        for item in data["ket_qua"]
    ]
    return Derivation(context)


def _policy(policy: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"quy_vi_nguoi_ngheo": None, "tien_dien": None, "doan_van": [], **policy}
    if (fund := policy.get("quy_vi_nguoi_ngheo")) is not None:
        result["quy_vi_nguoi_ngheo"] = {
            "in_tong_hop": False,
            **fund,
            "thay_doi": year_changes(fund["van_dong"]),
        }
    return result


def year_changes(years: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each year against the one before: `tăng`/`giảm` an amount and a percent of the earlier year, or `bằng`.

    The percent is None when the earlier year is 0 (no base to compare with).
    """
    changes: list[dict[str, Any]] = []
    for before, after in pairwise(years):
        difference = after["so_tien"] - before["so_tien"]
        trend = "tăng" if difference > 0 else "giảm" if difference < 0 else "bằng"
        percent = (
            vi.ratio_half_up(Decimal(abs(difference)), Decimal(before["so_tien"]), 2)
            if before["so_tien"]
            else None
        )
        changes.append(
            {
                "nam": after["nam"],
                "nam_truoc": before["nam"],
                "xu_huong": trend,
                "chenh_lech": abs(difference),
                "ty_le": percent,
            }
        )
    return changes
