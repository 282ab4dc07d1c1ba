"""Progress of `build`, `rollup` and the PDF step: a bar with counts on a terminal, plain lines otherwise."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import Progress

from engine.build import BuildOptions, Status, build
from engine.pdf import convert_to_pdf
from engine.pipeline import check, render_checked
from engine.progress import BuildBar, RollupBar
from engine.render import write_atomic
from engine.rollup import write_rollup
from tests.conftest import DATA_DIR, run_cli

DISTRICT_DIR = DATA_DIR / "huyen-son-thuong"
COMMUNES = ("xa-an-hoa.yaml", "xa-phu-xuan.yaml", "xa-tan-lap.yaml")  # read in name order
SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"


def terminal_bar() -> Progress:
    return Progress(console=Console(file=io.StringIO(), force_terminal=True))


def district_copy(tmp_path: Path) -> tuple[Path, Path]:
    folder = Path(shutil.copytree(DISTRICT_DIR, tmp_path / DISTRICT_DIR.name))
    return folder / "2024", folder / "huyen-son-thuong-2024.yaml"


def test_rollup_plain_lines_count_the_reports(tmp_path: Path) -> None:
    communes, district = district_copy(tmp_path)
    result = run_cli(["rollup", str(communes), "-o", str(district)])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "3 báo cáo cần tổng hợp",
        *(f"đã đọc {index}/3: {communes / name}" for index, name in enumerate(COMMUNES, 1)),
    ]
    assert lines[-1] == f"đã ghi {district}: tổng hợp 3 báo cáo"


def test_rollup_bar_counts_the_reports(tmp_path: Path) -> None:
    communes, district = district_copy(tmp_path)
    with terminal_bar() as bar:
        write_rollup(communes, district, RollupBar(bar))
    [task] = bar.tasks
    assert (task.description, task.completed, task.total) == ("đang đọc báo cáo các xã", 3, 3)


def test_build_bar_counts_the_documents(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SAMPLE, src / name)
    with terminal_bar() as bar:
        result = build(BuildOptions(src, out, 1), BuildBar(bar, out))
    assert result.count(Status.RENDERED) == 2
    [task] = bar.tasks
    assert (task.description, task.completed, task.total) == ("đang dựng", 2, 2)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="thiếu LibreOffice (soffice)")
def test_pdf_step_reports_each_pdf(tmp_path: Path) -> None:
    documents = []
    for name in ("mot", "hai"):
        documents.append(tmp_path / f"{name}.docx")
        write_atomic(documents[-1], render_checked(check(SAMPLE)))
    heard: list[int] = []
    produced = convert_to_pdf(documents, tmp_path / "pdf", heard.append)
    assert [path.name for path in produced] == ["mot.pdf", "hai.pdf"]
    assert heard == sorted(heard) and heard[-1] == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="thiếu LibreOffice (soffice)")
def test_build_bar_counts_the_pdfs(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SAMPLE, src / name)
    with terminal_bar() as bar:
        result = build(BuildOptions(src, out, 1, pdf=True), BuildBar(bar, out))
    assert result.pdfs == ["a.pdf", "b.pdf"]
    assert [(task.description, task.completed, task.total) for task in bar.tasks] == [
        ("đang dựng", 2, 2),
        ("đang xuất PDF", 2, 2),
    ]
