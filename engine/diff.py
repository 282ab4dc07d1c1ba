"""What a correction changes: stored figures, the figures derived from them, the sentences printed.

Two data files are compared as data (comments and layout do not count), then as derived
context, then as rendered text, so an official sees every sentence to re-read before
signing again. Two .docx files are compared as text, paragraph by paragraph.
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from engine.build import data_copy_path, load_manifest, manifest_path
from engine.docxtext import docx_text
from engine.errors import BaocaoError, DataPath, Issue, ReportError, format_path
from engine.pipeline import Checked, check, leaves, render_checked

SHOWN_CHARS = 80


class _Absent:
    """The value of a path one side does not have."""


ABSENT = _Absent()
NOT_GIVEN = (None, ABSENT)


@dataclass(frozen=True)
class Change:
    path: DataPath
    old: Any
    new: Any
    where: str = ""  # `FILE:LINE:COL` in the new file (the old one for a removed value)


@dataclass(frozen=True)
class DataDiff:
    stored: list[Change]
    derived: list[Change]
    warnings_gone: list[Issue]
    warnings_new: list[Issue]
    sentences: list[tuple[list[str], list[str]]]  # (old lines, new lines) of each changed block

    @property
    def changed(self) -> bool:
        return any((self.stored, self.derived, self.warnings_gone, self.warnings_new, self.sentences))

    def lines(self) -> list[str]:
        """The report, in Vietnamese, one printed line each."""
        if not self.changed:
            return ["không có thay đổi"]
        lines: list[str] = []
        sections: list[tuple[str, list[str]]] = [
            ("Số liệu đã nhập thay đổi", [_change_line(change) for change in self.stored]),
            ("Số liệu tính ra thay đổi", [_change_line(change) for change in self.derived]),
            ("Cảnh báo không còn", [issue.format() for issue in self.warnings_gone]),
            ("Cảnh báo mới", [issue.format() for issue in self.warnings_new]),
            ("Câu văn thay đổi", list(_sentence_lines(self.sentences))),
        ]
        for title, items in sections:
            if items:
                lines += [f"{title}:", *(f"  {item}" if item else "" for item in items)]
        return lines


def data_diff(old: Path, new: Path, *, old_name: str | None = None, new_name: str | None = None) -> DataDiff:
    """Compare two data files; a `ReportError` with the problems of both when either has errors."""
    issues: list[Issue] = []
    prepared: list[tuple[Checked, list[str]]] = []
    for path, name in ((old, old_name), (new, new_name)):
        try:
            checked = check(path, display_name=name or str(path))
            prepared.append((checked, docx_text(render_checked(checked)).splitlines()))
        except ReportError as error:
            issues += error.issues
    if issues:
        raise ReportError(issues)
    (before, old_text), (after, new_text) = prepared
    stored_old, stored_new = flatten(before.document.data), flatten(after.document.data)
    stored = _changes(stored_old, stored_new, before, after)
    context_old, context_new = flatten(before.derivation.context), flatten(after.derivation.context)
    derived = [
        change
        for change in _changes(context_old, context_new)
        if change.path not in stored_old and change.path not in stored_new
    ]
    old_warnings = {(issue.path, issue.message): issue for issue in before.warnings}
    new_warnings = {(issue.path, issue.message): issue for issue in after.warnings}
    return DataDiff(
        stored,
        derived,
        [issue for key, issue in old_warnings.items() if key not in new_warnings],
        [issue for key, issue in new_warnings.items() if key not in old_warnings],
        _changed_blocks(old_text, new_text),
    )


def _changed_blocks(old: list[str], new: list[str]) -> list[tuple[list[str], list[str]]]:
    """The runs of lines that differ; empty paragraphs are left out (an empty `mới:` line says nothing)."""
    old, new = [line for line in old if line.strip()], [line for line in new if line.strip()]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def docx_diff(old: Path, new: Path) -> list[str]:
    """Unified diff of the two documents' text, one line per paragraph or table row."""
    return list(difflib.unified_diff(_docx_lines(old), _docx_lines(new), str(old), str(new), lineterm=""))


def built_copy(out: Path, data: Path) -> Path:
    """The copy of `data` kept by the last `baocao build` into `out`."""
    source = str(data.resolve())
    for output, entry in load_manifest(out.resolve()).items():
        copy = data_copy_path(out, output)
        if entry.source == source and copy.is_file():
            return copy
    raise BaocaoError(f"{data} chưa được dựng vào {out} (không có trong {manifest_path(out)})")


def flatten(node: Any, path: DataPath = ()) -> dict[DataPath, Any]:
    """Every leaf value by its path, through mappings, lists and dataclasses, in order."""
    return dict(leaves(node, path))


def _changes(
    old: dict[DataPath, Any],
    new: dict[DataPath, Any],
    before: Checked | None = None,
    after: Checked | None = None,
) -> list[Change]:
    """Values that differ (type included: 20 is not 20.0), in the new file's order, then removed ones.

    A field left empty and a field not written both mean "not given": going from one to the other
    changes nothing in the document, so it is not listed.
    """
    result: list[Change] = []
    for path in [*new, *(path for path in old if path not in new)]:
        was, now = old.get(path, ABSENT), new.get(path, ABSENT)
        if (type(was) is type(now) and was == now) or (was in NOT_GIVEN and now in NOT_GIVEN):
            continue
        located = before if now is ABSENT else after
        where = ""
        if located is not None:
            line, col = located.document.positions.value(path)
            where = f"{located.document.file}:{line}:{col}"
        result.append(Change(path, was, now, where))
    return result


def _change_line(change: Change) -> str:
    text = f"{format_path(change.path)}: {_show(change.old)} → {_show(change.new)}"
    return f"{change.where}: {text}" if change.where else text


def _show(value: Any) -> str:
    if value is ABSENT:
        return "(không có)"
    if value is None:
        return "(để trống)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        line = " ".join(value.split())
        return f'"{line}"' if len(line) <= SHOWN_CHARS else f'"{line[: SHOWN_CHARS - 1]}…"'
    return str(value)


def _sentence_lines(blocks: list[tuple[list[str], list[str]]]) -> Iterator[str]:
    for index, (old, new) in enumerate(blocks):
        if index:
            yield ""
        if len(old) == len(new):  # paragraph for paragraph: mark the words that differ
            for before, after in zip(old, new, strict=True):
                marked_old, marked_new = _marked(before, after)
                yield f"cũ:  {marked_old}"
                yield f"mới: {marked_new}"
        else:
            yield from (f"cũ:  {line}" for line in old)
            yield from (f"mới: {line}" for line in new)


def _marked(old: str, new: str) -> tuple[str, str]:
    """`có 21 lượt` / `có 20 lượt` → `có «21» lượt` / `có «20» lượt`: the change in a long paragraph."""
    before, after = old.split(" "), new.split(" ")
    marked_old: list[str] = []
    marked_new: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            marked_old += before[i1:i2]
            marked_new += after[j1:j2]
            continue
        if i2 > i1:
            marked_old.append("«" + " ".join(before[i1:i2]) + "»")
        if j2 > j1:
            marked_new.append("«" + " ".join(after[j1:j2]) + "»")
    return " ".join(marked_old), " ".join(marked_new)


def _docx_lines(path: Path) -> list[str]:
    """The paragraphs and table rows that have text: an added or removed empty paragraph is no change."""
    try:
        return [line for line in docx_text(path).splitlines() if line.strip()]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise BaocaoError(f"{path}: không phải tệp .docx đọc được") from error
