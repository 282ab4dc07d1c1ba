"""Six-month poverty-reduction report of a commune (seed 002): what its template needs beyond the rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.derive import Context, Derivation, common_context


def derive_bao_cao_6_thang(data: Mapping[str, Any]) -> Derivation:
    """Optional sections become explicit `None`s; totals and counts come from the rules file."""
    context: Context = {key: data.get(key) for key in _BAO_CAO_6_THANG_OPTIONAL}
    context.update(data)
    context.update(common_context(data))
    context["de_xuat"] = data.get("de_xuat", [])

    if (credit := data.get("tin_dung")) is not None:
        context["tin_dung"] = {"kha_nang_thoat_ngheo": None, **credit}
    if education := data.get("giao_duc"):
        context["giao_duc"] = {key: None for key in _GIAO_DUC_ITEMS} | education
    if (health := data.get("y_te")) is not None:
        context["y_te"] = {"hoat_dong": None, "hoat_dong_khac": None, **health}
    if (housing := data.get("nha_o")) is not None:
        context["nha_o"] = {"kiem_tra_hien_trang": None, **housing}
    if (power := data.get("tien_dien")) is not None:
        context["tien_dien"] = {"chi_tra": None, **power}
    if (water := data.get("nuoc_sinh_hoat")) is not None:
        context["nuoc_sinh_hoat"] = {"chuong_trinh": None, **water}
    if (info := data.get("thong_tin")) is not None:
        context["thong_tin"] = {"mo_ta": None, **info}
    if (legal := data.get("tro_giup_phap_ly")) is not None:
        context["tro_giup_phap_ly"] = legal
    context["muc_tieu"] = {"ghi_chu": None, **data["muc_tieu"]}
    if (program := data.get("mtqg")) is not None:
        context["mtqg"] = {**program, "du_an": [_project(project) for project in program["du_an"]]}
    return Derivation(context)


def _project(project: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"noi_dung": None, "mo_hinh": None, "tieu_du_an": [], **project}
    if (model := project.get("mo_hinh")) is not None:
        result["mo_hinh"] = {"tinh_trang": None, **model}
    return result


_BAO_CAO_6_THANG_OPTIONAL = (
    "tin_dung",
    "giao_duc",
    "viec_lam",
    "y_te",
    "nha_o",
    "tien_dien",
    "nuoc_sinh_hoat",
    "thong_tin",
    "tro_giup_phap_ly",
    "mtqg",
)
_GIAO_DUC_ITEMS = ("mien_giam_hoc_phi", "tien_an_mau_giao", "tien_an_nd116", "ho_tro_gao", "chi_phi_hoc_tap")
