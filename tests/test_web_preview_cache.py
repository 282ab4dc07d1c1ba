"""What the app remembers between previews (the draft's data and form, the kind's schema, rules and template)
follows the workspace's files: editing one while the server runs changes the next page or preview."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import engine.web.forms
from engine.errors import ReportError
from engine.load import load_document
from engine.newkind import new_kind
from engine.schema import list_kinds
from engine.web.forms import resolve
from engine.web.pages import form_fields, kinds_near
from tests.conftest import DATA_DIR
from tests.web_support import form_of, running

NAME = "data/giay_moi-mau.yaml"
NOTES = re.compile(r'<script type="application/json" id="ghi-chu-du-lieu"[^>]*>(.*?)</script>', re.DOTALL)
TOTAL = "fld-so_lieu-tong"  # muc_1 120 + muc_2 35, derived by the kind's rules
FIRST = "fld-so_lieu-muc_1"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "kho"
    new_kind("giay_moi", folder, list_kinds())
    return folder


@pytest.fixture
def http(workspace: Path) -> Iterator[httpx.Client]:
    with running(workspace) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def notes(page: str) -> dict[str, Any]:
    found = NOTES.search(page)
    assert found is not None, "no notes in the page"
    result: dict[str, Any] = json.loads(found.group(1))
    return result


def preview(http: httpx.Client, form: dict[str, str]) -> str:
    response = http.post(f"/xem-truoc/{NAME}", data=form)
    assert response.status_code == 200
    return response.text


def text_of(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def edit_json(path: Path, change: Any) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=1), encoding="utf-8")


def test_a_schema_change_shows_in_the_same_drafts_form_and_messages(
    workspace: Path, http: httpx.Client
) -> None:
    form = form_of(http, NAME)
    assert "Mục thứ nhất" in http.get(f"/van-ban/{NAME}").text
    assert FIRST not in notes(preview(http, form))
    schema = workspace / "schemas" / "giay_moi.schema.json"

    def retitle_and_bound(schema: Any) -> None:
        first = schema["properties"]["so_lieu"]["properties"]["muc_1"]
        first["title"] = "Số hộ được thăm hỏi"
        first["maximum"] = 100

    edit_json(schema, retitle_and_bound)
    page = http.get(f"/van-ban/{NAME}").text
    assert "Số hộ được thăm hỏi" in page and "Mục thứ nhất" not in page
    messages = notes(preview(http, form))[FIRST]["m"]
    assert [kind for kind, _ in messages] == ["loi"] and "so_lieu.muc_1" in messages[0][1]


def test_a_rules_change_shows_in_the_next_preview(workspace: Path, http: httpx.Client) -> None:
    form = form_of(http, NAME)
    assert notes(preview(http, {**form, "f.so_lieu.muc_2": "36"}))[TOTAL]["d"] == "156"
    rules = workspace / "schemas" / "giay_moi.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace("thanh_phan: [so_lieu.muc_1, so_lieu.muc_2]", "thanh_phan: [so_lieu.muc_1]")
    )
    assert notes(preview(http, {**form, "f.so_lieu.muc_2": "36"}))[TOTAL]["d"] == "120"


def test_a_template_change_shows_in_the_next_preview(workspace: Path, http: httpx.Client) -> None:
    form = form_of(http, NAME)
    assert "thuộc mục thứ nhất" in text_of(preview(http, form))
    template = workspace / "templates" / "docx" / "giay_moi.docx"
    with zipfile.ZipFile(template) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            old, new = "thuộc mục thứ nhất".encode(), "là số của mục đầu tiên".encode()
            target.writestr(info, data.replace(old, new) if info.filename == "word/document.xml" else data)
    template.write_bytes(buffer.getvalue())
    shown = text_of(preview(http, form))
    assert "là số của mục đầu tiên" in shown and "thuộc mục thứ nhất" not in shown


def test_forms_built_from_remembered_schemas_are_the_forms_built_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = 0
    for path in sorted(DATA_DIR.rglob("*.yaml")):
        try:
            data = load_document(path).data
        except ReportError:
            continue
        where = kinds_near(path)
        first, again = form_fields(data, where), form_fields(data, where)
        with monkeypatch.context() as patched:
            patched.setattr(engine.web.forms, "_resolved", resolve)
            fresh = form_fields(data, where)
        assert first == again == fresh, path
        built += bool(fresh)
    assert built >= 8
