"""The only place figures are computed: totals, counts and closing lines.

Templates only format what this step returns. A stated total that
contradicts its parts is kept (the published document must still render)
and reported as a warning naming both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.errors import DataPath, Issue, Severity

Context = dict[str, Any]


@dataclass
class Derivation:
    """Template context plus the warnings found while computing it."""

    context: Context
    issues: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class IssueDate:
    """`ngay_ban_hanh` split for the `ngay` filter; `ngay` is None for a draft without a day."""

    ngay: date | None
    thang: int
    nam: int


def parse_issue_date(text: str) -> IssueDate:
    """`2024-03-07` → full date; `2023-04` → draft with a blank day (schema guarantees the form)."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        day = date(parts[0], parts[1], parts[2])
        return IssueDate(day, day.month, day.year)
    return IssueDate(None, parts[1], parts[0])


def stated_or_sum(
    section: Mapping[str, Any], stated_key: str, parts: list[int], path: DataPath, issues: list[Issue]
) -> int:
    """A stated total wins (faithful to the published text) but must equal its parts."""
    total = sum(parts)
    stated = section.get(stated_key)
    if stated is None:
        return total
    if stated != total:
        terms = " + ".join(str(part) for part in parts)
        issues.append(
            Issue(
                f"{stated} khác tổng các thành phần ({terms} = {total})",
                path=(*path, stated_key),
                severity=Severity.WARNING,
                code="rules.sum",
            )
        )
    return int(stated)


def recipient_lines(groups: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """ND30 punctuation: every recipient ends with `;`, the very last one with `.`."""
    result: list[dict[str, Any]] = []
    for group_index, group in enumerate(groups):
        names = [str(name).rstrip(" ;.") for name in group["ds"]]
        last_group = group_index == len(groups) - 1
        lines = [
            f"- {name}{'.' if last_group and index == len(names) - 1 else ';'}"
            for index, name in enumerate(names)
        ]
        result.append({"nhom": group.get("nhom"), "dong": lines})
    return result


def signature_lines(signer: Mapping[str, Any]) -> list[str]:
    """`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`, as ND30 prints them."""
    lines = []
    if signer.get("thay_mat"):
        lines.append(f"TM. {signer['thay_mat'].upper()}")
    if signer.get("ky_thay"):
        lines.append(f"{signer['ky_thay']} {signer['thu_truong'].upper()}")
    lines.append(signer["chuc_vu"].upper())
    return lines


BODY_PREFIXES = ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "BAN CHẤP HÀNH", "ĐẢNG ỦY", "ỦY BAN MẶT TRẬN")
HEADER_LINE_CHARS = 24


def agency_lines(name: str) -> list[str]:
    """The issuing body in capitals, split after its body type when too long for one header line.

    `ỦY BAN NHÂN DÂN XÃ LỤC BÌNH` → `ỦY BAN NHÂN DÂN` / `XÃ LỤC BÌNH`, as printed in the seeds.
    """
    upper = name.upper()
    if len(upper) > HEADER_LINE_CHARS:
        for prefix in BODY_PREFIXES:
            if upper.startswith(prefix + " "):
                return [prefix, upper.removeprefix(prefix).strip()]
    return [upper]


def common_context(data: Mapping[str, Any]) -> Context:
    """Header, date, recipients and signature: the same for every kind."""
    agency = data["co_quan"]
    return {
        "co_quan": {
            **agency,
            "chu_quan": agency.get("chu_quan", "").upper() or None,
            "ten_dong": agency_lines(agency["ten"]),
        },
        "so_hieu": {"so": None, **data["so_hieu"]},
        "ban_hanh": parse_issue_date(data["ngay_ban_hanh"]),
        "noi_nhan": recipient_lines(data["noi_nhan"]),
        "ky": {"dong": signature_lines(data["nguoi_ky"]), "ho_ten": data["nguoi_ky"]["ho_ten"]},
    }


def derive_bao_cao_6_thang(data: Mapping[str, Any]) -> Derivation:
    issues: list[Issue] = []
    context: Context = {key: data.get(key) for key in _BAO_CAO_6_THANG_OPTIONAL}
    context.update(data)
    context.update(common_context(data))
    context["de_xuat"] = data.get("de_xuat", [])

    if (credit := data.get("tin_dung")) is not None:
        parts = [credit["ho_ngheo"], credit["ho_can_ngheo"], credit["ho_moi_thoat_ngheo"]]
        context["tin_dung"] = {
            "kha_nang_thoat_ngheo": None,
            **credit,
            "luot_ho": stated_or_sum(credit, "luot_ho", parts, ("tin_dung",), issues),
        }
    if education := data.get("giao_duc"):
        context["giao_duc"] = {key: None for key in _GIAO_DUC_ITEMS} | education
    if (health := data.get("y_te")) is not None:
        context["y_te"] = {
            "hoat_dong": None,
            "hoat_dong_khac": None,
            **health,
            "so_nhom": len(health["the_bhyt"]),
        }
    if (housing := data.get("nha_o")) is not None:
        context["nha_o"] = {
            "kiem_tra_hien_trang": None,
            **housing,
            "tong_so_ho": sum(item["so_ho"] for item in housing["de_nghi_ho_tro"]),
        }
    if (power := data.get("tien_dien")) is not None:
        context["tien_dien"] = {"chi_tra": None, **power}
    if (water := data.get("nuoc_sinh_hoat")) is not None:
        context["nuoc_sinh_hoat"] = {"chuong_trinh": None, **water}
    if (info := data.get("thong_tin")) is not None:
        context["thong_tin"] = {"mo_ta": None, **info}
    if (legal := data.get("tro_giup_phap_ly")) is not None:
        context["tro_giup_phap_ly"] = {**legal, "so_thon": len(legal["thon"])}
    context["muc_tieu"] = {"ghi_chu": None, **data["muc_tieu"]}
    if (program := data.get("mtqg")) is not None:
        context["mtqg"] = {**program, "du_an": [_project(project) for project in program["du_an"]]}
    return Derivation(context, issues)


def _project(project: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"noi_dung": None, "mo_hinh": None, "tieu_du_an": [], **project}
    if (model := project.get("mo_hinh")) is not None:
        result["mo_hinh"] = {
            "tinh_trang": None,
            **model,
            "tong_so_ho": sum(item["so_ho"] for item in model["ho_tham_gia"]),
            "tong_kinh_phi": sum(item["so_tien"] for item in model["kinh_phi"]),
        }
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

DERIVERS: dict[str, Callable[[Mapping[str, Any]], Derivation]] = {
    "bao_cao_6_thang": derive_bao_cao_6_thang,
}


def derive(kind: str, data: Mapping[str, Any]) -> Derivation:
    return DERIVERS[kind](data)
