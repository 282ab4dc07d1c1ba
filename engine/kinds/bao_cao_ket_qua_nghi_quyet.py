"""Report on one year of carrying out a party resolution (seed 000): the fund's year-on-year changes.

The fund's total comes from the rules file. What stays here cannot be declared as a
rule: the change from each year of the fund's `van_dong` list to the next (`tăng`/`giảm`
an amount and a percent, or `bằng`) pairs consecutive items of a list, and a rule path
names an item or all of them, never "the item before".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from engine import vi
from engine.derive import Context, Derivation, common_context


def derive_bao_cao_ket_qua_nghi_quyet(data: Mapping[str, Any]) -> Derivation:
    context: Context = dict(data) | common_context(data)
    context["ket_qua"] = [
        {**item, "chinh_sach": [_policy(policy) for policy in item["chinh_sach"]]} for item in data["ket_qua"]
    ]
    return Derivation(context)


def _policy(policy: Mapping[str, Any]) -> dict[str, Any]:
    fund = policy["quy_vi_nguoi_ngheo"]
    if fund is None:
        return dict(policy)
    return {**policy, "quy_vi_nguoi_ngheo": {**fund, "thay_doi": year_changes(fund["van_dong"])}}


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
