"""`baocao diff`: changed figures with locations, derived figures that follow, sentences that change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.diff import DataDiff, _changed_blocks
from engine.docxtext import docx_text
from engine.pipeline import check, render_checked
from engine.render import write_atomic
from tests.conftest import DATA_DIR, run_cli

SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"
ORIGINAL = SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return Path(shutil.copy(SAMPLE, tmp_path / "cu.yaml")), Path(shutil.copy(SAMPLE, tmp_path / "moi.yaml"))


def line_of(needle: str) -> int:
    return next(number for number, line in enumerate(ORIGINAL.splitlines(), 1) if needle in line)


def test_correction_names_figure_line_and_sentence(pair: tuple[Path, Path]) -> None:
    old, new = pair
    assert run_cli(["set", str(new), "tin_dung.luot_ho", "20"]).exit_code == 0
    result = run_cli(["diff", str(old), str(new)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Số liệu đã nhập thay đổi:",
        f"  {new}:{line_of('luot_ho:')}:12: tin_dung.luot_ho: 21 → 20",
    ]
    assert "Cảnh báo không còn:" in lines
    assert "Số liệu tính ra thay đổi:" not in lines
    changed = lines[lines.index("Câu văn thay đổi:") + 1 :]
    assert len(changed) == 2
    assert changed[0].startswith("  cũ:  - Chính sách hỗ trợ sản xuất")
    assert "Trong 4 tháng đầu năm có «21» lượt hộ nghèo" in changed[0]
    assert "Trong 4 tháng đầu năm có «20» lượt hộ nghèo" in changed[1]


def test_derived_figures_that_follow(pair: tuple[Path, Path]) -> None:
    old, new = pair
    new.write_text(
        ORIGINAL.replace("{nguon: theo nguồn MTTQ., so_ho: 4}", "{nguon: theo nguồn MTTQ., so_ho: 6}")
    )
    result = run_cli(["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert "Số liệu tính ra thay đổi:\n  nha_o.tong_so_ho: 20 → 22\n" in result.stdout
    assert f"{new}:{line_of('theo nguồn MTTQ')}:" in result.stdout


def test_removed_value_is_located_in_old_file(pair: tuple[Path, Path]) -> None:
    old, new = pair
    new.write_text(ORIGINAL.replace("  ghi_chu: Đã được lập danh sách đề nghị hỗ trợ nhà ở\n", ""))
    result = run_cli(["diff", str(old), str(new)])
    removed = '"Đã được lập danh sách đề nghị hỗ trợ nhà ở" → (không có)'
    expected = f"  {old}:{line_of('ghi_chu:')}:12: muc_tieu.ghi_chu: {removed}"
    assert expected in result.stdout.splitlines()


def test_comments_and_layout_are_no_change(pair: tuple[Path, Path]) -> None:
    old, new = pair
    new.write_text("# một chú thích mới\n" + ORIGINAL.replace("luot_ho: 21   ", "luot_ho:    21"))
    result = run_cli(["diff", str(old), str(new)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "không có thay đổi\n")


def test_data_errors_are_located_and_distinguished(pair: tuple[Path, Path]) -> None:
    old, new = pair
    new.write_text(ORIGINAL.replace("luot_ho: 21 ", "luot_ho: hai"))
    result = run_cli(["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{new}:{line_of('luot_ho:')}:12: lỗi: tin_dung.luot_ho:" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("không so sánh được: dữ liệu có lỗi (1 lỗi")


def test_two_documents_as_text(tmp_path: Path) -> None:
    old, new = tmp_path / "cu.docx", tmp_path / "moi.docx"
    write_atomic(old, render_checked(check(SAMPLE)))
    edited = tmp_path / "moi.yaml"
    edited.write_text(ORIGINAL.replace("luot_kham: 817", "luot_kham: 818"), encoding="utf-8")
    write_atomic(new, render_checked(check(edited)))
    result = run_cli(["diff", str(old), str(new)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- {old}", f"+++ {new}"]
    removed = [line for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line for line in lines if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert "817 lượt người" in removed[0] and "818 lượt người" in added[0]
    assert run_cli(["diff", str(old), str(old)]).exit_code == 0


def test_not_a_docx(tmp_path: Path) -> None:
    fake = tmp_path / "gia.docx"
    fake.write_text("không phải zip", encoding="utf-8")
    result = run_cli(["diff", str(fake), str(fake)])
    assert result.exit_code == 1
    assert f"không so sánh được: {fake}: không phải tệp .docx đọc được" in result.stderr


def test_against_last_build(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    data = Path(shutil.copy(SAMPLE, src / "xa.yaml"))
    assert run_cli(["build", str(src), "-o", str(out), "-j", "1"]).exit_code == 0
    assert run_cli(["diff", str(data), "--built", str(out)]).exit_code == 0
    assert run_cli(["set", str(data), "viec_lam.lao_dong_trong_nuoc", "25"]).exit_code == 0
    result = run_cli(["diff", str(data), "--built", str(out)])
    assert result.exit_code == 1
    assert (
        f"  {data}:{line_of('lao_dong_trong_nuoc')}:24: viec_lam.lao_dong_trong_nuoc: 20 → 25"
        in result.stdout
    )
    other = Path(shutil.copy(SAMPLE, tmp_path / "khac.yaml"))
    missing = run_cli(["diff", str(other), "--built", str(out)])
    assert missing.exit_code == 1
    assert f"{other} chưa được dựng vào {out}" in missing.stderr


@pytest.mark.parametrize(
    "args",
    [["a.yaml"], ["a.yaml", "b.docx"], ["a.yaml", "a.yaml", "--built", "."], ["b.docx", "--built", "."]],
)
def test_usage_errors(tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(b"")
    assert run_cli(["diff", *args]).exit_code == 2


def test_a_number_given_then_left_empty(pair: tuple[Path, Path]) -> None:
    old, new = pair
    new.write_text(ORIGINAL.replace("  so:            #", "  so: 15         #"), encoding="utf-8")
    result = run_cli(["diff", str(old), str(new)])
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "Số liệu đã nhập thay đổi:",
        f"  {new}:{line_of('  so:')}:7: so_hieu.so: (để trống) → 15",
        "Câu văn thay đổi:",
        "  cũ:  Số: «     /BC-UBND» | Lục Bình, ngày      tháng 4 năm 2023",
        "  mới: Số: «15/BC-UBND» | Lục Bình, ngày      tháng 4 năm 2023",
    ]
    back = run_cli(["diff", str(new), str(old)])
    assert f"  {old}:{line_of('  so:')}:3: so_hieu.so: 15 → (để trống)" in back.stdout.splitlines()


def test_an_empty_field_and_no_field_are_the_same(pair: tuple[Path, Path]) -> None:
    old, new = pair
    new.write_text(ORIGINAL.replace("  so:            # dự thảo: chưa vào sổ\n", ""), encoding="utf-8")
    result = run_cli(["diff", str(old), str(new)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "không có thay đổi\n")


def test_empty_paragraphs_are_not_printed() -> None:
    old = ["Tiêu đề", "Bảng | 1", "", "Kết luận"]
    new = ["Tiêu đề", "Kết luận", "Câu mới"]
    sentences = _changed_blocks(old, new)
    assert sentences == [(["Bảng | 1"], []), ([], ["Câu mới"])]
    assert DataDiff([], [], [], [], sentences).lines() == [
        "Câu văn thay đổi:",
        "  cũ:  Bảng | 1",
        "",
        "  mới: Câu mới",
    ]
    assert _changed_blocks(["a", "", "b"], ["a", "b", ""]) == []


def test_district_against_commune_has_no_empty_lines_or_empty_to_absent() -> None:
    district = DATA_DIR / "huyen-son-thuong" / "huyen-son-thuong-2024.yaml"
    commune = DATA_DIR / "huyen-son-thuong" / "2024" / "xa-an-hoa.yaml"
    lines = run_cli(["diff", str(district), str(commune)]).stdout.splitlines()
    assert not [line for line in lines if line.strip() in ("cũ:", "mới:")]
    assert not [line for line in lines if line.startswith("  tong_hop:")]


def test_empty_paragraphs_of_documents_are_not_printed(tmp_path: Path) -> None:
    district = DATA_DIR / "huyen-son-thuong" / "huyen-son-thuong-2024.yaml"
    commune = DATA_DIR / "huyen-son-thuong" / "2024" / "xa-an-hoa.yaml"
    old, new = tmp_path / "huyen.docx", tmp_path / "xa.docx"
    write_atomic(old, render_checked(check(district)))
    write_atomic(new, render_checked(check(commune)))
    assert "" in docx_text(old).splitlines()  # the district's table is followed by an empty paragraph
    lines = run_cli(["diff", str(old), str(new)]).stdout.splitlines()
    assert "+++ " + str(new) in lines
    assert not [line for line in lines if line.strip() in ("-", "+", "")]
