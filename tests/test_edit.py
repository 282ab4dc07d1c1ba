"""`baocao set`: one value changes, every other byte stays; invalid results leave the file untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.edit import parse_path
from engine.pipeline import check
from tests.conftest import DATA_DIR, run_cli

SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"
ORIGINAL = SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copy(SAMPLE, tmp_path / "bao-cao.yaml"))


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_changes_one_value_and_keeps_comments_and_layout(data: Path) -> None:
    result = run_cli(["set", str(data), "tin_dung.luot_ho", "20"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"đã sửa {data}: tin_dung.luot_ho: 21 → 20\n")
    assert "tin_dung.luot_ho (21) khác tổng" not in result.stderr
    expected = ORIGINAL.replace("  luot_ho: 21            #", "  luot_ho: 20            #")
    assert data.read_text(encoding="utf-8") == expected
    assert check(data).document.data["tin_dung"]["luot_ho"] == 20


def test_trailing_comment_keeps_its_column(data: Path) -> None:
    assert run_cli(["set", str(data), "tin_dung.luot_ho", "2100"]).exit_code == 0
    assert "  luot_ho: 2100          # số đã công bố" in data.read_text(encoding="utf-8")


def test_empty_value_gets_one(data: Path) -> None:
    result = run_cli(["set", str(data), "so_hieu.so", "45"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("so_hieu.so: (trống) → 45\n")
    text = data.read_text(encoding="utf-8")
    assert "  so: 45         # dự thảo: chưa vào sổ\n" in text
    assert text.replace("  so: 45         #", "  so:            #") == ORIGINAL


def test_list_items_and_flow_mappings(data: Path) -> None:
    assert run_cli(["set", str(data), "noi_nhan[1].ds[0]", "Đoàn kiểm tra huyện"]).exit_code == 0
    # A comma inside `{…}` would split the value: it is written quoted.
    assert run_cli(["set", str(data), "y_te.the_bhyt[0].doi_tuong", "Trẻ em, dưới 6 tuổi"]).exit_code == 0
    text = data.read_text(encoding="utf-8")
    assert "      - Đoàn kiểm tra huyện\n" in text
    assert '    - {doi_tuong: "Trẻ em, dưới 6 tuổi", so_the: 222}\n' in text
    loaded = check(data).document.data
    assert loaded["y_te"]["the_bhyt"][0]["doi_tuong"] == "Trẻ em, dưới 6 tuổi"
    assert loaded["noi_nhan"][1]["ds"] == ["Đoàn kiểm tra huyện", "Lưu VP UBND xã, Công chức VH-XH xã"]


def test_block_text_is_replaced_whole(data: Path) -> None:
    assert run_cli(["set", str(data), "can_cu", "Thực hiện Kế hoạch số 1/KH-UBND"]).exit_code == 0
    text = data.read_text(encoding="utf-8")
    assert "can_cu: Thực hiện Kế hoạch số 1/KH-UBND\n\nchi_dao_dieu_hanh:\n" in text


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("tin_dung.luot_ho", '"20"', "tin_dung.luot_ho: phải là số nguyên"),  # quoted: a string
        ("tin_dung.luot_ho", "-5", "tin_dung.luot_ho: phải là số không âm"),  # not taken for an option
        ("tin_dung.so_tien", "1.337.000.000", "tin_dung.so_tien:"),
    ],
)
def test_invalid_value_leaves_file_untouched(data: Path, path: str, value: str, message: str) -> None:
    result = run_cli(["set", str(data), path, value])
    assert result.exit_code == 1
    line = line_of(ORIGINAL, path.rsplit(".", maxsplit=1)[-1] + ":")
    assert f"{data}:{line}:" in result.stderr and message in result.stderr
    assert result.stderr.endswith(f"không sửa {data}: 1 lỗi, 0 cảnh báo\n") or "lỗi" in result.stderr
    assert data.read_bytes() == SAMPLE.read_bytes()
    assert sorted(path.name for path in data.parent.iterdir()) == ["bao-cao.yaml"], "no temporary file left"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "tin_dung.luot_hoo",
            "lỗi: tin_dung.luot_hoo: không có trường này trong tệp (có phải ý bạn là `luot_ho`?)",
        ),
        (
            "tín_dụng.luot_ho",
            "lỗi: tín_dụng: không có trường này trong tệp (có phải ý bạn là `tin_dung`?)",
        ),
        ("noi_nhan[5].ds", "lỗi: noi_nhan: danh sách chỉ có 2 mục (đánh số từ 0)"),
        ("tin_dung", "lỗi: tin_dung: là nhóm trường hoặc danh sách; `set` chỉ sửa từng giá trị"),
        ("nam.so", "lỗi: nam: không phải nhóm trường"),
        ("tin_dung..luot_ho", "lỗi: đường dẫn `tin_dung..luot_ho` không hợp lệ"),
    ],
)
def test_unknown_path_is_a_clear_error(data: Path, path: str, expected: str) -> None:
    result = run_cli(["set", str(data), path, "1"])
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert data.read_bytes() == SAMPLE.read_bytes()


def test_value_must_be_a_single_value(data: Path) -> None:
    result = run_cli(["set", str(data), "nam", "[2023, 2024]"])
    assert result.exit_code == 1
    assert "giá trị phải là một giá trị đơn" in result.stderr


def test_windows_line_endings_and_bom_are_kept(data: Path) -> None:
    data.write_bytes(b"\xef\xbb\xbf" + ORIGINAL.replace("\n", "\r\n").encode())
    assert run_cli(["set", str(data), "tin_dung.luot_ho", "20"]).exit_code == 0
    expected = ORIGINAL.replace("luot_ho: 21 ", "luot_ho: 20 ").replace("\n", "\r\n")
    assert data.read_bytes() == b"\xef\xbb\xbf" + expected.encode()


def test_file_that_does_not_load_is_reported_not_edited(tmp_path: Path) -> None:
    broken = tmp_path / "hong.yaml"
    broken.write_text("loai: bao_cao_6_thang\nnam: [2023\n", encoding="utf-8")
    result = run_cli(["set", str(broken), "nam", "2024"])
    assert result.exit_code == 1
    assert f"{broken}:2:" in result.stderr
    assert broken.read_text(encoding="utf-8") == "loai: bao_cao_6_thang\nnam: [2023\n"


def test_parse_path() -> None:
    assert parse_path("noi_nhan[0].ds[1]") == ("noi_nhan", 0, "ds", 1)
    assert parse_path("tin_dung.luot_ho") == ("tin_dung", "luot_ho")
    for bad in ("", "[0]", "a.", ".a", "a[x]", "a]"):
        assert parse_path(bad) is None, bad
