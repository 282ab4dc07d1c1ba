"""Context → .docx bytes, byte-identical for identical input, and atomic writes.

docxtpl saves through python-docx, whose zip entries carry the current time, so two
renders of the same data differ. Here the zip is written from the template's entries
in their order with fixed metadata, and only the compiled Jinja parts change.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from engine.templates import CompiledPart, CompiledTemplate, TemplateError, fix_tables, resolve_listing

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_UNIX = 3
_FILE_ATTR = 0o100644 << 16
_DIR_ATTR = (0o40755 << 16) | 0x10  # plus the MS-DOS directory flag
_ZIP_LEVEL = 6
_XML_PARSER = etree.XMLParser(resolve_entities=False)
_PARAGRAPH_LINE = re.compile(r"\n<w:p([ >])")
_JINJA_FILE = "<template>"  # the file name Jinja gives frames of templates made by `from_string`


def render_docx(template: CompiledTemplate, context: Mapping[str, Any]) -> bytes:
    """Render every Jinja part; copy the other entries byte for byte.

    Exceptions from filters (e.g. FilterError) propagate unchanged for the caller to
    locate in the data; Jinja's own errors become a TemplateError naming the template.
    """
    return deterministic_zip(
        (name, _render_part(template.path, template.parts[name], context) if name in template.parts else data)
        for name, data in template.entries
    )


def _render_part(path: Path, part: CompiledPart, context: Mapping[str, Any]) -> bytes:
    try:
        xml = part.template.render(context)
    except jinja2.UndefinedError as error:
        raise part.error(path, f"thiếu giá trị: {error.message}", _template_line(error)) from error
    except jinja2.TemplateError as error:
        raise part.error(path, f"lỗi khi dựng: {error.message}", _template_line(error)) from error
    xml = resolve_listing(_PARAGRAPH_LINE.sub(r"<w:p\1", xml))
    try:
        root = etree.fromstring(xml, _XML_PARSER)
    except etree.XMLSyntaxError as error:
        # Values are escaped and checked, so this comes from the template: a tag that opens
        # in one paragraph and closes in another block without the `{%p %}` form.
        raise TemplateError(
            path,
            part.name,
            f"kết quả dựng không phải XML hợp lệ ({error}); kiểm tra các thẻ {{% %}} trải qua nhiều đoạn",
        ) from error
    if part.name == "word/document.xml" and "<w:tbl" in xml:
        root = fix_tables(xml)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)


def _template_line(error: BaseException) -> int:
    """The template line Jinja was executing: the last traceback frame from the template."""
    line = 0
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == _JINJA_FILE:
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


def deterministic_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend only on the entries: fixed date, attributes and compression.

    Nothing from the clock, time zone, locale or platform enters the archive (the
    compressed bytes still depend on the zlib build, which is stable in practice).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.create_system = _ZIP_UNIX
            info.external_attr = _DIR_ATTR if name.endswith("/") else _FILE_ATTR
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=_ZIP_LEVEL)
    return buffer.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write so readers see the old file or the new one, never a partial one.

    The temporary file lives in the target's directory (`os.replace` is atomic only
    within one file system) and is removed on any failure, leaving the target as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        # "x" creates with mode 0o666 minus the umask, like any other new file.
        with open(temporary, "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
