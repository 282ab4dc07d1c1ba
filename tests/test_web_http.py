"""`baocao serve` over plain HTTP: confinement, bounded and checked input, guarded saves, error pages."""

from __future__ import annotations

import concurrent.futures
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.edit import set_value
from engine.errors import ReportError
from engine.newkind import new_kind
from engine.schema import list_kinds
from tests.web_support import SAMPLE, form_of, make_workspace, running

FIELD = "f.nha_o.de_nghi_ho_tro[0].so_ho"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ho-so")


@pytest.fixture
def client(folder: Path) -> Iterator[httpx.Client]:
    with running(folder) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def test_lists_documents_with_kind_period_place_and_state(client: httpx.Client) -> None:
    page = client.get("/").text
    assert "bao_cao_6_thang" in page and "Lục Bình" in page and "2023" in page
    assert "cần xuất lại" in page  # nothing built into out/ yet


@pytest.mark.parametrize(
    "path",
    [
        "/van-ban/..%2F..%2Fmat-khau.yaml",
        "/van-ban/%2e%2e/%2e%2e/mat-khau.yaml",
        "/van-ban/%252e%252e/mat-khau.yaml",
        "/yaml/%2Ftmp%2Fmat-khau.yaml",
        "/lich-su/..%5Cmat-khau.yaml",
        "/tai/docx/..%2Fmat-khau.yaml",
        "/van-ban/lien-ket.yaml",
        "/van-ban/.baocao/lich-su.git/config",
    ],
)
def test_no_path_leaves_the_folder(folder: Path, client: httpx.Client, path: str) -> None:
    secret = folder.parent / "mat-khau.yaml"
    secret.write_text("loai: bi_mat\nmat_khau: KHONG-DUOC-LO\n", encoding="utf-8")
    (folder / "lien-ket.yaml").symlink_to(secret)
    response = client.get(path)
    assert response.status_code == 404
    assert "KHONG-DUOC-LO" not in response.text
    assert "Không có văn bản này trong thư mục đang mở." in response.text


def test_a_write_outside_the_folder_is_refused(folder: Path, client: httpx.Client) -> None:
    form = form_of(client, SAMPLE)
    response = client.post("/yaml/..%2Fngoai.yaml", data={**form, "text": "loai: x\n"})
    assert response.status_code == 404
    assert not (folder.parent / "ngoai.yaml").exists()


def test_a_write_without_its_csrf_token_changes_nothing(folder: Path, client: httpx.Client) -> None:
    before = (folder / SAMPLE).read_bytes()
    form = form_of(client, SAMPLE)
    del form["csrf"]
    response = client.post(f"/luu/{SAMPLE}", data={**form, FIELD: "9"})
    assert response.status_code == 403
    assert "Thiếu hoặc sai mã chống giả mạo (CSRF)" in response.text
    assert (folder / SAMPLE).read_bytes() == before


def test_a_write_from_another_site_is_refused(folder: Path, client: httpx.Client) -> None:
    before = (folder / SAMPLE).read_bytes()
    form = form_of(client, SAMPLE)
    response = client.post(
        f"/luu/{SAMPLE}", data={**form, FIELD: "9"}, headers={"origin": "http://ke-xau.example"}
    )
    assert response.status_code == 403
    assert (folder / SAMPLE).read_bytes() == before


def test_an_oversized_upload_is_refused(folder: Path, client: httpx.Client) -> None:
    form = form_of(client, SAMPLE)
    big = "a" * (5 * 1024 * 1024)
    response = client.post(f"/yaml/{SAMPLE}", data={**form, "text": big})
    assert response.status_code == 413
    assert "quá lớn" in response.text
    files = {"tep": ("lon.yaml", b"#" * (3 * 1024 * 1024), "application/x-yaml")}
    response = client.post("/tai-len", data={"csrf": form["csrf"]}, files=files)
    assert response.status_code == 413
    assert not (folder / "lon.yaml").exists()


def test_non_utf8_input_is_refused_with_a_message(folder: Path, client: httpx.Client) -> None:
    form = form_of(client, SAMPLE)
    body = f"csrf={form['csrf']}&base={form['base']}&text=lo%FFai".encode()
    response = client.post(
        f"/yaml/{SAMPLE}", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert "không phải UTF-8 hợp lệ" in response.text
    files = {
        "tep": (
            "cp1258.yaml",
            "loai: bao_cao_6_thang\nten: Hà Nội\n".encode("latin-1", "replace") + b"\xe0\n",
            "text/plain",
        )
    }
    response = client.post("/tai-len", data={"csrf": form["csrf"]}, files=files)
    assert response.status_code == 422
    assert "cp1258.yaml:2:" in response.text and "UTF-8" in response.text
    assert not (folder / "cp1258.yaml").exists()


def test_yaml_with_syntax_errors_opens_as_text_with_located_errors(
    folder: Path, client: httpx.Client
) -> None:
    broken = "loai: bao_cao_6_thang\nco_quan:\n  ten: [UBND xã\n"
    (folder / "hong.yaml").write_text(broken, encoding="utf-8")
    response = client.get("/van-ban/hong.yaml", follow_redirects=True)
    assert response.status_code == 200 and str(response.url).endswith("/yaml/hong.yaml")
    try:
        set_value(folder / "hong.yaml", "loai", "x", display_name="hong.yaml")
    except ReportError as error:
        expected = error.issues[0].format()
    assert expected.startswith("hong.yaml:") and expected in response.text.replace("&#34;", '"').replace(
        "&#39;", "'"
    )
    assert "[UBND xã\n</textarea>" in response.text
    form = form_of(client, SAMPLE)
    fixed = broken.replace("[UBND xã", "UBND xã")
    response = client.post(
        "/yaml/hong.yaml", data={"csrf": form["csrf"], "base": _base(client, "hong.yaml"), "text": fixed}
    )
    assert response.status_code == 422 and "Chưa lưu" in response.text  # still missing required fields
    assert (folder / "hong.yaml").read_text(encoding="utf-8") == broken


def _base(client: httpx.Client, name: str) -> str:
    page = client.get(f"/yaml/{name}").text
    return page.split('name="base" value="', 1)[1].split('"', 1)[0]


def test_an_invalid_value_is_shown_at_its_field_and_not_written(folder: Path, client: httpx.Client) -> None:
    before = (folder / SAMPLE).read_bytes()
    form = form_of(client, SAMPLE)
    response = client.post(f"/luu/{SAMPLE}", data={**form, FIELD: "bốn"})
    assert response.status_code == 422
    assert (folder / SAMPLE).read_bytes() == before
    copy = folder / "ban-sao.yaml"
    copy.write_bytes(before)
    with pytest.raises(ReportError) as raised:
        set_value(copy, FIELD[2:], "bốn", display_name=SAMPLE)
    words = raised.value.issues[0].format().split(": lỗi: ", 1)[1]
    field = response.text.split('id="gc-fld-nha_o-de_nghi_ho_tro-0--so_ho"', 1)[1].split("</div>", 1)[0]
    assert f"lỗi: {words}".replace('"', "&#34;") in field


def test_two_tabs_saving_one_file_the_second_is_refused(folder: Path, client: httpx.Client) -> None:
    first, second = form_of(client, SAMPLE), form_of(client, SAMPLE)
    assert client.post(f"/luu/{SAMPLE}", data={**first, FIELD: "9"}).status_code == 303
    response = client.post(f"/luu/{SAMPLE}", data={**second, FIELD: "5"})
    assert response.status_code == 409
    assert "đã thay đổi trên đĩa" in response.text
    assert "nha_o.de_nghi_ho_tro[0].so_ho: 9 → 5" in response.text
    assert "{nguon: theo nguồn MTTQ., so_ho: 9}" in (folder / SAMPLE).read_text(encoding="utf-8")


def test_a_file_changed_on_disk_while_open_is_not_overwritten(folder: Path, client: httpx.Client) -> None:
    form = form_of(client, SAMPLE)
    set_value(folder / SAMPLE, "tien_dien.chi_tra.so_ho", "141")
    after_edit = (folder / SAMPLE).read_bytes()
    response = client.post(f"/luu/{SAMPLE}", data={**form, FIELD: "9"})
    assert response.status_code == 409
    assert "tien_dien.chi_tra.so_ho: 141 → 140" in response.text  # the edit the save would have lost
    assert (folder / SAMPLE).read_bytes() == after_edit


def test_a_save_keeps_comments_and_is_in_the_history(folder: Path, client: httpx.Client) -> None:
    before = (folder / SAMPLE).read_text(encoding="utf-8")
    form = form_of(client, SAMPLE)
    assert client.post(f"/luu/{SAMPLE}", data={**form, FIELD: "1.234"}).status_code == 303
    after = (folder / SAMPLE).read_text(encoding="utf-8")
    assert after == before.replace("MTTQ., so_ho: 4}", "MTTQ., so_ho: 1234}")
    history = client.get(f"/lich-su/{SAMPLE}").text
    assert "Số liệu đã nhập thay đổi:" in history
    assert "nha_o.de_nghi_ho_tro[0].so_ho: 4 → 1234" in history
    assert "nha_o.tong_so_ho: 20 → 1250" in history


def test_list_operations_change_the_draft_not_the_file(folder: Path, client: httpx.Client) -> None:
    before = (folder / SAMPLE).read_bytes()
    form = form_of(client, SAMPLE)
    page = client.post(f"/xem-truoc/{SAMPLE}", data={**form, "op": "del:nha_o.de_nghi_ho_tro[0]"}).text
    assert 'value="theo nguồn MTTQ."' not in page
    assert "đối với 16 hộ (trong đó 8 hộ theo chương trình" in re.sub(r"<[^>]+>", "", page)
    page = client.post(f"/xem-truoc/{SAMPLE}", data={**form, "op": "add:chi_dao_dieu_hanh"}).text
    assert 'name="f.chi_dao_dieu_hanh[4]"' in page
    assert (folder / SAMPLE).read_bytes() == before


def test_a_new_period_from_the_previous_one(folder: Path, client: httpx.Client) -> None:
    form = form_of(client, SAMPLE)
    data = {"csrf": form["csrf"], "tu": "tinh-hung-yen-2024-kh.yaml", "ten": "ke-hoach-2025"}
    response = client.post("/ky-moi", data=data, follow_redirects=True)
    assert response.status_code == 200 and str(response.url).endswith("/van-ban/ke-hoach-2025.yaml")
    assert "# năm trước" in (folder / "ke-hoach-2025.yaml").read_text(encoding="utf-8")
    again = client.post("/ky-moi", data=data)
    assert again.status_code == 422 and "tệp đã có" in again.text


def test_a_workspace_kind_gets_its_form(tmp_path: Path) -> None:
    workspace = tmp_path / "kho"
    new_kind("giay_moi", workspace, list_kinds())
    with running(workspace) as url, httpx.Client(base_url=url, timeout=60) as http:
        listing = http.get("/").text
        assert "data/giay_moi-mau.yaml" in listing and "giay_moi.rules.yaml" not in listing
        page = http.get("/van-ban/data/giay_moi-mau.yaml").text
        assert 'name="f.so_lieu.muc_1"' in page and "0 lỗi, 0 cảnh báo" in page


def test_a_missing_template_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    workspace = tmp_path / "kho"
    (workspace / "schemas").mkdir(parents=True)
    (workspace / "ho-so").mkdir()
    schema = {"type": "object", "properties": {"loai": {"const": "thu_nghiem"}, "ten": {"type": "string"}}}
    (workspace / "schemas" / "thu_nghiem.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (workspace / "ho-so" / "moi.yaml").write_text("loai: thu_nghiem\nten: A\n", encoding="utf-8")
    with running(workspace) as url, httpx.Client(base_url=url, timeout=60) as http:
        page = http.get("/van-ban/ho-so/moi.yaml").text
        assert "lỗi: loại `thu_nghiem` chưa có mẫu" in page
        response = http.get("/tai/docx/ho-so/moi.yaml")
        assert response.status_code == 422 and "Traceback" not in response.text


def test_an_internal_error_shows_a_vietnamese_page(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("bí mật bên trong")

    monkeypatch.setattr("engine.web.workspace.Workspace.documents", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "Lỗi nội bộ của chương trình" in response.text
    assert "Traceback" not in response.text and "bí mật bên trong" not in response.text


def test_a_token_is_needed_off_loopback(folder: Path) -> None:
    with running(folder, token="ma-bi-mat") as url, httpx.Client(base_url=url) as http:
        assert http.get("/").status_code == 401
        assert http.get("/?ma=sai").status_code == 401
        assert http.get("/?ma=ma-bi-mat").status_code == 200
        assert http.get(f"/van-ban/{SAMPLE}").status_code == 200  # the cookie now
        big = http.post(
            f"/yaml/{SAMPLE}", content=b"a" * (5 * 1024 * 1024), headers={"content-type": "text/plain"}
        )
        assert big.status_code == 413


def test_a_flood_on_one_route_does_not_break_it(client: httpx.Client) -> None:
    form = form_of(client, SAMPLE)

    def preview(value: int) -> int:
        return client.post(f"/xem-truoc/{SAMPLE}", data={**form, FIELD: str(value)}).status_code

    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(preview, range(72)))
    assert set(statuses) <= {200, 503} and 200 in statuses
    assert client.get("/").status_code == 200


def test_pdf_download_is_a_pdf_or_a_vietnamese_message(client: httpx.Client) -> None:
    response = client.get(f"/tai/pdf/{SAMPLE}")
    if response.status_code == 200:
        assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    else:
        assert response.status_code == 503 and "Chưa xuất được PDF" in response.text


def test_serve_prints_its_url_and_a_token_off_loopback(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: started.append(options))
    runner = CliRunner()
    local = runner.invoke(cli, ["serve", str(folder), "--port", "8765"])
    assert local.exit_code == 0 and "tại http://127.0.0.1:8765/\n" in local.stderr
    shared = runner.invoke(cli, ["serve", str(folder), "--host", "0.0.0.0"])
    token = shared.stderr.split("?ma=", 1)[1].split()[0]
    assert len(token) >= 20 and f"mã truy cập: {token}" in shared.stderr
    assert [options["host"] for options in started] == ["127.0.0.1", "0.0.0.0"]


def test_a_save_stands_when_the_history_cannot_be_written(folder: Path, client: httpx.Client) -> None:
    (folder / ".baocao").write_text("không phải thư mục", encoding="utf-8")
    form = form_of(client, SAMPLE)
    assert client.post(f"/luu/{SAMPLE}", data={**form, FIELD: "9"}).status_code == 303
    assert "{nguon: theo nguồn MTTQ., so_ho: 9}" in (folder / SAMPLE).read_text(encoding="utf-8")
    assert "Chưa có lần lưu nào" in client.get(f"/lich-su/{SAMPLE}").text
