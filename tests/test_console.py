"""Output on a console that is not UTF-8, redirected as a Windows clerk would; click's words in Vietnamese."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.console import VietnameseCommand, closest_letters, usage_message
from engine.docxtext import docx_text
from engine.load import load_document
from tests.conftest import DATA_DIR, ROOT, run_cli

SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"
ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "[required]")
CLICK_METAVARS = ("FILE", "PATH", "DIRECTORY", "TEXT", "INTEGER", "OUT")


def line_of(path: Path, needle: str) -> int:
    return next(
        number for number, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


def run_redirected(args: list[str], encoding: str, cwd: Path) -> tuple[int, str, str]:
    """`python cli.py ARGS > out 2> err` on a console whose code page is `encoding`; output read as UTF-8."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], cwd=cwd, env=env, capture_output=True, check=False
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_commands_redirected_on_a_code_page_console(encoding: str, tmp_path: Path) -> None:
    old = Path(shutil.copy(SAMPLE, tmp_path / "cu.yaml"))
    new = tmp_path / "moi.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("luot_ho: 21", "luot_ho: 20"), encoding="utf-8")
    bad = tmp_path / "sai.yaml"
    bad.write_text(old.read_text(encoding="utf-8").replace("nam: 2023", "nam: hai nghìn"), encoding="utf-8")

    code, out, err = run_redirected(["--help"], encoding, tmp_path)
    assert (code, err) == (0, "")
    assert out.startswith("Cách dùng: baocao [TÙY-CHỌN] LỆNH [THAM-SỐ]...\n")
    assert "  -h, --help  In hướng dẫn này rồi thoát.\n" in out

    code, out, err = run_redirected(["render", str(old), "-o", "cu.docx"], encoding, tmp_path)
    assert code == 0
    assert err.splitlines()[-1] == "đã tạo cu.docx"
    code, out, err = run_redirected(["text", "cu.docx"], encoding, tmp_path)
    assert (code, out, err) == (0, docx_text(tmp_path / "cu.docx"), "")
    assert "ỦY BAN NHÂN DÂN" in out

    code, out, err = run_redirected(["new", "bao_cao_6_thang"], encoding, tmp_path)
    assert (code, err) == (0, "")
    starter = tmp_path / "moi-tao.yaml"
    starter.write_text(out, encoding="utf-8")
    assert load_document(starter).data["loai"] == "bao_cao_6_thang"  # `new > tệp.yaml` reads back

    code, out, err = run_redirected(["diff", str(old), str(new)], encoding, tmp_path)
    assert code == 1
    assert out.splitlines()[:2] == [
        "Số liệu đã nhập thay đổi:",
        f"  {new}:{line_of(SAMPLE, 'luot_ho: 21')}:12: tin_dung.luot_ho: 21 → 20",
    ]

    code, out, err = run_redirected(["validate", "sai.yaml"], encoding, tmp_path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f'sai.yaml:{line_of(SAMPLE, "nam: 2023")}:6: lỗi: nam: phải là số nguyên, nhận được "hai nghìn"',
        "1 tệp có lỗi: 1 lỗi, 0 cảnh báo",
    ]


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [
        ("cp1258", "Lỗi: không đọc được tệp Đức Hợp"),  # every letter, tone marks combining
        ("cp1252", "Lôi: không doc duoc têp Duc Hop"),
        ("ascii", "Loi: khong doc duoc tep Duc Hop"),
    ],
)
def test_a_code_page_terminal_shows_the_nearest_letters(encoding: str, shown: str) -> None:
    text = "Lỗi: không đọc được tệp Đức Hợp"
    printed = text.encode(encoding, closest_letters(encoding)).decode(encoding)
    assert unicodedata.normalize("NFC", printed) == shown


def test_help_of_every_command_is_vietnamese() -> None:
    for name in ["", *cli.commands]:
        result = run_cli([name, "--help"] if name else ["--help"])
        assert result.exit_code == 0, name
        for english in ENGLISH:
            assert english not in result.stdout, (name, english)
        words = result.stdout.replace("[", " ").replace("]", " ").split()
        for metavar in CLICK_METAVARS:
            assert metavar not in words, (name, metavar)
        assert "In hướng dẫn này rồi thoát." in result.stdout


def test_rollup_help_names_its_option() -> None:
    result = run_cli(["rollup", "--help"])
    assert result.stdout.splitlines()[0] == "Cách dùng: baocao rollup [TÙY-CHỌN] THƯ-MỤC|BẢNG-TÍNH"
    assert "-o, --output HUYỆN.yaml  Tệp báo cáo huyện" in result.stdout
    assert "[bắt buộc]" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("validate --fomat text x", "không có tùy chọn --fomat; có phải ý bạn là --format?"),
        ("build -j 0 . -o out", "-j/--jobs: phải từ 1 trở lên, nhận được 0"),
        ("build -j hai . -o out", "-j/--jobs: 'hai' không phải số nguyên"),
        ("build .", "thiếu tùy chọn -o/--output"),
        ("validate --format xml x", "--format: 'xml' không phải một trong 'text', 'json'"),
        ("diff", "thiếu tham số [CŨ] MỚI"),
    ],
)
def test_usage_errors_are_one_vietnamese_line(args: str, message: str) -> None:
    result = run_cli(args)
    command = "baocao " + args.split(maxsplit=1)[0]
    assert result.exit_code == 2
    assert result.stderr == f"{command}: lỗi cú pháp lệnh: {message} (xem `{command} --help`)\n"


def test_no_command_shows_the_help() -> None:
    result = run_cli([])
    assert result.exit_code == 2
    assert result.stderr.startswith("Cách dùng: baocao [TÙY-CHỌN] LỆNH [THAM-SỐ]...\n")


def test_a_new_option_without_metavar_is_shown_in_vietnamese() -> None:
    @click.command(cls=VietnameseCommand)
    @click.argument("file", type=click.Path())
    @click.option("--port", type=int, help="Cổng.")
    def command(file: str, port: int | None) -> None:
        """Thử."""

    output = CliRunner().invoke(command, ["--help"], prog_name="thu").output
    assert output.splitlines()[0] == "Cách dùng: thu [TÙY-CHỌN] TỆP"
    assert "  --port SỐ  Cổng.\n" in output


def test_an_unreadable_file_is_said_in_vietnamese() -> None:
    error = click.BadParameter("File 'khoa.yaml' is not readable.")
    assert (
        usage_message(error)
        == "baocao: lỗi cú pháp lệnh: không có quyền đọc 'khoa.yaml' (xem `baocao --help`)"
    )
