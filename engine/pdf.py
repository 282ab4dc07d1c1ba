"""DOCX → PDF through LibreOffice, one process for a whole batch, with its own profile."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from engine.errors import BaocaoError, ToolMissingError

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_VARIABLE = "BAOCAO_SOFFICE"
# Where the installers put it when it is not on PATH (the usual case on Windows and macOS).
WINDOWS_PROGRAM_DIRS = (
    os.environ.get("PROGRAMFILES", r"C:\Program Files"),
    os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"),
)
SOFFICE_PLACES = (
    *(Path(folder, "LibreOffice", "program", "soffice.exe") for folder in WINDOWS_PROGRAM_DIRS),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)


def find_soffice() -> str:
    """`$BAOCAO_SOFFICE`, then `soffice`/`libreoffice` on PATH, then the installers' usual places."""
    if chosen := os.environ.get(SOFFICE_VARIABLE):
        if Path(chosen).is_file():
            return chosen
        raise ToolMissingError(f"{SOFFICE_VARIABLE}={chosen}: không có tệp này")
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    for place in SOFFICE_PLACES:
        if place.is_file():
            return str(place)
    raise ToolMissingError(
        "không tìm thấy LibreOffice (soffice) để xuất PDF; cài từ libreoffice.org (Windows, macOS), "
        "`make install-libreoffice` (Debian/Ubuntu), hoặc đặt biến BAOCAO_SOFFICE là đường dẫn tới soffice"
    )


def convert_to_pdf(documents: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert every document in one LibreOffice run; an isolated profile lets runs go in parallel."""
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baocao-lo-") as profile:
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *map(str, documents),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    produced = [out_dir / f"{document.stem}.pdf" for document in documents]
    missing = [path for path in produced if not path.exists()]
    if result.returncode != 0 or missing:
        raise BaocaoError(f"LibreOffice không xuất được PDF: {result.stderr.strip() or missing}")
    return produced
