"""Render every data file under a folder, in parallel, skipping outputs whose inputs have not changed.

The manifest (`OUTDIR/.baocao/manifest.json`) records, per output, the files it was made from
(data, template, schemas, rules, referenced data) and a SHA-256 over their bytes, the engine
version and `--strict`. Which files an output depends on is decided by the data file's bytes,
so re-hashing the recorded list tells "unchanged" without parsing anything: when the data
changed, the digest differs anyway and the worker records the new list. Failed files keep
their previous entry, so they are retried until they render. A copy of each rendered data file
is kept in `OUTDIR/.baocao/du-lieu/` for `baocao diff --built`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Protocol

from engine.errors import BaocaoError, Issue, ReportError
from engine.load import load_document
from engine.paths import SCHEMA_DIR, TEMPLATE_DIR
from engine.pdf import convert_to_pdf, find_soffice, font_warning
from engine.pipeline import Checked, check, render_checked
from engine.render import write_atomic
from engine.workspace import find_workspace, is_workspace, seen_as

STATE_DIR = ".baocao"
MANIFEST_FORMAT = 1
# Data fields naming another data file (relative to the one naming it) that the output depends on.
REFERENCE_KEYS = frozenset({"ky_truoc"})
# Where the OS can flush every file at once, workers skip the per-file fsync and the build syncs once,
# before the manifest records the outputs; elsewhere (Windows) each file is synced as it is written.
SYNC_ONCE = hasattr(os, "sync")


class Status(StrEnum):
    RENDERED = "rendered"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    out: Path
    jobs: int | None = None  # None: one worker per CPU; 1: render in this process
    pdf: bool = False
    prune: bool = False
    strict: bool = False
    kinds_dir: Path | None = None  # `--kinds DIR`: the workspace every file sees


@dataclass(frozen=True)
class Entry:
    """What the manifest knows about one output: its data file, its inputs and their digest."""

    source: str
    digest: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class FileResult:
    """One data file's outcome; `output` is the .docx path relative to OUTDIR (POSIX form)."""

    output: str
    status: Status
    issues: tuple[Issue, ...] = ()  # warnings when rendered, errors when failed
    entry: Entry | None = None


@dataclass(frozen=True)
class BuildResult:
    files: list[FileResult]
    stale: list[str]  # outputs whose data file is gone (removed when `prune`)
    pdfs: list[str]  # relative to OUTDIR, like `output`
    pdf_error: str = ""  # LibreOffice failed; the documents are built all the same
    pdf_warnings: tuple[str, ...] = ()  # PDFs that mix in a fallback typeface

    def count(self, status: Status) -> int:
        return sum(result.status is status for result in self.files)


class Listener(Protocol):
    """Progress hooks, so the CLI can show a bar or plain lines while the library never prints."""

    def started(self, total: int) -> None: ...

    def finished(self, result: FileResult) -> None: ...

    def converting(self, count: int) -> None: ...

    def converted(self, done: int) -> None: ...


@dataclass(frozen=True)
class _Job:
    source: Path
    display: str
    out: Path
    output: str
    strict: bool
    engine: str
    workspace: Path | None  # whose kinds the file sees; None: the built-in kinds


def build(options: BuildOptions, listener: Listener) -> BuildResult:
    """Render what changed; raise `ToolMissingError` before any work when `pdf` has no LibreOffice."""
    if options.pdf:
        find_soffice()
    source_dir, out = options.source.resolve(), options.out.resolve()
    engine = package_version("baocao")
    manifest = load_manifest(out)
    shared = _shared_hashes()
    hashes = dict(shared)
    files: list[FileResult] = []
    jobs: list[_Job] = []
    sources = find_sources(source_dir, out)
    workspaces = _workspaces(sources, options.kinds_dir)
    listener.started(len(sources))
    for path in sources:
        relative = path.relative_to(source_dir)
        output = relative.with_suffix(".docx").as_posix()
        entry = manifest.get(output)
        if (
            entry is not None
            and entry.source == str(path)
            and (out / output).is_file()
            and digest(entry.inputs, engine, options.strict, hashes) == entry.digest
        ):
            files.append(FileResult(output, Status.UNCHANGED))
            listener.finished(files[-1])
        else:
            display = str(options.source / relative)
            job = _Job(path, display, out, output, options.strict, engine, workspaces[path.parent])
            jobs.append(job)
    names: dict[str, str] = {}  # one string per file name: entries share the template's, the schemas'…
    workers = options.jobs or os.cpu_count() or 1  # pragma: no mutate (speed only)
    for result in _run(jobs, workers, shared):
        listener.finished(result)
        if result.entry is not None:
            manifest[result.output] = _shared_names(result.entry, names)
        files.append(replace(result, entry=None))  # the manifest holds the entry, with shared names
    if SYNC_ONCE and jobs:
        os.sync()
    current = {result.output for result in files}
    stale = sorted(output for output in manifest if output not in current)
    if options.prune:
        for output in stale:
            _remove_output(out, output)
            del manifest[output]
    save_manifest(out, manifest)
    rendered = [result.output for result in files if result.status is Status.RENDERED]
    if not options.pdf:
        for pdf in _pdfs_of(out, rendered):  # the PDF beside a re-rendered document no longer matches it
            pdf.unlink(missing_ok=True)
        return BuildResult(files, stale, [])
    missing = [
        result.output
        for result in files
        if result.status is Status.UNCHANGED and not (out / result.output).with_suffix(".pdf").exists()
    ]
    to_convert = sorted(rendered + missing)
    if not to_convert:
        return BuildResult(files, stale, [])
    listener.converting(len(to_convert))
    try:
        pdfs = _convert(out, to_convert, listener.converted)
        warnings = (font_warning(out / pdf) for pdf in pdfs)
        return BuildResult(files, stale, pdfs, pdf_warnings=tuple(filter(None, warnings)))
    except BaocaoError as error:
        return BuildResult(files, stale, [], str(error))


def _pdfs_of(out: Path, outputs: Sequence[str]) -> list[Path]:
    """The PDFs beside `outputs` that exist, each folder listed once: most documents have none."""
    pdfs = [(out / output).with_suffix(".pdf") for output in outputs]
    existing = {folder: set(os.listdir(folder)) for folder in {pdf.parent for pdf in pdfs}}
    return [pdf for pdf in pdfs if pdf.name in existing[pdf.parent]]


def find_sources(source_dir: Path, out: Path) -> list[Path]:
    """`*.yaml` under `source_dir`, outside hidden folders, the output folder and a workspace's
    `schemas/` (its kinds' rules files are not documents)."""
    return sorted(
        path
        for path in source_dir.rglob("*.yaml")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(source_dir).parts)
        and not path.is_relative_to(out)
        and not (path.parent.name == "schemas" and is_workspace(path.parent.parent))
    )


def _workspaces(sources: Sequence[Path], kinds_dir: Path | None) -> dict[Path, Path | None]:
    """The workspace each source folder sees: `kinds_dir` for all, else each folder's nearest."""
    folders = dict.fromkeys(path.parent for path in sources)
    if kinds_dir is not None:
        return dict.fromkeys(folders, kinds_dir.resolve())
    return {folder: find_workspace(folder) for folder in folders}


def _shared_hashes() -> dict[str, str]:
    """Digests of the templates and schema files, which most outputs share: each worker would
    otherwise read and hash them again for every document."""
    shared = [*TEMPLATE_DIR.glob("*.docx"), *SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("*.yaml")]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in shared}


def digest(inputs: Sequence[str], engine: str, strict: bool, hashes: dict[str, str]) -> str:
    """SHA-256 over the inputs' bytes (a missing file counts as such), engine version and strictness."""
    combined = hashlib.sha256(f"baocao {engine} strict={strict}\n".encode())
    for name in inputs:
        if name not in hashes:
            try:
                hashes[name] = hashlib.sha256(Path(name).read_bytes()).hexdigest()
            except FileNotFoundError:
                hashes[name] = "-"
        combined.update(f"{hashes[name]}\n".encode())
    return combined.hexdigest()


def input_files(source: Path, checked: Checked) -> tuple[str, ...]:
    """Every file the output depends on: the kind's files as resolved for the data file's workspace,
    and the workspace files that would override them (an absent rules file or override counts too)."""
    files = [source, *checked.files.inputs()]
    return tuple(str(path) for path in [*files, *_referenced_files(source, checked.document.data)])


def _referenced_files(source: Path, data: Any) -> list[Path]:
    """Files named by `REFERENCE_KEYS`, and the files those name in turn (a file that does not
    load is still an input: fixing it changes the output)."""
    found: list[Path] = []
    pending = [(source, data)]
    while pending:
        path, node = pending.pop(0)
        for name in _references(node):
            target = (path.parent / name).resolve()
            if target in found or target == source.resolve():
                continue
            found.append(target)
            try:
                pending.append((target, load_document(target).data))
            except ReportError:
                continue
    return found


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, child in node.items():
            if key in REFERENCE_KEYS and isinstance(child, str):
                yield child
            else:
                yield from _references(child)
    elif isinstance(node, list):
        for child in node:
            yield from _references(child)


def manifest_path(out: Path) -> Path:
    return out / STATE_DIR / "manifest.json"


def data_copy_path(out: Path, output: str) -> Path:
    """Where the data an output was last rendered from is kept."""
    return (out / STATE_DIR / "du-lieu" / output).with_suffix(".yaml")


def load_manifest(out: Path) -> dict[str, Entry]:
    """The recorded entries; an unreadable or foreign manifest means "nothing built yet"."""
    try:
        raw = json.loads(manifest_path(out).read_text(encoding="utf-8"))
        if raw["format"] != MANIFEST_FORMAT:
            return {}
        names: dict[str, str] = {}
        return {
            output: _shared_names(Entry(entry["source"], entry["digest"], tuple(entry["inputs"])), names)
            for output, entry in raw["outputs"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _shared_names(entry: Entry, names: dict[str, str]) -> Entry:
    """The entry with its file names taken from `names` (added there when new): 10,000 entries
    then hold one copy of the template's name, not 10,000."""
    inputs = tuple(names.setdefault(name, name) for name in entry.inputs)
    return Entry(names.setdefault(entry.source, entry.source), entry.digest, inputs)


def save_manifest(out: Path, manifest: Mapping[str, Entry]) -> None:
    """Written as it is encoded: the text of a large build's manifest is never held whole."""
    outputs = {
        output: {"source": entry.source, "digest": entry.digest, "inputs": entry.inputs}
        for output, entry in manifest.items()
    }
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
    chunks = encoder.iterencode({"format": MANIFEST_FORMAT, "outputs": outputs})
    write_atomic(manifest_path(out), itertools.chain((chunk.encode() for chunk in chunks), [b"\n"]))


MAX_CHUNK = 32


def _run(jobs: list[_Job], workers: int, hashes: Mapping[str, str]) -> Iterator[FileResult]:
    """Results in job order, so plain progress lines come out the same on every run."""
    render = partial(_render, hashes=hashes)
    # pragma: no mutate start (how the work is spread changes the speed only)
    if workers == 1 or len(jobs) <= 1:
        yield from map(render, jobs)
        return
    # "spawn": forking a process that runs a progress-bar thread can deadlock the children.
    context = multiprocessing.get_context("spawn")
    workers = min(workers, len(jobs))
    # Chunks amortise the per-task round trip to the workers; eight per worker keep the progress bar moving.
    chunk = max(1, min(MAX_CHUNK, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(render, jobs, chunksize=chunk)
    # pragma: no mutate end


def _render(job: _Job, hashes: Mapping[str, str]) -> FileResult:
    """One data file, in a worker: check, render, write the output and the data copy.
    `hashes`: digests of files already read in this build (templates, schemas)."""
    try:
        with seen_as(job.workspace):
            checked = check(job.source, display_name=job.display, strict=job.strict)
            document = render_checked(checked)
    except ReportError as error:
        return FileResult(job.output, Status.FAILED, tuple(error.issues))
    except (BaocaoError, OSError) as error:  # a broken template; a kind file unreadable
        return FileResult(job.output, Status.FAILED, (Issue(str(error), file=job.display),))
    data = checked.document.source  # the bytes rendered: kept as the copy and hashed below
    target = job.out / job.output
    try:
        write_atomic(target, document, sync=not SYNC_ONCE)
        write_atomic(data_copy_path(job.out, job.output), data, sync=not SYNC_ONCE)
    except OSError as error:
        issue = Issue(f"không ghi được {target}: {error.strerror}", file=job.display)
        return FileResult(job.output, Status.FAILED, (issue,))
    inputs = input_files(job.source, checked)
    known = {**hashes, str(job.source): hashlib.sha256(data).hexdigest()}  # the bytes kept as its copy
    entry = Entry(str(job.source), digest(inputs, job.engine, job.strict, known), inputs)
    return FileResult(job.output, Status.RENDERED, tuple(checked.warnings), entry)


def _remove_output(out: Path, output: str) -> None:
    """The document, its PDF and data copy; then folders left empty, up to OUTDIR."""
    document = out / output
    for path in (document, document.with_suffix(".pdf"), data_copy_path(out, output)):
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == out or not folder.is_relative_to(out):
                break
            if folder.exists():
                if any(folder.iterdir()):
                    break
                folder.rmdir()


def _convert(out: Path, outputs: list[str], progress: Callable[[int], None]) -> list[str]:
    """All documents in one LibreOffice run: staged under unique names (outputs in different
    folders may share a name), then each PDF is moved beside its document."""
    stage = Path(tempfile.mkdtemp(prefix="pdf-", dir=out / STATE_DIR))  # beside the manifest, saved by now
    try:
        staged = [stage / f"{index}.docx" for index in range(len(outputs))]
        for output, copy in zip(outputs, staged, strict=True):  # pragma: no mutate (as long)
            shutil.copyfile(out / output, copy)
        produced = convert_to_pdf(staged, stage, progress)
        targets = [Path(output).with_suffix(".pdf").as_posix() for output in outputs]
        for pdf, target in zip(produced, targets, strict=True):  # pragma: no mutate (one each)
            os.replace(pdf, out / target)
        return targets
    finally:
        shutil.rmtree(stage, ignore_errors=True)
