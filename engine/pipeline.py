"""The library entry: load → validate → derive → render → write, for one data file.

The CLI and the tests call these functions; they never print. Problems come
back as located `Issue`s: errors stop the pipeline with `ReportError`,
warnings travel with the result (and become errors under `strict`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.derive import Derivation
from engine.errors import DataPath, FilterError, Issue, ReportError, Severity
from engine.filters import FILTERS
from engine.kinds import derive
from engine.load import LoadedDocument, load_document
from engine.previous import resolve_previous
from engine.render import render_docx, write_atomic
from engine.rules import Rule, check_rule_paths, display, load_rules
from engine.schema import Schemas, field_paths, kind_of, validate
from engine.templates import load_template
from engine.workspace import Kind, lookup


@dataclass
class Checked:
    """A data file that passed validation, with its derived context, warnings and resolved kind files."""

    document: LoadedDocument
    kind: str
    derivation: Derivation
    files: Kind
    warnings: list[Issue] = field(default_factory=list)


def _located(document: LoadedDocument, issues: list[Issue]) -> list[Issue]:
    located = [document.positions.locate(issue, document.file) for issue in issues]
    return sorted(located, key=lambda issue: (issue.line, issue.col))


def check(path: Path, *, display_name: str | None = None, strict: bool = False) -> Checked:
    """Load, validate and derive with the kinds the file sees (`engine.workspace.lookup`);
    raise `ReportError` with every problem found."""
    document = load_document(path, display_name)
    kinds = lookup(path)
    kind = kind_of(document, kinds)
    issues = document.warnings + validate(document, kinds)
    if any(issue.is_error for issue in issues):
        raise ReportError(_located(document, issues))
    files = kinds.kinds[kind]
    fields = field_paths(kind, kinds)
    derivation = derive(kind, resolve_previous(document, path), rules_of(files, kinds), fields)
    issues = _located(document, issues + derivation.issues)
    if strict:
        issues = [replace(issue, severity=Severity.ERROR) for issue in issues]
    if any(issue.is_error for issue in issues):
        raise ReportError(issues)
    return Checked(document, kind, derivation, files, issues)


def rules_of(kind: Kind, where: Schemas) -> tuple[Rule, ...]:
    """The kind's rules as resolved for its workspace, checked against its schema's fields in
    `where`; read and checked again only when the rules file changes."""
    try:
        stat = kind.rules.stat()
        version = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        version = (0, -1)
    return _rules_of(kind, where, display(kind.rules), version)


@lru_cache(maxsize=64)
def _rules_of(kind: Kind, where: Schemas, file: str, version: tuple[int, int]) -> tuple[Rule, ...]:
    del version  # a cache key only
    return check_rule_paths(load_rules(kind.rules, file), field_paths(kind.name, where), kind.name)


def render_checked(checked: Checked, template_file: Path | None = None) -> bytes:
    """The document, with the kind's template or `template_file` (`render --mau`)."""
    template = load_template(template_file or checked.files.template, FILTERS)
    try:
        return render_docx(template, checked.derivation.context)
    except FilterError as error:
        issue = Issue(str(error), path=_path_of_value(checked.document.data, error.value), code="filter")
        raise ReportError(_located(checked.document, [issue])) from error


def render_file(
    path: Path,
    out: Path,
    *,
    display_name: str | None = None,
    strict: bool = False,
    template_file: Path | None = None,
) -> Checked:
    """Render one data file to `out`, atomically; nothing is written when anything fails."""
    checked = check(path, display_name=display_name, strict=strict)
    write_atomic(out, render_checked(checked, template_file))
    return checked


def leaves(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every leaf value with its path, through mappings, lists and dataclasses, in order."""
    if isinstance(node, Mapping):
        items: Any = node.items()
    elif isinstance(node, list | tuple):
        items = enumerate(node)
    elif is_dataclass(node) and not isinstance(node, type):
        items = ((item.name, getattr(node, item.name)) for item in fields(node))
    else:
        yield path, node
        return
    for key, child in items:
        yield from leaves(child, (*path, key))


def _path_of_value(data: Any, value: object) -> DataPath:
    """Where in the data a value a filter refused came from (the first match), for the message."""
    matches = (path for path, leaf in leaves(data) if type(leaf) is type(value) and leaf == value)
    return next(matches, ())
