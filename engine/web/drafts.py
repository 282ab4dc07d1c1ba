"""A document being edited: its YAML text (the draft), the form's edits applied to it, and what the
engine says about it.

The form's values are spliced in by `engine.edit.splice_values` (the `set` machinery: every other byte
kept); only adding a value the file does not have yet and list operations go through a ruamel.yaml
round trip, which keeps comments but may re-indent. Nothing here writes the data file: `save` does,
atomically, after the draft passed the same checks as `baocao validate`.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.edit import parse_path, splice_values
from engine.errors import BaocaoError, DataPath, Issue, ReportError
from engine.load import load_document
from engine.pipeline import Checked, check, render_checked
from engine.render import staged, write_atomic
from engine.web.forms import Field, scalar_text
from engine.web.history import History, versions_diff
from engine.web.recent import Recent
from engine.web.workspace import Workspace, fingerprint

OPERATIONS = ("add", "del", "up", "down")
# The data of the last drafts examined (a few tabs' last previews): the data is a function of the bytes.
_recent: Recent[bytes, Any] = Recent(16)


@dataclass
class Outcome:
    draft: bytes
    data: Any = None  # None when the draft does not load
    checked: Checked | None = None
    issues: list[Issue] = field(default_factory=list)
    docx: bytes | None = None


class StaleError(BaocaoError):
    """The file changed on disk since the form was opened: the save is refused."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("tệp đã thay đổi")
        self.lines = lines


def examine(file: Path, draft: bytes, name: str) -> Outcome:
    """Load, check and render the draft as if it were `file` (beside it, so `ky_truoc` resolves)."""
    outcome = Outcome(draft)
    with staged(file, draft, sync=False) as temporary:  # read back at once, never kept
        try:
            outcome.checked = check(temporary, display_name=name)
        except ReportError as error:
            outcome.issues = error.issues
            outcome.data = _load(temporary, name)
            _recent.put(draft, outcome.data)
            return outcome
    outcome.data = outcome.checked.document.data
    _recent.put(draft, outcome.data)
    outcome.issues = outcome.checked.warnings
    try:
        outcome.docx = render_checked(outcome.checked)
    except ReportError as error:
        outcome.issues = error.issues
    except (BaocaoError, OSError) as error:
        message = f"không xuất được văn bản loại `{outcome.checked.kind}`: {error}"
        outcome.issues = [Issue(message, code="web.template", file=name, hint="kiểm tra mẫu văn bản (.docx)")]
    return outcome


def loaded(file: Path, draft: bytes, name: str) -> Any:
    """The draft's data, or None when it does not load (`examine` then tells why). A form sends back the
    draft its last preview returned, so that is usually remembered from `examine`; treat it as read-only."""

    def load() -> Any:
        with staged(file, draft, sync=False) as temporary:
            return _load(temporary, name)

    return _recent.get(draft, load)


def _load(file: Path, name: str) -> Any:
    try:
        return load_document(file, name).data
    except ReportError:
        return None


def _has(data: Any, path: DataPath) -> bool:
    for part in path:
        present = isinstance(data, dict) and part in data
        present = present or (isinstance(part, int) and isinstance(data, list) and part < len(data))
        if present:
            data = data[part]
        else:
            return False
    return True


def apply_form(
    draft: bytes, data: Any, form: Mapping[str, str], fields: Mapping[str, Field], name: str
) -> bytes:
    """The draft with every changed form value written in; `ReportError` when one cannot be."""
    spliced: list[tuple[DataPath, str]] = []
    added: list[tuple[DataPath, str]] = []
    for key, typed in form.items():
        found = fields.get(key)
        if found is None or found.widget in ("group", "list", "fixed"):
            continue
        if typed.replace("\r\n", "\n").strip() == found.value.strip():
            continue
        text = scalar_text(found, typed)
        if _has(data, found.path):
            spliced.append((found.path, text))
        elif text:
            added.append((found.path, text))
    draft = splice_values(draft, spliced, name) if spliced else draft
    if added:

        def add(document: Any) -> None:
            for path, text in added:
                _put(document, path, text)

        draft = _round_trip(draft, add)
    return draft


def apply_operation(draft: bytes, operation: str) -> bytes:
    """`add:PATH` (a blank item like the last one), `del:PATH`, `up:PATH`, `down:PATH` on a list."""
    verb, _, target = operation.partition(":")
    path = parse_path(target)
    if verb not in OPERATIONS or path is None:
        return draft

    def edit(document: Any) -> None:
        if verb == "add":
            items = _get(document, path)
            if items is None:
                _put_value(document, path, [None])
            elif isinstance(items, list):
                items.append(_blank(items[-1]) if items else None)
            return
        *parent_path, index = path
        items = _get(document, tuple(parent_path))
        if not isinstance(items, list) or not isinstance(index, int) or index >= len(items):
            return
        if verb == "del":
            del items[index]
        elif verb == "up" and index > 0:
            items[index - 1], items[index] = items[index], items[index - 1]
        elif verb == "down" and index + 1 < len(items):
            items[index + 1], items[index] = items[index], items[index + 1]

    return _round_trip(draft, edit)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 110
    yaml.preserve_quotes = True
    return yaml


def _round_trip(draft: bytes, edit: Callable[[Any], object]) -> bytes:
    yaml = _yaml()
    try:
        document = yaml.load(draft.decode("utf-8-sig"))
    except (YAMLError, UnicodeDecodeError) as error:
        raise ReportError([Issue(f"không đọc được tệp: {error}", code="web.yaml")]) from error
    edit(document)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue().encode()


def _get(document: Any, path: DataPath) -> Any:
    for part in path:
        try:
            document = document[part]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def _put_value(document: Any, path: DataPath, value: Any) -> None:
    for part, following in itertools.pairwise(path):
        if isinstance(document, dict) and document.get(part) is None:
            document[part] = [] if isinstance(following, int) else {}
        document = document[part]
    if isinstance(document, list) and isinstance(path[-1], int) and path[-1] >= len(document):
        document.append(value)
    else:
        document[path[-1]] = value


def _put(document: Any, path: DataPath, text: str) -> None:
    _put_value(document, path, YAML(typ="safe", pure=True).load(text))


def _blank(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: _blank(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_blank(item[0])] if item else []
    return None


def save(workspace: Workspace, history: History, name: str, draft: bytes, base: str) -> Outcome:
    """Write the draft over the file when the file is still the version the form was opened from and
    the draft has no errors; `StaleError` with the difference otherwise. Each save is recorded."""
    file = workspace.file(name)
    with workspace.lock:
        current = file.read_bytes()
        if fingerprint(current) != base:
            raise StaleError(difference(file, current, draft, name))
        outcome = examine(file, draft, name)
        if outcome.checked is None or any(issue.is_error for issue in outcome.issues):
            return outcome
        if current != draft:
            history.record(name, f"{name}: bản trên đĩa trước khi sửa")
            write_atomic(file, draft)
            history.record(name, f"{name}: sửa qua baocao serve")
        return outcome


def difference(file: Path, current: bytes, draft: bytes, name: str) -> list[str]:
    """`baocao diff` between the file on disk and the draft."""
    return versions_diff(file, current, draft, f"{name} (trên đĩa)", f"{name} (bản của bạn)")
