"""Context → .docx bytes, byte-identical for identical input, and atomic writes.

docxtpl saves through python-docx, whose zip entries carry the current time, so two
renders of the same data differ. Here the zip is written from the template's entries
in their order with fixed metadata, and only the compiled Jinja parts change.
"""

from __future__ import annotations

import os
import pyexpat
import re
import secrets
import struct
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from engine.templates import (
    CompiledPart,
    CompiledTemplate,
    NoneValueError,
    TemplateError,
    fix_tables,
    resolve_listing,
)

# Zip records laid out exactly as Python's zipfile writes them with these settings (version 2.0,
# no extra fields, MS-DOS date 1980-01-01 00:00), so the bytes match earlier releases.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_ZIP_VERSION = 20
_ZIP_DEFLATED = 8
_ZIP_DOS_DATE = 1 << 5 | 1
_ZIP_UTF8_NAME = 0x800
_ZIP_UNIX = 3
_FILE_ATTR = 0o100644 << 16
_DIR_ATTR = (0o40755 << 16) | 0x10  # plus the MS-DOS directory flag
_ZIP_LEVEL = 6
_XML_PARSER = etree.XMLParser(resolve_entities=False)
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # as lxml writes it
_LISTING = "\n\t\a\f"  # what `resolve_listing` turns into line breaks, tabs, paragraphs, pages
_JINJA_FILE = "<template>"  # the file name Jinja gives frames of templates made by `from_string`


def render_docx(template: CompiledTemplate, context: Mapping[str, Any]) -> bytes:
    """Render every Jinja part; copy the other entries byte for byte.

    Exceptions from filters (e.g. FilterError) propagate unchanged for the caller to
    locate in the data; Jinja's own errors become a TemplateError naming the template.
    """
    return _zip(
        (name, _deflate(_render_part(template.path, template.parts[name], context)))
        if name in template.parts
        else (name, _deflate_static(template.sha256, name, data))
        for name, data in template.entries
    )


def _render_part(path: Path, part: CompiledPart, context: Mapping[str, Any]) -> bytes:
    # Checked before rendering so that a misspelt name in a branch this data skips is caught too.
    for name, line in part.names.items():
        if name not in context:
            message = _undefined_message(f"'{name}' is undefined")
            raise part.error(path, f"thiếu giá trị: {message}", line)
    try:
        xml = part.template.render(context)
    except jinja2.UndefinedError as error:
        problem = f"thiếu giá trị: {_undefined_message(str(error.message))}"
        raise part.error(path, problem, _template_line(error)) from error
    except NoneValueError as error:
        raise part.error(path, str(error.message), _template_line(error)) from error
    except jinja2.TemplateError as error:
        raise part.error(path, f"lỗi khi dựng: {error.message}", _template_line(error)) from error
    if "\n<w:p" in xml:  # docxtpl's `\n<w:p([ >])` → `<w:p\1`
        xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    # Rare: a value with a line break, tab, \a or \f. Four `in` scans take 1/50 of one regex search.
    if any(character in xml for character in _LISTING):
        xml = resolve_listing(xml)
    _check_well_formed(xml, path, part.name)
    if part.fixes_tables:
        return etree.tostring(fix_tables(xml), encoding="UTF-8", xml_declaration=True, standalone=True)
    return _DECLARATION + xml.encode()


def _check_well_formed(xml: str, path: Path, part: str) -> None:
    """The rendered part must be XML: expat checks it without building a tree; lxml, the judge
    of earlier releases, decides and words the error when expat objects.

    Values are escaped and checked, so bad XML comes from the template: a tag that opens in
    one paragraph and closes in another block without the `{%p %}` form.
    """
    try:
        pyexpat.ParserCreate(namespace_separator=" ").Parse(xml, True)
    except pyexpat.ExpatError:
        try:
            etree.fromstring(xml, _XML_PARSER)
        except etree.XMLSyntaxError as error:
            raise TemplateError(
                path,
                part,
                f"kết quả dựng không phải XML hợp lệ ({error}); kiểm tra các thẻ {{% %}} trải qua nhiều đoạn",
            ) from error


def _undefined_message(message: str) -> str:
    """Jinja's English wording, in the two forms a misspelt name takes."""
    if found := re.fullmatch(r"'(.+)' is undefined", message):
        return f"không có biến `{found.group(1)}` (tên viết sai, hoặc dữ liệu của loại văn bản này không có)"
    if found := re.fullmatch(r"'(.+)' has no attribute '(.+)'", message):
        return f"`{found.group(1)}` không có trường `{found.group(2)}`"
    return message


def _template_line(error: BaseException) -> int:
    """The template line Jinja was executing: the last traceback frame from the template."""
    line = 0
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == _JINJA_FILE:
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


Deflated = tuple[int, int, bytes]  # CRC-32, size, raw deflate stream
# Unchanged entries (styles alone are ~0.8 MB) are compressed once per template, not per render.
_STATIC: dict[tuple[str, str], Deflated] = {}


def _deflate(data: bytes) -> Deflated:
    compressor = zlib.compressobj(_ZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush()


def _deflate_static(sha256: str, name: str, data: bytes) -> Deflated:
    deflated = _STATIC.get((sha256, name))
    if deflated is None:
        deflated = _STATIC[sha256, name] = _deflate(data)
    return deflated


def deterministic_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend only on the entries: fixed date, attributes and compression.

    Nothing from the clock, time zone, locale or platform enters the archive (the
    compressed bytes still depend on the zlib build, which is stable in practice).
    """
    return _zip((name, _deflate(data)) for name, data in entries)


def _zip(entries: Iterable[tuple[str, Deflated]]) -> bytes:
    body, directory, count = bytearray(), bytearray(), 0
    for name, (crc, size, deflated) in entries:
        encoded = name.encode()
        flags = 0 if name.isascii() else _ZIP_UTF8_NAME
        attributes = _DIR_ATTR if name.endswith("/") else _FILE_ATTR
        fields = (flags, _ZIP_DEFLATED, 0, _ZIP_DOS_DATE, crc, len(deflated), size, len(encoded))
        header = (_ZIP_VERSION, _ZIP_UNIX, _ZIP_VERSION, 0, *fields, 0, 0, 0, 0, attributes, len(body))
        directory += _CENTRAL.pack(b"PK\x01\x02", *header) + encoded
        body += _LOCAL.pack(b"PK\x03\x04", _ZIP_VERSION, 0, *fields, 0) + encoded + deflated
        count += 1
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


@contextmanager
def staged(path: Path, data: bytes | Iterable[bytes], *, sync: bool = True) -> Iterator[Path]:
    """`data`, written and synced to a temporary file beside `path`, for the caller to rename over it.

    Beside the target because `os.replace` is atomic only within one file system; the
    temporary file is removed on the way out unless the caller renamed it. `sync=False` leaves
    the flush to disk to the caller (a batch syncs once at its end, see engine/build.py).
    """
    temporary = _temporary_beside(path)
    try:
        _write_new(temporary, data, sync)
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes | Iterable[bytes], *, sync: bool = True) -> None:
    """Write so readers see the old file or the new one, never a partial one.
    `data` may come in pieces (a large file never held whole in memory)."""
    temporary = _temporary_beside(path)
    try:
        _write_new(temporary, data, sync)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")


def _write_new(file: Path, data: bytes | Iterable[bytes], sync: bool) -> None:
    """Create `file` (its folder too, when missing) with `data`; "x" creates with mode 0o666 minus
    the umask, like any other new file."""
    if not file.parent.is_dir():  # cheaper than `mkdir(exist_ok=True)`, which fails and catches
        file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "xb") as stream:
        if isinstance(data, bytes):
            stream.write(data)
        else:
            stream.writelines(data)
        if sync:
            stream.flush()
            os.fsync(stream.fileno())
