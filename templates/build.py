"""Rebuild every template in templates/docx/ from its Python source, byte-for-byte reproducibly.

Run `make templates` (or `python -m templates.build`) after editing a source;
tests check that the committed .docx equals a fresh build.

Each built template records in its custom document properties (docProps/custom.xml,
shown by Word under File → Info → Properties → Custom) that it was generated, from
which source, and a hash of everything else in the package. A template whose content
no longer matches its hash was edited by hand (in Word, say): the build keeps it,
names it and says how to keep the edit, unless `--force`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from docx.document import Document as DocumentObject

from engine.paths import ROOT, TEMPLATE_DIR
from engine.render import deterministic_zip, write_atomic
from templates import (
    bao_cao_6_thang,
    bao_cao_ket_qua_nghi_quyet,
    bao_cao_nam,
    ke_hoach,
    nghi_quyet_dang,
    van_ban,
)
from templates.lean import lean

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
CUSTOM = "docProps/custom.xml"
SOURCE_PROPERTY = "baocao.mau.nguon"  # the Python source a template is generated from
HASH_PROPERTY = "baocao.mau.sha256"  # of the package without docProps/custom.xml
_PROPERTY = '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property>'
_CUSTOM_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{}</Properties>'
)
_CUSTOM_TYPE = (
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
)
_CUSTOM_RELATIONSHIP = (
    '<Relationship Id="rIdBaocao" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
    'Target="docProps/custom.xml"/>'
)


def template_bytes(kind: str) -> bytes:
    """The built-in template: trimmed, stamped with its source and re-zipped without timestamps."""
    return package_bytes(SOURCES[kind](), source=f"templates/{kind}.py")


def package_bytes(document: DocumentObject, *, source: str | None = None) -> bytes:
    """A python-docx document as a lean, reproducible .docx (no thumbnail, unused styles and parts);
    stamped as generated from `source` when given."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != THUMBNAIL}
    parts["_rels/.rels"] = re.sub(
        rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', b"", parts["_rels/.rels"]
    )
    parts = lean(parts)
    return deterministic_zip((_stamped(parts, source) if source else parts).items())


def content_hash(entries: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 of the package's entries (names and uncompressed bytes) except the custom properties."""
    digest = hashlib.sha256()
    for name, data in entries:
        if name != CUSTOM:
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _stamped(parts: dict[str, bytes], source: str) -> dict[str, bytes]:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", _CUSTOM_TYPE.encode() + b"</Types>"
    )
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>", _CUSTOM_RELATIONSHIP.encode() + b"</Relationships>"
    )
    properties = (
        _PROPERTY.format(pid=2, name=SOURCE_PROPERTY, value=source),
        _PROPERTY.format(pid=3, name=HASH_PROPERTY, value=content_hash(parts.items())),
    )
    return {**parts, CUSTOM: _CUSTOM_XML.format("".join(properties)).encode()}


def edited_by_hand(path: Path) -> str | None:
    """Why the template at `path` must not be overwritten, or None if it is as generated."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except zipfile.BadZipFile:
        return "không phải tệp .docx đọc được"
    custom = dict(entries).get(CUSTOM, b"").decode("utf-8", "replace")
    recorded = re.search(rf'name="{re.escape(HASH_PROPERTY)}"><vt:lpwstr>([0-9a-f]+)<', custom)
    if recorded is None:
        return "không có dấu của mẫu sinh tự động (có thể là mẫu làm tay)"
    if recorded.group(1) != content_hash(entries):
        return "đã bị sửa sau khi sinh (nội dung khác mã băm đã ghi)"
    return None


def main(argv: list[str] | None = None, out_dir: Path = TEMPLATE_DIR) -> int:
    parser = argparse.ArgumentParser(prog="python -m templates.build", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="ghi đè cả mẫu đã sửa tay")
    options = parser.parse_args(argv)
    kept = 0
    for kind in SOURCES:
        target = out_dir / f"{kind}.docx"
        data = template_bytes(kind)
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        if target.exists() and target.read_bytes() == data:
            print(f"không đổi {shown}")
            continue
        reason = edited_by_hand(target) if target.exists() and not options.force else None
        if reason:
            kept += 1
            print(
                f"{shown}: lỗi: {reason}; không ghi đè (muốn giữ bản sửa: chép tệp này vào "
                f"`<thư mục làm việc>/templates/docx/{kind}.docx` rồi chạy `make templates FORCE=1` "
                "để sinh lại mẫu gốc; `python -m templates.build --force` cũng vậy)",
                file=sys.stderr,
            )
            continue
        write_atomic(target, data)
        print(f"đã tạo {shown}")
    return 1 if kept else 0


if __name__ == "__main__":
    sys.exit(main())
