"""The folder the app serves: paths confined to it, its documents with their state, one write at a time.

Every file name from a request goes through `Workspace.file`: relative, no `..`, no hidden part,
`.yaml` only, and after resolving symlinks still inside the folder.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath
from typing import Any

from engine.build import digest, find_sources, load_manifest
from engine.errors import BaocaoError, ReportError
from engine.load import load_document
from engine.pipeline import check
from engine.schema import SUFFIX, Schemas, schema_files
from engine.workspace import lookup

MAX_UPLOAD = 2 * 1024 * 1024  # the loader refuses bigger data files anyway


class OutsideError(BaocaoError):
    """A request named a file outside the served folder or not a data file."""


def fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Entry:
    name: str  # relative, with `/`
    kind: str
    period: str
    locality: str
    state: str  # hợp lệ / cảnh báo / lỗi
    errors: int
    warnings: int
    title: str = ""  # the kind's name as its schema says it
    stale: bool = False  # valid, but the .docx in the output folder is missing or older: cần xuất lại


def kind_title(kind: str, where: Schemas) -> str:
    """A kind's name as its schema (in the file's workspace) says it."""
    schema = schema_files(where).get(kind + SUFFIX, {})
    return str(schema.get("title", kind))


class Workspace:
    def __init__(self, root: Path, out: Path) -> None:
        self.root = root.resolve()
        self.out = out.resolve()
        self.lock = threading.Lock()  # saves and history commits, one at a time
        self._states: dict[tuple[str, int, int], Entry] = {}

    def file(self, name: str, *, must_exist: bool = True) -> Path:
        """The data file `name` inside the folder; `OutsideError` for anything else."""
        if not name or "\\" in name or "\0" in name or len(name) > 400:
            raise OutsideError(name)
        relative = PurePosixPath(name)
        if relative.is_absolute() or any(
            part in ("", ".", "..") or part.startswith(".") for part in relative.parts
        ):
            raise OutsideError(name)
        if relative.suffix != ".yaml":
            raise OutsideError(name)
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or path.is_relative_to(self.out):
            raise OutsideError(name)
        if must_exist and not path.is_file():
            raise OutsideError(name)
        return path

    def name(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def documents(self) -> list[Entry]:
        """Every data file with its state; states are cached by modification time and size."""
        manifest = load_manifest(self.out)
        engine = package_version("baocao")
        hashes: dict[str, str] = {}
        entries = []
        for path in find_sources(self.root, self.out):
            if not path.resolve().is_relative_to(self.root):
                continue  # a symlink out of the folder is not served
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            entry = self._states.get(key) or self._entry(path)
            self._states[key] = entry
            if entry.state in ("hợp lệ", "cảnh báo"):
                built = manifest.get(Path(entry.name).with_suffix(".docx").as_posix())
                if built is None or digest(built.inputs, engine, False, hashes) != built.digest:
                    entry = replace(entry, stale=True)
            entries.append(entry)
        return sorted(entries, key=lambda entry: (entry.kind, entry.period, entry.locality, entry.name))

    def _entry(self, path: Path) -> Entry:
        name = self.name(path)
        try:
            data: Any = load_document(path, name).data
        except ReportError as error:
            return Entry(name, "", "", "", "lỗi", len(error.issues), 0)
        data = data if isinstance(data, dict) else {}
        agency = data.get("co_quan") if isinstance(data.get("co_quan"), dict) else {}
        kind, period = str(data.get("loai", "")), str(data.get("nam", ""))
        locality = str(agency.get("dia_danh") or agency.get("ten") or "")
        try:
            title = kind_title(kind, lookup(path)) if kind else ""
        except ReportError:  # a broken workspace: `check` says why
            title = kind
        try:
            warnings = len(check(path, display_name=name).warnings)
        except ReportError as error:
            errors = sum(issue.is_error for issue in error.issues)
            return Entry(name, kind, period, locality, "lỗi", errors, len(error.issues) - errors, title)
        return Entry(name, kind, period, locality, "cảnh báo" if warnings else "hợp lệ", 0, warnings, title)
