"""`--pdf` through LibreOffice: real PDFs with pages and embedded Times New Roman (or Liberation Serif)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DATA_DIR, run_cli

SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"
TOOLS = ("soffice", "pdfinfo", "pdffonts")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]

pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"thiếu {', '.join(MISSING)}: cài bằng `make install-libreoffice` (LibreOffice, poppler-utils)",
)
# A pdffonts row ends with `emb sub uni object-number generation`; `emb` must be yes.
SERIF = re.compile(
    r"^(\S+\+)?(TimesNewRoman|LiberationSerif)\S*\s.*\syes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$",
    re.MULTILINE,
)


def assert_good_pdf(pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert pages is not None and int(pages.group(1)) > 0, info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert SERIF.search(fonts), f"Times New Roman / Liberation Serif không được nhúng:\n{fonts}"


def test_build_converts_every_document_in_one_run(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    for folder in ("xa-a", "xa-b"):  # the same file name in two folders must not collide
        (src / folder).mkdir(parents=True)
        shutil.copy(SAMPLE, src / folder / "bao-cao.yaml")
    result = run_cli(["build", str(src), "-o", str(out), "-j", "1", "--pdf"])
    assert result.exit_code == 0, result.stderr
    assert "đang xuất 2 PDF…" in result.stderr
    for folder in ("xa-a", "xa-b"):
        assert_good_pdf(out / folder / "bao-cao.pdf")
    assert sorted(path.name for path in (out / ".baocao").iterdir()) == ["du-lieu", "manifest.json"]
    again = run_cli(["build", str(src), "-o", str(out), "-j", "1", "--pdf"])
    assert "PDF" not in again.stderr, "PDFs of unchanged documents are not made again"


def test_render_with_pdf(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.docx"
    result = run_cli(["render", str(SAMPLE), "-o", str(target), "--pdf"])
    assert result.exit_code == 0, result.stderr
    assert_good_pdf(target.with_suffix(".pdf"))
