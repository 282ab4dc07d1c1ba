"""DOCX → PDF through LibreOffice, kept running between documents, with its own profile.

`Office` starts one LibreOffice (through engine/office_bridge.py, run by a Python that has
LibreOffice's `uno` module) and converts document after document in it; if LibreOffice dies, it is
started again and the document retried once. Where no such Python exists, one `soffice --convert-to`
run converts the whole batch (`convert_cold`). `convert_to_pdf` uses one office per process.
The fonts a PDF embeds are read back, so a fallback typeface (DejaVu for missing Vietnamese
letters) is reported instead of silently mixing two faces in one document.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

from engine.errors import BaocaoError, ToolMissingError

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_VARIABLE = "BAOCAO_SOFFICE"
TIMEOUT_S = 600
POLL_S = 0.2
# Where the installers put it when it is not on PATH (the usual case on Windows and macOS).
WINDOWS_PROGRAM_DIRS = (
    os.environ.get("PROGRAMFILES", r"C:\Program Files"),
    os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"),
)
SOFFICE_PLACES = (
    *(Path(folder, "LibreOffice", "program", "soffice.exe") for folder in WINDOWS_PROGRAM_DIRS),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)


def find_soffice() -> str:
    """`$BAOCAO_SOFFICE`, then `soffice`/`libreoffice` on PATH, then the installers' usual places."""
    if chosen := os.environ.get(SOFFICE_VARIABLE):
        if Path(chosen).is_file():
            return chosen
        raise ToolMissingError(f"{SOFFICE_VARIABLE}={chosen}: không có tệp này")
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    for place in SOFFICE_PLACES:
        if place.is_file():
            return str(place)
    raise ToolMissingError(
        "không tìm thấy LibreOffice (soffice) để xuất PDF; cài từ libreoffice.org (Windows, macOS), "
        "`make install-libreoffice` (Debian/Ubuntu), hoặc đặt biến BAOCAO_SOFFICE là đường dẫn tới soffice"
    )


def convert_cold(
    documents: Sequence[Path], out_dir: Path, progress: Callable[[int], None] | None = None
) -> list[Path]:
    """Convert every document in one LibreOffice run; an isolated profile lets runs go in parallel.

    `progress` hears how many PDFs exist so far, as LibreOffice writes them one after another.
    """
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    produced = [out_dir / f"{document.stem}.pdf" for document in documents]
    with (
        tempfile.TemporaryDirectory(prefix="baocao-lo-") as profile,
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors,
    ):
        process = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *map(str, documents),
            ],
            stdout=subprocess.DEVNULL,  # a line per document: a pipe nobody reads would fill up
            stderr=errors,
        )
        _wait(process, produced, progress)
        errors.seek(0)
        message = errors.read().strip()
    missing = [path for path in produced if not path.exists()]
    if process.returncode != 0 or missing:
        raise BaocaoError(f"LibreOffice không xuất được PDF: {message or missing}")
    return produced


def _wait(
    process: subprocess.Popen[bytes], produced: list[Path], progress: Callable[[int], None] | None
) -> None:
    """Wait for LibreOffice (at most TIMEOUT_S), telling `progress` each time another PDF appears."""
    deadline = time.monotonic() + TIMEOUT_S
    done = 0
    while True:
        try:
            process.wait(timeout=POLL_S)
            break
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise BaocaoError(f"LibreOffice không xuất xong PDF sau {TIMEOUT_S} giây") from None
        if progress is not None and (now := sum(path.exists() for path in produced)) != done:
            done = now
            progress(done)
    if progress is not None:
        progress(sum(path.exists() for path in produced))


BRIDGE = Path(__file__).with_name("office_bridge.py")
# Fonts the templates ask for: Times New Roman, or its metric twin on systems without it.
SERIF_FAMILIES = ("TimesNewRoman", "LiberationSerif")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")


class _UnavailableError(Exception):
    """No Python with `uno` could start LibreOffice: convert the cold way."""


# A document LibreOffice has not converted in this time is given up: LibreOffice is stopped, a new one
# started, and the document tried once more.
CONVERT_SECONDS = 300.0
START_SECONDS = 120.0  # the bridge itself gives up connecting after 60 s


class _Bridge:
    """One office_bridge.py process; a thread reads its answers, so waiting for one can time out."""

    def __init__(self, python: str, soffice: str, profile: str) -> None:
        self.process = subprocess.Popen(
            [python, str(BRIDGE), soffice, profile],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self.office_pid = 0
        self.answers: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put("")  # end of output: the bridge is gone

    def answer(self, seconds: float) -> dict[str, Any]:
        """The next answer; `dead` when the bridge ended or kept silent for `seconds`."""
        try:
            line = self.answers.get(timeout=seconds)
        except queue.Empty:
            self.kill()
            line = ""
        return dict(json.loads(line)) if line.startswith("{") else {"ok": False, "dead": True}

    def ask(self, request: dict[str, str]) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self.process.stdin.flush()
        except OSError:
            return {"ok": False, "dead": True}
        return self.answer(CONVERT_SECONDS)

    def kill(self) -> None:
        """The bridge, and on POSIX the LibreOffice it started (its own process group)."""
        if self.office_pid and hasattr(os, "killpg"):
            with contextlib.suppress(OSError):
                os.killpg(self.office_pid, signal.SIGKILL)
        self.process.kill()

    def end(self) -> None:
        """Close the bridge's input (it then stops LibreOffice and exits), wait for it, close its pipes."""
        assert self.process.stdin is not None and self.process.stdout is not None
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()
        self.reader.join()
        self.process.stdout.close()


class Office:
    """One LibreOffice for many conversions; use as a context manager, or `shared_office()`.

    Safe to call from several threads (conversions take turns); not shared across processes.
    """

    def __init__(self) -> None:
        self.soffice = find_soffice()
        self.warm = True  # False once no bridge could start: every call converts cold
        self._bridge: _Bridge | None = None
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Office:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """LibreOffice's process id while it runs (its process group on POSIX; for tests that kill it)."""
        return self._bridge.office_pid if self._bridge is not None else None

    def convert(
        self, documents: Sequence[Path], out_dir: Path, progress: Callable[[int], None] | None = None
    ) -> list[Path]:
        """Each document to `out_dir/<stem>.pdf`; a `BaocaoError` names the first that failed.

        `progress` hears how many PDFs are done so far."""
        out_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if self.warm:
                try:
                    produced = []
                    for document in documents:
                        produced.append(self._convert(document, out_dir / f"{document.stem}.pdf"))
                        if progress is not None:
                            progress(len(produced))
                    return produced
                except _UnavailableError:
                    self.warm = False
            return convert_cold(documents, out_dir, progress)

    def close(self) -> None:
        """Stop LibreOffice and remove its profile."""
        bridge, self._bridge = self._bridge, None
        if bridge is not None:
            bridge.end()
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def _convert(self, document: Path, pdf: Path) -> Path:
        request = {"docx": str(document.resolve()), "pdf": str(pdf.resolve())}
        for _ in range(2):  # LibreOffice died or hung: a new one, and the document once more
            answer = (self._bridge or self._start()).ask(request)
            if answer.get("ok"):
                return pdf
            if not answer.get("dead"):
                raise BaocaoError(f"LibreOffice không xuất được PDF cho {document}: {answer.get('error')}")
            self.close()
        raise BaocaoError(f"LibreOffice dừng đột ngột hai lần khi xuất PDF cho {document}")

    def _start(self) -> _Bridge:
        if self._profile is None:
            self._profile = tempfile.TemporaryDirectory(prefix="baocao-lo-")
        profile = Path(self._profile.name).as_uri()
        for python in uno_pythons(self.soffice):
            bridge = _Bridge(python, self.soffice, profile)
            ready = bridge.answer(START_SECONDS)
            if ready.get("ready"):
                bridge.office_pid = int(ready["pid"])
                self._bridge = bridge
                return bridge
            bridge.end()
        raise _UnavailableError


def uno_pythons(soffice: str) -> list[str]:
    """Pythons that may have `uno`: LibreOffice's own (Windows, macOS), then the system's (Linux)."""
    program = Path(soffice).resolve().parent
    candidates = [
        program / "python.exe",
        program / "python",
        program.parent / "Resources" / "python",
        *(Path(found) for found in [shutil.which("python3")] if found),
        Path("/usr/bin/python3"),
    ]
    found = [str(path) for path in candidates if path.is_file()]
    return [path for index, path in enumerate(found) if path not in found[:index] and path != sys.executable]


@cache
def shared_office() -> Office:
    """One office for the whole process (the web app, a batch), closed when the process exits."""
    office = Office()
    atexit.register(office.close)
    return office


def convert_to_pdf(
    documents: Sequence[Path], out_dir: Path, progress: Callable[[int], None] | None = None
) -> list[Path]:
    """Through the process's warm office; `ToolMissingError` when LibreOffice is not installed."""
    return shared_office().convert(documents, out_dir, progress)


def embedded_fonts(pdf: Path) -> list[str]:
    """The fonts a PDF names, without subset prefixes (`ABCDEF+`), read from its font dictionaries
    (LibreOffice writes them uncompressed)."""
    names = {
        match.decode("latin-1").partition("+")[2] or match.decode("latin-1")
        for match in _BASE_FONT.findall(pdf.read_bytes())
    }
    return sorted(names)


def fallback_fonts(pdf: Path) -> list[str]:
    """Fonts in the PDF outside the serif family the templates use: LibreOffice's substitutes."""
    return [name for name in embedded_fonts(pdf) if not name.startswith(SERIF_FAMILIES)]


def font_warning(pdf: Path) -> str | None:
    """One line for the user when the PDF mixes in a fallback typeface."""
    fallbacks = fallback_fonts(pdf)
    if not fallbacks:
        return None
    return (
        f"{pdf}: cảnh báo: PDF dùng phông thay thế {', '.join(fallbacks)} bên cạnh Times New Roman "
        "(máy thiếu phông có đủ chữ Việt; cài Times New Roman hoặc fonts-liberation2: "
        "`make install-libreoffice`)"
    )
