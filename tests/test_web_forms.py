"""The web form is generic over JSON Schema: widgets, labels and help from any schema; typed values back
as YAML scalars; the preview's HTML keeps the page's look."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from referencing import Registry
from referencing.jsonschema import DRAFT202012

from engine.load import load_document
from engine.pipeline import check, render_checked
from engine.web.drafts import apply_form, apply_operation, examine
from engine.web.forms import Field, build_fields, display, index, scalar_text
from engine.web.pages import form_fields
from engine.web.preview import docx_html
from engine.workspace import lookup
from tests.web_support import SAMPLE, make_workspace

SCHEMA: dict[str, Any] = {
    "$defs": {
        "tien": {"type": "integer", "minimum": 0, "title": "Số tiền (đồng)"},
        "nguoi": {
            "type": "object",
            "properties": {"ten": {"type": "string", "title": "Họ tên"}, "ngay_sinh": {"format": "date"}},
        },
    },
    "type": "object",
    "required": ["loai"],
    "properties": {
        "loai": {"const": "thu", "title": "Loại", "description": "Luôn là thu."},
        "muc": {"enum": ["a", "b"], "title": "Mức"},
        "kinh_phi": {"$ref": "#/$defs/tien", "description": "Tổng kinh phí."},
        "ty_le": {"type": "number"},
        "xong": {"type": "boolean"},
        "ngay": {
            "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": "^\\d{4}-\\d{2}$"}]
        },
        "ds": {"type": "array", "items": {"type": "string", "title": "Dòng"}},
        "nguoi": {"type": "array", "items": {"$ref": "#/$defs/nguoi"}},
        "ky": {"oneOf": [{"type": "integer"}, {"type": "object", "properties": {"tu": {"type": "integer"}}}]},
    },
}
DATA = {
    "loai": "thu",
    "kinh_phi": 1337000000,
    "ds": ["một", "hai"],
    "nguoi": [{"ten": "An"}],
    "ky": {"tu": 3},
}


def form() -> dict[str, Field]:
    resolver = Registry().with_resource("thu.json", DRAFT202012.create_resource(SCHEMA)).resolver("thu.json")
    return index(build_fields(SCHEMA, resolver, DATA))


def test_every_schema_keyword_gets_a_widget_with_its_title_and_description() -> None:
    fields = form()
    widgets = {name: found.widget for name, found in fields.items()}
    assert widgets == {
        "f.": "group",
        "f.loai": "fixed",
        "f.muc": "select",
        "f.kinh_phi": "integer",
        "f.ty_le": "number",
        "f.xong": "checkbox",
        "f.ngay": "text",
        "f.ds": "list",
        "f.ds[0]": "text",
        "f.ds[1]": "text",
        "f.nguoi": "list",
        "f.nguoi[0]": "group",
        "f.nguoi[0].ten": "text",
        "f.nguoi[0].ngay_sinh": "date",
        "f.ky": "group",
        "f.ky.tu": "integer",
    }
    assert (fields["f.kinh_phi"].label, fields["f.kinh_phi"].help) == ("Số tiền (đồng)", "Tổng kinh phí.")
    assert fields["f.kinh_phi"].value == "1.337.000.000"
    assert fields["f.ds[1]"].label == "Dòng – mục 2"
    assert fields["f.loai"].required and not fields["f.muc"].required
    assert fields["f.muc"].options == ["a", "b"]


def test_typed_values_become_yaml_scalars() -> None:
    fields = form()
    assert scalar_text(fields["f.kinh_phi"], "1.337.000.500") == "1337000500"
    assert scalar_text(fields["f.kinh_phi"], "1,5 tỷ") == "1,5 tỷ"  # left for the schema's own message
    assert scalar_text(fields["f.ty_le"], "0,91") == "0.91"
    assert scalar_text(fields["f.ds[0]"], "45") == '"45"'
    assert (
        scalar_text(fields["f.ds[0]"], "Ghi chú: # không phải chú thích")
        == '"Ghi chú: # không phải chú thích"'
    )
    assert scalar_text(fields["f.ds[0]"], "Lục Bình") == "Lục Bình"
    assert scalar_text(fields["f.ngay"], "2023-06-15") == "2023-06-15"
    assert display(-1234) == "-1.234" and display(None) == "" and display(True) == "true"


def test_form_edits_keep_comments_and_add_missing_fields(tmp_path: Path) -> None:
    folder = make_workspace(tmp_path)
    file = folder / SAMPLE
    raw = file.read_bytes()
    data = load_document(file).data
    edits = {
        "f.nha_o.de_nghi_ho_tro[1].so_ho": "9",
        "f.nha_o.tong_so_ho": "24",
        "f.co_quan.ten": "Ủy ban: xã",
    }
    draft = apply_form(raw, data, edits, form_fields(data, lookup(file)), SAMPLE).decode()
    assert "{nguon: theo chương trình vùng đồng bào DTTS&MN, so_ho: 9}" in draft
    assert "tong_so_ho: 24" in draft and 'ten: "Ủy ban: xã"' in draft
    assert "# Giữ nguyên số liệu đã công bố, kể cả chỗ chưa khớp" in draft
    assert "so:            # dự thảo: chưa vào sổ" in draft
    outcome = examine(file, draft.encode(), SAMPLE)
    assert outcome.checked is not None and outcome.data["nha_o"]["tong_so_ho"] == 24
    assert file.read_bytes() == raw


def test_list_operations_move_and_remove_items(tmp_path: Path) -> None:
    file = make_workspace(tmp_path) / SAMPLE
    raw = file.read_bytes()
    moved = load_document_bytes(file, apply_operation(raw, "down:nha_o.de_nghi_ho_tro[0]"))
    assert [row["so_ho"] for row in moved["nha_o"]["de_nghi_ho_tro"]] == [8, 4, 7, 1]
    removed = load_document_bytes(file, apply_operation(raw, "del:nha_o.de_nghi_ho_tro[3]"))
    assert [row["so_ho"] for row in removed["nha_o"]["de_nghi_ho_tro"]] == [4, 8, 7]
    added = load_document_bytes(file, apply_operation(raw, "add:nha_o.de_nghi_ho_tro"))
    assert added["nha_o"]["de_nghi_ho_tro"][-1] == {"nguon": None, "so_ho": None}
    assert apply_operation(raw, "rm -rf:/") == raw


def load_document_bytes(beside: Path, content: bytes) -> Any:
    copy = beside.with_name("ban-nhap.yaml")
    copy.write_bytes(content)
    return load_document(copy).data


def test_the_preview_looks_like_the_page(tmp_path: Path) -> None:
    file = make_workspace(tmp_path) / SAMPLE
    html = docx_html(render_checked(check(file)))
    assert "font-size:14pt" in html and "text-align:justify" in html and "text-indent:36pt" in html
    assert '<span style="font-weight:bold;font-size:12pt">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</span>' in html
    assert "DTTS&amp;MN" in html and "<table" in html
