"""Command line: parse arguments, call the library, map results to messages and exit codes.

Exit codes (spec/cli.md): 0 ok, 1 data problems, 2 usage, 3 missing tool,
70 internal error (details in a log file, never a traceback on screen).
Engine modules are imported inside commands so `baocao --help` starts fast.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from engine.console import (
    OPTIONS_METAVAR,
    VERSION_HELP,
    VietnameseCommand,
    VietnameseContext,
    make_streams_safe,
    progress_bar,
    usage_message,
    vietnamese_help_option,
)
from engine.errors import summary

if TYPE_CHECKING:
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
        metavar="THƯ-MỤC",
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


class Commands(click.Group):
    """Usage errors in Vietnamese with exit code 2; help in Vietnamese; everything else as click does it."""

    context_class = VietnameseContext
    command_class = VietnameseCommand

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return vietnamese_help_option(super().get_help_option(ctx))

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> None:
        if extra.pop("standalone_mode", True) is False:
            super().main(args, prog_name, standalone_mode=False, **extra)
            return
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.format_message(), err=True)
            sys.exit(EXIT_USAGE)
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


@click.group(
    cls=Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar="LỆNH [THAM-SỐ]...",
)
@click.version_option(package_name="baocao", message="baocao %(version)s", help=VERSION_HELP)
def cli() -> None:
    """baocao: sinh văn bản hành chính (ND 30/2020/NĐ-CP) từ dữ liệu YAML."""


@cli.command("validate", short_help="Kiểm tra tệp dữ liệu (lược đồ, đối chiếu số liệu).")
@kinds_option
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="TỆP...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@STRICT_OPTION
@FORMAT_OPTION
def validate_command(files: tuple[Path, ...], strict: bool, output_format: str) -> None:
    """Kiểm tra các tệp dữ liệu YAML (đúng mẫu dữ liệu, số liệu khớp nhau); không ghi tệp nào."""
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


@cli.command("render", short_help="Kiểm tra và xuất văn bản .docx (và PDF) của một tệp.")
@kinds_option
@click.argument("file", metavar="TỆP", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    metavar="TỆP.docx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp .docx đầu ra (mặc định out/<tên tệp dữ liệu>.docx).",
)
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
    """Kiểm tra, tính toán và xuất văn bản .docx của một tệp dữ liệu."""
    from engine.errors import BaocaoError, ReportError
    from engine.pdf import convert_to_pdf, font_warning
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
            if sys.stderr.isatty():
                with progress_bar() as bar:
                    task = bar.add_task("đang xuất PDF", total=1)
                    produced_pdfs = convert_to_pdf(
                        [target], target.parent, lambda done: bar.update(task, completed=done)
                    )
            else:
                produced_pdfs = convert_to_pdf([target], target.parent)
            for produced in produced_pdfs:
                click.echo(f"đã tạo {produced}", err=True)
                if warning := font_warning(produced):
                    click.echo(warning, err=True)
        except BaocaoError as error:
            click.echo(f"lỗi: {error}", err=True)
            sys.exit(EXIT_TOOL)


@cli.command("text", short_help="In văn bản .docx dạng chữ thuần.")
@click.argument("file", metavar="TỆP.docx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def text_command(file: Path) -> None:
    """In nội dung văn bản .docx dạng chữ thuần (để đối chiếu, so sánh)."""
    import zipfile

    from engine.docxtext import docx_text

    try:
        click.echo(docx_text(file), nl=False)
    except (zipfile.BadZipFile, KeyError):
        click.echo(f"{file}: lỗi: không phải tệp .docx đọc được", err=True)
        sys.exit(EXIT_DATA)


@cli.command("kinds", short_help="Liệt kê loại văn bản và nơi lấy lược đồ, quy tắc, mẫu.")
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


@cli.command("new", short_help="Tạo tệp dữ liệu mẫu có chú thích cho một loại văn bản.")
@kinds_option
@click.argument("kind", metavar="LOẠI")
@click.option(
    "-o",
    "--output",
    metavar="TỆP.yaml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp YAML sẽ tạo (không ghi đè tệp đã có).",
)
@click.option(
    "--tu",
    "previous",
    metavar="TỆP-CŨ.yaml",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Văn bản kỳ trước: giữ cấu trúc, chỉ tiêu, danh sách; số liệu để trống.",
)
def new_command(kind: str, output: Path | None, previous: Path | None) -> None:
    """Tạo tệp dữ liệu mẫu cho LOẠI văn bản (xem `baocao kinds`), có chú thích từng trường.

    Không có -o thì in ra màn hình.
    """
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


@cli.command("new-kind", short_help="Tạo loại văn bản mới trong kho mẫu (lược đồ, quy tắc, mẫu .docx).")
@click.argument("kind", metavar="LOẠI")
@click.option(
    "-o",
    "--output",
    "workspace",
    required=True,
    metavar="THƯ-MỤC",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục kho mẫu (tạo mới nếu chưa có): schemas/, templates/docx/, data/.",
)
def new_kind_command(kind: str, workspace: Path) -> None:
    """Tạo loại văn bản mới LOẠI trong kho mẫu: lược đồ, quy tắc, mẫu .docx theo ND30, dữ liệu mẫu."""
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


@cli.command("check-template", short_help="Soát mẫu .docx: cú pháp, tên biến, thể thức ND30.")
@kinds_option
@click.argument(
    "templates",
    nargs=-1,
    required=True,
    metavar="MẪU.docx...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--loai",
    "kind",
    metavar="LOẠI",
    help="Loại văn bản của mẫu (mặc định: tên tệp, ví dụ bao_cao_6_thang).",
)
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


@cli.command("build", short_help="Xuất cả thư mục dữ liệu, chỉ văn bản có thay đổi.")
@kinds_option
@click.argument("directory", metavar="THƯ-MỤC", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="THƯ-MỤC-RA",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục đầu ra; giữ nguyên cấu trúc thư mục con của THƯ-MỤC.",
)
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF (một lần chạy LibreOffice cho cả lô).")
@click.option(
    "-j",
    "--jobs",
    metavar="SỐ",
    type=click.IntRange(min=1),
    help="Số tiến trình chạy song song (mặc định: số lõi CPU).",
)
@click.option("--prune", is_flag=True, help="Xóa đầu ra của các tệp dữ liệu không còn nữa.")
@STRICT_OPTION
def build_command(
    directory: Path, out: Path, *, pdf: bool, jobs: int | None, prune: bool, strict: bool
) -> None:
    """Xuất mọi tệp *.yaml trong THƯ-MỤC (cả thư mục con); chỉ xuất lại văn bản có đầu vào thay đổi."""
    from engine.build import BuildOptions, Status, build
    from engine.errors import ToolMissingError
    from engine.progress import BuildBar, BuildLines
    from engine.workspace import explicit

    options = BuildOptions(directory, out, jobs, pdf, prune, strict, explicit())
    try:
        if sys.stderr.isatty():
            with progress_bar() as bar:
                result = build(options, BuildBar(bar, out))
        else:
            result = build(options, BuildLines(out))
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
    for warning in result.pdf_warnings:
        click.echo(warning, err=True)
    if result.pdf_error:
        click.echo(f"lỗi: {result.pdf_error}", err=True)
    failed = result.count(Status.FAILED)
    rendered, unchanged = result.count(Status.RENDERED), result.count(Status.UNCHANGED)
    click.echo(f"đã tạo {rendered}, không đổi {unchanged}, lỗi {failed}", err=True)
    if result.pdf_error:
        sys.exit(EXIT_TOOL)
    sys.exit(EXIT_DATA if failed else 0)


@cli.command("diff", short_help="So hai tệp dữ liệu hoặc hai tệp .docx.")
@kinds_option
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="[CŨ] MỚI",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--built",
    metavar="THƯ-MỤC-RA",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="So MỚI với bản dữ liệu của lần `baocao build` gần nhất vào thư mục này.",
)
def diff_command(files: tuple[Path, ...], built: Path | None) -> None:
    """So sánh hai tệp dữ liệu (số liệu, số tính ra, câu văn) hoặc hai tệp .docx.

    Dùng: `baocao diff CŨ MỚI` hoặc `baocao diff MỚI --built THƯ-MỤC-RA`.
    Mã thoát 0: không thay đổi; 1: có thay đổi (hoặc dữ liệu có lỗi).
    """
    from contextlib import nullcontext

    from engine.diff import built_copy, data_diff, docx_diff
    from engine.errors import BaocaoError, ReportError
    from engine.workspace import seen_from

    if len(files) != (1 if built else 2):
        raise click.UsageError("cần hai tệp CŨ MỚI, hoặc một tệp kèm --built THƯ-MỤC-RA")
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


@cli.command(
    "set",
    short_help="Sửa một giá trị, giữ nguyên chú thích và định dạng.",
    context_settings={"ignore_unknown_options": True},
)
@kinds_option
@click.argument("file", metavar="TỆP", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", metavar="ĐƯỜNG-DẪN")
@click.argument("value", metavar="GIÁ-TRỊ")
def set_command(file: Path, path: str, value: str) -> None:
    """Sửa một giá trị trong tệp dữ liệu, giữ nguyên chú thích và định dạng.

    ĐƯỜNG-DẪN như `tin_dung.luot_ho` hoặc `noi_nhan[0].ds[1]`; GIÁ-TRỊ đọc theo YAML: `45` là số,
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


@cli.command("rollup", short_help="Cộng báo cáo năm của các xã vào báo cáo huyện.")
@kinds_option
@click.argument("directory", metavar="THƯ-MỤC|BẢNG-TÍNH", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="HUYỆN.yaml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp báo cáo huyện: phần đầu và nội dung được giữ, số liệu được thay bằng tổng của các xã.",
)
@FORMAT_OPTION
def rollup_command(directory: Path, out: Path, output_format: str) -> None:
    """Cộng số liệu báo cáo năm của các xã trong THƯ-MỤC (hoặc BẢNG-TÍNH, mỗi xã một dòng) vào tệp báo
    cáo huyện (-o HUYỆN.yaml).

    Tỷ lệ được tính lại từ số hộ đã cộng, không lấy trung bình.
    """
    from engine.errors import ReportError
    from engine.importer import rollup_book
    from engine.progress import RollupBar, RollupLines
    from engine.rollup import write_rollup

    try:
        if directory.is_file():
            result = rollup_book(directory, out, file=str(directory))
        elif sys.stderr.isatty():
            with progress_bar() as bar:
                result = write_rollup(directory, out, RollupBar(bar))
        else:
            result = write_rollup(directory, out, RollupLines())
    except ReportError as error:
        print_issues(error.issues, output_format)
        click.echo(f"không ghi {out}: {summary(error.issues)}", err=True)
        sys.exit(EXIT_DATA)
    print_issues(result.warnings, output_format)
    click.echo(f"đã ghi {out}: tổng hợp {len(result.communes)} báo cáo", err=True)


@cli.command("sheet", short_help="Tạo biểu mẫu Excel để nhập số liệu cho một loại văn bản.")
@kinds_option
@click.argument("kind", metavar="LOẠI")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="BIỂU-MẪU.xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp .xlsx sẽ tạo.",
)
@click.option(
    "--mot-van-ban",
    "one_document",
    is_flag=True,
    help="Một văn bản: mỗi trường một dòng, mỗi bảng (danh sách) một trang; mặc định mỗi văn bản một dòng.",
)
def sheet_command(kind: str, output: Path, one_document: bool) -> None:
    """Tạo biểu mẫu Excel để nhập số liệu cho LOẠI văn bản (mỗi xã một dòng)."""
    from engine.columns import UnknownKindError, layout
    from engine.render import write_atomic
    from engine.sheet import workbook_bytes
    from engine.workspace import lookup

    if output.exists():
        click.echo(
            f"{output}: lỗi: tệp đã có (có thể đã điền số liệu); chọn tên khác để không ghi đè", err=True
        )
        sys.exit(EXIT_DATA)
    try:
        data = workbook_bytes(layout(kind, lookup(output)), one_document=one_document)
    except UnknownKindError as error:
        click.echo(f"lỗi: {error.args[0]}", err=True)
        sys.exit(EXIT_DATA)
    try:
        write_atomic(output, data)
    except OSError as error:
        click.echo(f"không ghi được {output}: {cannot_write(error)}", err=True)
        sys.exit(EXIT_DATA)
    click.echo(f"đã tạo {output}", err=True)


@cli.command("import", short_help="Đọc bảng tính đã điền thành các tệp dữ liệu.")
@kinds_option
@click.argument("file", metavar="BẢNG-TÍNH", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="THƯ-MỤC",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục ghi các tệp dữ liệu .yaml (mỗi dòng một tệp).",
)
@click.option(
    "--tu",
    "base",
    metavar="TỆP-GỐC.yaml",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp dữ liệu gốc (kỳ trước): lấy phần chữ và chú thích, số liệu lấy từ bảng tính.",
)
@FORMAT_OPTION
def import_command(file: Path, out: Path, base: Path | None, output_format: str) -> None:
    """Đọc bảng tính đã điền (.xlsx, .ods, .xls, .csv) thành các tệp dữ liệu; chỉ ghi khi mọi tệp hợp lệ."""
    from engine.errors import ReportError
    from engine.importer import import_book

    try:
        result = import_book(file, out, file=str(file), base=base)
    except ReportError as error:
        print_issues(error.issues, output_format)
        click.echo(f"không ghi tệp nào vào {out}: {summary(error.issues)}", err=True)
        sys.exit(EXIT_DATA)
    except OSError as error:
        click.echo(f"không ghi được vào {out}: {cannot_write(error)}", err=True)
        sys.exit(EXIT_DATA)
    print_issues(result.warnings, output_format)
    for path in result.files:
        click.echo(f"đã ghi {path}", err=True)


@cli.command("export", short_help="Xuất số liệu mọi văn bản của một thư mục ra bảng tính.")
@kinds_option
@click.argument("directory", metavar="THƯ-MỤC", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="BẢNG.xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp .xlsx sẽ tạo.",
)
@FORMAT_OPTION
def export_command(directory: Path, output: Path, output_format: str) -> None:
    """Xuất số liệu (nhập và tự tính) của mọi văn bản trong THƯ-MỤC ra bảng tính, mỗi văn bản một dòng."""
    from engine.errors import ReportError
    from engine.export import export_directory
    from engine.render import write_atomic

    try:
        data, warnings = export_directory(directory, output)
        write_atomic(output, data)
    except ReportError as error:
        print_issues(error.issues, output_format)
        click.echo(f"không tạo {output}: {summary(error.issues)}", err=True)
        sys.exit(EXIT_DATA)
    except OSError as error:
        click.echo(f"không ghi được {output}: {cannot_write(error)}", err=True)
        sys.exit(EXIT_DATA)
    print_issues(warnings, output_format)
    click.echo(f"đã tạo {output}", err=True)


@cli.command("serve", short_help="Mở ứng dụng web trên một thư mục dữ liệu.")
@click.argument(
    "directory",
    default=".",
    metavar="[THƯ-MỤC]",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ĐỊA-CHỈ",
    help="Địa chỉ nghe; khác 127.0.0.1 thì cần mã truy cập.",
)
@click.option(
    "--port", default=8000, show_default=True, metavar="CỔNG", type=click.IntRange(0, 65535), help="Cổng."
)
@click.option(
    "-o",
    "--out",
    default="out",
    metavar="THƯ-MỤC-RA",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục xuất của `baocao build`, để biết văn bản nào cần xuất lại.",
)
def serve_command(directory: Path, host: str, port: int, out: Path) -> None:
    """Mở ứng dụng web trên THƯ-MỤC: danh sách văn bản, biểu mẫu, xem trước, lưu, lịch sử."""
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
    make_streams_safe()
    try:
        cli.main(prog_name="baocao")
    except Exception:
        with tempfile.NamedTemporaryFile(
            "w", prefix="baocao-loi-", suffix=".log", delete=False, encoding="utf-8"
        ) as log:
            traceback.print_exc(file=log)
        click.echo(f"baocao: lỗi nội bộ (không phải do dữ liệu); chi tiết ở {log.name}", err=True)
        sys.exit(EXIT_INTERNAL)
