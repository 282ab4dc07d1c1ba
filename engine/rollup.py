"""Commune annual reports → the district's: `baocao rollup DIR -o huyen.yaml`.

The district file is both frame and result. Its header, prose, `ky_truoc` and
`tong_hop.don_vi_du_kien` (the communes that must report) are written by hand and kept;
the figure sections (`SUMMED`) and `tong_hop.don_vi` (one row per commune) are replaced on
every run by sums over the commune reports in DIR. When every commune states its previous
period, those figures are summed too: written as the district's `ky_truoc` if it has none,
else compared with it (a warning where they differ). Rates are never summed or averaged: the
rules file recomputes them from the summed counts. The file is written only when the
result passes the same checks as any data file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from engine.errors import DataPath, Issue, ReportError, Severity, format_path
from engine.load import LoadedDocument, load_document
from engine.pipeline import Checked, check
from engine.previous import resolve_previous
from engine.render import staged
from engine.schema import near_miss

KIND = "bao_cao_nam"
SUMMED = ("ket_qua", "muc_tieu", "chinh_sach", "mtqg")
ROW_FIELDS = ("tong_so_ho", "ho_ngheo", "ho_can_ngheo", "ho_thoat_ngheo")
PREVIOUS_FIGURES = ("tong_so_ho", "ho_ngheo", "ho_can_ngheo")
NOT_SUMMED = ("ky", "chua_co_so_lieu")  # kept when the same in every commune
RATE_PREFIX = "ty_le"  # rates are recomputed from summed counts, never added up
MARK = "(rollup)"  # start-comment lines written by this module, replaced on each run
# Top-level order of the schema, to place a section the frame does not have yet.
ORDER = (
    "ky_truoc",
    "chi_dao_dieu_hanh",
    "quan_ly_chuong_trinh",
    "ket_qua",
    "muc_tieu",
    "chinh_sach",
    "mtqg",
    "mtqg_noi_dung",
    "tong_hop",
)


@dataclass
class Rollup:
    """The district file's new text, the commune files it sums, and the warnings met on the way."""

    text: str
    communes: list[Path]
    warnings: list[Issue] = field(default_factory=list)


class Listener(Protocol):
    """Progress hooks: how many commune reports, then each one once read and checked."""

    def started(self, total: int) -> None: ...

    def checked(self, path: Path) -> None: ...


def rollup(directory: Path, out: Path, listener: Listener | None = None) -> Rollup:
    """Sum the commune reports in `directory` into the district frame `out`; `ReportError` on any problem."""
    frame = _frame(out)
    paths = sorted(path for path in directory.glob("*.y*ml") if path.resolve() != out.resolve())
    if not paths:
        raise ReportError([Issue(f"không có tệp báo cáo .yaml nào trong {directory}", code="rollup.empty")])
    issues: list[Issue] = []
    communes: list[Checked] = []
    if listener is not None:
        listener.started(len(paths))
    for path in paths:
        try:
            checked = check(path, display_name=str(path))
        except ReportError as error:
            issues += error.issues
            continue
        finally:
            if listener is not None:
                listener.checked(path)
        issues += checked.warnings
        communes.append(checked)
    communes = _included(frame, communes, issues, out)
    if any(issue.is_error for issue in issues):
        raise ReportError(issues)
    sums = {}
    for section in SUMMED:
        total = _sum([commune.document for commune in communes], (section,), issues)
        if total is not None:
            sums[section] = total
    rows = [{"ten": c.document.data["dia_ban"], **_row(c.document.data["ket_qua"])} for c in communes]
    if (previous := _previous_sums(frame, out, communes, issues)) is not None:
        sums["ky_truoc"] = previous
    text = _edit(out, sums, rows, [c.document.file for c in communes], directory)
    return Rollup(text, [Path(c.document.file) for c in communes], issues)


def write_rollup(directory: Path, out: Path, listener: Listener | None = None) -> Rollup:
    """`rollup`, then check the result beside `out` (so `ky_truoc` resolves) and rename it over `out`."""
    result = rollup(directory, out, listener)
    with staged(out, result.text.encode("utf-8")) as trial:
        result.warnings += check(trial, display_name=str(out)).warnings
        os.replace(trial, out)
    return result


def _frame(out: Path) -> LoadedDocument:
    if not out.is_file():
        hint = (
            "tạo trước tệp báo cáo huyện (phần đầu, nội dung, tong_hop.don_vi_du_kien) rồi chạy lại;"
            " lệnh chỉ điền số liệu"
        )
        raise ReportError([Issue("chưa có tệp báo cáo huyện", code="rollup.frame", hint=hint, file=str(out))])
    frame = load_document(out, str(out))
    data = frame.data
    problems = []
    if data.get("loai") != KIND:
        problems.append(Issue(f"báo cáo huyện phải là loai: {KIND}", path=("loai",), code="rollup.kind"))
    if not isinstance(data.get("nam"), int):
        problems.append(Issue("thiếu năm báo cáo (nam)", path=("nam",), code="rollup.period"))
    if problems:
        raise ReportError([frame.positions.locate(issue, frame.file) for issue in problems])
    return frame


def _at(document: LoadedDocument, path: DataPath, message: str, code: str) -> Issue:
    return document.positions.locate(Issue(message, path=path, code=code), document.file)


def _included(
    frame: LoadedDocument, communes: list[Checked], issues: list[Issue], out: Path
) -> list[Checked]:
    """The communes to sum, in the expected order; a wrong kind or period, a duplicate,
    an unexpected or a missing commune is a located error."""
    year = frame.data["nam"]
    expected = (frame.data.get("tong_hop") or {}).get("don_vi_du_kien")
    found: dict[str, Checked] = {}
    for commune in communes:
        document, data = commune.document, commune.document.data
        if commune.kind != KIND:
            message = f"không phải báo cáo năm (loai: {KIND}), không tổng hợp được"
            issues.append(_at(document, ("loai",), message, "rollup.kind"))
        elif "tong_hop" in data:
            message = "đây là báo cáo tổng hợp, không phải báo cáo của một xã"
            issues.append(_at(document, ("tong_hop",), message, "rollup.kind"))
        elif data["nam"] != year:
            message = f"báo cáo năm {data['nam']}, khác kỳ tổng hợp (năm {year} ở {out})"
            issues.append(_at(document, ("nam",), message, "rollup.period"))
        elif (name := data["dia_ban"]) in found:
            message = f"{name} đã có báo cáo ở {found[name].document.file}"
            issues.append(_at(document, ("dia_ban",), message, "rollup.duplicate"))
        elif expected is not None and name not in expected:
            message = f"{name} không có trong tong_hop.don_vi_du_kien của {out}"
            near = near_miss(name, list(expected))
            issue = _at(document, ("dia_ban",), message, "rollup.unexpected")
            issues.append(replace(issue, hint=f"có phải là `{near}`?") if near else issue)
        else:
            found[name] = commune
    if expected is None:
        return list(found.values())
    for index, name in enumerate(expected):
        if name not in found and not any(issue.is_error for issue in issues):
            message = f"chưa có báo cáo năm {year} của {name} trong thư mục tổng hợp"
            issues.append(_at(frame, ("tong_hop", "don_vi_du_kien", index), message, "rollup.missing"))
    return [found[name] for name in expected if name in found]


def _previous_sums(
    frame: LoadedDocument, out: Path, communes: list[Checked], issues: list[Issue]
) -> dict[str, Any] | None:
    """The communes' previous-period figures summed, when every commune has them: to write into a
    district without `ky_truoc`; a district with its own is compared with them (located warnings)."""
    periods: list[Mapping[str, Any]] = [
        period
        for commune in communes
        if isinstance(period := commune.derivation.context.get("ky_truoc"), Mapping)
    ]
    if not periods or len(periods) < len(communes):
        return None
    year = frame.data["nam"] - 1
    sums = {name: sum(period[name] for period in periods) for name in PREVIOUS_FIGURES}
    if frame.data.get("ky_truoc") is None:
        return {"nam": year, **sums}
    try:
        own: Mapping[str, Any] = resolve_previous(frame, out)["ky_truoc"]
    except ReportError:  # reported when the district file itself is checked
        return None
    for name, total in sums.items():
        if own.get(name) != total:
            terms = " + ".join(str(period[name]) for period in periods)
            message = (
                f"{name} của kỳ trước ({own.get(name)}) khác tổng kỳ trước của các xã ({terms} = {total})"
            )
            issue = Issue(message, path=("ky_truoc",), severity=Severity.WARNING, code="rollup.previous")
            issues.append(frame.positions.locate(issue, frame.file))
    return None


def _sum(documents: list[LoadedDocument], path: DataPath, issues: list[Issue]) -> Any:
    """Field-by-field sum of the figures at `path`; one some communes lack is left out, with a warning."""
    values = [_get(document.data, path) for document in documents]
    present = [value for value in values if value is not None]
    if not present:
        return None
    if len(present) < len(values):
        for document, value in zip(documents, values, strict=True):
            if value is None:
                message = f"không có số liệu {format_path(path)} nên huyện không có tổng của mục này"
                issue = Issue(message, path=path, severity=Severity.WARNING, code="rollup.partial")
                issues.append(document.positions.locate(issue, document.file))
        return None
    if isinstance(present[0], Mapping):
        keys = [key for key in present[0] if not key.startswith(RATE_PREFIX)]
        summed = {
            key: _same(documents, (*path, key), issues)
            if key in NOT_SUMMED
            else _sum(documents, (*path, key), issues)
            for key in keys
        }
        return {key: value for key, value in summed.items() if value is not None} or None
    return sum(present)


def _same(documents: list[LoadedDocument], path: DataPath, issues: list[Issue]) -> Any:
    """A period or mark (`ky`, `chua_co_so_lieu`) kept when every commune gives the same; else a warning."""
    values = [_get(document.data, path) for document in documents]
    if all(value == values[0] for value in values):
        return values[0]
    for document, value in zip(documents, values, strict=True):
        if value != values[0] or document is documents[0]:
            message = "khác nhau giữa các xã nên báo cáo huyện không ghi mục này"
            issue = Issue(message, path=path, severity=Severity.WARNING, code="rollup.partial")
            issues.append(document.positions.locate(issue, document.file))
    return None


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _row(results: Mapping[str, Any]) -> dict[str, Any]:
    return {key: results[key] for key in ROW_FIELDS}


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096  # never re-wrap the frame's prose
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def _mapping(value: Mapping[str, Any], depth: int = 0) -> CommentedMap:
    """Nested figures as block mappings; a group of plain figures below the top on one line."""
    result = CommentedMap(
        (key, _mapping(item, depth + 1) if isinstance(item, Mapping) else item) for key, item in value.items()
    )
    if depth and not any(isinstance(item, Mapping) for item in value.values()):
        result.fa.set_flow_style()
    return result


def _edit(
    out: Path, sums: dict[str, Any], rows: list[dict[str, Any]], files: list[str], directory: Path
) -> str:
    """The frame's text with the generated parts replaced, its layout and other comments kept."""
    yaml = _yaml()
    document = yaml.load(out.read_text(encoding="utf-8"))
    if "ky_truoc" in sums:  # the communes' previous period, for a district without its own
        _place(document, "ky_truoc", _mapping(sums["ky_truoc"]))
    for section in SUMMED:
        if section in sums:
            _place(document, section, _mapping(sums[section]))
        elif section in document:
            del document[section]
    table = CommentedSeq()
    for row in rows:
        table.append(_mapping(row, depth=1))
    if "tong_hop" not in document:
        _place(document, "tong_hop", CommentedMap())
    document["tong_hop"]["don_vi"] = table
    _note_sources(document, out, files, directory)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def _place(document: CommentedMap, key: str, value: Any) -> None:
    if key in document:
        document[key] = value
        return
    earlier = ORDER[: ORDER.index(key)]
    position = max(
        (index + 1 for index, name in enumerate(document) if name in earlier), default=len(document)
    )
    document.insert(position, key, value)


def _note_sources(document: CommentedMap, out: Path, files: list[str], directory: Path) -> None:
    """Start comment: the frame's own lines, with this module's lines (after the schema modeline) renewed."""
    tokens = document.ca.comment[1] if document.ca.comment and document.ca.comment[1] else []
    kept = [token.value.rstrip("\n") for token in tokens]
    kept = [line.removeprefix("#").removeprefix(" ") for line in kept if line.strip()]
    kept = [line for line in kept if not line.startswith(MARK)]
    base = out.parent
    source = Path(os.path.relpath(directory, base)).as_posix()
    names = ", ".join(Path(os.path.relpath(file, directory)).as_posix() for file in files)
    generated = [
        f"{MARK} Các mục {', '.join(SUMMED)} và tong_hop.don_vi được ghi lại mỗi lần chạy",
        f"{MARK}     baocao rollup {source} -o {out.name}",
        f"{MARK} (từ thư mục của tệp này): tổng số liệu của {len(files)} báo cáo năm trong {source}/:",
        f"{MARK}     {names}",
        f"{MARK} Đừng sửa tay các mục đó: sửa tệp của xã rồi chạy lại lệnh. Phần còn lại được giữ nguyên.",
    ]
    modeline = kept[:1] if kept and kept[0].startswith("yaml-language-server:") else []
    document.ca.comment = None
    document.yaml_set_start_comment("\n".join(modeline + generated + kept[len(modeline) :]))
