"""A large general document (`van_ban`): 60 sections, 30 tables, 160 named figures, timed end to end.

    python -m bench.van_ban

`large_general_document_metrics` is also reported by `python -m bench.run`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bench.run import Metric
from engine.pipeline import check, render_checked

TOP_SECTIONS = 10
SUBSECTIONS = 5  # 10 × (1 + 5) = 60 sections
ROWS = 12
TARGET_S = 1.0  # "well under a second"; the note gives the ratio to the six-month sample, as load varies
REFERENCE = Path(__file__).resolve().parent.parent / "data" / "xa-luc-binh-2023-6t.yaml"


def large_document() -> dict[str, Any]:
    """60 sections (I. … X., each with 1. … 5.), 30 tables with rate columns and totals, 160 figures."""
    figures: dict[str, Any] = {}
    body: list[Any] = []
    tables = 0
    for top in range(TOP_SECTIONS):
        children: list[Any] = []
        for sub in range(SUBSECTIONS):
            name = f"f_{top}_{sub}"
            figures[f"{name}_a"] = {"gia_tri": 1000 + top * 37 + sub, "don_vi": "hộ"}
            figures[f"{name}_b"] = {"gia_tri": 50 + sub, "don_vi": "hộ"}
            figures[f"{name}_tl"] = {"ty_le": [f"{name}_b", f"{name}_a"]}
            content: list[Any] = [
                f"Số hộ [[{name}_a]], trong đó [[{name}_b]] được hỗ trợ, tỷ lệ [[{name}_tl]]; "
                "kinh phí thực hiện theo kế hoạch được giao, bảo đảm đúng đối tượng, công khai, minh bạch.",
                {
                    "gach": [
                        "Rà soát, cập nhật danh sách;",
                        {"ten": "Tổ chức thực hiện:", "cong": ["thôn;", "xã."]},
                    ]
                },
            ]
            if sub in (0, 2, 4):
                tables += 1
                content.append({"bang": _table(name)})
            children.append({"muc": f"Nội dung {top + 1}.{sub + 1}", "noi_dung": content})
        figures[f"t_{top}"] = {"tong": [f"f_{top}_{sub}_a" for sub in range(SUBSECTIONS)]}
        body.append({"muc": f"Lĩnh vực {top + 1}: tổng [[t_{top}]]", "noi_dung": children})
    assert tables == 30
    return {
        "loai": "van_ban",
        "the_loai": "bao_cao",
        "co_quan": {
            "ten": "Ủy ban nhân dân huyện Sơn Thượng",
            "ten_viet_tat": "UBND huyện",
            "dia_danh": "Sơn Thượng",
        },
        "so_hieu": {"so": 120, "ma_co_quan": "UBND"},
        "ngay_ban_hanh": "2024-12-20",
        "trich_yeu": "Tình hình kinh tế - xã hội năm 2024",
        "so_lieu": figures,
        "noi_dung": body,
        "noi_nhan": [{"ds": ["UBND tỉnh", "Lưu: VT"]}],
        "nguoi_ky": {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Nguyễn Văn A"},
    }


def _table(name: str) -> dict[str, Any]:
    return {
        "tieu_de": f"Bảng {name}",
        "dau": [
            [
                {"chu": "STT", "doc": 2},
                {"chu": "Đơn vị", "doc": 2},
                {"chu": "Số hộ", "ngang": 2},
                {"chu": "Tỷ lệ (%)", "doc": 2},
            ],
            ["Tổng số", "Được hỗ trợ"],
        ],
        "cot": [
            {"ten": "STT", "kieu": "stt"},
            {"ten": "Đơn vị"},
            {"ten": "Tổng số", "kieu": "so"},
            {"ten": "Được hỗ trợ", "kieu": "so"},
            {"ten": "Tỷ lệ (%)", "kieu": "ty_le", "tu_so": 4, "mau_so": 3},
        ],
        "hang": [[f"Thôn {row + 1}", 200 + row * 7, 10 + row] for row in range(ROWS - 1)]
        + [["Thôn cuối", f"[[{name}_a]]", f"[[{name}_b]]"]],
        "tong_cong": "Tổng cộng",
    }


def large_general_document_metrics(runs: int) -> Iterator[Metric]:
    """Seconds to load, validate, derive and render the large document (median of `runs`)."""
    with tempfile.TemporaryDirectory(prefix="baocao-van-ban-") as temporary:
        path = Path(temporary) / "van-ban-lon.yaml"
        with path.open("w", encoding="utf-8") as file:
            yaml = YAML(typ="safe", pure=True)
            yaml.default_flow_style = False
            yaml.dump(large_document(), file)
        times: dict[Path, list[float]] = {path: [], REFERENCE: []}
        for _ in range(runs + 1):  # the first round compiles the templates, as any earlier document would
            for source, measured in times.items():
                start = time.perf_counter()
                render_checked(check(source))
                measured.append(time.perf_counter() - start)
    large, reference = (statistics.median(measured[1:]) for measured in times.values())
    note = (
        f"60 mục, 30 bảng, {len(large_document()['so_lieu'])} số liệu; {large / reference:.0f}×"
        f" báo cáo 6 tháng mẫu ({reference * 1e3:.0f} ms)"
    )
    yield Metric("van_ban_large_s", large, "s", ("<=", TARGET_S), note)


if __name__ == "__main__":
    for metric in large_general_document_metrics(5):
        print(metric.line())
