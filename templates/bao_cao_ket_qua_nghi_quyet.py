"""Template of `bao_cao_ket_qua_nghi_quyet`: a commune's report on carrying out a party resolution (seed 000).

The resolution is named once in the data and printed in the title and the closing
sentence; items II.1, II.2… are numbered and the policies lettered (a, b, c, d, đ, e…) here.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from templates.nd30 import R, body, bullets, closing, heading, new_document, state_header, tag, title

RESOLUTION = (
    "Nghị quyết số {{ nghi_quyet.so_ky_hieu }} ngày {{ nghi_quyet.ngay|ngay_ngan }} của"
    " {{ nghi_quyet.co_quan }} {{ nghi_quyet.trich_yeu }}"
)
# `(SỐ LIỆU NĂM 2023 VÀ NĂM 2024)` in the part II heading.
YEARS = (
    "{% for n in nam_so_lieu %}{% if not loop.first %}{{ ' VÀ ' if loop.last else ', ' }}{% endif %}"
    "NĂM {{ n }}{% endfor %}"
)


def build() -> DocumentObject:
    doc = new_document()
    state_header(doc, "Số: {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }}")
    title(doc, "BÁO CÁO", "Kết quả tình hình thực hiện " + RESOLUTION)

    heading(doc, "I. TÌNH HÌNH QUÁN TRIỆT VÀ TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT")
    heading(doc, "1. Công tác quán triệt, học tập và triển khai thực hiện Nghị quyết")
    bullets(doc, "quan_triet", marker="")
    heading(doc, "2. Công tác lãnh đạo, chỉ đạo")
    bullets(doc, "lanh_dao_chi_dao", marker="")

    heading(doc, "II. KẾT QUẢ THỰC HIỆN (SỐ LIỆU " + YEARS + ")")
    tag(doc, "for muc in ket_qua")
    heading(doc, "{{ loop.index|so }}. {{ muc.ten }}")
    bullets(doc, "muc.doan_van", marker="")
    _policies(doc)
    tag(doc, "endfor")

    heading(doc, "III. ĐÁNH GIÁ CHUNG")
    heading(doc, "1. Ưu điểm")
    bullets(doc, "uu_diem", marker="")
    heading(doc, "2. Tồn tại, hạn chế trong triển khai thực hiện Nghị quyết")
    bullets(doc, "han_che", marker="")
    tag(doc, "if nguyen_nhan")
    body(doc, R("Nguyên nhân của những tồn tại, hạn chế", bold=True, italic=True), keep_with_next=True)
    tag(doc, "if nguyen_nhan.chu_quan")
    body(doc, R("Chủ quan:", italic=True), " {{ nguyen_nhan.chu_quan }}")
    tag(doc, "endif")
    tag(doc, "if nguyen_nhan.khach_quan")
    body(doc, R("Khách quan:", italic=True), " {{ nguyen_nhan.khach_quan }}")
    tag(doc, "endif")
    tag(doc, "endif")
    tag(doc, "if bai_hoc")
    heading(doc, "3. Bài học kinh nghiệm rút ra trong quá trình thực hiện")
    bullets(doc, "bai_hoc", marker="")
    tag(doc, "endif")

    heading(doc, "IV. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN ĐỊNH HƯỚNG TỚI NĂM {{ nhiem_vu_giai_phap.den_nam }}")
    bullets(doc, "nhiem_vu_giai_phap.doan_van", marker="")
    body(doc, "Trên đây là báo cáo kết quả thực hiện " + RESOLUTION + " trên địa bàn {{ dia_ban }}./.")
    closing(doc)
    return doc


def _policies(doc: DocumentObject) -> None:
    """Lettered policies; the fund and electricity figures print before the item's paragraphs."""
    tag(doc, "for cs in muc.chinh_sach")
    body(doc, "{{ loop.index|chu_cai }}) {{ cs.ten }}", keep_with_next=True)
    tag(doc, "if cs.quy_vi_nguoi_ngheo")
    tag(doc, "set quy = cs.quy_vi_nguoi_ngheo")
    tag(doc, "for nam in quy.van_dong")
    body(doc, "Năm {{ nam.nam }} vận động được {{ nam.so_tien|tien }}.")
    tag(doc, "endfor")
    tag(doc, "if quy.in_tong_hop")
    body(
        doc,
        "Tổng cộng {% for nam in quy.van_dong %}{% if not loop.first %}{{ ' và ' if loop.last else ', ' }}"
        "{% endif %}năm {{ nam.nam }}{% endfor %} vận động được {{ quy.tong|tien }}{% for t in quy.thay_doi %};"
        " năm {{ t.nam }} {% if t.xu_huong == 'bằng' %}bằng năm {{ t.nam_truoc }}{% else %}{{ t.xu_huong }}"
        " {{ t.chenh_lech|tien }}{% if t.ty_le is not none %} ({{ t.ty_le|phan_tram_gon }}){% endif %} so với năm"
        " {{ t.nam_truoc }}{% endif %}{% endfor %}.",
    )
    tag(doc, "endif")
    tag(doc, "endif")
    tag(doc, "for nam in cs.tien_dien or []")
    body(
        doc,
        "Năm {{ nam.nam }} hỗ trợ tiền điện cho {{ nam.so_ho|so }} hộ nghèo với số tiền {{ nam.muc_thang|tien }}/tháng.",
    )
    tag(doc, "endfor")
    bullets(doc, "cs.doan_van", marker="")
    tag(doc, "endfor")
