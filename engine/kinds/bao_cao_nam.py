"""Annual poverty-reduction report of a commune or a district: comparisons with last year and the plan.

Rates, the district's totals and its number of communes come from the rules file; a
`ky_truoc` file reference has already been replaced by that file's figures
(engine/previous.py), so here `ky_truoc` is either absent or a mapping of figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.derive import Context, Derivation, common_context, count_change, plan_attainment, rate_change
from engine.errors import Issue

_OPTIONAL = (
    "ky_truoc",
    "muc_tieu",
    "chinh_sach",
    "mtqg",
    "mtqg_noi_dung",
    "tong_hop",
    "uu_diem",
    "de_xuat",
)
_POLICIES = ("tin_dung", "viec_lam", "bhyt", "giao_duc", "nha_o", "tien_dien")
_RESULT_OPTIONAL = ("ho_thoat_can_ngheo", "ho_ngheo_phat_sinh")


def derive_bao_cao_nam(data: Mapping[str, Any]) -> Derivation:
    """Optional parts become explicit `None`s; `so_sanh` and `ke_hoach` hold ready-made phrases."""
    context: Context = {key: None for key in _OPTIONAL} | dict(data) | common_context(data)
    context["nam_sau"] = data["nam"] + 1
    results = {key: None for key in _RESULT_OPTIONAL} | data["ket_qua"]
    context["ket_qua"] = results
    if (policies := data.get("chinh_sach")) is not None:
        context["chinh_sach"] = {key: None for key in _POLICIES} | policies
    for key in ("mtqg_noi_dung", "uu_diem", "de_xuat"):
        context[key] = data.get(key, [])
    issues: list[Issue] = []
    context["so_sanh"] = _comparison(data, results, issues)
    context["ke_hoach"] = _attainment(data.get("muc_tieu"), results)
    return Derivation(context, issues)


def _comparison(data: Mapping[str, Any], results: Mapping[str, Any], issues: list[Issue]) -> Context | None:
    """Phrases comparing year-end figures with the previous period's, or None without one."""
    previous = data.get("ky_truoc")
    if previous is None:
        return None
    if not isinstance(previous, Mapping):  # a file reference the pipeline did not resolve
        issues.append(Issue("chưa đọc được tệp kỳ trước", path=("ky_truoc",), code="ky_truoc"))
        return None
    year = previous.get("nam") or data["nam"] - 1
    if year >= data["nam"]:
        message = f"kỳ trước (năm {year}) phải trước năm báo cáo {data['nam']}"
        issues.append(Issue(message, path=("ky_truoc", "nam"), code="ky_truoc"))
        return None
    return {
        "nam": year,
        "ho_ngheo": count_change(previous["ho_ngheo"], results["ho_ngheo"]),
        "ty_le_ho_ngheo": rate_change(previous["ty_le_ho_ngheo"], results["ty_le_ho_ngheo"]),
        "ho_can_ngheo": count_change(previous["ho_can_ngheo"], results["ho_can_ngheo"]),
        "ty_le_ho_can_ngheo": rate_change(previous["ty_le_ho_can_ngheo"], results["ty_le_ho_can_ngheo"]),
    }


def _attainment(plan: Mapping[str, Any] | None, results: Mapping[str, Any]) -> Context:
    """ "đạt …% kế hoạch" for households out of poverty and out of near-poverty, when both are known."""
    if plan is None:
        return {"ho_ngheo": None, "ho_can_ngheo": None}
    near_poor_plan, near_poor_out = plan.get("giam_ho_can_ngheo"), results["ho_thoat_can_ngheo"]
    return {
        "ho_ngheo": plan_attainment(results["ho_thoat_ngheo"], plan["giam_ho_ngheo"]),
        "ho_can_ngheo": None
        if near_poor_plan is None or near_poor_out is None
        else plan_attainment(near_poor_out, near_poor_plan),
    }
