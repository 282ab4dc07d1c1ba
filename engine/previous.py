"""`ky_truoc: nam-truoc.yaml`: a report names its previous period's data file; its figures are read here.

The reference is resolved relative to the data file and must stay inside that file's
directory tree. The referenced file goes through the same checks (`engine.pipeline.check`);
each of its errors becomes an error at the `ky_truoc` value. The reference is then replaced
by the figures at the end of that period, so derivers only ever see the inline form. The file
may also hold just those figures (`nam`, `tong_so_ho`, `ho_ngheo`, `ho_can_ngheo`, no `loai`).
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from engine.errors import Issue, ReportError
from engine.load import LoadedDocument, load_document
from engine.paths import SCHEMA_DIR
from engine.schema import SUFFIX, load_schemas, validate_part

KEY = "ky_truoc"
KIND = "bao_cao_nam"
GENERAL_KIND = "van_ban"  # its previous figures are its named figures (`so_lieu`), by name
FIGURES = ("tong_so_ho", "ho_ngheo", "ho_can_ngheo", "ty_le_ho_ngheo", "ty_le_ho_can_ngheo")

# Files whose reference is being followed, outermost first: `a → b → a` must stop.
_following: ContextVar[tuple[Path, ...]] = ContextVar("_following", default=())


def resolve_previous(document: LoadedDocument, source: Path) -> dict[str, Any]:
    """`document.data` with a `ky_truoc` file reference replaced by that file's year-end figures."""
    reference = document.data.get(KEY)
    if not isinstance(reference, str):
        return document.data
    try:
        kind = str(document.data.get("loai", KIND))
        figures = _figures(reference, source, str(Path(document.file).parent / reference), kind)
    except _RefusedError as refused:
        issues = [Issue(message, path=(KEY,), code="ky_truoc") for message in refused.messages]
        raise ReportError([document.positions.locate(issue, document.file) for issue in issues]) from None
    return {**document.data, KEY: figures}


def _figures_only(target: Path, shown: str) -> dict[str, Any] | None:
    """A file of just the previous period's figures (`nam`, `tong_so_ho`, `ho_ngheo`, `ho_can_ngheo`, no
    `loai`), checked against the `ky_truoc` part of the schema with `nam` required; None for a report."""
    try:
        document = load_document(target, shown)
    except ReportError as error:
        raise _RefusedError(*(f"tệp kỳ trước có lỗi: {issue.format()}" for issue in error.issues)) from None
    if "loai" in document.data:
        return None
    part = load_schemas(SCHEMA_DIR)[KIND + SUFFIX]["properties"][KEY]
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": part["properties"],
        "required": ["nam", *part["required"]],
    }
    issues = validate_part(document, schema, KIND + SUFFIX)
    if issues:
        raise _RefusedError(*(f"tệp kỳ trước có lỗi: {issue.format()}" for issue in issues))
    return dict(document.data)


class _RefusedError(Exception):
    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = messages


def _figures(reference: str, source: Path, shown: str, kind: str = KIND) -> dict[str, Any]:
    from engine.pipeline import check  # the pipeline calls this module: import when used

    base = source.resolve().parent
    target = (base / reference).resolve()
    if Path(reference).is_absolute() or not target.is_relative_to(base):
        raise _RefusedError(
            f"tệp kỳ trước {reference!r} phải nằm trong thư mục của tệp này hoặc thư mục con của nó"
        )
    if not target.is_file():
        raise _RefusedError(
            f"không tìm thấy tệp kỳ trước {reference!r} (đường dẫn tính từ thư mục của tệp này)"
        )
    chain = _following.get()
    if target == source.resolve() or target in chain:
        raise _RefusedError(f"tệp kỳ trước {reference!r} dẫn vòng trở lại tệp đang kiểm tra")
    figures_only = _figures_only(target, shown)
    if figures_only is not None:
        return figures_only
    token = _following.set((*chain, source.resolve()))
    try:
        checked = check(target, display_name=shown)
    except ReportError as error:
        raise _RefusedError(
            *(f"tệp kỳ trước có lỗi: {issue.format()}" for issue in error.issues if issue.is_error)
        ) from None
    finally:
        _following.reset(token)
    context = checked.derivation.context
    if kind == GENERAL_KIND and checked.kind == GENERAL_KIND:
        return dict(context["so_lieu"])
    if checked.kind != KIND or kind == GENERAL_KIND:
        expected = "văn bản chung (loai: van_ban)" if kind == GENERAL_KIND else f"báo cáo năm (loai: {KIND})"
        raise _RefusedError(f"tệp kỳ trước {reference!r} phải là {expected}, không phải {checked.kind}")
    results = context["ket_qua"]
    return {"nam": context["nam"], **{name: results[name] for name in FIGURES}}
