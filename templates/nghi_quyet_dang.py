"""Template of `nghi_quyet_dang`: a resolution of a commune or ward party committee (seed 001).

Party layout (Hướng dẫn 36-HD/VPTW) from `party_header`/`party_closing`; parts I–III with
items numbered here, and the yearly poverty sentence built from the list of years.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from templates.nd30 import R, body, heading, new_document, party_closing, party_header, tag, title

RATE = "{{ nam.ho_ngheo|so }} hộ, chiếm tỷ lệ {{ nam.ty_le|so(nam.chu_so) }}%"


def build() -> DocumentObject:
    doc = new_document()
    party_header(doc, "Số {{ so_hieu.so|so_hieu(so_hieu.ma_loai, so_hieu.ma_co_quan, dang=True) }}")
    title(doc, "NGHỊ QUYẾT", "{{ trich_yeu }}")
    body(doc, "{{ hop.ngay|ngay(thang=hop.thang, nam=hop.nam)|capitalize }}, {{ mo_dau }}")

    heading(doc, "I. {{ danh_gia.ten|upper }}")
    _paragraphs(doc, "danh_gia.doan_van")
    tag(doc, "if danh_gia.ho_ngheo_theo_nam")
    tag(doc, "set hn = danh_gia.ho_ngheo_theo_nam")
    body(
        doc,
        "{{ hn.mo_dau }} {% for nam in hn.cac_nam %}{% if loop.first %}Năm {{ nam.nam }}: " + RATE + "{% elif"
        " loop.last %} và đến năm {{ nam.nam }} còn "
        + RATE
        + "{% else %}; năm {{ nam.nam }}: "
        + RATE
        + "{% endif"
        " %}{% endfor %}.{% set nam = hn.chuan_moi %}{% if nam %} Đến cuối năm {{ nam.nam }} qua điều tra, rà soát"
        " hộ nghèo theo chuẩn mới trên địa bàn {{ cap }} có {{ nam.ho_ngheo|so }} hộ nghèo, chiếm tỷ lệ"
        " {{ nam.ty_le|so(nam.chu_so) }}%.{% endif %}",
    )
    tag(doc, "endif")
    _paragraphs(doc, "danh_gia.doan_van_sau")

    heading(doc, "II. {{ muc_tieu_giai_phap.ten|upper }}")
    _items(doc, "muc_tieu_giai_phap.muc")
    heading(doc, "III. {{ to_chuc_thuc_hien.ten|upper }}")
    _items(doc, "to_chuc_thuc_hien.muc")
    party_closing(doc)
    return doc


def _paragraphs(doc: DocumentObject, items: str) -> None:
    tag(doc, f"for doan in {items}")
    body(doc, "{{ doan }}")
    tag(doc, "endfor")


def _numbered(doc: DocumentObject, number: str, item: str, *, italic: bool) -> None:
    """A titled item is a bold heading then its paragraphs; an untitled one opens its first paragraph."""
    tag(doc, f"if {item}.ten")
    body(doc, R(f"{number} {{{{ {item}.ten }}}}", bold=True, italic=italic), keep_with_next=True)
    _paragraphs(doc, f"{item}.doan_van")
    tag(doc, "else")
    body(doc, f"{number} {{{{ {item}.doan_van[0] }}}}")
    _paragraphs(doc, f"{item}.doan_van[1:]")
    tag(doc, "endif")


def _items(doc: DocumentObject, items: str) -> None:
    tag(doc, f"for muc in {items}")
    tag(doc, "set so_muc = loop.index")
    _numbered(doc, "{{ so_muc }}.", "muc", italic=False)
    tag(doc, "for con in muc.muc")
    _numbered(doc, "{{ so_muc }}.{{ loop.index }}.", "con", italic=True)
    tag(doc, "endfor")
    tag(doc, "endfor")
