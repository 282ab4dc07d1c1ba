"""`baocao new-kind LOAI -o DIR`: a new document kind that renders at once, as three files and no code.

DIR becomes a workspace (engine/workspace.py) if it is not one. The schema uses the
built-in shared ND30 blocks and a few example figures, the rules file shows every rule
type (one active: the total), the .docx has the ND30 frame (templates/loai_moi.py) ready
to edit in Word, and `data/<loai>-mau.yaml` is a sample that validates and renders.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from engine.errors import BaocaoError
from engine.render import write_atomic
from engine.workspace import KIND_NAME, RULES_SUFFIX, SCHEMA_SUFFIX, WORKSPACE_SCHEMAS, WORKSPACE_TEMPLATES

SHARED = "chung.schema.json#/$defs/"


class NewKindError(BaocaoError):
    """The name is unusable or the kind exists already: nothing is written."""


def new_kind(kind: str, workspace: Path, builtin: list[str]) -> list[Path]:
    """Write the kind's four files into `workspace`; the paths written, in order."""
    if not KIND_NAME.fullmatch(kind):
        raise NewKindError(
            f"tên loại `{kind}` không dùng được: chỉ chữ thường không dấu, chữ số và `_`,"
            " bắt đầu bằng chữ, ví dụ bao_cao_thien_tai"
        )
    files = {
        workspace / WORKSPACE_SCHEMAS / f"{kind}{SCHEMA_SUFFIX}": schema_text(kind).encode(),
        workspace / WORKSPACE_SCHEMAS / f"{kind}{RULES_SUFFIX}": rules_text(kind).encode(),
        workspace / WORKSPACE_TEMPLATES / f"{kind}.docx": template_bytes(),
        workspace / "data" / f"{kind}-mau.yaml": sample_text(kind).encode(),
    }
    if kind in builtin:
        raise NewKindError(f"loại `{kind}` đã có sẵn; chọn tên khác (ghi đè mẫu có sẵn: xem README)")
    existing = [path for path in files if path.exists()]
    if existing:
        raise NewKindError(f"loại `{kind}` đã có trong {workspace}: {', '.join(map(str, existing))}")
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)


def _shared(name: str, title: str, description: str = "") -> dict[str, Any]:
    node = {"$ref": SHARED + name, "title": title}
    return {**node, "description": description} if description else node


def schema_text(kind: str) -> str:
    figure = {"$ref": SHARED + "so_dem"}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Văn bản loại {kind}",
        "description": "Sửa tiêu đề, mô tả, các trường cho văn bản của mình; phần ND30 dùng khối chung.",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "loai",
            "co_quan",
            "so_hieu",
            "ngay_ban_hanh",
            "nam",
            "trich_yeu",
            "can_cu",
            "noi_dung",
            "so_lieu",
            "noi_nhan",
            "nguoi_ky",
        ],
        "properties": {
            "loai": {"title": "Loại văn bản", "description": f"Luôn là {kind}.", "const": kind},
            "co_quan": _shared("co_quan", "Cơ quan ban hành"),
            "so_hieu": _shared("so_hieu", "Số và ký hiệu"),
            "ngay_ban_hanh": _shared("ngay_ban_hanh", "Ngày ban hành"),
            "nam": _shared("nam", "Năm báo cáo"),
            "trich_yeu": _shared("van_ban", "Trích yếu", "Tóm tắt nội dung, in dưới tên loại văn bản."),
            "can_cu": _shared("van_ban", "Căn cứ", "Văn bản làm căn cứ, không có dấu chấm cuối."),
            "noi_dung": _shared("ds_doan_van", "Tình hình, kết quả", "Mỗi mục một đoạn văn."),
            "so_lieu": {
                "title": "Số liệu",
                "description": "Ví dụ: đổi tên, thêm bớt số liệu cho văn bản của mình.",
                "type": "object",
                "additionalProperties": False,
                "required": ["muc_1", "muc_2"],
                "properties": {
                    "muc_1": {**figure, "title": "Mục thứ nhất"},
                    "muc_2": {**figure, "title": "Mục thứ hai"},
                    "tong": {
                        **figure,
                        "title": "Tổng số",
                        "description": f"Bỏ trống để tự tính muc_1 + muc_2 ({kind}{RULES_SUFFIX}).",
                    },
                },
            },
            "noi_nhan": _shared("noi_nhan", "Nơi nhận"),
            "nguoi_ky": _shared("nguoi_ky", "Người ký"),
        },
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def rules_text(kind: str) -> str:
    return f"""\
# Quy tắc tính và đối chiếu số liệu của loại {kind} (README, mục "Quy tắc đối chiếu số liệu").
# Số bỏ trống thì được tự tính; số đã nhập mà lệch với số tính được thì có cảnh báo.
# Số chỉ tính ra (không nhập) đặt dưới một tên gốc không có trong lược đồ, ở đây là `tinh_ra`;
# mẫu .docx dùng được ngay, ví dụ {{{{ tinh_ra.chenh_lech|so }}}}.
# Bỏ `# ` ở đầu các dòng của một quy tắc mẫu để dùng nó; thay đường dẫn bằng số liệu của mình.

- kiem_tra: tong                 # tổng = cộng các thành phần
  tong: so_lieu.tong
  thanh_phan: [so_lieu.muc_1, so_lieu.muc_2]

- kiem_tra: khong_vuot           # phần ≤ toàn bộ (chỉ kiểm tra)
  phan: so_lieu.muc_1
  tong: so_lieu.tong

# - kiem_tra: hieu               # hiệu = số bị trừ − số trừ
#   hieu: tinh_ra.chenh_lech
#   so_bi_tru: so_lieu.muc_1
#   so_tru: so_lieu.muc_2

# - kiem_tra: ty_le              # tỷ lệ (%) = tử số / mẫu số × 100, làm tròn nửa lên
#   ty_le: tinh_ra.ty_le_muc_2_tren_muc_1
#   tu_so: so_lieu.muc_2
#   mau_so: so_lieu.muc_1
#   chu_so: 2

# - kiem_tra: ty_trong           # tỷ trọng (%) của phần trong tổng
#   ty_trong: tinh_ra.ty_trong_muc_1
#   phan: so_lieu.muc_1
#   tong: so_lieu.tong

# - kiem_tra: dem                # số mục đã liệt kê
#   so: tinh_ra.so_noi_dung
#   danh_sach: noi_dung

# - kiem_tra: dat_ke_hoach       # "đạt 105% kế hoạch"
#   dat_ke_hoach: tinh_ra.dat_ke_hoach
#   thuc_hien: so_lieu.muc_1
#   ke_hoach: so_lieu.muc_2      # (thay bằng số kế hoạch)

# - kiem_tra: so_sanh            # "tăng 85 vụ" / "giảm …" / "không thay đổi"
#   so_sanh: tinh_ra.so_sanh
#   truoc: so_lieu.muc_2         # (thay bằng số kỳ trước)
#   sau: so_lieu.muc_1
#   don_vi: vụ

# - kiem_tra: so_sanh_ty_le      # "từ 2,50% lên 2,80% (tăng 0,30 điểm phần trăm)"
#   so_sanh_ty_le: tinh_ra.so_sanh_ty_trong
#   truoc: tinh_ra.ty_trong_muc_1
#   sau: tinh_ra.ty_le_muc_2_tren_muc_1

# - kiem_tra: ky_bao_cao         # ngày ban hành sau khi kỳ báo cáo kết thúc, không quá năm sau
#   ngay: ngay_ban_hanh
#   nam: nam
#   thang_cuoi: 12
"""


def sample_text(kind: str) -> str:
    return f"""\
# yaml-language-server: $schema=../schemas/{kind}{SCHEMA_SUFFIX}
# Dữ liệu mẫu của loại {kind}: sửa rồi chạy `baocao render` trên tệp này.
loai: {kind}
co_quan:
  chu_quan: UBND HUYỆN SƠN THƯỢNG
  ten: Ủy ban nhân dân xã Bình An
  ten_viet_tat: UBND xã Bình An
  dia_danh: Bình An
so_hieu:
  so: 12
  ma_loai: BC
  ma_co_quan: UBND
ngay_ban_hanh: 2026-01-12
nam: 2025
trich_yeu: Báo cáo kết quả thực hiện nhiệm vụ năm 2025
can_cu: Thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2025 của UBND huyện
noi_dung:
  - Ủy ban nhân dân xã đã triển khai đầy đủ các nhiệm vụ được giao.
  - Các thôn phối hợp chặt chẽ, hoàn thành đúng tiến độ.
so_lieu:
  muc_1: 120
  muc_2: 35
  # tong: bỏ trống, được tự tính (155)
noi_nhan:
  - ds:
      - UBND huyện
      - Lưu VT
nguoi_ky:
  thay_mat: Ủy ban nhân dân
  chuc_vu: Chủ tịch
  ho_ten: Nguyễn Văn An
"""


def template_bytes() -> bytes:
    from templates.loai_moi import build  # python-docx is only needed here

    buffer = io.BytesIO()
    build().save(buffer)
    return buffer.getvalue()
