"""`--pdf` through LibreOffice: real PDFs with pages and one embedded serif family (Times New Roman
or Liberation Serif), through one LibreOffice that is kept running and restarted when it dies.

Skipped when LibreOffice or poppler-utils is missing, except under BAOCAO_REQUIRE_PDF=1 (set by
.ci/run), where a missing tool fails every test here so CI never passes without the PDF checks.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from engine.pdf import Office, fallback_fonts
from tests.conftest import DATA_DIR, run_cli

SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"
TOOLS = ("soffice", "pdfinfo", "pdffonts")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
REQUIRED = os.environ.get("BAOCAO_REQUIRE_PDF") == "1"


@pytest.fixture(autouse=True)
def pdf_tools() -> None:
    if not MISSING:
        return
    message = f"thiếu {', '.join(MISSING)}: cài bằng `make install-libreoffice` (LibreOffice, poppler-utils)"
    if REQUIRED:
        pytest.fail(f"BAOCAO_REQUIRE_PDF=1 nhưng {message}")
    pytest.skip(f"BỎ QUA KIỂM TRA PDF — {message}")


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
    assert len(families(fonts)) == 1, f"PDF trộn nhiều họ phông (thiếu fonts-liberation2?):\n{fonts}"
    assert fallback_fonts(pdf) == []


def families(pdffonts: str) -> set[str]:
    """Font families in pdffonts' table: the name without subset prefix and style (`-Bold`, `,Italic`)."""
    names = [line.split()[0] for line in pdffonts.splitlines()[2:] if line.strip()]
    return {re.split(r"[-,]", name.partition("+")[2] or name)[0] for name in names}


def test_build_converts_every_document_in_one_run(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    for folder in ("xa-a", "xa-b"):  # the same file name in two folders must not collide
        (src / folder).mkdir(parents=True)
        shutil.copy(SAMPLE, src / folder / "bao-cao.yaml")
    result = run_cli(["build", str(src), "-o", str(out), "-j", "1", "--pdf"])
    assert result.exit_code == 0, result.stderr
    assert "đang xuất 2 PDF…" in result.stderr
    assert "phông thay thế" not in result.stderr
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


def test_one_office_for_many_documents_restarted_when_it_dies(tmp_path: Path) -> None:
    docx = tmp_path / "bao-cao.docx"
    assert run_cli(["render", str(SAMPLE), "-o", str(docx)]).exit_code == 0
    with Office() as office:
        assert office.convert([docx], tmp_path / "a") == [tmp_path / "a" / "bao-cao.pdf"]
        first = office.pid
        assert first is not None and office.warm, "the warm path must work where LibreOffice is installed"
        office.convert([docx], tmp_path / "b")
        assert office.pid == first, "the second document goes to the same LibreOffice"
        if hasattr(os, "killpg"):
            os.killpg(first, signal.SIGKILL)
            office.convert([docx], tmp_path / "c")  # a new LibreOffice, the document retried
            assert office.pid not in (None, first)
            assert_good_pdf(tmp_path / "c" / "bao-cao.pdf")
    assert office.pid is None
    assert_good_pdf(tmp_path / "b" / "bao-cao.pdf")
