"""DOCX → PDF through LibreOffice, one process for a whole batch, with its own profile."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from engine.errors import BaocaoError, ToolMissingError

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_VARIABLE = "BAOCAO_SOFFICE"
TIMEOUT_S = 600
POLL_S = 0.2
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


def convert_to_pdf(
    documents: Sequence[Path], out_dir: Path, progress: Callable[[int], None] | None = None
) -> list[Path]:
    """Convert every document in one LibreOffice run; an isolated profile lets runs go in parallel.

    `progress` hears how many PDFs exist so far, as LibreOffice writes them one after another.
    """
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    produced = [out_dir / f"{document.stem}.pdf" for document in documents]
    with (
        tempfile.TemporaryDirectory(prefix="baocao-lo-") as profile,
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors,
    ):
        process = subprocess.Popen(
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
            stdout=subprocess.DEVNULL,  # a line per document: a pipe nobody reads would fill up
            stderr=errors,
        )
        _wait(process, produced, progress)
        errors.seek(0)
        message = errors.read().strip()
    missing = [path for path in produced if not path.exists()]
    if process.returncode != 0 or missing:
        raise BaocaoError(f"LibreOffice không xuất được PDF: {message or missing}")
    return produced


def _wait(
    process: subprocess.Popen[bytes], produced: list[Path], progress: Callable[[int], None] | None
) -> None:
    """Wait for LibreOffice (at most TIMEOUT_S), telling `progress` each time another PDF appears."""
    deadline = time.monotonic() + TIMEOUT_S
    done = 0
    while True:
        try:
            process.wait(timeout=POLL_S)
            break
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise BaocaoError(f"LibreOffice không xuất xong PDF sau {TIMEOUT_S} giây") from None
        if progress is not None and (now := sum(path.exists() for path in produced)) != done:
            done = now
            progress(done)
    if progress is not None:
        progress(sum(path.exists() for path in produced))
