"""How `build`, `rollup` and the PDF step report progress: plain lines when the output is not a terminal
(logs, CI), a rich progress bar when it is; issues and results print above the bar."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import Progress, TaskID

from engine.build import FileResult, Status
from engine.errors import summary


def result_lines(out: Path, result: FileResult) -> list[str]:
    """As `render` prints them: located issues, then what became of the output."""
    lines = [issue.format() for issue in result.issues]
    if result.status is Status.RENDERED:
        lines.append(f"đã tạo {out / result.output}")
    elif result.status is Status.FAILED:
        lines.append(f"không tạo {out / result.output}: {summary(result.issues)}")
    return lines


class BuildLines:
    """Plain lines (logs, CI): one per document rendered or failed; unchanged ones only count."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def started(self, total: int) -> None:
        click.echo(f"{total} tệp dữ liệu", err=True)

    def finished(self, result: FileResult) -> None:
        for line in result_lines(self.out, result):
            click.echo(line, err=True)

    def converting(self, count: int) -> None:
        click.echo(f"đang xuất {count} PDF…", err=True)

    def converted(self, done: int) -> None:
        """Silent: how far LibreOffice got depends on timing; the `đã tạo …pdf` lines follow."""


class BuildBar:
    """A progress bar on the terminal; issues and results scroll above it."""

    def __init__(self, bar: Progress, out: Path) -> None:
        self.bar = bar
        self.out = out
        self.task: TaskID = bar.add_task("đang dựng")
        self.pdf_task: TaskID = self.task

    def started(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def finished(self, result: FileResult) -> None:
        for line in result_lines(self.out, result):
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        self.bar.advance(self.task)

    def converting(self, count: int) -> None:
        self.pdf_task = self.bar.add_task("đang xuất PDF", total=count)

    def converted(self, done: int) -> None:
        self.bar.update(self.pdf_task, completed=done)


class RollupLines:
    """Plain lines (logs, CI): how many reports, then each one as it is read."""

    def __init__(self) -> None:
        self.total = self.done = 0

    def started(self, total: int) -> None:
        self.total = total
        click.echo(f"{total} báo cáo cần tổng hợp", err=True)

    def checked(self, path: Path) -> None:
        self.done += 1
        click.echo(f"đã đọc {self.done}/{self.total}: {path}", err=True)


class RollupBar:
    """A progress bar on the terminal while the communes' reports are read."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task: TaskID = bar.add_task("đang đọc báo cáo các xã")

    def started(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def checked(self, path: Path) -> None:
        self.bar.advance(self.task)
