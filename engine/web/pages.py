"""What a document page shows, from an engine outcome: the form, each issue at its field, derived figures,
the preview; and the two writes that create a file (kỳ mới, upload)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from engine import vi
from engine.edit import parse_path
from engine.errors import Issue, ReportError, format_path
from engine.load import load_document
from engine.paths import SCHEMA_DIR
from engine.render import staged, write_atomic
from engine.schema import SUFFIX, Schemas, schema_files
from engine.starter import schema_reference, starter_text
from engine.web.drafts import Outcome
from engine.web.forms import PREFIX, Field, build_fields, display, index, root_schema
from engine.web.preview import docx_html
from engine.web.recent import Recent
from engine.web.workspace import Workspace, kind_title
from engine.workspace import lookup

# The forms of the last drafts shown (shared, read-only): the next form post sends that draft back.
_forms: Recent[tuple[bytes, Schemas], tuple[Field | None, dict[str, Field]]] = Recent(16)


@dataclass
class View:
    outcome: Outcome
    base: str
    where: Schemas
    form: Field | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    at_field: dict[str, list[Issue]] = field(default_factory=dict)  # by field anchor
    unplaced: list[Issue] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)  # by field anchor
    preview: str = ""

    @property
    def draft(self) -> str:
        return base64.b64encode(self.outcome.draft).decode()

    @property
    def errors(self) -> int:
        return sum(issue.is_error for issue in self.outcome.issues)

    @property
    def warnings(self) -> int:
        return len(self.outcome.issues) - self.errors

    @property
    def kind(self) -> str:
        data = self.outcome.data
        return str(data.get("loai", "")) if isinstance(data, dict) else ""

    @property
    def kind_title(self) -> str:
        return kind_title(self.kind, self.where) if self.kind else ""


def kinds_near(file: Path) -> Schemas:
    """The kinds the file sees (its workspace's, or the built-in ones when the workspace is broken:
    `examine` then reports the workspace's problems)."""
    try:
        return lookup(file)
    except ReportError:
        return SCHEMA_DIR


def kind_schema(data: Any, where: Schemas) -> str | None:
    kind = data.get("loai") if isinstance(data, dict) else None
    return kind if isinstance(kind, str) and kind + SUFFIX in schema_files(where) else None


def form_fields(data: Any, where: Schemas, draft: bytes | None = None) -> dict[str, Field]:
    """The form's fields by name for `data`, which is `draft`'s data when `draft` is given."""
    return _form(data, where, draft)[1]


def _form(data: Any, where: Schemas, draft: bytes | None) -> tuple[Field | None, dict[str, Field]]:
    """The form and its fields by name. With `draft` (whose data `data` is), remembered by the draft's bytes
    and the kinds seen: a changed workspace file is another `where` (`engine.workspace.lookup`)."""

    def build() -> tuple[Field | None, dict[str, Field]]:
        kind = kind_schema(data, where)
        if kind is None:
            return None, {}
        schema, resolver = root_schema(kind, where)
        root = build_fields(schema, resolver, data)
        return root, index(root)

    return build() if draft is None else _forms.get((draft, where), build)


def view(outcome: Outcome, base: str, where: Schemas) -> View:
    result = View(outcome, base, where)
    result.form, result.fields = _form(outcome.data, where, outcome.draft)
    anchors = {name: found.anchor for name, found in result.fields.items()}
    for issue in outcome.issues:
        path = issue.path
        while PREFIX + format_path(path) not in anchors and path:
            path = path[:-1]
        anchor = anchors.get(PREFIX + format_path(path)) if path else None
        if anchor is None:
            result.unplaced.append(issue)
        else:
            result.at_field.setdefault(anchor, []).append(issue)
    checked = outcome.checked
    if checked is not None:
        for target in checked.derivation.sources:
            parsed = parse_path(target)
            value = _lookup(checked.derivation.context, parsed) if parsed else None
            anchor = anchors.get(PREFIX + target)
            if anchor is not None and value is not None:
                result.derived[anchor] = shown(value)
    if outcome.docx is not None:
        result.preview = docx_html(outcome.docx)
    return result


def at_field(issue: Issue) -> str:
    """The CLI's line for an issue without its `FILE:LINE:COL: ` (the field shows where)."""
    return replace(issue, file="", line=0, col=0).format().removeprefix(": ")


def notes_json(result: View) -> Markup:
    notes: dict[str, dict[str, Any]] = {}
    for anchor, issues in result.at_field.items():
        notes[anchor] = {
            "m": [["loi" if issue.is_error else "canh-bao", at_field(issue)] for issue in issues]
        }
    for anchor, value in result.derived.items():
        notes.setdefault(anchor, {})["d"] = value
    return Markup(json.dumps(notes, ensure_ascii=False).replace("<", "\\u003c"))


def placeholder(pattern: str) -> str:
    """A date-like pattern as the form it asks for."""
    return "YYYY-MM-DD" if "\\d{4}-" in pattern else ""


def shown(value: Any) -> str:
    """A derived figure as the document prints it: `29.454`, `0,91`."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return vi.format_number(vi.exact(value))
    return display(value)


def help_html(text: str) -> Markup:
    """A schema description with its `code` spans shown as code."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts)))


def _lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def new_period(workspace: Workspace, source: str, target: str) -> str:
    """A new data file from a previous period (`baocao new --tu`); returns its name."""
    previous = workspace.file(source)
    out = workspace.file(target, must_exist=False)
    if out.exists():
        raise ReportError([Issue("tệp đã có; chọn tên khác để không ghi đè", file=target, code="web.exists")])
    data = load_document(previous, source).data
    where = lookup(out)
    kind = kind_schema(data, where)
    if kind is None:
        raise ReportError([Issue("không rõ loại văn bản (khóa `loai`)", file=source, code="web.kind")])
    modeline = schema_reference(out, kind, where)
    text = starter_text(kind, data, schema_path=modeline, source=source, where=where)
    write_atomic(out, text.encode("utf-8"))
    return workspace.name(out)


def upload(workspace: Workspace, filename: str, content: bytes) -> str:
    """A data file sent from the browser, kept when it reads as YAML (its data may still have errors)."""
    out = workspace.file(filename, must_exist=False)
    if out.exists():
        raise ReportError([Issue("tệp đã có; đổi tên tệp để không ghi đè", file=filename, code="web.exists")])
    with staged(out, content) as temporary:
        load_document(temporary, filename)
    write_atomic(out, content)
    return workspace.name(out)
