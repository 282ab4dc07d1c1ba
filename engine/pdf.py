"""DOCX → PDF through LibreOffice, one process for a whole batch, with its own profile."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from engine.errors import BaocaoError, ToolMissingError

SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissingError(
        "không tìm thấy LibreOffice (soffice) để xuất PDF; cài bằng `make install-libreoffice` "
        "hoặc `apt-get install libreoffice-writer-nogui fonts-liberation`"
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
