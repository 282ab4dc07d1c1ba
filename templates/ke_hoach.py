"""Template of `ke_hoach`: a province's yearly poverty-reduction plan with its Phụ lục table (seed 003).

Numbers (`1.`), letters (`a)`, Vietnamese order) and target figures are produced here
from structured data; the Phụ lục rows come from a docxtpl row loop (`{%tr for %}`).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH

from templates.nd30 import (
    TEXT_WIDTH_CM,
    R,
    body,
    bullets,
    centred,
    closing,
    grid_table,
    heading,
    new_document,
    page_break,
    state_header,
    tag,
    title,
)

TARGET = (
    "{% for ct in chieu.chi_tieu %}{{ ct.noi_truoc }}{% if ct.muc %}{{ ct.ten }} {{ ct.muc }} {% endif %}"
    "{% if ct.loai == 'phan_tram' %}{{ ct.gia_tri|phan_tram(ct.chu_so) }}"
    "{% elif ct.loai == 'tien' %}{{ ct.gia_tri|tien(ct.thang_tien) }}"
    "{% else %}{{ ct.gia_tri|so }} {{ ct.don_vi }}{% endif %}{% if not ct.muc %} {{ ct.ten }}{% endif %}{% endfor %}"
)
CAPTION = (
    "(Kèm theo Kế hoạch số {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }} ngày"
    " {% if ban_hanh.ngay %}{{ ban_hanh.ngay|ngay_ngan }}{% else %}     /{{ ban_hanh.thang }}/{{ ban_hanh.nam }}"
    "{% endif %} của {{ co_quan.ten_viet_tat }})"
)
TABLE_WIDTHS_CM = (1.3, 4.2, 3.8, 3.6, TEXT_WIDTH_CM - 12.9)


def nested_bullets(doc: DocumentObject, items: str) -> None:
    """`- …` lines, each with its `+ …` lines."""
    tag(doc, f"for g in {items}")
    body(doc, "- {{ g.ten }}")
    tag(doc, "for c in g.cong")
    body(doc, "+ {{ c }}")
    tag(doc, "endfor")
    tag(doc, "endfor")


def agency(doc: DocumentObject, label: R | str, name: str) -> None:
    """`<label> Tên - vai trò: nhiệm vụ` with the tasks as `-` lines when there are several."""
    body(
        doc,
        label,
        f"{{% if {name}.vai_tro %}} - {{{{ {name}.vai_tro }}}}{{% endif %}}"
        f"{{% if {name}.nhiem_vu_cung_dong %}}: {{{{ {name}.nhiem_vu_cung_dong }}}}{{% endif %}}",
    )
    bullets(doc, f"{name}.gach")


def build() -> DocumentObject:
    doc = new_document()
    state_header(doc, "Số: {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }}")
    title(doc, "KẾ HOẠCH", "{{ trich_yeu }} năm {{ nam }}")
    bullets(doc, "can_cu", marker="")
    body(
        doc, "{{ co_quan.ten_viet_tat }} ban hành Kế hoạch {{ trich_yeu_trong_cau }} năm {{ nam }}, như sau:"
    )

    heading(doc, "I. MỤC TIÊU")
    heading(doc, "1. Mục tiêu chung")
    body(doc, "{{ muc_tieu.chung }}")
    heading(doc, "2. Mục tiêu cụ thể")
    body(
        doc,
        "a) Mục tiêu chủ yếu: Phấn đấu năm {{ nam }}, tỷ lệ hộ nghèo {{ muc_tieu.dia_ban }} giảm xuống còn"
        " {{ muc_tieu.ty_le_ho_ngheo|phan_tram_gon }} (theo {{ muc_tieu.chuan_ngheo }}).",
    )
    body(doc, "(Phụ lục: {{ phu_luc.tieu_de }} năm {{ nam }}).", italic=True)
    body(
        doc,
        "b) Dự kiến các chỉ tiêu cần đạt được để giải quyết mức độ thiếu hụt các dịch vụ xã hội cơ bản đến"
        " năm {{ nam }}, cụ thể:",
    )
    tag(doc, "for chieu in muc_tieu.chieu_thieu_hut")
    body(doc, "- {{ chieu.ten }}: " + TARGET + ".")
    tag(doc, "endfor")

    heading(doc, "II. THỜI GIAN, PHẠM VI, ĐỐI TƯỢNG")
    body(doc, R("1. Thời gian:", bold=True), " Năm {{ nam }}")
    body(doc, R("2. Phạm vi:", bold=True), " {{ pham_vi }}")
    heading(doc, "3. Đối tượng:")
    tag(doc, "for muc in doi_tuong")
    body(doc, "{{ loop.index|chu_cai }}) {{ muc }}")
    tag(doc, "endfor")

    heading(doc, "III. NỘI DUNG THỰC HIỆN")
    tag(doc, "for muc in noi_dung")
    heading(doc, "{{ loop.index|so }}. {{ muc.ten }}")
    bullets(doc, "muc.doan", marker="")
    nested_bullets(doc, "muc.gach")
    tag(doc, "for con in muc.muc_con")
    body(doc, "{{ loop.index|chu_cai }}) {{ con.ten }}")
    bullets(doc, "con.doan", marker="")
    nested_bullets(doc, "con.gach")
    tag(doc, "endfor")
    tag(doc, "endfor")

    heading(doc, "IV. KINH PHÍ THỰC HIỆN")
    bullets(doc, "kinh_phi", marker="")

    heading(doc, "V. TỔ CHỨC THỰC HIỆN")
    tag(doc, "for dv in to_chuc_thuc_hien")
    agency(doc, R("{{ loop.index|so }}. {{ dv.ten }}", bold=True), "dv")
    tag(doc, "for cq in dv.co_quan")
    agency(doc, "{{ loop.index|chu_cai }}) {{ cq.ten }}", "cq")
    tag(doc, "endfor")
    tag(doc, "endfor")

    heading(doc, "VI. CHẾ ĐỘ BÁO CÁO")
    tag(doc, "for muc in che_do_bao_cao")
    body(doc, "{{ loop.index|so }}. {{ muc }}")
    tag(doc, "endfor")
    closing(doc)

    page_break(doc)
    _appendix(doc)
    return doc


def _appendix(doc: DocumentObject) -> None:
    centred(doc, "PHỤ LỤC", bold=True)
    centred(doc, "{{ phu_luc.tieu_de|upper }} NĂM {{ nam }}", bold=True)
    centred(doc, CAPTION, italic=True, space_after=12)
    rows = grid_table(
        doc,
        TABLE_WIDTHS_CM,
        [
            ("STT", "Huyện/TX/TP", "Tổng số hộ dân cư (hộ)", "Tổng số hộ nghèo (hộ)", "Tỷ lệ hộ nghèo (%)"),
            ("{%tr for h in phu_luc.huyen %}",),
            (
                "{{ loop.index|so }}",
                "{{ h.ten }}",
                "{{ h.tong_so_ho|so }}",
                "{{ h.ho_ngheo|so }}",
                "{{ h.ty_le|so(2) }}",
            ),
            ("{%tr endfor %}",),
            (
                R("Tổng cộng", bold=True),
                "",
                R("{{ phu_luc.tong_so_ho|so }}", bold=True),
                R("{{ phu_luc.tong_ho_ngheo|so }}", bold=True),
                R("{{ phu_luc.ty_le|so(2) }}", bold=True),
            ),
        ],
        aligns="clrrr",
    )
    total = rows[-1][0].merge(rows[-1][1])
    label, *merged_in = total.paragraphs
    label.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in merged_in:
        total._tc.remove(paragraph._p)
