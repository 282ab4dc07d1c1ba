"""The console around the commands: output any console can take, and click's own words in Vietnamese.

Click writes "Usage:", "Options:", "[required]" and its usage errors in English; the
help formatter, the help option and `usage_message` below put them in Vietnamese.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.progress import Progress

# Every letter Vietnamese adds to ASCII: an encoding that holds these holds any message of ours.
VIETNAMESE_LETTERS = "ĐđĂăÂâÊêÔôƠơƯư" + "".join(
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in "\u0300\u0301\u0303\u0309\u0323"
)
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # the marks cp1258 keeps as separate characters
HELP_TEXT = "In hướng dẫn này rồi thoát."
VERSION_HELP = "In phiên bản rồi thoát."
OPTIONS_METAVAR = "[TÙY-CHỌN]"
SECTIONS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Positional arguments": "Tham số"}
# Click's metavars for a parameter without its own (`--port INTEGER`): Vietnamese in help texts.
METAVARS = {
    "INTEGER RANGE": "SỐ",
    "INTEGER": "SỐ",
    "FLOAT RANGE": "SỐ",
    "FLOAT": "SỐ",
    "TEXT": "CHỮ",
    "PATH": "ĐƯỜNG-DẪN",
    "FILE": "TỆP",
    "FILES": "TỆP",
    "DIRECTORY": "THƯ-MỤC",
}
CLICK_METAVAR = re.compile(r"\b(" + "|".join(METAVARS) + r")\b")
HELP_EXTRAS = (("required", "bắt buộc"), ("default: ", "mặc định: "), ("env var: ", "biến môi trường: "))


def make_streams_safe() -> None:
    """Let stdout and stderr take any Vietnamese text instead of failing on an encoding error.

    Output that goes to a file or a pipe becomes UTF-8: a Windows clerk redirecting it gets a file
    Notepad and Word open correctly, and `baocao new … > tệp.yaml` a data file baocao can read back
    (it reads UTF-8 only); the code page (cp1258, cp1252) would lose letters or the file. A terminal
    keeps its encoding and shows what it can: cp1258 every letter (tone marks as combining marks),
    others the letter without the marks they lack, never an unreadable escape.
    """
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or _holds_vietnamese(stream.encoding):
            continue
        if stream.isatty():
            stream.reconfigure(errors=closest_letters(stream.encoding))
        else:
            stream.reconfigure(encoding="utf-8", errors="replace")


def _holds_vietnamese(encoding: str) -> bool:
    try:
        VIETNAMESE_LETTERS.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def closest_letters(encoding: str) -> str:
    """The name of a codec error handler writing each letter `encoding` lacks as the nearest it has."""
    name = f"baocao-{codecs.lookup(encoding).name}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, functools.partial(_closest_encodable, encoding))
    return name


def _closest_encodable(encoding: str, error: UnicodeError) -> tuple[str, int]:
    # `error.encoding` is only "charmap" for the code pages, hence the encoding bound in.
    if not isinstance(error, UnicodeEncodeError):
        raise error
    replaced = []
    for char in error.object[error.start : error.end]:
        marks = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in marks if mark in TONE_MARKS)
        toneless = unicodedata.normalize("NFC", "".join(mark for mark in marks if mark not in TONE_MARKS))
        bare = "".join(mark for mark in marks if not unicodedata.combining(mark))
        for candidate in (toneless + tones, toneless, bare.replace("đ", "d").replace("Đ", "D")):
            try:
                candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            replaced.append(candidate)
            break
        else:
            replaced.append("?")
    return "".join(replaced), error.end


class VietnameseFormatter(click.HelpFormatter):
    """Click's help layout with its headings and option notes in Vietnamese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _vietnamese_metavars(args), "Cách dùng: " if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(SECTIONS.get(name, name)):
            yield

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_vietnamese_metavars(term), _vietnamese_extra(text)) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


def _vietnamese_metavars(text: str) -> str:
    return CLICK_METAVAR.sub(lambda found: METAVARS[found.group()], text)


def _vietnamese_extra(text: str) -> str:
    """`…  [required]` → `…  [bắt buộc]`: the note click appends to an option's help."""
    found = re.search(r"\[([^\[\]]*)\]$", text)
    if not found:
        return text
    parts = found.group(1).split("; ")
    for english, vietnamese in HELP_EXTRAS:
        parts = [vietnamese + part[len(english) :] if part.startswith(english) else part for part in parts]
    parts = [re.sub(r"^x>=(\S+)$", r"từ \1 trở lên", part) for part in parts]
    return text[: found.start()] + "[" + "; ".join(parts) + "]"


class VietnameseContext(click.Context):
    formatter_class = VietnameseFormatter


def vietnamese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = HELP_TEXT
    return option


class VietnameseCommand(click.Command):
    """A command whose `--help` is Vietnamese throughout."""

    context_class = VietnameseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return vietnamese_help_option(super().get_help_option(ctx))


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A progress bar with counts on the terminal's stderr, gone when done (rich loads only here)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield bar


# Click's usage errors → Vietnamese; `{0}`, `{1}` are the pattern's groups.
USAGE_MESSAGES = (
    (re.compile(r"(?:File|Path|Directory) '(.*)' does not exist\."), "không có tệp hoặc thư mục '{0}'"),
    (re.compile(r"File '(.*)' is a directory\."), "'{0}' là thư mục, cần một tệp"),
    (re.compile(r"Directory '(.*)' is a file\."), "'{0}' là tệp, cần một thư mục"),
    (re.compile(r"(?:File|Path|Directory) '(.*)' is not readable\."), "không có quyền đọc '{0}'"),
    (re.compile(r"(?:File|Path|Directory) '(.*)' is not writable\."), "không có quyền ghi '{0}'"),
    (
        re.compile(r"No such option:? '?([^'\s]+?)'?\.? Did you mean '?([^'\s]+?)'?\?"),
        "không có tùy chọn {0}; có phải ý bạn là {1}?",
    ),
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?$"), "không có tùy chọn {0}"),
    (re.compile(r"No such command '(.*)'\."), "không có lệnh '{0}'"),
    (re.compile(r"Missing argument '(.*)'\."), "thiếu tham số {0}"),
    (re.compile(r"Missing option '(.*)'\."), "thiếu tùy chọn {0}"),
    (re.compile(r"Missing command\."), "thiếu tên lệnh"),
    (re.compile(r"Option '(.*)' requires an argument\."), "tùy chọn {0} cần một giá trị"),
    (re.compile(r"Option '(.*)' does not take a value\."), "tùy chọn {0} không nhận giá trị"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "thừa tham số: {0}"),
    (re.compile(r"'(.*)' is not a valid integer(?: range)?\."), "'{0}' không phải số nguyên"),
    (re.compile(r"(.*) is not in the range x>=(.*)\."), "phải từ {1} trở lên, nhận được {0}"),
    (re.compile(r"(.*) is not in the range (.*)\."), "{0} nằm ngoài khoảng cho phép ({1})"),
    (re.compile(r"'(.*)' is not one of (.*)\."), "'{0}' không phải một trong {1}"),
)


def usage_message(error: click.UsageError) -> str:
    """One Vietnamese line for a usage error, naming the option or argument it concerns."""
    is_value = isinstance(error, click.BadParameter) and not isinstance(error, click.MissingParameter)
    text = error.message if is_value else error.format_message()
    for pattern, template in USAGE_MESSAGES:
        if match := pattern.search(text):
            text = template.format(*(group.replace("' / '", "/") for group in match.groups()))
            break
    if is_value and isinstance(error, click.BadParameter) and error.param is not None:
        text = f"{_parameter_name(error.param, error.ctx)}: {text}"
    command = error.ctx.command_path if error.ctx else "baocao"
    return f"{command}: lỗi cú pháp lệnh: {text} (xem `{command} --help`)"


def _parameter_name(param: click.Parameter, ctx: click.Context | None) -> str:
    """`-j/--jobs` for an option, its metavar (`TỆP`) for an argument."""
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    metavar = param.make_metavar(ctx) if ctx else (param.name or "").upper()
    return metavar.removesuffix("...").strip("[]")
