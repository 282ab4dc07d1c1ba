"""Command line: parse arguments, call the library, map results to messages and exit codes.

Exit codes (spec/cli.md): 0 ok, 1 data problems, 2 usage, 3 missing tool,
70 internal error (details in a log file, never a traceback on screen).
Engine modules are imported inside commands so `baocao --help` starts fast.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from engine.build import FileResult
    from engine.errors import Issue

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_TOOL = 3
EXIT_INTERNAL = 70

FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="Cách in lỗi: text (mặc định) hoặc json cho trình soạn thảo và CI.",
)
STRICT_OPTION = click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (dùng cho CI, báo cáo mới).")


def kinds_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--kinds DIR`: the command sees the kinds of workspace DIR (engine/workspace.py) instead of the
    nearest workspace enclosing each data file."""

    @click.option(
        "--kinds",
        "kinds_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Kho mẫu: thư mục có schemas/ và templates/docx/ (mặc định: kho gần nhất chứa tệp dữ liệu).",
    )
    @functools.wraps(command)
    def with_kinds(*args: Any, kinds_dir: Path | None, **kwargs: Any) -> Any:
        from engine.workspace import using

        with using(kinds_dir):
            return command(*args, **kwargs)

    return with_kinds


def print_issues(issues: Sequence[Issue], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps([issue.as_json() for issue in issues], ensure_ascii=False, indent=2))
        return
    for issue in issues:
        click.echo(issue.format(), err=True)


def cannot_write(error: OSError) -> str:
    """Why an output could not be written, with the usual cause on an office PC."""
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        return f"{reason} (tệp có đang mở trong Word hay thư mục chỉ đọc không? đóng tệp rồi chạy lại)"
    return reason


def summary(issues: Sequence[Issue]) -> str:
    errors = sum(issue.is_error for issue in issues)
    return f"{errors} lỗi, {len(issues) - errors} cảnh báo"


USAGE_MESSAGES = (
    (re.compile(r"(?:File|Path|Directory) '(.*)' does not exist\."), "không có tệp hoặc thư mục '{}'"),
    (re.compile(r"File '(.*)' is a directory\."), "'{}' là thư mục, cần một tệp"),
    (re.compile(r"Directory '(.*)' is a file\."), "'{}' là tệp, cần một thư mục"),
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?$"), "không có tùy chọn {}"),
    (re.compile(r"No such command '(.*)'\."), "không có lệnh '{}'"),
    (re.compile(r"Missing argument '(.*)'\."), "thiếu tham số {}"),
    (re.compile(r"Missing option '(.*)'\."), "thiếu tùy chọn {}"),
    (re.compile(r"Option '(.*)' requires an argument\."), "tùy chọn {} cần một giá trị"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "thừa tham số: {}"),
)


def usage_message(error: click.UsageError) -> str:
    """Click's English usage errors in Vietnamese (the common ones; others pass through)."""
    text = error.format_message()
    for pattern, template in USAGE_MESSAGES:
        if match := pattern.search(text):
            text = template.format(match.group(1))
            break
    if (
        isinstance(error, click.BadParameter)
        and not isinstance(error, click.MissingParameter)
        and error.param is not None
        and error.param.name
    ):
        text = f"{error.param.name.upper()}: {text}"
    command = error.ctx.command_path if error.ctx else "baocao"
    return f"{command}: lỗi cú pháp lệnh: {text} (xem `{command} --help`)"


class Commands(click.Group):
    """Usage errors in Vietnamese with exit code 2; everything else as click does it."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> None:
        if extra.pop("standalone_mode", True) is False:
            super().main(args, prog_name, standalone_mode=False, **extra)
            return
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as error:
            click.echo(usage_message(error), err=True)
            sys.exit(EXIT_USAGE)
        except click.ClickException as error:
            click.echo(f"baocao: lỗi: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("baocao: đã dừng", err=True)
            sys.exit(EXIT_DATA)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="baocao", message="baocao %(version)s")
def cli() -> None:
    """baocao: sinh văn bản hành chính (ND 30/2020/NĐ-CP) từ dữ liệu YAML."""


@cli.command("validate")
@kinds_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@STRICT_OPTION
@FORMAT_OPTION
def validate_command(files: tuple[Path, ...], strict: bool, output_format: str) -> None:
    """Kiểm tra các tệp dữ liệu YAML (mẫu dữ liệu và số liệu)."""
    from engine.errors import BaocaoError, ReportError
    from engine.pipeline import check

    all_issues: list[Issue] = []
    for path in files:
        try:
            all_issues += check(path, display_name=str(path), strict=strict).warnings
        except ReportError as error:
            all_issues += error.issues
        except BaocaoError as error:
            click.echo(f"{path}: lỗi: {error}", err=True)
            sys.exit(EXIT_DATA)
    print_issues(all_issues, output_format)
    failed = any(issue.is_error for issue in all_issues)
    if output_format == "text":
        verdict = "có lỗi" if failed else "hợp lệ"
        click.echo(f"{len(files)} tệp {verdict}: {summary(all_issues)}", err=True)
    sys.exit(EXIT_DATA if failed else 0)


@cli.command("render")
@kinds_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Tệp .docx đầu ra.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF qua LibreOffice.")
@click.option(
    "--mau",
    "template_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Xuất bằng mẫu .docx này thay cho mẫu của loại văn bản (mẫu riêng của cơ quan).",
)
@STRICT_OPTION
@FORMAT_OPTION
def render_command(
    file: Path,
    output: Path | None,
    *,
    pdf: bool,
    template_file: Path | None,
    strict: bool,
    output_format: str,
) -> None:
    """Kiểm tra, tính toán và xuất một văn bản .docx (mặc định out/<tên>.docx)."""
    from engine.errors import BaocaoError, ReportError
    from engine.pdf import convert_to_pdf
    from engine.pipeline import render_file

    target = output or Path("out") / f"{file.stem}.docx"
    try:
        checked = render_file(
            file, target, display_name=str(file), strict=strict, template_file=template_file
        )
    except ReportError as error:
        print_issues(error.issues, output_format)
        click.echo(f"không tạo {target}: {summary(error.issues)}", err=True)
        sys.exit(EXIT_DATA)
    except BaocaoError as error:  # a broken template or rules file: named, located in the template
        click.echo(f"không tạo {target}: {error}", err=True)
        sys.exit(EXIT_DATA)
    except OSError as error:
        click.echo(f"không ghi được {target}: {cannot_write(error)}", err=True)
        sys.exit(EXIT_DATA)
    print_issues(checked.warnings, output_format)
    click.echo(f"đã tạo {target}", err=True)
    if pdf:
        try:
            for produced in convert_to_pdf([target], target.parent):
                click.echo(f"đã tạo {produced}", err=True)
        except BaocaoError as error:
            click.echo(f"lỗi: {error}", err=True)
            sys.exit(EXIT_TOOL)


@cli.command("text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def text_command(file: Path) -> None:
    """In nội dung văn bản .docx dạng chữ thuần (để đối chiếu, so sánh)."""
    import zipfile

    from engine.docxtext import docx_text

    try:
        click.echo(docx_text(file), nl=False)
    except (zipfile.BadZipFile, KeyError):
        click.echo(f"{file}: lỗi: không phải tệp .docx đọc được", err=True)
        sys.exit(EXIT_DATA)


@cli.command("kinds")
@kinds_option
def kinds_command() -> None:
    """Liệt kê các loại văn bản; với mỗi tệp (lược đồ, quy tắc, mẫu): có sẵn hay từ kho mẫu nào."""
    from engine.errors import ReportError
    from engine.workspace import lookup

    try:
        catalogue = lookup()
    except ReportError as error:
        print_issues(error.issues, "text")
        sys.exit(EXIT_DATA)
    if catalogue.workspace is not None:
        click.echo(f"kho mẫu: {catalogue.workspace}")
    for kind in catalogue.kinds.values():
        files = (("lược đồ", kind.schema), ("quy tắc", kind.rules), ("mẫu", kind.template))
        shown = [
            f"{label}: {_kind_file(path)} ({kind.origin(path)})" for label, path in files if path.exists()
        ]
        click.echo("\t".join([kind.name, *shown]))


def _kind_file(path: Path) -> str:
    """A built-in file relative to the project, as before workspaces; a workspace file as it is."""
    from engine.paths import ROOT

    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@cli.command("new")
@kinds_option
@click.argument("kind")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Tệp YAML sẽ tạo.")
@click.option(
    "--tu",
    "previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Văn bản kỳ trước: giữ cấu trúc, chỉ tiêu, danh sách; số liệu để trống.",
)
def new_command(kind: str, output: Path | None, previous: Path | None) -> None:
    """Tạo tệp dữ liệu mẫu cho một loại văn bản, có chú thích từng trường (in ra màn hình nếu không có -o)."""
    from engine.errors import BaocaoError, ReportError
    from engine.load import load_document
    from engine.render import write_atomic
    from engine.starter import schema_reference, starter_text
    from engine.workspace import lookup

    if output is not None and output.exists():
        click.echo(f"{output}: lỗi: tệp đã có; chọn tên khác để không ghi đè", err=True)
        sys.exit(EXIT_DATA)
    try:
        kinds = lookup(output.parent if output is not None else None)
        data = load_document(previous, str(previous)).data if previous is not None else None
        modeline = schema_reference(output, kind, kinds) if kind in kinds.kinds else ""
        text = starter_text(kind, data, schema_path=modeline, source=str(previous), where=kinds)
    except ReportError as error:
        print_issues(error.issues, "text")
        sys.exit(EXIT_DATA)
    except BaocaoError as error:
        click.echo(f"lỗi: {error}", err=True)
        sys.exit(EXIT_DATA)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"đã tạo {output}", err=True)


@cli.command("new-kind")
@click.argument("kind", metavar="LOAI")
@click.option(
    "-o",
    "--output",
    "workspace",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục kho mẫu (tạo mới nếu chưa có): schemas/, templates/docx/, data/.",
)
def new_kind_command(kind: str, workspace: Path) -> None:
    """Tạo loại văn bản mới LOAI trong kho mẫu: lược đồ, quy tắc, mẫu .docx theo ND30, dữ liệu mẫu."""
    from engine.errors import BaocaoError
    from engine.newkind import new_kind
    from engine.schema import list_kinds

    try:
        written = new_kind(kind, workspace, list_kinds())
    except BaocaoError as error:
        click.echo(f"lỗi: {error}", err=True)
        sys.exit(EXIT_DATA)
    except OSError as error:
        click.echo(f"không ghi được vào {workspace}: {cannot_write(error)}", err=True)
        sys.exit(EXIT_DATA)
    for path in written:
        click.echo(f"đã tạo {path}", err=True)
    sample = written[-1]
    click.echo(f"thử: baocao render {sample} -o out/{sample.stem}.docx", err=True)


@cli.command("check-template")
@kinds_option
@click.argument(
    "templates", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--loai", "kind", help="Loại văn bản của mẫu (mặc định: tên tệp, ví dụ bao_cao_6_thang).")
@FORMAT_OPTION
def check_template_command(templates: tuple[Path, ...], kind: str | None, output_format: str) -> None:
    """Kiểm tra mẫu .docx: cú pháp Jinja, thẻ bị tách, tên biến, trường chưa dùng, thể thức ND30."""
    from engine.checktemplate import check_template

    issues = [issue for template in templates for issue in check_template(template, kind)]
    print_issues(issues, output_format)
    failed = any(issue.is_error for issue in issues)
    if output_format == "text":
        click.echo(f"{len(templates)} mẫu {'có lỗi' if failed else 'hợp lệ'}: {summary(issues)}", err=True)
    sys.exit(EXIT_DATA if failed else 0)


@cli.command("build")
@kinds_option
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục đầu ra; giữ nguyên cấu trúc thư mục con của DIRECTORY.",
)
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF (một lần chạy LibreOffice cho cả lô).")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Số tiến trình chạy song song (mặc định: số lõi CPU)."
)
@click.option("--prune", is_flag=True, help="Xóa đầu ra của các tệp dữ liệu không còn nữa.")
@STRICT_OPTION
def build_command(
    directory: Path, out: Path, *, pdf: bool, jobs: int | None, prune: bool, strict: bool
) -> None:
    """Dựng mọi tệp *.yaml trong DIRECTORY; chỉ dựng lại văn bản có đầu vào thay đổi."""
    from engine.build import BuildOptions, Status, build
    from engine.errors import ToolMissingError
    from engine.workspace import explicit

    options = BuildOptions(directory, out, jobs, pdf, prune, strict, explicit())
    try:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
                result = build(options, _BarListener(bar, out))
        else:
            result = build(options, _LineListener(out))
    except ToolMissingError as error:
        click.echo(f"lỗi: {error}", err=True)
        sys.exit(EXIT_TOOL)
    for output in result.stale:
        if prune:
            click.echo(f"đã xóa {out / output}", err=True)
        else:
            click.echo(f"cũ: {out / output} (không còn tệp dữ liệu; dùng --prune để xóa)", err=True)
    for output in result.pdfs:
        click.echo(f"đã tạo {out / output}", err=True)
    if result.pdf_error:
        click.echo(f"lỗi: {result.pdf_error}", err=True)
    failed = result.count(Status.FAILED)
    rendered, unchanged = result.count(Status.RENDERED), result.count(Status.UNCHANGED)
    click.echo(f"đã tạo {rendered}, không đổi {unchanged}, lỗi {failed}", err=True)
    if result.pdf_error:
        sys.exit(EXIT_TOOL)
    sys.exit(EXIT_DATA if failed else 0)


def _result_lines(out: Path, result: FileResult) -> list[str]:
    """As `render` prints them: located issues, then what became of the output."""
    from engine.build import Status

    lines = [issue.format() for issue in result.issues]
    if result.status is Status.RENDERED:
        lines.append(f"đã tạo {out / result.output}")
    elif result.status is Status.FAILED:
        lines.append(f"không tạo {out / result.output}: {summary(result.issues)}")
    return lines


class _LineListener:
    """Plain lines (logs, CI): one per document rendered or failed; unchanged ones only count."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def started(self, total: int) -> None:
        click.echo(f"{total} tệp dữ liệu", err=True)

    def finished(self, result: FileResult) -> None:
        for line in _result_lines(self.out, result):
            click.echo(line, err=True)

    def converting(self, count: int) -> None:
        click.echo(f"đang xuất {count} PDF…", err=True)


class _BarListener:
    """A progress bar on the terminal; issues and results scroll above it."""

    def __init__(self, bar: Progress, out: Path) -> None:
        self.bar = bar
        self.out = out
        self.task: TaskID = bar.add_task("đang dựng")

    def started(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def finished(self, result: FileResult) -> None:
        for line in _result_lines(self.out, result):
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        self.bar.advance(self.task)

    def converting(self, count: int) -> None:
        self.bar.update(self.task, description=f"đang xuất {count} PDF")


@cli.command("diff")
@kinds_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--built",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="So TỆP với bản dữ liệu của lần `baocao build` gần nhất vào thư mục này.",
)
def diff_command(files: tuple[Path, ...], built: Path | None) -> None:
    """So sánh hai tệp dữ liệu (số liệu, số tính ra, câu văn) hoặc hai tệp .docx.

    Dùng: `baocao diff CŨ MỚI` hoặc `baocao diff MỚI --built THƯ_MỤC_ĐẦU_RA`.
    Mã thoát 0: không thay đổi; 1: có thay đổi (hoặc dữ liệu có lỗi).
    """
    from contextlib import nullcontext

    from engine.diff import built_copy, data_diff, docx_diff
    from engine.errors import BaocaoError, ReportError
    from engine.workspace import seen_from

    if len(files) != (1 if built else 2):
        raise click.UsageError("cần hai tệp CŨ MỚI, hoặc một tệp kèm --built THƯ_MỤC")
    docx = [file.suffix.lower() == ".docx" for file in files]
    if any(docx) and (built or not all(docx)):
        raise click.UsageError("chỉ so được hai tệp .docx với nhau, hoặc hai tệp dữ liệu .yaml")
    try:
        if all(docx):
            lines = docx_diff(*files)
        else:
            old, new = (built_copy(built, files[0]), files[0]) if built else files
            with seen_from(new) if built else nullcontext():  # the kept copy sees the data file's kinds
                lines = data_diff(old, new).lines()
            lines = [] if lines == ["không có thay đổi"] else lines
    except ReportError as error:
        print_issues(error.issues, "text")
        click.echo(f"không so sánh được: dữ liệu có lỗi ({summary(error.issues)})", err=True)
        sys.exit(EXIT_DATA)
    except BaocaoError as error:
        click.echo(f"không so sánh được: {error}", err=True)
        sys.exit(EXIT_DATA)
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("không có thay đổi", err=True)
    sys.exit(EXIT_DATA if lines else 0)


@cli.command("set", context_settings={"ignore_unknown_options": True})
@kinds_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path")
@click.argument("value")
def set_command(file: Path, path: str, value: str) -> None:
    """Sửa một giá trị trong tệp dữ liệu, giữ nguyên chú thích và định dạng.

    PATH như `tin_dung.luot_ho` hoặc `noi_nhan[0].ds[1]`; VALUE đọc theo YAML: `45` là số,
    `'"45"'` là chữ. Tệp chỉ được ghi khi dữ liệu sau khi sửa không có lỗi.
    """
    from engine.edit import set_value
    from engine.errors import ReportError

    try:
        result = set_value(file, path, value, display_name=str(file))
    except ReportError as error:
        print_issues(error.issues, "text")
        click.echo(f"không sửa {file}: {summary(error.issues)}", err=True)
        sys.exit(EXIT_DATA)
    print_issues(result.warnings, "text")
    click.echo(f"đã sửa {file}: {path}: {result.old} → {result.new}", err=True)


@cli.command("rollup")
@kinds_option
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp báo cáo huyện: phần đầu và nội dung được giữ, số liệu được thay bằng tổng của các xã.",
)
@FORMAT_OPTION
def rollup_command(directory: Path, out: Path, output_format: str) -> None:
    """Tổng hợp báo cáo năm của các xã trong DIRECTORY vào báo cáo huyện OUT."""
    from engine.errors import ReportError
    from engine.rollup import write_rollup

    try:
        result = write_rollup(directory, out)
    except ReportError as error:
        print_issues(error.issues, output_format)
        click.echo(f"không ghi {out}: {summary(error.issues)}", err=True)
        sys.exit(EXIT_DATA)
    print_issues(result.warnings, output_format)
    click.echo(f"đã ghi {out}: tổng hợp {len(result.communes)} báo cáo", err=True)


@cli.command("serve")
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Địa chỉ nghe; khác 127.0.0.1 thì cần mã truy cập."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Cổng.")
@click.option(
    "-o",
    "--out",
    default="out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục xuất của `baocao build`, để biết văn bản nào cần xuất lại.",
)
def serve_command(directory: Path, host: str, port: int, out: Path) -> None:
    """Mở ứng dụng web trên thư mục DIRECTORY: danh sách văn bản, biểu mẫu, xem trước, lưu, lịch sử."""
    import secrets

    import uvicorn

    from engine.web.app import create_app

    token = None if host in ("127.0.0.1", "localhost", "::1") else secrets.token_urlsafe(18)
    app = create_app(directory, out, token)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?ma={token}" if token else "")
    click.echo(f"baocao serve: {directory.resolve()} tại {url}", err=True)
    if token:
        click.echo(f"mã truy cập: {token} (chỉ gửi cho người được dùng)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def main() -> None:
    """Console entry: any unexpected exception is a bug → one line, a log file, exit 70."""
    try:
        cli.main(prog_name="baocao")
    except Exception:
        with tempfile.NamedTemporaryFile(
            "w", prefix="baocao-loi-", suffix=".log", delete=False, encoding="utf-8"
        ) as log:
            traceback.print_exc(file=log)
        click.echo(f"baocao: lỗi nội bộ (không phải do dữ liệu); chi tiết ở {log.name}", err=True)
        sys.exit(EXIT_INTERNAL)
