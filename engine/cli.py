"""Command line: parse arguments, call the library, map results to messages and exit codes.

Exit codes (spec/cli.md): 0 ok, 1 data problems, 2 usage, 3 missing tool,
70 internal error (details in a log file, never a traceback on screen).
Engine modules are imported inside commands so `baocao --help` starts fast.
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from engine.errors import Issue

EXIT_DATA = 1
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


def print_issues(issues: Sequence[Issue], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps([issue.as_json() for issue in issues], ensure_ascii=False, indent=2))
        return
    for issue in issues:
        click.echo(issue.format(), err=True)


def summary(issues: Sequence[Issue]) -> str:
    errors = sum(issue.is_error for issue in issues)
    return f"{errors} lỗi, {len(issues) - errors} cảnh báo"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="baocao", message="baocao %(version)s")
def cli() -> None:
    """baocao: sinh văn bản hành chính (ND 30/2020/NĐ-CP) từ dữ liệu YAML."""


@cli.command("validate")
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
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Tệp .docx đầu ra.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF qua LibreOffice.")
@STRICT_OPTION
@FORMAT_OPTION
def render_command(file: Path, output: Path | None, pdf: bool, strict: bool, output_format: str) -> None:
    """Kiểm tra, tính toán và xuất một văn bản .docx (mặc định out/<tên>.docx)."""
    from engine.errors import BaocaoError, ReportError
    from engine.pdf import convert_to_pdf
    from engine.pipeline import render_file

    target = output or Path("out") / f"{file.stem}.docx"
    try:
        checked = render_file(file, target, display_name=str(file), strict=strict)
    except ReportError as error:
        print_issues(error.issues, output_format)
        click.echo(f"không tạo {target}: {summary(error.issues)}", err=True)
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
def kinds_command() -> None:
    """Liệt kê các loại văn bản cùng mẫu và lược đồ."""
    from engine.paths import ROOT, SCHEMA_DIR
    from engine.pipeline import template_path
    from engine.schema import list_kinds

    for kind in list_kinds():
        schema = (SCHEMA_DIR / f"{kind}.schema.json").relative_to(ROOT)
        click.echo(f"{kind}\t{template_path(kind).relative_to(ROOT)}\t{schema}")


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
