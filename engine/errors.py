"""One error type for the whole engine: a list of located issues.

Every pipeline step reports problems as `Issue`s carrying a data path; the
position map from `load` turns paths into line/column at the edge, so checks
never handle positions themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

PathPart = str | int
DataPath = tuple[PathPart, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # something the engine repaired by itself: never fails a run

    @property
    def label(self) -> str:
        return {Severity.ERROR: "lỗi", Severity.WARNING: "cảnh báo", Severity.INFO: "thông tin"}[self]


def format_path(path: DataPath) -> str:
    """`("tin_dung", "nguon", 1, "so_tien")` → `tin_dung.nguon[1].so_tien`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Issue:
    """One problem found in one input file."""

    message: str
    path: DataPath = ()
    severity: Severity = Severity.ERROR
    code: str = ""
    file: str = ""
    line: int = 0
    col: int = 0
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, file: str, line: int, col: int) -> Issue:
        return replace(self, file=file, line=line, col=col)

    def format(self) -> str:
        """`FILE:LINE:COL: lỗi: path: message (hint)` as in spec/cli.md."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col}"
        text = f"{where}: {self.severity.label}: "
        if self.path:
            # `tin_dung.luot_ho (21) khác tổng …`: a message opening with the stated value follows the path.
            text += format_path(self.path) + (" " if self.message.startswith("(") else ": ")
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "path": format_path(self.path),
            "message": self.message,
            "hint": self.hint,
        }


class BaocaoError(Exception):
    """Base of every error the engine raises on purpose."""


class ReportError(BaocaoError):
    """Carries every issue found, so the user sees all problems at once."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(issue.format() for issue in issues))
        self.issues = issues


class FilterError(BaocaoError, ValueError):
    """A formatting filter got a value it cannot format."""

    def __init__(self, filter_name: str, value: object, reason: str) -> None:
        super().__init__(f"bộ lọc `{filter_name}` không định dạng được {value!r}: {reason}")
        self.filter_name = filter_name
        self.value = value
        self.reason = reason


class ToolMissingError(BaocaoError):
    """An external program (LibreOffice) is not installed: exit code 3."""


def summary(issues: Sequence[Issue]) -> str:
    """`2 lỗi, 1 cảnh báo` (and `, N thông tin` when the engine repaired something), for summary lines."""
    errors = sum(issue.is_error for issue in issues)
    notes = sum(issue.severity is Severity.INFO for issue in issues)  # repaired by the engine: not a warning
    text = f"{errors} lỗi, {len(issues) - errors - notes} cảnh báo"
    return f"{text}, {notes} thông tin" if notes else text
