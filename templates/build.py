"""Rebuild every template in templates/docx/ from its Python source, byte-for-byte reproducibly.

Run `make templates` (or `python -m templates.build`) after editing a source;
tests check that the committed .docx equals a fresh build.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject

from engine.paths import TEMPLATE_DIR
from engine.render import deterministic_zip
from templates import (
    bao_cao_6_thang,
    bao_cao_ket_qua_nghi_quyet,
    bao_cao_nam,
    ke_hoach,
    nghi_quyet_dang,
    van_ban,
)

SOURCES: dict[str, Callable[[], DocumentObject]] = {
    "bao_cao_6_thang": bao_cao_6_thang.build,
    "bao_cao_ket_qua_nghi_quyet": bao_cao_ket_qua_nghi_quyet.build,
    "bao_cao_nam": bao_cao_nam.build,
    "ke_hoach": ke_hoach.build,
    "nghi_quyet_dang": nghi_quyet_dang.build,
    "van_ban": van_ban.build,
}


# python-docx's default package carries its own preview picture, which Explorer would show for every document.
THUMBNAIL = "docProps/thumbnail.jpeg"


def template_bytes(kind: str) -> bytes:
    """The template as python-docx writes it, re-zipped without timestamps."""
    buffer = io.BytesIO()
    SOURCES[kind]().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != THUMBNAIL}
    parts["_rels/.rels"] = re.sub(
        rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', b"", parts["_rels/.rels"]
    )
    return deterministic_zip(parts.items())


def main(out_dir: Path = TEMPLATE_DIR) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in SOURCES:
        (out_dir / f"{kind}.docx").write_bytes(template_bytes(kind))
        print(f"đã tạo {out_dir / kind}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
