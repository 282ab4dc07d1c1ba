"""Synthetic commune data for kind `bao_cao_6_thang`, shaped like the seed 002 sample.

Every document starts from `data/xa-luc-binh-2023-6t.yaml`: its prose is kept with the commune,
district and years swapped, and every figure is drawn again so that stated totals equal their
parts, money follows the seed's per-head rates and the issue date falls after the period; the
output therefore passes `check(path, strict=True)`. The same `(n, seed)` gives the same text.

    python -m bench.make_data N OUTDIR [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from engine.load import load_document
from engine.paths import ROOT

SEED_FILE = ROOT / "data" / "xa-luc-binh-2023-6t.yaml"
SEED_COMMUNE, SEED_DISTRICT, SEED_YEAR = "Lục Bình", "Bạch Thông", 2023

COMMUNES = (
    "Quân Hà", "Cẩm Giàng", "Tân Tiến", "Đôn Phong", "Mỹ Thanh", "Vi Hương", "Sĩ Bình", "Nguyên Phúc",
    "Cao Sơn", "Dương Phong", "Quang Thuận", "Đồng Thắng", "Yên Đĩnh", "Thanh Mai", "Nông Hạ", "Như Cố",
    "Bình Văn", "Hòa Mục", "Thanh Vận", "Cao Kỳ", "Côn Minh", "Kim Hỷ", "Lương Thượng", "Văn Lang",
    "Hảo Nghĩa", "Cường Lợi", "Lạng San", "Quang Phong", "Xuân Dương", "Đổng Xá", "Bằng Vân",
    "Thượng Quan", "Thuần Mang", "Vân Tùng", "Hiệp Lực", "Bộc Bố", "Nhạn Môn", "Giáo Hiệu", "Công Bằng",
    "An Thắng", "Cổ Linh", "Đồng Phúc", "Khang Ninh", "Nam Mẫu", "Bằng Lãng", "Nghĩa Tá", "Phương Viên",
    "Đại Sảo", "Yên Thượng", "Lục Bình",
)  # fmt: skip
DISTRICTS = (
    "Bạch Thông", "Chợ Mới", "Na Rì", "Ngân Sơn", "Pác Nặm", "Ba Bể", "Chợ Đồn", "Hàm Yên", "Chiêm Hóa",
    "Na Hang", "Lâm Bình", "Bảo Lâm", "Bảo Lạc", "Hà Quảng", "Nguyên Bình", "Đồng Văn", "Mèo Vạc",
    "Yên Minh", "Bắc Mê", "Xín Mần",
)  # fmt: skip
VILLAGES = (
    "Nà Pài", "Khuổi Khe", "Bản Chang", "Cốc Xả", "Nà Hán", "Phiêng Chì", "Lũng Chang", "Cao Lộc", "Nà Tùm",
    "Khuổi Bốc", "Pác Giả", "Bản Đăm", "Nà Làng", "Còn Kẹn", "Thôm Mò", "Nà Lẹng",
)  # fmt: skip
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Ma", "Triệu", "Lương", "Đinh", "Bế")
MIDDLE_NAMES = (("Văn", "Đức", "Minh", "Quang"), ("Thị", "Thu", "Thanh", "Ngọc"))
GIVEN_NAMES = (
    ("Hậu", "Hùng", "Tuấn", "Dũng", "Thắng", "Bình", "Cường", "Long", "Sơn", "Toàn"),
    ("Lan", "Hoa", "Hương", "Mai", "Thủy", "Hạnh", "Nga", "Linh", "Bình", "Yến"),
)
# Production model of project 2: name, unit, scale range.
MODELS = (
    ("Nuôi dê sinh sản", "con", 60, 200),
    ("Nuôi lợn nái sinh sản", "con", 30, 120),
    ("Nuôi bò sinh sản", "con", 10, 50),
    ("Nuôi gà thả đồi", "con", 500, 3000),
    ("Trồng cây quế", "ha", 5, 40),
)
# Health-insurance cards: group, range of cards.
BHYT_GROUPS = (
    ("Trẻ em dưới 6 tuổi", 50, 400),
    ("Hộ nghèo", 100, 900),
    ("Hộ cận nghèo", 0, 400),
    ("Đối tượng BTXH", 10, 120),
    ("Đối tượng dân tộc thiểu số", 300, 3000),
    ("Đối tượng người đang sinh sống tại vùng có điều kiện KT-XH đặc biệt khó khăn", 0, 300),
)
# Education support per pupil for the half year (the seed's figures divided by its pupil counts).
PER_PUPIL = {
    "mien_giam_hoc_phi": 95_000,
    "tien_an_mau_giao": 800_000,
    "tien_an_nd116": 2_980_000,
    "chi_phi_hoc_tap": 750_000,
}
RICE_KG_PER_PUPIL = 75
POWER_PER_HOUSEHOLD = 153_000  # electricity support per poor household and quarter

T = TypeVar("T")


def make_documents(n: int, seed: int) -> list[str]:
    """`n` YAML data files as text, the same for the same `seed`."""
    base = load_document(SEED_FILE).data
    rng = random.Random(seed)
    return [to_yaml(make_document(base, rng)) for _ in range(n)]


def write_documents(n: int, seed: int, out_dir: Path) -> list[Path]:
    """`make_documents` written to `out_dir/xa-00000.yaml`, …"""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(make_documents(n, seed)):
        path = out_dir / f"xa-{index:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def make_document(base: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    commune, district, year = rng.choice(COMMUNES), rng.choice(DISTRICTS), rng.randint(2021, 2025)
    swaps = {SEED_COMMUNE: commune, SEED_DISTRICT: district}
    swaps |= {old.upper(): new.upper() for old, new in swaps.items()}
    doc: dict[str, Any] = _map_text(base, lambda text: _swap(text, swaps, year))

    draft = rng.random() < 0.25
    doc["so_hieu"]["so"] = None if draft else rng.randint(1, 250)
    # The period ends on 30 June; the report comes out in the following weeks.
    issued = date(year, 6, 30).toordinal() + rng.randint(0, 25)
    doc["ngay_ban_hanh"] = (
        f"{year}-{rng.choice((6, 7)):02d}" if draft else date.fromordinal(issued).isoformat()
    )
    doc["nam"] = year
    doc["so_thang_so_lieu"] = rng.randint(3, 6)
    doc["chi_dao_dieu_hanh"] = _some(rng, doc["chi_dao_dieu_hanh"], 2)
    doc["quan_ly_chuong_trinh"] = _some(rng, doc["quan_ly_chuong_trinh"], 2)
    doc["tin_dung"] = _credit(rng)
    doc["viec_lam"] = {
        "lao_dong_trong_nuoc": rng.randint(0, 60),
        "xuat_khau_lao_dong": rng.choice((0, 0, 1, 3)),
    }
    doc["giao_duc"] = _education(rng)
    doc["y_te"]["the_bhyt"] = [
        {"doi_tuong": group, "so_the": rng.randint(low, high)}
        for group, low, high in _some(rng, BHYT_GROUPS, 3)
    ]
    doc["y_te"]["luot_kham"] = rng.randint(200, 2000)
    doc["nha_o"]["de_nghi_ho_tro"] = [
        {"nguon": item["nguon"], "so_ho": rng.randint(1, 10)}
        for item in _some(rng, doc["nha_o"]["de_nghi_ho_tro"], 1)
    ]
    if rng.random() < 0.7:
        doc["nha_o"]["kiem_tra_hien_trang"] = {"giai_doan": "2021-2025", "so_ho": rng.randint(1, 15)}
    else:
        doc["nha_o"].pop("kiem_tra_hien_trang", None)
    doc["tien_dien"] = _power(rng, year)
    doc["nuoc_sinh_hoat"]["so_ho"] = rng.randint(10, 80)
    doc["thong_tin"]["wifi_so_ho"] = rng.randint(5, 60)
    doc["tro_giup_phap_ly"]["thon"] = _some(rng, VILLAGES, 1, most=4)
    doc["tro_giup_phap_ly"]["luot_nguoi"] = rng.randint(30, 250)
    poor_target = rng.randint(10, 60)
    doc["muc_tieu"] = {
        "giam_ho_ngheo": poor_target,
        "giam_ho_can_ngheo": rng.randint(20, 100),
        "ho_kha_nang_thoat_ngheo": rng.randint(5, poor_target),
        **({"ghi_chu": doc["muc_tieu"]["ghi_chu"]} if rng.random() < 0.5 else {}),
    }
    _program(rng, doc["mtqg"], year)
    doc["han_che"] = _some(rng, doc["han_che"], 1)
    doc["giai_phap"] = _some(rng, doc["giai_phap"], 3)
    if rng.random() < 0.3:
        doc.pop("de_xuat", None)
    doc["nguoi_ky"] = _signer(rng, doc["nguoi_ky"]["thay_mat"])
    return doc


def _credit(rng: random.Random) -> dict[str, Any]:
    poor, near, escaped = rng.randint(3, 30), rng.randint(2, 20), rng.randint(0, 10)
    households = poor + near + escaped
    credit: dict[str, Any] = {
        "luot_ho": households,
        "ho_ngheo": poor,
        "ho_can_ngheo": near,
        "ho_moi_thoat_ngheo": escaped,
        "so_tien": sum(rng.randint(3, 10) for _ in range(households)) * 10_000_000,
        "kha_nang_thoat_ngheo": {"ho_ngheo": rng.randint(0, poor), "ho_can_ngheo": rng.randint(0, near)},
    }
    if rng.random() < 0.5:
        del credit["luot_ho"]  # left for the engine to total
    return credit


def _education(rng: random.Random) -> dict[str, Any]:
    education: dict[str, Any] = {
        item: {"so_em": (pupils := rng.randint(5, 350)), "kinh_phi": pupils * rate}
        for item, rate in PER_PUPIL.items()
    }
    rice_pupils = rng.randint(5, 60)
    education["ho_tro_gao"] = {"so_em": rice_pupils, "so_kg": rice_pupils * RICE_KG_PER_PUPIL}
    kept = _some(rng, list(education), 2)
    return {item: figures for item, figures in education.items() if item in kept}


def _power(rng: random.Random, year: int) -> dict[str, Any]:
    listed, paid = rng.randint(40, 200), rng.randint(40, 200)
    power: dict[str, Any] = {
        "lap_danh_sach": {"ky": f"quý I năm {year}", "so_ho": listed, "so_tien": listed * POWER_PER_HOUSEHOLD}
    }
    if rng.random() < 0.6:
        power["chi_tra"] = {
            "ky": f"quý IV năm {year - 1}",
            "so_ho": paid,
            "so_tien": paid * POWER_PER_HOUSEHOLD,
        }
    return power


def _program(rng: random.Random, program: dict[str, Any], year: int) -> None:
    """The seed's projects; project 2's production model drawn again, its state budget the allocation."""
    program["von_phan_bo"] = budget = rng.randint(3, 12) * 100_000_000
    name, unit, low, high = rng.choice(MODELS)
    model = program["du_an"][0]["mo_hinh"]
    model["ten"] = (
        f"Dự án sản xuất cộng đồng {name} – Dự án phát triển sản xuất thuộc chương trình MTQG giảm nghèo"
        f" bền vững năm {year}"
    )
    model["quy_mo"] = {"so_luong": rng.randint(low, high), "don_vi": unit}
    model["dia_diem"] = f"thôn {rng.choice(VILLAGES)}"
    model["ho_tham_gia"] = [
        {"loai_ho": "hộ nghèo", "so_ho": rng.randint(3, 15)},
        {"loai_ho": "hộ cận nghèo", "so_ho": rng.randint(2, 15)},
        {"loai_ho": "hộ có kinh nghiệm làm kinh tế giỏi", "so_ho": rng.randint(1, 2)},
    ]
    model["kinh_phi"] = [
        {"nguon": "Ngân sách nhà nước", "so_tien": budget},
        {"nguon": "Dân đối ứng", "so_tien": budget * rng.randint(5, 25) // 100},
    ]


def _signer(rng: random.Random, body: str) -> dict[str, Any]:
    female = rng.random() < 0.3
    name = " ".join(
        (rng.choice(FAMILY_NAMES), rng.choice(MIDDLE_NAMES[female]), rng.choice(GIVEN_NAMES[female]))
    )
    if rng.random() < 0.6:
        return {"thay_mat": body, "chuc_vu": "Chủ tịch", "ho_ten": name}
    return {
        "thay_mat": body,
        "ky_thay": "KT.",
        "thu_truong": "Chủ tịch",
        "chuc_vu": "Phó Chủ tịch",
        "ho_ten": name,
    }


def _some(rng: random.Random, items: Sequence[T], least: int, most: int | None = None) -> list[T]:
    """A random selection of `items` in their original order."""
    count = rng.randint(least, min(most or len(items), len(items)))
    return [items[index] for index in sorted(rng.sample(range(len(items)), count))]


# Years in the prose (dates, "năm 2023"), not the ends of a range like "2021-2025".
_SEED_YEARS = re.compile(r"(?<![\d-])202[1-3](?![\d-])")


def _swap(text: str, names: Mapping[str, str], year: int) -> str:
    for old, new in names.items():
        text = text.replace(old, new)
    return _SEED_YEARS.sub(lambda match: str(int(match.group()) + year - SEED_YEAR), text)


def _map_text(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {key: _map_text(child, change) for key, child in value.items()}
    if isinstance(value, list):
        return [_map_text(child, change) for child in value]
    return change(value) if isinstance(value, str) else value


# A small emitter in the seed's style (block mappings, `>-` for prose), much faster than ruamel's.
WIDTH = 110
FOLD_FROM = 80
_PLAIN = re.compile(r"[^\W\d_](?:[\w .,()/&+–-]*[\w.)])?|\d{4}-\d{2}(?:-\d{2})?")
_WORDS = re.compile(r"\S+(?: \S+)*")  # folding keeps single spaces only
_RESERVED = {"true", "false", "null"}


def to_yaml(document: Mapping[str, Any]) -> str:
    header = f"# Dữ liệu tổng hợp (bench/make_data.py): {document['co_quan']['ten']}, năm {document['nam']}."
    return "\n".join([header, *_mapping(document, 0)]) + "\n"


def _mapping(mapping: Mapping[str, Any], indent: int) -> list[str]:
    lines: list[str] = []
    for key, value in mapping.items():
        prefix = f"{' ' * indent}{key}:"
        if isinstance(value, dict) and value:
            lines += [prefix, *_mapping(value, indent + 2)]
        elif isinstance(value, list) and value:
            lines += [prefix, *_sequence(value, indent + 2)]
        else:
            lines += _scalar(prefix, value, indent + 2)
    return lines


def _sequence(items: Sequence[Any], indent: int) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            first, *rest = _mapping(item, indent + 2)
            lines += [f"{' ' * indent}- {first[indent + 2 :]}", *rest]
        else:
            lines += _scalar(f"{' ' * indent}-", item, indent + 2)
    return lines


def _scalar(prefix: str, value: Any, indent: int) -> list[str]:
    if value is None:
        return [prefix]
    if isinstance(value, list | dict):
        return [f"{prefix} {'[]' if isinstance(value, list) else '{}'}"]
    text = str(value)
    if isinstance(value, str) and len(text) > FOLD_FROM and _WORDS.fullmatch(text):
        return [f"{prefix} >-", *(" " * indent + line for line in _wrap(text, WIDTH - indent))]
    if isinstance(value, str) and not (_PLAIN.fullmatch(text) and text.lower() not in _RESERVED):
        text = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return [f"{prefix} {text}"]


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap at single spaces (textwrap is most of the generator's time)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.make_data", description="Write synthetic commune data files."
    )
    parser.add_argument("n", type=int, help="number of data files")
    parser.add_argument("out_dir", type=Path, help="directory to write xa-00000.yaml, …")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_documents(args.n, args.seed, args.out_dir)
    print(f"{len(paths)} files in {args.out_dir}")


if __name__ == "__main__":
    main()
