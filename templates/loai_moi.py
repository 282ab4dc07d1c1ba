"""Template of a kind made by `baocao new-kind`: the ND30 frame around the scaffold's example figures.

The clerk then edits the .docx in Word; this source only gives the starting point.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from templates.nd30 import body, bullets, closing, heading, new_document, state_header, title


def build() -> DocumentObject:
    doc = new_document()
    state_header(doc, "Số: {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan) }}")
    title(doc, "BÁO CÁO", "{{ trich_yeu }}")
    body(doc, "{{ can_cu }}. {{ co_quan.ten }} báo cáo như sau:")
    heading(doc, "I. TÌNH HÌNH, KẾT QUẢ NĂM {{ nam }}")
    bullets(doc, "noi_dung")
    heading(doc, "II. SỐ LIỆU")
    body(
        doc,
        "Tổng số {{ so_lieu.tong|so }}, trong đó: {{ so_lieu.muc_1|so }} thuộc mục thứ nhất,"
        " {{ so_lieu.muc_2|so }} thuộc mục thứ hai.",
    )
    body(doc, "Trên đây là báo cáo năm {{ nam }} của {{ co_quan.ten_viet_tat }}./.")
    closing(doc)
    return doc
