"""Template of `bao_cao_nam`: the annual poverty-reduction report of a commune or a district.

Modelled on seed 002 (the six-month report) for a whole year, plus the year-end poverty
figures, the comparison with last year and the plan, and for a district (`tong_hop`) a
table of its communes. Optional sections are numbered as they appear.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from templates.nd30 import (
    R,
    body,
    bullets,
    closing,
    grid_table,
    heading,
    new_document,
    state_header,
    tag,
    title,
)

SUBJECT = "Kết quả thực hiện Chương trình giảm nghèo và công tác giảm nghèo năm {{ nam }}"
# `so.muc` numbers the level-2 headings of the current section, skipping absent ones.
NEXT = "{% set so.muc = so.muc + 1 %}{{ so.muc }}."
RESTART = "{% set so = namespace(muc=0) %}"
TABLE_WIDTHS = (1.0, 3.4, 2.0, 1.7, 1.9, 1.8, 1.9, 2.0)


def build() -> DocumentObject:
    doc = new_document()
    state_header(doc, "Số: {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }}")
    title(doc, "BÁO CÁO", SUBJECT)
    body(
        doc,
        "{{ can_cu }}. {{ co_quan.ten }} báo cáo kết quả thực hiện Chương trình giảm nghèo và công tác"
        " giảm nghèo năm {{ nam }}, cụ thể như sau:",
    )

    heading(doc, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")
    bullets(doc, "chi_dao_dieu_hanh")

    heading(doc, "II. KẾT QUẢ THỰC HIỆN NĂM {{ nam }}" + RESTART)
    heading(doc, NEXT + " Công tác quản lý, tổ chức thực hiện Chương trình")
    bullets(doc, "quan_ly_chuong_trinh")
    heading(doc, NEXT + " Kết quả thực hiện mục tiêu giảm nghèo")
    _poverty_results(doc)
    _policies(doc)
    _national_programme(doc)

    heading(doc, "III. ĐÁNH GIÁ CHUNG" + RESTART)
    tag(doc, "if uu_diem")
    heading(doc, NEXT + " Ưu điểm")
    bullets(doc, "uu_diem")
    tag(doc, "endif")
    heading(doc, NEXT + " Hạn chế, nguyên nhân")
    bullets(doc, "han_che")

    heading(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {{ nam_sau }}")
    tag(doc, "for muc in nhiem_vu")
    body(doc, "{{ loop.index|so }}. {{ muc }}")
    tag(doc, "endfor")

    tag(doc, "if de_xuat")
    heading(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ")
    bullets(doc, "de_xuat", marker="")
    tag(doc, "endif")
    body(
        doc,
        "Trên đây là báo cáo kết quả thực hiện Chương trình giảm nghèo và công tác giảm nghèo năm {{ nam }}"
        " của {{ co_quan.ten_viet_tat }}./.",
    )
    closing(doc)
    return doc


def _poverty_results(doc: DocumentObject) -> None:
    body(
        doc,
        "{% set kq = ket_qua %}Theo kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm {{ nam }}, trên địa bàn"
        " {{ dia_ban }} có {{ kq.tong_so_ho|so }} hộ dân cư; trong đó {% if kq.ho_ngheo %}có"
        " {{ kq.ho_ngheo|so }} hộ nghèo, chiếm tỷ lệ"
        " {{ kq.ty_le_ho_ngheo|phan_tram if kq.ho_can_ngheo else kq.ty_le_ho_ngheo|phan_tram_gon }}{% else %}không còn"
        " hộ nghèo{% endif %}, và {% if kq.ho_can_ngheo %}{{ kq.ho_can_ngheo|so }} hộ cận nghèo, chiếm tỷ lệ"
        " {{ kq.ty_le_ho_can_ngheo|phan_tram if kq.ho_ngheo else kq.ty_le_ho_can_ngheo|phan_tram_gon }}"
        "{% else %}không còn hộ cận nghèo{% endif %}.",
    )
    tag(doc, "if so_sanh")
    body(
        doc,
        "So với cuối năm {{ so_sanh.nam }}, {{ so_sanh.cau_ho_ngheo }}; {{ so_sanh.cau_ho_can_ngheo }}.",
    )
    tag(doc, "endif")
    body(
        doc,
        "Trong năm {{ ket_qua.ho_thoat_ngheo|co_so_luong('hộ', 'thoát nghèo') }}"
        "{% if ke_hoach.ho_ngheo and ket_qua.ho_thoat_ngheo %}, {{ ke_hoach.ho_ngheo }} giảm hộ nghèo được"
        " giao ({{ muc_tieu.giam_ho_ngheo|so }} hộ){% endif %}"
        "{% if ket_qua.ho_thoat_can_ngheo is not none %}; {% if ket_qua.ho_thoat_can_ngheo %}"
        "{{ ket_qua.ho_thoat_can_ngheo|so }} hộ thoát cận nghèo{% if ke_hoach.ho_can_ngheo %},"
        " {{ ke_hoach.ho_can_ngheo }} giảm hộ cận nghèo được giao ({{ muc_tieu.giam_ho_can_ngheo|so }} hộ)"
        "{% endif %}{% else %}không có hộ nào thoát cận nghèo{% endif %}{% endif %}"
        "{% if ket_qua.ho_ngheo_phat_sinh is not none %}; {% if ket_qua.ho_ngheo_phat_sinh %}"
        "{{ ket_qua.ho_ngheo_phat_sinh|so }} hộ nghèo phát sinh, tái nghèo{% else %}không có hộ nghèo phát"
        " sinh, tái nghèo{% endif %}{% endif %}.",
    )
    tag(doc, "if tong_hop")
    body(
        doc,
        "Kết quả cụ thể của {{ tong_hop.so_don_vi|so }} đơn vị (tổng hợp từ báo cáo năm {{ nam }} của các"
        " đơn vị):",
        keep_with_next=True,
    )
    grid_table(
        doc,
        TABLE_WIDTHS,
        [
            (
                "TT",
                "Đơn vị",
                "Tổng số hộ",
                "Hộ nghèo",
                "Tỷ lệ hộ nghèo",
                "Hộ cận nghèo",
                "Tỷ lệ hộ cận nghèo",
                "Hộ thoát nghèo trong năm",
            ),
            ("{%tr for dv in tong_hop.don_vi %}",),
            (
                "{{ loop.index|so }}",
                "{{ dv.ten }}",
                "{{ dv.tong_so_ho|so }}",
                "{{ dv.ho_ngheo|so }}",
                "{{ dv.ty_le_ho_ngheo|phan_tram }}",
                "{{ dv.ho_can_ngheo|so }}",
                "{{ dv.ty_le_ho_can_ngheo|phan_tram }}",
                "{{ dv.ho_thoat_ngheo|so }}",
            ),
            ("{%tr endfor %}",),
            (
                "",
                R("Tổng cộng", bold=True),
                R("{{ ket_qua.tong_so_ho|so }}", bold=True),
                R("{{ ket_qua.ho_ngheo|so }}", bold=True),
                R("{{ ket_qua.ty_le_ho_ngheo|phan_tram }}", bold=True),
                R("{{ ket_qua.ho_can_ngheo|so }}", bold=True),
                R("{{ ket_qua.ty_le_ho_can_ngheo|phan_tram }}", bold=True),
                R("{{ ket_qua.ho_thoat_ngheo|so }}", bold=True),
            ),
        ],
        aligns="clrrrrrr",
        size=11,
    )
    body(doc, "")
    tag(doc, "endif")


def _policies(doc: DocumentObject) -> None:
    tag(doc, "if chinh_sach")
    heading(doc, NEXT + " Kết quả thực hiện các chính sách giảm nghèo")
    policies = [
        (
            "tin_dung",
            "- Chính sách tín dụng ưu đãi: trong năm có {{ cs.tin_dung.luot_ho|so }} lượt hộ nghèo, hộ cận nghèo,"
            " hộ mới thoát nghèo được vay vốn, tổng số tiền {{ cs.tin_dung.so_tien|tien }}.",
        ),
        (
            "viec_lam",
            "- Hỗ trợ việc làm: tư vấn, giới thiệu việc làm cho {{ cs.viec_lam.so_nguoi|so }} lao động thuộc hộ"
            " nghèo, hộ cận nghèo.",
        ),
        (
            "bhyt",
            "- Chính sách hỗ trợ y tế: cấp {{ cs.bhyt.so_the|so }} thẻ bảo hiểm y tế cho người thuộc hộ nghèo,"
            " hộ cận nghèo.",
        ),
        (
            "giao_duc",
            "- Chính sách hỗ trợ giáo dục: miễn, giảm học phí và hỗ trợ chi phí học tập cho"
            " {{ cs.giao_duc.so_em|so }} học sinh thuộc hộ nghèo, hộ cận nghèo, kinh phí"
            " {{ cs.giao_duc.kinh_phi|tien }}.",
        ),
        (
            "nha_o",
            "- Chính sách hỗ trợ nhà ở: hỗ trợ xây mới, sửa chữa nhà ở cho {{ cs.nha_o.so_ho|so }} hộ nghèo,"
            " hộ cận nghèo, kinh phí {{ cs.nha_o.kinh_phi|tien }}.",
        ),
        (
            "tien_dien",
            "- Hỗ trợ tiền điện: chi trả tiền điện cho {{ cs.tien_dien.so_ho|so }} hộ nghèo, tổng số tiền"
            " {{ cs.tien_dien.so_tien|tien }}.",
        ),
    ]
    tag(doc, "set cs = chinh_sach")
    for key, sentence in policies:
        tag(doc, f"if cs.{key}")
        body(doc, sentence)
        tag(doc, "endif")
    tag(doc, "endif")


def _national_programme(doc: DocumentObject) -> None:
    tag(doc, "if mtqg or mtqg_noi_dung")
    heading(doc, NEXT + " Kết quả thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững")
    tag(doc, "if mtqg")
    body(
        doc,
        "Tổng vốn được phân bổ năm {{ nam }} là {{ mtqg.von_phan_bo|tien }}; đến ngày 31/12/{{ nam }} đã giải"
        " ngân {{ mtqg.von_giai_ngan|tien }}, đạt {{ mtqg.ty_le_giai_ngan|phan_tram_gon }}.",
    )
    tag(doc, "endif")
    bullets(doc, "mtqg_noi_dung", marker="")
    tag(doc, "endif")
