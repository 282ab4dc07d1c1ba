"""Template of `bao_cao_nam`: the annual poverty-reduction report of a commune or a district.

Modelled on seed 002 (the six-month report) for a whole year, plus the year-end poverty
figures, the comparison with last year and the plan, and for a district (`tong_hop`) a
table of its communes. Optional sections are numbered as they appear.
"""

from __future__ import annotations

from typing import NamedTuple

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
        " hộ nghèo{% endif %}, và {% if kq.ho_can_ngheo %}{{ '' if kq.ho_ngheo else 'có ' }}"
        "{{ kq.ho_can_ngheo|so }} hộ cận nghèo, chiếm tỷ lệ"
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


# Policies: (key, label, count field, sentence with the count N, without a count, for a count of 0,
# money field, its words). Each sentence says "chưa có số liệu" when marked so, names a cumulative period
# (`ky`), the split by household group (`theo_nhom`) and the money when given (README "Quy tắc câu chữ").
class Policy(NamedTuple):
    key: str
    label: str
    field: str
    counted: str
    uncounted: str
    zero: str
    money: str
    words: str


POLICIES = (
    Policy(
        "tin_dung",
        "Chính sách tín dụng ưu đãi",
        "luot_ho",
        "có N lượt hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo được vay vốn",
        "hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo được vay vốn",
        "không có lượt hộ nào được vay vốn",
        "so_tien",
        "tổng số tiền",
    ),
    Policy(
        "viec_lam",
        "Hỗ trợ việc làm",
        "so_nguoi",
        "tư vấn, giới thiệu việc làm cho N lao động thuộc hộ nghèo, hộ cận nghèo",
        "tư vấn, giới thiệu việc làm cho lao động thuộc hộ nghèo, hộ cận nghèo",
        "không có lao động nào được tư vấn, giới thiệu việc làm",
        "kinh_phi",
        "kinh phí",
    ),
    Policy(
        "bhyt",
        "Chính sách hỗ trợ y tế",
        "so_the",
        "cấp N thẻ bảo hiểm y tế cho người thuộc hộ nghèo, hộ cận nghèo",
        "cấp thẻ bảo hiểm y tế cho người thuộc hộ nghèo, hộ cận nghèo",
        "không cấp thẻ bảo hiểm y tế nào",
        "so_tien",
        "kinh phí",
    ),
    Policy(
        "giao_duc",
        "Chính sách hỗ trợ giáo dục",
        "so_em",
        "miễn, giảm học phí và hỗ trợ chi phí học tập cho N học sinh thuộc hộ nghèo, hộ cận nghèo",
        "miễn, giảm học phí và hỗ trợ chi phí học tập cho học sinh thuộc hộ nghèo, hộ cận nghèo",
        "không có học sinh nào được miễn, giảm học phí, hỗ trợ chi phí học tập",
        "kinh_phi",
        "kinh phí",
    ),
    Policy(
        "nha_o",
        "Chính sách hỗ trợ nhà ở",
        "so_ho",
        "hỗ trợ xây mới, sửa chữa nhà ở cho N hộ nghèo, hộ cận nghèo",
        "hỗ trợ xây mới, sửa chữa nhà ở cho hộ nghèo, hộ cận nghèo",
        "không có hộ nào được hỗ trợ nhà ở",
        "kinh_phi",
        "kinh phí",
    ),
    Policy(
        "tien_dien",
        "Hỗ trợ tiền điện",
        "so_ho",
        "chi trả tiền điện cho N hộ nghèo",
        "{% if cs.tien_dien.so_luot %}chi trả tiền điện {{ cs.tien_dien.so_luot|so }} lượt cho hộ nghèo"
        "{% elif cs.tien_dien.so_luot is none %}chi trả tiền điện cho hộ nghèo"
        "{% else %}không có lượt hỗ trợ tiền điện nào{% endif %}",
        "không có hộ nghèo nào được hỗ trợ tiền điện",
        "so_tien",
        "tổng số tiền",
    ),
)


def _policy_sentence(policy: Policy) -> str:
    key, label, field, counted, uncounted, zero, money, words = policy
    item = f"cs.{key}"
    number = f"{item}.{field}"
    period = (
        f"{{{{ {item}.ky|thoi_ky(nam) }}}} "
        if key == "tin_dung"  # "trong năm có …", as the source words it
        else f"{{% if {item}.ky %}}{{{{ {item}.ky|thoi_ky(nam) }}}}, {{% endif %}}"
    )
    return (
        f"- {label}: {{% if {item}.chua_co_so_lieu %}}chưa có số liệu{{% else %}}{period}"
        f"{{% if {number} is none %}}{uncounted}{{% elif {number} %}}"
        + counted.replace("N", f"{{{{ {number}|so }}}}")
        + f"{{% else %}}{zero}{{% endif %}}{{{{ {item}|theo_nhom }}}}"
        f"{{% if {item}.{money} %}}, {words} {{{{ {item}.{money}|tien }}}}{{% endif %}}{{% endif %}}."
    )


def _policies(doc: DocumentObject) -> None:
    tag(doc, "if chinh_sach")
    heading(doc, NEXT + " Kết quả thực hiện các chính sách giảm nghèo")
    tag(doc, "set cs = chinh_sach")
    for policy in POLICIES:
        tag(doc, f"if cs.{policy.key}")
        body(doc, _policy_sentence(policy))
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
