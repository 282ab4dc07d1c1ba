"""Template of `bao_cao_6_thang`: a commune's six-month poverty-reduction report (seed 002).

Sentences carrying figures live here, with the figures as filtered context
values; the prose around them comes from the data file.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from templates.nd30 import R, body, bullets, closing, heading, new_document, state_header, tag, title

SUBJECT = "Thực hiện Chương trình giảm nghèo và công tác giảm nghèo 6 tháng đầu năm {{ nam }}"
MONTHS = "Trong {{ so_thang_so_lieu|so }} tháng đầu năm"


def build() -> DocumentObject:
    doc = new_document()
    state_header(doc, "Số: {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }}")
    title(doc, "BÁO CÁO", SUBJECT)
    body(doc, "{{ can_cu }}. {{ co_quan.ten }} báo cáo kết quả thực hiện, cụ thể như sau:")

    heading(doc, "I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH, QUẢN LÝ CHƯƠNG TRÌNH")
    heading(doc, "1. Công tác chỉ đạo, điều hành Chương trình")
    bullets(doc, "chi_dao_dieu_hanh")

    heading(doc, "II. KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH")
    heading(doc, "1. Đánh giá công tác quản lý chương trình")
    bullets(doc, "quan_ly_chuong_trinh")
    heading(doc, "2. Kết quả thực hiện chính sách giảm nghèo thường xuyên")
    _regular_policies(doc)

    heading(doc, "3. Kết quả thực hiện mục tiêu, nhiệm vụ")
    body(
        doc,
        R("3.1. Kết quả thực hiện mục tiêu giảm nghèo:", bold=True, italic=True),
        " Trong tổng số {{ muc_tieu.giam_ho_ngheo|so }} hộ nghèo được giao giảm. Đến nay có"
        " {{ muc_tieu.ho_kha_nang_thoat_ngheo|so }} hộ có khả năng thoát nghèo{% if muc_tieu.ghi_chu %} (",
        R("{{ muc_tieu.ghi_chu }}", italic=True),
        "){% endif %}.",
    )
    _national_programme(doc)
    heading(doc, "4. Hạn chế, nguyên nhân")
    bullets(doc, "han_che")

    heading(doc, "III. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN ĐẾN CUỐI NĂM {{ nam }}")
    body(
        doc,
        "Để thực hiện hoàn thành mục tiêu giảm {{ muc_tieu.giam_ho_ngheo|so }} hộ nghèo và"
        " {{ muc_tieu.giam_ho_can_ngheo|so }} hộ cận nghèo, {{ co_quan.ten }} đề ra một số giải pháp như sau:",
    )
    tag(doc, "for muc in giai_phap")
    body(doc, "{{ loop.index|so }}. {{ muc }}")
    tag(doc, "endfor")

    heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    bullets(doc, "de_xuat", marker="")
    body(
        doc,
        "Trên đây là báo cáo thực hiện Chương trình giảm nghèo và công tác giảm nghèo 6 tháng đầu năm"
        " {{ nam }} của {{ co_quan.ten_viet_tat }}./.",
    )
    closing(doc)
    return doc


def _regular_policies(doc: DocumentObject) -> None:
    tag(doc, "if tin_dung or viec_lam")
    body(
        doc,
        R("- Chính sách hỗ trợ sản xuất, dạy nghề, tạo việc làm:", bold=True),
        "{% if tin_dung %} Chính sách tín dụng ưu đãi: " + MONTHS + " có {{ tin_dung.luot_ho|so }} lượt hộ"
        " nghèo, hộ cận nghèo, hộ mới thoát nghèo vay vốn{% if tin_dung.ho_ngheo or tin_dung.ho_can_ngheo"
        " or tin_dung.ho_moi_thoat_ngheo %}, trong đó có{% for so_ho, ten in [(tin_dung.ho_ngheo, 'hộ nghèo'),"
        " (tin_dung.ho_can_ngheo, 'hộ cận nghèo'), (tin_dung.ho_moi_thoat_ngheo, 'hộ thoát nghèo')] if so_ho %}"
        " {{ so_ho|so }} {{ ten }}{{ ',' if not loop.last }}{% endfor %}{% endif %}."
        " Tổng số tiền là {{ tin_dung.so_tien|tien }}.{% if tin_dung.kha_nang_thoat_ngheo %} Trong số những"
        " hộ vay vốn có {{ tin_dung.kha_nang_thoat_ngheo.ho_ngheo|so }} hộ nghèo,"
        " {{ tin_dung.kha_nang_thoat_ngheo.ho_can_ngheo|so }} hộ cận nghèo nằm trong danh sách hộ có khả năng"
        " thoát nghèo.{% endif %}{% endif %}{% if viec_lam %} " + MONTHS + " có"
        " {{ viec_lam.lao_dong_trong_nuoc|so }} người đi lao động tại các doanh nghiệp trong nước,"
        " {% if viec_lam.xuat_khau_lao_dong %}{{ viec_lam.xuat_khau_lao_dong|so }} người có hồ sơ đi xuất khẩu"
        " lao động{% else %}chưa có hồ sơ đi xuất khẩu lao động{% endif %}.{% endif %}",
    )
    tag(doc, "endif")

    tag(doc, "if giao_duc or y_te")
    body(doc, "- Chính sách hỗ trợ giáo dục, đào tạo, y tế")
    tag(doc, "endif")
    tag(doc, "if giao_duc")
    body(
        doc,
        "+ Chính sách hỗ trợ giáo dục, đào tạo:{% set gd = giao_duc %}{% if gd.mien_giam_hoc_phi %} Thực hiện"
        " chính sách miễn giảm học phí cho học sinh nghèo, cận nghèo cho {{ gd.mien_giam_hoc_phi.so_em|so }}"
        " em, kinh phí thực hiện hỗ trợ là {{ gd.mien_giam_hoc_phi.kinh_phi|tien }}.{% endif %}"
        "{% if gd.tien_an_mau_giao %} Thực hiện hỗ trợ tiền ăn đối với trẻ mẫu giáo thuộc đối tượng hộ nghèo,"
        " cận nghèo cho {{ gd.tien_an_mau_giao.so_em|so }} trẻ, kinh phí thực hiện hỗ trợ là"
        " {{ gd.tien_an_mau_giao.kinh_phi|tien }}.{% endif %}{% if gd.tien_an_nd116 %} Chính sách hỗ trợ tiền"
        " ăn theo NĐ 116/CP được {{ gd.tien_an_nd116.so_em|so }} em, kinh phí thực hiện hỗ trợ là"
        " {{ gd.tien_an_nd116.kinh_phi|tien }}.{% endif %}{% if gd.ho_tro_gao %} Thực hiện chính sách hỗ trợ"
        " gạo cho {{ gd.ho_tro_gao.so_em|so }} em, tổng kinh phí thực hiện hỗ trợ {{ gd.ho_tro_gao.so_kg|so }}"
        " kg.{% endif %}{% if gd.chi_phi_hoc_tap %} Hỗ trợ chi phí học tập cho học sinh là con hộ nghèo, cận"
        " nghèo được {{ gd.chi_phi_hoc_tap.so_em|so }} em, kinh phí thực hiện hỗ trợ là"
        " {{ gd.chi_phi_hoc_tap.kinh_phi|tien }}.{% endif %}",
    )
    tag(doc, "endif")
    tag(doc, "if y_te")
    body(
        doc,
        "+ Chính sách hỗ trợ y tế: Thực hiện lập danh sách, tiếp nhận và cấp phát thẻ BHYT cho các đối tượng;"
        " đối chiếu, xác nhận danh sách tăng, giảm thẻ BHYT cho {{ y_te.so_nhom|so }} nhóm đối tượng, trong"
        " đó: {% for nhom in y_te.the_bhyt %}{{ nhom.doi_tuong }} {{ nhom.so_the|so }} thẻ"
        "{{ ', ' if not loop.last else '.' }}{% endfor %}{% if y_te.hoat_dong %} {{ y_te.hoat_dong }}{% endif %}"
        " Từ đầu năm đến nay đã khám cho {{ y_te.luot_kham|so }} lượt người."
        "{% if y_te.hoat_dong_khac %} {{ y_te.hoat_dong_khac }}{% endif %}",
    )
    tag(doc, "endif")

    tag(doc, "if nha_o or tien_dien or nuoc_sinh_hoat")
    body(
        doc,
        "- Chính sách hỗ trợ nhà ở, điện, nước sinh hoạt và vệ sinh môi trường:{% if nha_o %} "
        + MONTHS
        + " đã lập danh sách đề nghị hỗ trợ nhà ở đối với {{ nha_o.tong_so_ho|so }} hộ (",
        R(
            "trong đó {% for nguon in nha_o.de_nghi_ho_tro %}{{ nguon.so_ho|so }} hộ {{ nguon.nguon }}"
            "{{ ', ' if not loop.last }}{% endfor %}",
            italic=True,
        ),
        ").{% set kt = nha_o.kiem_tra_hien_trang %}{% if kt %} Tiến hành kiểm tra hiện trạng nhà ở và lập danh"
        " sách đề nghị hỗ trợ giai đoạn {{ kt.giai_doan }} đối với {{ kt.so_ho|so }} hộ gia đình có khó khăn về"
        " nhà ở.{% endif %}{% endif %}{% if tien_dien %}{% set ds = tien_dien.lap_danh_sach %} Lập danh sách"
        " hỗ trợ tiền điện {{ ds.ky }} cho {{ ds.so_ho|so }} hộ nghèo, {{ ds.so_tien|tien }}"
        "{% set ct = tien_dien.chi_tra %}{% if ct %} và thực hiện các thủ tục để chi trả tiền điện {{ ct.ky }}"
        " cho {{ ct.so_ho|so }} hộ nghèo, {{ ct.so_tien|tien }}{% endif %}.{% endif %}"
        "{% if nuoc_sinh_hoat %} {{ co_quan.ten_viet_tat }} đã rà soát và lập danh sách đề nghị phê duyệt danh"
        " sách hỗ trợ mua dụng cụ chứa nước sinh hoạt{% if nuoc_sinh_hoat.chuong_trinh %} (",
        R("{{ nuoc_sinh_hoat.chuong_trinh }}", italic=True),
        "){% endif %} cho {{ nuoc_sinh_hoat.so_ho|so }} hộ nghèo.{% endif %}",
    )
    tag(doc, "endif")

    tag(doc, "if thong_tin")
    body(
        doc,
        "- Chính sách hỗ trợ người nghèo, cận nghèo hưởng thụ văn hóa thông tin:{% if thong_tin.mo_ta %}"
        " {{ thong_tin.mo_ta }}{% endif %} " + MONTHS + " hỗ trợ lắp mạng wifi miễn phí cho hộ nghèo, hộ cận"
        " nghèo được {{ thong_tin.wifi_so_ho|so }} hộ.",
    )
    tag(doc, "endif")
    tag(doc, "if tro_giup_phap_ly")
    body(
        doc,
        "- Chính sách trợ giúp pháp lý cho hộ nghèo, hộ cận nghèo: Phối hợp với {{ tro_giup_phap_ly.don_vi }}"
        " tổ chức truyền thông về trợ giúp pháp lý tại {{ tro_giup_phap_ly.so_thon|so }} thôn"
        " {{ tro_giup_phap_ly.thon|join(', ') }} cho {{ tro_giup_phap_ly.luot_nguoi|so }} lượt người thuộc"
        " diện hộ nghèo, hộ cận nghèo, đồng bào dân tộc thiểu số và các đối tượng được trợ giúp pháp lý khác.",
    )
    tag(doc, "endif")


def _national_programme(doc: DocumentObject) -> None:
    tag(doc, "if mtqg")
    body(
        doc,
        R(
            "3.2. Kết quả thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững:",
            bold=True,
            italic=True,
        ),
        " Nguồn vốn được UBND huyện phân bổ: {{ mtqg.von_phan_bo|tien }}.",
    )
    tag(doc, "for du_an in mtqg.du_an")
    body(
        doc,
        "{{ du_an.ten }}{% if du_an.noi_dung %}: {{ du_an.noi_dung }}{% endif %}"
        "{% set mh = du_an.mo_hinh %}{% if mh %}: {{ mh.ten }}: Quy mô: {{ mh.quy_mo.so_luong|so }}"
        " {{ mh.quy_mo.don_vi }}; thực hiện tại {{ mh.dia_diem }} cho đối tượng {{ mh.doi_tuong }} với số hộ"
        " thực hiện {{ mh.tong_so_ho|so }} hộ (trong đó {% for ho in mh.ho_tham_gia %}{{ ho.so_ho|so }}"
        " {{ ho.loai_ho }}{{ ', ' if not loop.last }}{% endfor %}). Kinh phí thực hiện:"
        " {{ mh.tong_kinh_phi|tien }}, trong đó: {% for nguon in mh.kinh_phi %}{{ nguon.nguon }}:"
        " {{ nguon.so_tien|tien }}{{ '; ' if not loop.last else '.' }}{% endfor %}"
        "{% if mh.tinh_trang %} {{ mh.tinh_trang }}{% endif %}{% endif %}",
    )
    bullets(doc, "du_an.tieu_du_an", marker="")
    tag(doc, "endfor")
    tag(doc, "endif")
