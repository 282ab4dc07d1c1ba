"""Runs under a Python that has LibreOffice's `uno` module (Debian's python3-uno, LibreOffice's own
python on Windows and macOS), started by engine/pdf.py; standard library and `uno` only.

    PYTHON office_bridge.py SOFFICE PROFILE_URL

Starts one headless LibreOffice listening on a private pipe, then converts documents to PDF one
line at a time: stdin `{"docx": PATH, "pdf": PATH}`, stdout `{"ok": true}` or
`{"ok": false, "error": TEXT, "dead": BOOL}` (`dead`: LibreOffice is gone, start a new bridge).
The first line out is `{"ready": true, "pid": N}` (N: LibreOffice's process group on POSIX)
or `{"ready": false, "error": TEXT}`.
End of stdin closes LibreOffice and the bridge.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from typing import Any

CONNECT_SECONDS = 60.0


def reply(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def start_office(soffice: str, profile: str, pipe: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nofirststartwizard",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # POSIX: its own process group, so a stuck LibreOffice is killed whole
    )


def stop_office(office: subprocess.Popen[bytes]) -> None:
    """LibreOffice's launcher and the office it started (`soffice` is a script on Linux)."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(office.pid, signal.SIGKILL)
    office.kill()
    office.wait()


def connect(uno: Any, office: subprocess.Popen[bytes], pipe: str) -> Any:
    """LibreOffice's Desktop, once it listens; raises when it exits or takes too long."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:  # NoConnectException until LibreOffice listens
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def serve(uno: Any, prop: Any, desktop: Any, office: subprocess.Popen[bytes]) -> None:
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("UpdateDocMode", 0))
    store = (prop("FilterName", "writer_pdf_Export"), prop("Overwrite", True))
    for line in sys.stdin:
        request = json.loads(line)
        try:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(request["docx"]), "_blank", 0, load
            )
            if document is None:
                raise RuntimeError("LibreOffice could not open the document")
            try:
                document.storeToURL(uno.systemPathToFileUrl(request["pdf"]), store)
            finally:
                document.close(True)
        except Exception as error:
            # A killed LibreOffice shows as a disposed bridge before its process is reaped.
            dead = office.poll() is not None or "disposed" in f"{type(error).__name__} {error}".lower()
            reply(ok=False, error=str(error) or type(error).__name__, dead=dead)
            if dead:
                return
        else:
            reply(ok=True)


def main(soffice: str, profile: str) -> None:
    try:
        import uno  # type: ignore[import-not-found]
        from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
    except ImportError as error:
        reply(ready=False, error=f"no uno module: {error}")
        return

    def prop(name: str, value: Any) -> Any:
        item = PropertyValue()
        item.Name, item.Value = name, value
        return item

    pipe = f"baocao-{os.getpid()}-{secrets.token_hex(4)}"
    office = start_office(soffice, profile, pipe)
    try:
        desktop = connect(uno, office, pipe)
    except Exception as error:
        stop_office(office)
        reply(ready=False, error=f"LibreOffice did not start: {error}")
        return
    reply(ready=True, pid=office.pid)
    try:
        serve(uno, prop, desktop, office)
    finally:
        with contextlib.suppress(Exception):  # already gone
            desktop.terminate()
        try:
            office.wait(10)
        except subprocess.TimeoutExpired:
            stop_office(office)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
