"""`baocao serve`'s spreadsheets: the folder's figures and a kind's blank workbook as downloads, a filled
workbook imported (all or nothing, messages located as `baocao import` prints them), guarded as writes are."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from engine.export import export_directory
from engine.sheet import MAIN_SHEET, PATH_ROW
from tests.sheetfill import COMMUNE, COMMUNES, filled, sample_row
from tests.web_support import SAMPLE, hidden, make_workspace, running

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE = "xa-an-hoa-2024.yaml"  # a commune's annual report the imported rows take their text from


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = make_workspace(tmp_path / "ho-so")
    shutil.copy(COMMUNE, folder / BASE)
    return folder


@pytest.fixture
def client(folder: Path) -> Iterator[httpx.Client]:
    with running(folder) as url, httpx.Client(base_url=url, timeout=120) as http:
        yield http


def csrf(client: httpx.Client) -> str:
    return hidden(client.get("/").text, "csrf")


def send(client: httpx.Client, book: Path, token: str | None, folder: str = "nhap/2024") -> httpx.Response:
    fields = {"tu": BASE, "thu_muc": folder} | ({"csrf": token} if token is not None else {})
    files = {"bang": ("bieu-mau.xlsx", book.read_bytes(), XLSX)}
    return client.post("/nhap-bang-tinh", data=fields, files=files)


def test_the_list_offers_the_downloads_and_the_import_form(client: httpx.Client) -> None:
    page = client.get("/").text
    assert '<a href="/bang-so-lieu.xlsx">Tải bảng số liệu (.xlsx)</a>' in page
    assert '<a href="/bieu-mau/bao_cao_6_thang.xlsx">Tải biểu mẫu Excel</a>' in page
    assert 'action="/nhap-bang-tinh"' in page and "Nhập từ bảng tính" in page
    assert f'<option value="{BASE}">' in page
    assert (
        '<li><a href="/bieu-mau/bao_cao_nam.xlsx">Báo cáo kết quả thực hiện công tác giảm nghèo năm' in page
    )  # every kind, documents or not


def test_the_figures_download_is_a_workbook_with_the_engines_values(
    folder: Path, client: httpx.Client
) -> None:
    response = client.get("/bang-so-lieu.xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''bang-so-lieu.xlsx"
    sheet = load_workbook(io.BytesIO(response.content))["bao_cao_6_thang"]
    paths = [cell.value for cell in sheet[2]]
    row = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == SAMPLE)
    values = dict(zip(paths, row, strict=True))
    assert values["nam"] == 2023 and values["so_thang_so_lieu"] == 4  # stored, as in the data file
    assert response.content == export_directory(folder, folder.parent / "out")[0]  # as `baocao export`


def test_the_blank_workbook_downloads(client: httpx.Client) -> None:
    response = client.get("/bieu-mau/bao_cao_nam.xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content))[MAIN_SHEET]
    assert "ket_qua.ho_ngheo" in [cell.value for cell in sheet[PATH_ROW]]
    missing = client.get("/bieu-mau/khong_co.xlsx")
    assert (
        missing.status_code == 404
        and "Không có loại văn bản `khong_co` trong thư mục đang mở." in missing.text
    )


def test_an_import_over_existing_files_keeps_their_last_version(
    folder: Path, client: httpx.Client, tmp_path: Path
) -> None:
    (folder / "nhap").mkdir()
    shutil.copy(COMMUNE, folder / "nhap" / COMMUNE.name)
    row = sample_row(COMMUNE) | {"ket_qua.ho_ngheo": 7}
    response = send(client, filled(tmp_path / "bieu-mau.xlsx", [row]), csrf(client), "nhap")
    assert response.status_code == 200, response.text
    history = client.get(f"/lich-su/nhap/{COMMUNE.name}").text
    assert f"nhap/{COMMUNE.name}: bản trên đĩa trước khi nhập bảng tính" in history
    assert "ket_qua.ho_ngheo" in history


def test_a_good_import_writes_the_files_and_lists_them(
    folder: Path, client: httpx.Client, tmp_path: Path
) -> None:
    book = filled(tmp_path / "bieu-mau.xlsx", [sample_row(path) for path in COMMUNES])
    response = send(client, book, csrf(client))
    assert response.status_code == 200, response.text
    assert f"Đã ghi {len(COMMUNES)} tệp:" in response.text
    assert '<a href="/van-ban/nhap/2024/xa-an-hoa.yaml">nhap/2024/xa-an-hoa.yaml</a>' in response.text
    assert sorted(path.name for path in (folder / "nhap" / "2024").iterdir()) == [p.name for p in COMMUNES]
    assert "nhap/2024/xa-an-hoa.yaml" in client.get("/").text
    history = client.get("/lich-su/nhap/2024/xa-an-hoa.yaml").text
    assert "nhap/2024/xa-an-hoa.yaml: nhập từ bảng tính bieu-mau.xlsx qua baocao serve" in history


def test_a_bad_import_shows_each_located_issue_and_writes_nothing(
    folder: Path, client: httpx.Client, tmp_path: Path
) -> None:
    rows = [sample_row(path) for path in COMMUNES]
    rows[2]["ket_qua.ho_ngheo"] = "28 hộ"
    response = send(client, filled(tmp_path / "bieu-mau.xlsx", rows), csrf(client))
    assert response.status_code == 422
    expected = (
        'bieu-mau.xlsx:Xa!S6: lỗi: ket_qua.ho_ngheo: phải là số nguyên không âm, nhận được "28 hộ"'
        " (chỉ ghi chữ số, không kèm đơn vị: 28)"
    )
    assert expected in response.text.replace("&#34;", '"')
    assert "Không ghi tệp nào: sửa bảng tính rồi nhập lại." in response.text
    assert not (folder / "nhap").exists()


def test_an_import_without_its_csrf_token_is_refused(
    folder: Path, client: httpx.Client, tmp_path: Path
) -> None:
    response = send(client, filled(tmp_path / "bieu-mau.xlsx", [sample_row(COMMUNE)]), None)
    assert response.status_code == 403
    assert "Thiếu hoặc sai mã chống giả mạo (CSRF)" in response.text
    assert not (folder / "nhap").exists()


@pytest.mark.parametrize("target", ["../ngoai", "nhap/../../ngoai", "/tmp/ngoai", "lien-ket/con", ".an"])
def test_an_import_outside_the_folder_is_refused(
    folder: Path, client: httpx.Client, tmp_path: Path, target: str
) -> None:
    outside = tmp_path / "ngoai-that"
    outside.mkdir()
    (folder / "lien-ket").symlink_to(outside)
    response = send(client, filled(tmp_path / "bieu-mau.xlsx", [sample_row(COMMUNE)]), csrf(client), target)
    assert response.status_code == 400
    assert "Thư mục đích phải nằm trong thư mục đang mở" in response.text
    assert not (tmp_path / "ngoai").exists() and not any(outside.iterdir())


def test_the_figures_download_of_a_folder_with_an_error_shows_it(folder: Path, client: httpx.Client) -> None:
    text = (
        (folder / SAMPLE).read_text(encoding="utf-8").replace("so_thang_so_lieu: 4", "so_thang_so_lieu: 13")
    )
    (folder / SAMPLE).write_text(text, encoding="utf-8")
    response = client.get("/bang-so-lieu.xlsx")
    assert response.status_code == 422 and "Chưa xuất được bảng số liệu:" in response.text
    expected = f"{SAMPLE}:21:19: lỗi: so_thang_so_lieu: phải nhỏ hơn hoặc bằng 6, nhận được 13</li>"
    assert f'<li class="loi" data-dong="21" title="Bấm để tới dòng 21">{expected}' in response.text
