"""Derivations shared by every kind: header lines, issue date, recipients, signature, and the
wording of comparisons (`count_change`, `rate_change`, `plan_attainment`).

Figures are declared in `schemas/<kind>.rules.yaml` (engine/rules.py, computed by
engine/ruletypes.py with these helpers and engine/vi.py's half-up arithmetic); `engine.kinds.derive`
runs them, then what a kind's Python deriver adds, if it has one. Templates only format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine import vi
from engine.errors import DataPath, Issue

Context = dict[str, Any]


@dataclass
class Derivation:
    """Template context, the warnings found while computing it, and each computed figure's sources."""

    context: Context
    issues: list[Issue] = field(default_factory=list)
    sources: dict[str, tuple[DataPath, ...]] = field(default_factory=dict)


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


def with_closing_mark(text: str) -> str:
    """ND30 ends a document's body with `./.`, replacing the last paragraph's own full stop."""
    return text.rstrip(" .") + "./."


def signature_lines(signer: Mapping[str, Any], on_behalf: str = "TM.") -> list[str]:
    """`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`, as ND30 prints them.

    Party documents write `T/M BAN CHẤP HÀNH` (Hướng dẫn 36-HD/VPTW): `on_behalf="T/M"`.
    """
    lines = []
    if signer.get("thay_mat"):
        lines.append(f"{on_behalf} {signer['thay_mat'].upper()}")
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
    """Header, date, recipients and signature: the same for every kind; each when its block is present."""
    context: Context = {}
    if (agency := data.get("co_quan")) is not None:
        context["co_quan"] = {
            **agency,
            "chu_quan": (agency.get("chu_quan") or "").upper() or None,
            "ten_dong": agency_lines(agency["ten"]),
        }
    if (number := data.get("so_hieu")) is not None:
        context["so_hieu"] = {"so": None, **number}
    if (issued := data.get("ngay_ban_hanh")) is not None:
        context["ban_hanh"] = parse_issue_date(issued)
    if (recipients := data.get("noi_nhan")) is not None:
        context["noi_nhan"] = recipient_lines(recipients)
    if (signer := data.get("nguoi_ky")) is not None:
        context["ky"] = {"dong": signature_lines(signer), "ho_ten": signer["ho_ten"]}
    return context


# The shared blocks with one entry each: `common_context(COMMON_EXAMPLE)` lists every name
# `common_context` adds (check-template knows them without samples of a kind).
COMMON_EXAMPLE: dict[str, Any] = {
    "co_quan": {"ten": "Ủy ban nhân dân xã A", "chu_quan": "UBND HUYỆN B"},
    "so_hieu": {"so": 1},
    "ngay_ban_hanh": "2024-01-02",
    "noi_nhan": [{"nhom": "Nơi nhận", "ds": ["UBND huyện"]}],
    "nguoi_ky": {
        "thay_mat": "Ủy ban nhân dân",
        "ky_thay": "KT.",
        "thu_truong": "Chủ tịch",
        "chuc_vu": "Phó Chủ tịch",
        "ho_ten": "Nguyễn Văn A",
    },
}


# --- comparisons between periods and against a plan ----------------------------------------
# Each returns the words that follow the figure's name in a sentence, e.g. "số hộ nghèo "
# + `count_change(143, 98)` → "số hộ nghèo giảm 45 hộ".


def count_change(before: int, after: int, unit: str = "hộ") -> str:
    """`(143, 98)` → "giảm 45 hộ"; `(98, 101)` → "tăng 3 hộ"; equal → "không thay đổi"."""
    if after == before:
        return "không thay đổi"
    direction = "giảm" if after < before else "tăng"
    return f"{direction} {vi.format_number(Decimal(abs(after - before)))} {unit}"


def rate_change(before: int | float | Decimal, after: int | float | Decimal, digits: int = 2) -> str:
    """Rates in percent, compared as printed (half-up to `digits`):
    `(3.12, 2.5)` → "từ 3,12% xuống còn 2,50% (giảm 0,62 điểm phần trăm)";
    a rise → "từ 2,50% lên 2,80% (tăng 0,30 điểm phần trăm)"; equal → "không thay đổi (2,50%)"."""
    old, new = (vi.round_half_up(vi.exact(value), digits) for value in (before, after))
    shown_old, shown_new = (vi.format_number(value, digits) + "%" for value in (old, new))
    if old == new:
        return f"không thay đổi ({shown_new})"
    points = vi.format_number(abs(new - old), digits)
    if new < old:
        return f"từ {shown_old} xuống còn {shown_new} (giảm {points} điểm phần trăm)"
    return f"từ {shown_old} lên {shown_new} (tăng {points} điểm phần trăm)"


def plan_attainment(achieved: int, planned: int, digits: int = 2) -> str | None:
    """`(42, 40)` → "đạt 105% kế hoạch"; `(47, 42)` → "đạt 111,9% kế hoạch" (trailing zeros dropped);
    None when there is no plan to measure against (planned 0)."""
    if planned == 0:
        return None
    share = vi.ratio_half_up(Decimal(achieved), Decimal(planned), digits)
    return f"đạt {vi.format_number(share, digits, trim=True)}% kế hoạch"
